/**
 * AFL: the receiver's contract (aflevering, delivery): what the gateway pushes to a receiving system,
 * how it authenticates, what the receiver answers and what each answer makes the gateway do, and which
 * receipts a receiver sends (spec/v1/receiver.md). Checked by the receiving system and the delivery
 * worker (src/delivery/, adapters/webhook/), not by validating a bericht; in the catalogue so that every
 * refusal and every conformance case cites a rule id.
 */
import type { Rule } from './rule.js';

/** Longest a receiver may take to answer a push before the gateway counts it as no answer (AFL-001), in seconds. */
export const PUSH_ANSWER_SECONDS = 10;

/** Longest a receiver may verify with a key set it fetched before, in seconds (AFL-004, receiver.md §4). */
export const KEY_SET_MAX_AGE_SECONDS = 300;

/**
 * Shortest interval to which a receiver may limit its fetches of one OIN's key set (AFL-004, receiver.md §4, Q171), in
 * milliseconds: a kid it does not hold while a fetch is held back cannot be obtained now (503), never refused.
 */
export const KEY_SET_MIN_FETCH_INTERVAL_MS = 1_000;

/** Longest a receiver waits for the key directory before it counts the keys as unobtainable (AFL-004), in seconds. */
export const KEY_DIRECTORY_TIMEOUT_SECONDS = 5;

const contract = { document: 'Zicht', section: 'v1 "Receiver contract"' } as const;

export const afleveringRules: readonly Rule[] = [
  {
    id: 'AFL-001',
    stage: 'aflevering',
    severity: 'error',
    code: 'business-rule',
    sources: [contract, { document: 'RFC 9110', section: '15.3' }],
    text: `A receiver takes every valid bericht addressed to it, of every type BER-012 lets its role receive, and answers 2xx only after it has stored the bericht durably (or holds it from an earlier push), within ${PUSH_ANSWER_SECONDS} seconds; receipts and other reactions are sent afterwards as berichten of their own, never in the answer.`,
  },
  {
    id: 'AFL-002',
    stage: 'aflevering',
    severity: 'error',
    code: 'security',
    sources: [contract, { document: 'RFC 7519', section: '4.1' }, { document: 'RFC 6750', section: '3' }],
    text: "A receiver takes a push only with a valid push token: a JWT without crit or b64 in its header, signed with a key of the gateway's key set (GET /v1/deelnemers/{gatewayOin}/jwks) valid now, iss the gateway's OIN, aud the receiver's OIN, exp at most 300 seconds after iat, and within the clock skew of 5 minutes of now by its own clock (iat and nbf at most the skew after now, exp after now minus the skew), and a jti no instance of it has taken before, also before a restart; otherwise it answers 401 (503 when the gateway's key set cannot be obtained, AFL-004).",
  },
  {
    id: 'AFL-003',
    stage: 'aflevering',
    severity: 'error',
    code: 'business-rule',
    sources: [contract],
    text: 'A receiver takes only a bericht that names it among ontvangers with its own OIN and, when its configured role is gemeente or lokaal team (not the rol of the entry), a gemeentecode it serves; otherwise it answers 422 citing this rule.',
  },
  {
    id: 'AFL-004',
    stage: 'aflevering',
    severity: 'error',
    code: 'security',
    sources: [contract, { document: 'RFC 9110', section: '15.6.4' }],
    text: `A receiver never takes a bericht whose signatures it has not verified, and verifies with a key set fetched at most ${KEY_SET_MAX_AGE_SECONDS} seconds before (fetching again for a kid it does not hold): when it cannot obtain the keys (no answer within ${KEY_DIRECTORY_TIMEOUT_SECONDS} seconds, a failed connection, any status but 200 or 404, a body that is no JWK Set, or 404 for the gateway's own OIN) and holds no such set with the kid, it answers 503, so that the gateway tries again; never 2xx, never 4xx.`,
  },
  {
    id: 'AFL-005',
    stage: 'aflevering',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '2i' }, { document: 'FS', section: 'Inhoud van de samenwerkingsafspraken' }, contract],
    text: 'Each receiver of an overdracht that is not in cc sends, after taking it, one ontvangstbevestiging with status ontvangen without waiting for a person; geaccepteerd and niet-geaccepteerd follow a decision; no receipt answers any other bericht type.',
  },
  {
    id: 'AFL-006',
    stage: 'aflevering',
    severity: 'error',
    code: 'business-rule',
    sources: [contract, { document: 'Zicht', section: 'v1 "Exchange over HTTP"' }],
    text: 'A receiver takes a bericht it holds already (same berichtId, same content) with 2xx again, without checking its signatures again (the check comes right after the content rules), and acts on it once: no second receipt or other reaction; of two attempts that overlap it stores one and answers the other 2xx once that one is stored, or 503 while it is not.',
  },
  {
    id: 'AFL-007',
    stage: 'aflevering',
    severity: 'error',
    code: 'business-rule',
    sources: [contract, { document: 'RFC 9110', section: '15' }],
    text: 'A receiver refuses with application/problem+json whose issues cite rule ids and no values: 400 for input that is not one JSON text (BER-001, BER-003, BER-017) or does not decrypt (ENC-004), 401 for the push token, 409 for BER-015, 413 for BER-002, 415 for another media type, 422 for every other rule, 503 when it cannot decide now.',
  },
  {
    id: 'AFL-008',
    stage: 'aflevering',
    severity: 'error',
    code: 'business-rule',
    sources: [contract, { document: 'RFC 9110', section: '10.2.3' }],
    text: 'The gateway counts a 2xx as delivered; it tries again after 401, 408, 425, 429, 5xx or no answer within 10 seconds, not before a Retry-After (of at most one hour), until the retry window (5 days) ends; any other answer, and the end of the window, make the delivery a dead letter, status failed for the sender.',
  },
];
