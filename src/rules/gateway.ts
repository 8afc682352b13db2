/**
 * SIG and RTE: rules a gateway (or a receiver) enforces beyond the bericht itself: its signature
 * (checked in src/signing/) and its routing against the participant registry (src/routing/).
 * They are in the catalogue so that every refusal cites a rule id, like every other finding.
 */
import type { CanonicalErrorCode, KeyErrorCode, SignatureErrorCode } from '../errors.js';
import type { Rule } from './rule.js';

export const signatureRules: readonly Rule[] = [
  {
    id: 'SIG-001',
    stage: 'signature',
    severity: 'error',
    code: 'security',
    sources: [{ document: 'RFC 7515', section: '7.2.1, Appendix F' }],
    text: "A bericht carries its sender's signature first, as a well-formed detached JWS whose protected header has typ zicht-bericht+jws, kid, iat, the signer's oin and crit [\"oin\"], and at most 4 signatures in all (in a receiver's and the gateway's order the schema refuses none or more than 4 first, as BER-006); a bericht sent to the gateway carries only that one, a pushed bericht after it the gateway's countersignature (typ zicht-ontvangst+jws, with rcv and crit [\"oin\", \"rcv\"]), and every further entry is a countersignature too. A crit that is missing, is not exactly the members its kind names, or breaks RFC 7515 §4.1.11 breaks this rule; one that names a member Zicht does not define breaks SIG-002 instead, whatever else it names.",
  },
  {
    id: 'SIG-002',
    stage: 'signature',
    severity: 'error',
    code: 'security',
    sources: [{ document: 'Zicht', section: 'v1 "Signatures"' }],
    text: 'A signature uses ES256, PS256 or EdDSA (Ed25519), fitting the key its kid names (ES256 an EC P-256 key, PS256 an RSA key of at least 2048 bits, EdDSA an OKP Ed25519 key; the JWK\'s alg, when it has one, equal to it); none, HS* and every other algorithm are refused, as is a crit that names a member Zicht does not define (b64 included; also next to oin, as crit ["oin", "x"]). Other header members are ignored and never used to find a key.',
  },
  {
    id: 'SIG-003',
    stage: 'signature',
    severity: 'error',
    code: 'security',
    sources: [{ document: 'Zicht', section: 'v1 "Signatures"' }],
    text: "A signature's kid names a key registered for the signer that is valid at the judging moment: not before nbf, not at or after exp or revokedAt. The moment is the gateway's own clock at receipt, for a receiver or auditor the first countersignature's rcv, for an uncountersigned bericht the verifier's now; never the signer's iat (spec/v1/time-and-keys.md). The gateway keeps publishing every key, with its window, as long as it holds a bericht signed or countersigned with it (time-and-keys.md §4).",
  },
  {
    id: 'SIG-004',
    stage: 'signature',
    severity: 'error',
    code: 'security',
    sources: [{ document: 'Zicht', section: 'v1 "Signatures"' }],
    text: "The sender's signature is made by the sender (its oin is verzender.oin); a countersignature by a participant with the gateway role: for a receiver without the registry, the gateway whose OIN and address it was configured with, with a key from that gateway's key set.",
  },
  {
    id: 'SIG-005',
    stage: 'signature',
    severity: 'error',
    code: 'security',
    sources: [
      { document: 'RFC 8785', section: '3' },
      { document: 'RFC 7515', section: '5.2' },
    ],
    text: 'Each signature verifies over the RFC 8785 canonical form of the bericht without its signatures member.',
  },
  {
    id: 'SIG-006',
    stage: 'signature',
    severity: 'error',
    code: 'security',
    sources: [
      { document: 'RFC 7515', section: '4' },
      { document: 'RFC 7519', section: '4' },
      { document: 'RFC 7493', section: '2.3' },
    ],
    text: 'A JWS protected header (the sender\'s signature, a countersignature) and a bearer token\'s header and claims name no member twice (names compared after unescaping); a header or token that does is refused, never read last-one-wins.',
  },
  {
    id: 'SIG-007',
    stage: 'signature',
    severity: 'error',
    code: 'security',
    sources: [
      { document: 'RFC 7519', section: '4.1.6' },
      { document: 'Zicht', section: 'v1 "Time and keys"' },
    ],
    text: "A signature's iat lies at most the allowed clock skew (5 minutes by default) after the judging moment, and a countersignature's rcv at most that skew after the verifier's clock: a signer's iat is a claim, not evidence.",
  },
  {
    id: 'SIG-008',
    stage: 'signature',
    severity: 'error',
    code: 'security',
    sources: [{ document: 'Zicht', section: 'v1 "Time and keys"' }],
    text: "A signature's iat lies at most 7 days (by default) before the judging moment; an older bericht the gateway accepted before gets its original receipt (BER-015). A sender signs a bericht again before an attempt when its signature would be older or its key no longer valid (same berichtId, same content); a bericht the gateway refused with 4xx, also for its signature, is never sent again: a new berichtId and the next volgnummer replace it.",
  },
];

/** The SIG rule a signature or key error code breaks. */
export function signatureRuleFor(code: SignatureErrorCode | KeyErrorCode | CanonicalErrorCode): string {
  switch (code) {
    case 'ZICHT_SIGNATURE_MISSING':
    case 'ZICHT_SIGNATURE_ALREADY_SIGNED':
    case 'ZICHT_SIGNATURE_TOO_MANY':
    case 'ZICHT_SIGNATURE_MALFORMED':
    case 'ZICHT_SIGNATURE_HEADER_TOO_LARGE':
    case 'ZICHT_SIGNATURE_HEADER_INVALID':
    case 'ZICHT_SIGNATURE_BERICHT_INVALID':
      return 'SIG-001';
    case 'ZICHT_SIGNATURE_ALG_NONE':
    case 'ZICHT_SIGNATURE_ALG_NOT_ALLOWED':
    case 'ZICHT_SIGNATURE_ALG_KEY_MISMATCH':
    case 'ZICHT_SIGNATURE_CRIT_UNKNOWN':
    case 'ZICHT_KEY_INVALID':
      return 'SIG-002';
    case 'ZICHT_KEY_UNKNOWN':
    case 'ZICHT_KEY_NOT_YET_VALID':
    case 'ZICHT_KEY_EXPIRED':
    case 'ZICHT_KEY_REVOKED':
      return 'SIG-003';
    case 'ZICHT_SIGNATURE_OIN_MISMATCH':
    case 'ZICHT_SIGNATURE_SIGNER_ROLE':
      return 'SIG-004';
    case 'ZICHT_SIGNATURE_NOT_CANONICAL':
    case 'ZICHT_SIGNATURE_INVALID':
    case 'ZICHT_CANONICAL_INVALID':
      return 'SIG-005';
    case 'ZICHT_SIGNATURE_HEADER_DUPLICATE_MEMBER':
      return 'SIG-006';
    case 'ZICHT_SIGNATURE_IAT_FUTURE':
      return 'SIG-007';
    case 'ZICHT_SIGNATURE_IAT_STALE':
      return 'SIG-008';
  }
}

export const routingRules: readonly Rule[] = [
  {
    id: 'RTE-001',
    stage: 'registry',
    severity: 'error',
    code: 'security',
    sources: [{ document: 'Zicht', section: 'v1 "Routing"' }],
    text: 'The sender is an active participant registered with the role it sends as (verzender.rol).',
  },
  {
    id: 'RTE-002',
    stage: 'registry',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "Routing"' }],
    text: 'Every receiver is an active participant registered with the role it is addressed as and, for a gemeente or lokaal team, serving the gemeentecode it is addressed for.',
  },
  {
    id: 'RTE-003',
    stage: 'registry',
    severity: 'error',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '5.2.4' },
      { document: 'Z-L', section: 'Bijlage 3a.1' },
    ],
    text: 'Every gemeente the household of a handover lives in is served by an active gemeente or lokaal-team participant, so that the handover can be delivered rather than queued forever.',
  },
  {
    id: 'RTE-004',
    stage: 'registry',
    severity: 'error',
    code: 'throttled',
    sources: [{ document: 'Zicht', section: 'v1 "Exchange over HTTP"' }],
    text: 'No receiver has a full outbox (10,000 undelivered berichten by default): while one has, the gateway answers 503 with Retry-After and the sender sends the same bericht again later.',
  },
];
