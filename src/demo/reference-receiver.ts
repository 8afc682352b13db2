/**
 * The reference receiving system: what a gemeente's (or VT's) Zicht endpoint does with a push,
 * `POST {endpoint}/berichten`, in the order of spec/v1/receiver.md "Checking a push": the gateway's push
 * token (AFL-002, 401), the media type (415), decryption of a JWE push (ENC-004, 400), input, version,
 * schema and content rules (400/422), a resend it holds with the same content (2xx, once, AFL-006, before
 * the signatures: Q136), the sender's signature and the gateway's countersignature with keys
 * fetched from the gateway (SIG-001..005, 422; 503 when the key directory cannot be read, AFL-004), that it
 * is addressed with this system's OIN and a gemeentecode it serves (AFL-003, 422), a reused berichtId
 * (409, BER-015), the trail rules over what it holds (422); then it stores and
 * answers 202, and a receiver not in cc of a handover sends a signed ontvangstbevestiging `ontvangen` back
 * through the gateway (AFL-005), again with the same bytes after a 5xx or a lost answer (BER-015). Refusals
 * are problem+json with rule ids only (AFL-007). With `decisionTrigger` it also serves `POST /trigger`, where a
 * person's decision on a handover it answered is given (the conformance suite's `--trigger-url` for role
 * gemeente): it then sends a later `geaccepteerd` or `niet-geaccepteerd` receipt with the `ontvangen`'s
 * `ontvangenOp` (Q108), after its earlier receipts (Q158), once per handover (409 for a second decision, ONT-008).
 * Used by `zicht demo` and as the reference the conformance suite is proven against; `defect` breaks exactly one
 * behaviour, for the suite's own tests.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'undici';
import { z } from 'zod';
import { AuthError, CanonicalError, ClientError, KeyError, SignatureError } from '../errors.js';
import type { Bericht, OntvangstbevestigingBericht } from '../model/bericht.js';
import type { Behandelaar } from '../model/ontvangstbevestiging.js';
import { Oin, Tekst } from '../model/primitives.js';
import { trailOf } from '../rules/context.js';
import { KEY_SET_MAX_AGE_SECONDS, KEY_SET_MIN_FETCH_INTERVAL_MS } from '../rules/aflevering.js';
import { signatureRuleFor } from '../rules/gateway.js';
import { checkRules, validateBericht } from '../rules/validate.js';
import { CLOCK_SKEW_SECONDS, createBearerToken, verifyBearerToken } from '../signing/bearer-token.js';
import type { KeyResolver, ResolvedKey } from '../signing/key-resolver.js';
import { checkKeyValidity } from '../signing/validity.js';
import { canonicalBericht } from '../signing/canonical.js';
import { signBericht } from '../signing/sign.js';
import type { Signer } from '../signing/signer.js';
import { verifyBericht } from '../signing/verify.js';
import { compactDecrypt, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { decryptBody, type DecryptionKey } from '../delivery/decrypt.js';
import { JOSE_MEDIA_TYPE } from '../delivery/encrypt.js';
import { EncryptionError } from '../errors.js';
import { gatewayKeyResolver } from '../client/keys.js';
import { isRetriedBySender, nextAttemptDelayMs } from '../client/retry.js';
import { parseStrictJson } from '../json/strict-json.js';

/** One deliberate defect of the reference, for the conformance suite's tests. */
export type ReferenceDefect =
  /** Does not enforce this rule (validation, signature or BER-015 conflict). */
  | { readonly kind: 'ignores-rule'; readonly rule: string }
  /** Never sends an ontvangstbevestiging. */
  | { readonly kind: 'no-receipt' }
  /** Acts on a resent bericht again (a second receipt). */
  | { readonly kind: 'no-dedup' }
  /** Takes and answers berichten addressed to others. */
  | { readonly kind: 'answers-not-addressed' }
  /** Refuses updates of the veiligheidsvoorwaarden (only handovers implemented). */
  | { readonly kind: 'refuses-updates' }
  /** Refuses ontvangstbevestigingen (a VT system that cannot take receipts). */
  | { readonly kind: 'refuses-receipts' }
  /** Signs its receipt, then changes it (the signature no longer matches). */
  | { readonly kind: 'receipt-signature-broken' }
  /** Registered an encryption key but reads every body as JSON (cannot take a JWE push). */
  | { readonly kind: 'no-decryption' }
  /** Checks the push token but not the one named property: its signature (decodes only), audience, expiry, single use (jti), that the gateway issued it (any participant's token), or its lifetime (jose's defaults). */
  | { readonly kind: 'push-token-lax'; readonly skip: 'signature' | 'audience' | 'expiry' | 'replay' | 'issuer' | 'lifetime' }
  /** Takes a key's validity window as absent: a revoked, expired or not yet valid key verifies. */
  | { readonly kind: 'key-window-ignored' }
  /** Checks revocation only (the revocation list), not nbf and exp. */
  | { readonly kind: 'key-expiry-ignored' }
  /** Judges revocation at the signer's own iat only, not at the gateway's countersignature time (trusts the signer's clock). */
  | { readonly kind: 'key-revocation-at-iat' }
  /** Caches keys by kid across participants: a key of one participant verifies a signature that names another. */
  | { readonly kind: 'key-cache-by-kid' }
  /** When the key directory cannot be read, refuses for good (422) instead of asking for a retry (503). */
  | { readonly kind: 'key-directory-refuses' }
  /** Caches a failed key lookup as "no keys": after the key directory was down once, that sender's berichten are refused for good. */
  | { readonly kind: 'key-directory-failure-cached' }
  /** Looks the berichtId up, then stores in a separate asynchronous write (no unique key): two attempts that overlap are both taken, and answered twice (AFL-006). */
  | { readonly kind: 'dedup-race' }
  /** Caches each participant's keys from its first lookup and never fetches them again: a key the sender published later (a rotation) is refused for good (AFL-004: fetch again for a kid it does not hold). */
  | { readonly kind: 'key-cache-no-refetch' }
  /** Checks the receiver's OIN but not its gemeentecode. */
  | { readonly kind: 'gemeentecode-ignored' }
  /** Numbers every receipt 1 (one volgnummer for every receipt in a dossier). */
  | { readonly kind: 'receipt-volgnummer-constant' }
  /** Answers an update of the veiligheidsvoorwaarden with a receipt too. */
  | { readonly kind: 'receipt-for-update' }
  /** Writes the times of its receipt in Amsterdam wall-clock time with a `Z` (as if it were UTC): an hour or two late. */
  | { readonly kind: 'receipt-local-time-as-utc' }
  /** Reads any body as JSON, whatever its media type says. */
  | { readonly kind: 'any-media-type' }
  /** Cites BER-006 for every schema finding, also for a member the schema does not define (BER-007). */
  | { readonly kind: 'schema-findings-as-ber-006' }
  /** Sends its receipt with another role than the one the handover named it with (and it is registered with). */
  | { readonly kind: 'receipt-wrong-role' }
  /** Sends a receipt also as a receiver in cc (kopie) of the handover. */
  | { readonly kind: 'receipt-from-cc' }
  /** Gives a receipt up after a 5xx or a lost answer (no retry). */
  | { readonly kind: 'receipt-no-retry' }
  /** Sends a receipt again after its own backoff step only, before the gateway's Retry-After (receiver.md §9). */
  | { readonly kind: 'receipt-ignores-retry-after' }
  /** Rebuilds a receipt for a retry: a new berichtId, as if it were a new receipt. */
  | { readonly kind: 'receipt-retry-new-id' }
  /** Sends its receipt with a bearer token for the VT (aud the VT's OIN) instead of the gateway. */
  | { readonly kind: 'receipt-token-wrong-audience' }
  /** An unexpected error on a refused bericht: 500 instead of a 4xx problem (the gateway retries it for days). */
  | { readonly kind: 'server-error-on-refusal' }
  /** Does not enforce any rule of this prefix (e.g. `LVC`: no lifecycle checks). */
  | { readonly kind: 'ignores-prefix'; readonly prefix: string }
  /** Checks no trail rule at all (receiver.md §6 step 10 left out): only what one bericht shows. */
  | { readonly kind: 'no-trail-rules' }
  /** Refuses on a warning of the trail (LVC-005, VRW-003) as on an error. */
  | { readonly kind: 'refuses-warnings' }
  /** Counts VRW-001's receivers one too many: asks an acceptance to name the lead (afstemming) only of a handover to three or more. */
  | { readonly kind: 'vrw-001-from-three' }
  /** Answers a breach of a trail rule with 409 Conflict and no rule, where receiver.md §7 gives 422 citing the rule. */
  | { readonly kind: 'trail-as-conflict' }
  /** Looks for a bericht it holds already only after the signatures (the §6 table's order, before Q136): a resend it holds is answered 503 while the key directory is down, 422 once the key is revoked or gone. */
  | { readonly kind: 'signatures-before-held' }
  /** Checks a JWE's alg, enc, kid and header members but not `epk` against `alg` (before Q140): an RSA-OAEP-256 JWE with an `epk` member is taken. */
  | { readonly kind: 'jwe-epk-unchecked' }
  /** Checks a JWE's alg, enc, kid and epk but not that the header has no other members (ENC-004): a JWE whose header also carries x5u is taken. */
  | { readonly kind: 'jwe-header-members-unchecked' }
  /** Reads its postbus without following volgende: sends the cursor as `cursor` (not `after`), or reads the first page only, each round. */
  | { readonly kind: 'postbus-pages-unfollowed'; readonly how: 'cursor-param' | 'first-page-only' }
  /** Sends a niet-geaccepteerd without the reden the person gave (ONT-001). */
  | { readonly kind: 'refusal-without-reden' }
  /** Sends an acceptance without its behandelaar (ONT-009). */
  | { readonly kind: 'acceptance-without-behandelaar' }
  /** Sends an acceptance of a handover to two or more receivers without the afstemming (VRW-001). */
  | { readonly kind: 'acceptance-without-afstemming' }
  /** Names the handover's sender (VT) as the lead in an afstemming, a party that is no receiver (VRW-002). */
  | { readonly kind: 'acceptance-regie-not-receiver' }
  /** Takes a second decision on a handover it decided on already, and sends a second acceptance (ONT-008). */
  | { readonly kind: 'decides-twice' }
  /** Dates a decision's receipt (ontvangenOp) at the moment of the decision, not when the handover arrived (Q108). */
  | { readonly kind: 'decision-ontvangenop-now' }
  /** Sends a decision at once, not after the gateway answered its earlier receipts of the handover (Q158). */
  | { readonly kind: 'decision-not-queued' };

/** A person's decision on a handover this system answered (receiver.md §9), as `POST /trigger` takes it. */
export const Decision = z
  .object({
    scenario: z.enum(['geaccepteerd', 'niet-geaccepteerd']),
    /** The handover decided on. */
    berichtId: z.string().min(1),
    /** Accepting a handover to two or more receivers: the team the gemeenten agreed leads (afstemming.regie, VRW-001). */
    regie: Oin.optional(),
    /** Not accepting: why (inhoud.reden, ONT-001). */
    reden: Tekst.optional(),
  })
  .refine((d) => d.scenario !== 'niet-geaccepteerd' || d.reden !== undefined, { message: 'a niet-geaccepteerd states its reden (ONT-001)' });
export type Decision = z.infer<typeof Decision>;

type ReceiptStatus = 'ontvangen' | Decision['scenario'];

/** How a reference receiver is set up. */
export interface ReferenceReceiverOptions {
  /** The system's own key and OIN. */
  readonly signer: Signer;
  /** The role it is addressed as and sends receipts as. */
  readonly rol: 'lokaal-team' | 'gemeente' | 'vt';
  /** The gemeenten it serves (gemeente and lokaal team): a bericht must name it with one of them (AFL-003). */
  readonly gemeentecodes?: readonly string[];
  /** Waits before each retry of a receipt (ms), one retry per entry; default 200, 1,000 and 5,000 ms. */
  readonly retryDelaysMs?: readonly number[];
  /**
   * Reads its postbus (receiver.md §10) every `intervalMs` instead of (besides) taking pushes: `GET
   * /v1/postbus` with its own bearer token, the page decrypted when it is a JWE, each bericht taken as a
   * push's body is, and acknowledged (`POST /v1/postbus/{id}/ack`) when taken; a refused one is not.
   */
  readonly postbus?: { readonly intervalMs: number };
  /**
   * Caches the keys it fetched for this many seconds, at most 300 (AFL-004, receiver.md §4): a key found is
   * used from the cache until then, also while the key directory cannot be read; a kid not in the cache is
   * always fetched; a failure is never cached. Default: no cache.
   */
  readonly keyCacheSeconds?: number;
  /**
   * Fetches one OIN's keys at most once a second (KEY_SET_MIN_FETCH_INTERVAL_MS; receiver.md §4, Q171: the limit a
   * receiver MAY set to protect the key directory from pushes naming kids no one holds): a kid not in the cache
   * while a fetch for its OIN is held back cannot be obtained now, so a push is answered 503 (AFL-004) and a
   * postbus entry is left for a later round. Needs `keyCacheSeconds` (without a cache every kid is fetched, and
   * one push needs the gateway's keys twice). Default: no limit, as Q171 says of the reference receiver.
   */
  readonly limitKeyFetches?: boolean;
  /** The gateway's base URL (keys are fetched from it; receipts are sent to it), read at each use. */
  readonly gatewayUrl: () => string;
  readonly gatewayOin: string;
  /** Answer each overdracht with an ontvangstbevestiging (a gemeente does; a VT does not). */
  readonly sendReceipts: boolean;
  /**
   * `geaccepteerd`: after the automatic `ontvangen` receipt every receiver sends (AFL-005), it also accepts each
   * handover at once, with the same `ontvangenOp` (Q108), as the demo's and sandbox's systems do. Default: the
   * automatic `ontvangen` receipt only.
   */
  readonly receiptStatus?: 'ontvangen' | 'geaccepteerd';
  /** Who picks the case up, sent with every receipt; an acceptance needs naam or team, and telefoon or email (ONT-009). */
  readonly behandelaar?: Behandelaar;
  /** For a handover to two or more gemeenten: the team the gemeenten agreed leads (afstemming.regie, VRW-001). */
  readonly regie?: (handover: Bericht) => string | undefined;
  readonly defect?: ReferenceDefect;
  /** Berichten the system sent itself (a VT's handovers), so that receipts are checked against what they answer. */
  readonly sent?: () => readonly Bericht[];
  /** The private halves of the encryption keys it registered (ENC-001): a JWE push is decrypted with them. */
  readonly decryptionKeys?: readonly DecryptionKey[];
  /**
   * Told of each bericht it accepted, once, after storing it: whether it came encrypted (the kid it was encrypted
   * to), and when it arrived (the `ontvangenOp` of its receipts, Q108: a later geaccepteerd or niet-geaccepteerd
   * receipt for a handover repeats it).
   */
  readonly onReceived?: (bericht: Bericht, encryptedTo: string | undefined, ontvangenOp: string) => void;
  /** Told when a receipt could not be sent (status or network code); never a bericht's content. */
  readonly onProblem?: (problem: string) => void;
  /**
   * Serves `POST /trigger` beside its endpoint: a person's decision on a handover ({@link Decision}, the JSON the
   * conformance suite's `--trigger-url` sends for role gemeente), answered 202 and sent as a later receipt, 409 for a
   * decision that would break ONT-008 or change nothing (Q177), 404 for a handover it did not answer, 422 for a body
   * that is no decision.
   */
  readonly decisionTrigger?: boolean;
  /** Where it listens: default any free port on 127.0.0.1 (a sandbox participant's registered endpoint names a fixed one). */
  readonly port?: number;
  readonly hostname?: string;
}

/** A running reference receiver. */
export interface ReferenceReceiver {
  /** Its Zicht endpoint, `http://…/v1`: pushes go to `{url}/berichten`. */
  readonly url: string;
  /** Every bericht it accepted, once each, in order. */
  readonly received: readonly Bericht[];
  /** With `decisionTrigger`: where a decision is given, `POST`. */
  readonly triggerUrl?: string;
  /** Resolves when every receipt queued so far was sent. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The largest JWE push body a receiver must take (receiver.md §2): a bericht of 1 MiB, encrypted and base64url-encoded. */
const MAX_JWE_BODY_BYTES = 1_400_000;

const problem = (status: number, title: string, rules: readonly string[] = [], headers: Record<string, string> = {}) =>
  // Every member openapi.json's Problem requires (receiver.md §7, Q163), detail included; fixed texts and rule ids only.
  Response.json({ type: 'about:blank', title, status, detail: rules.length === 0 ? title : `Refused under ${rules.join(', ')}.`, issues: rules.map((rule) => ({ rule, severity: 'error', path: '$', message: 'See the rule.' })) }, { status, headers: { 'content-type': 'application/problem+json', ...headers } });

/** The defect of ENC-004: any algorithm jose supports, with the first key that opens it. */
async function laxDecrypt(jwe: string, keys: readonly DecryptionKey[]): Promise<{ plaintext: Uint8Array; kid: string }> {
  for (const key of keys) {
    try {
      const { plaintext } = await compactDecrypt(jwe.trim(), await importJWK({ ...key.privateJwk, alg: undefined }, key.alg));
      return { plaintext, kid: key.kid };
    } catch {
      // the next key
    }
  }
  throw new EncryptionError('ZICHT_ENCRYPTION_DECRYPT_FAILED');
}

/**
 * decryptBody's checks of the header but one (ENC-004): `epk` against `alg` (the defect `jwe-epk-unchecked`, before
 * Q140), or the members allowed (the defect `jwe-header-members-unchecked`: a member besides alg, enc, kid, cty and
 * epk is read past, as a JOSE library does with one it does not know).
 */
function headerCheckLeftOut(check: 'epk' | 'members'): (jwe: string, keys: readonly DecryptionKey[]) => Promise<{ plaintext: Uint8Array; kid: string }> {
  return async (jwe, keys) => {
    const compact = jwe.trim();
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(compact);
    } catch (error) {
      throw new EncryptionError('ZICHT_ENCRYPTION_MALFORMED', { cause: error });
    }
    if (check !== 'members' && Object.keys(header).some((m) => !['alg', 'enc', 'kid', 'cty', 'epk'].includes(m))) throw new EncryptionError('ZICHT_ENCRYPTION_MALFORMED');
    if (check !== 'epk' && (header.alg === 'ECDH-ES') !== ('epk' in header)) throw new EncryptionError('ZICHT_ENCRYPTION_MALFORMED');
    if (header.enc !== 'A256GCM') throw new EncryptionError('ZICHT_ENCRYPTION_ALG_NOT_ALLOWED');
    const key = keys.find((k) => k.kid === header.kid && k.alg === header.alg);
    if (key === undefined) throw new EncryptionError('ZICHT_ENCRYPTION_KEY_UNKNOWN');
    try {
      const { plaintext } = await compactDecrypt(compact, await importJWK(key.privateJwk, key.alg), { keyManagementAlgorithms: [key.alg], contentEncryptionAlgorithms: ['A256GCM'] });
      return { plaintext, kid: key.kid };
    } catch (error) {
      throw new EncryptionError('ZICHT_ENCRYPTION_DECRYPT_FAILED', { cause: error });
    }
  };
}

/** The key directory could not be read: nothing can be verified now (AFL-004). */
const directoryUnavailable = (error: unknown): boolean => error instanceof ClientError && error.code === 'ZICHT_CLIENT_UNAVAILABLE';

const hashOf = (bericht: Bericht) => createHash('sha256').update(canonicalBericht(bericht)).digest('hex');

const isJoseBody = (contentType: string | undefined): boolean => mediaType(contentType) === JOSE_MEDIA_TYPE;
const mediaType = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/**
 * A cache in front of `keys` as AFL-004 allows it: a key found is kept `seconds` (at most
 * KEY_SET_MAX_AGE_SECONDS) from when it was fetched; a kid not held, or held longer, is fetched again; a
 * failure is not kept. Keeping each key found is a key set kept per kid: the same answers, key for key.
 */
function cachedKeys(keys: KeyResolver, seconds: number): KeyResolver {
  if (seconds > KEY_SET_MAX_AGE_SECONDS) throw new Error(`a receiver caches keys for at most ${KEY_SET_MAX_AGE_SECONDS} seconds (AFL-004)`);
  const held = new Map<string, { key: ResolvedKey; at: number }>();
  return {
    async resolve(oin, kid) {
      const id = `${oin} ${kid}`;
      const cached = held.get(id);
      if (cached !== undefined && Date.now() - cached.at <= seconds * 1000) return cached.key;
      const found = await keys.resolve(oin, kid);
      if (found === undefined) held.delete(id);
      else held.set(id, { key: found, at: Date.now() });
      return found;
    },
  };
}

/**
 * A limit in front of `keys` as AFL-004 allows it (receiver.md §4, Q171): one fetch per OIN per
 * KEY_SET_MIN_FETCH_INTERVAL_MS; a fetch asked for sooner is held back, and the keys cannot be obtained now
 * (the error a key directory that does not answer gives, so the receiver answers 503 and takes nothing).
 */
function limitedKeys(keys: KeyResolver): KeyResolver {
  const lastFetch = new Map<string, number>();
  return {
    async resolve(oin, kid) {
      const last = lastFetch.get(oin);
      if (last !== undefined && Date.now() - last < KEY_SET_MIN_FETCH_INTERVAL_MS) {
        throw new ClientError('ZICHT_CLIENT_UNAVAILABLE', { status: 0, title: 'A fetch of this key set is held back (at most one a second per OIN).', issues: [] });
      }
      lastFetch.set(oin, Date.now());
      return keys.resolve(oin, kid);
    },
  };
}

/** Pages one postbus round reads at most; the rest waits for the next round (a bound, not a limit of the standard). */
const MAX_POSTBUS_PAGES_PER_ROUND = 100;

/** The key resolver a receiver verifies signatures with (`keys`), as a defect may bend it. */
function bentKeys(keys: KeyResolver, defect: ReferenceDefect | undefined): KeyResolver {
  const byKid = new Map<string, ResolvedKey>();
  const failed = new Set<string>();
  const frozen = new Map<string, Map<string, ResolvedKey>>();
  const bend = (key: ResolvedKey | undefined): ResolvedKey | undefined => {
    if (key === undefined) return undefined;
    const rest: ResolvedKey = { kid: key.kid, jwk: key.jwk, ...(key.rol === undefined ? {} : { rol: key.rol }) };
    if (defect?.kind === 'key-window-ignored') return rest;
    if (defect?.kind === 'key-expiry-ignored') return { ...rest, ...(key.revokedAt === undefined ? {} : { revokedAt: key.revokedAt }) };
    // Judged by the receiver itself at the signer's iat (see take), so the verifier sees no window at all.
    if (defect?.kind === 'key-revocation-at-iat') return rest;
    return key;
  };
  return {
    async resolve(oin, kid) {
      if (failed.has(oin)) return undefined;
      const held = frozen.get(oin);
      if (defect?.kind === 'key-cache-no-refetch' && held !== undefined) return bend(held.get(kid));
      let found: ResolvedKey | undefined;
      try {
        found = await keys.resolve(oin, kid);
      } catch (error) {
        if (defect?.kind === 'key-directory-failure-cached' && directoryUnavailable(error)) failed.add(oin);
        throw error;
      }
      if (found !== undefined) byKid.set(kid, found);
      if (found !== undefined && defect?.kind === 'key-cache-no-refetch') frozen.set(oin, new Map([[kid, found]]));
      else if (defect?.kind === 'key-cache-by-kid') found = byKid.get(kid);
      return bend(found);
    },
  };
}

/** Starts a reference receiver (default: on 127.0.0.1, any free port). */
export async function startReferenceReceiver(options: ReferenceReceiverOptions): Promise<ReferenceReceiver> {
  const { signer, defect } = options;
  const gemeentecodes = options.rol === 'vt' ? undefined : options.gemeentecodes;
  if (options.rol !== 'vt' && (gemeentecodes === undefined || gemeentecodes.length === 0)) throw new Error('a gemeente or lokaal team receiver names the gemeenten it serves (gemeentecodes)');
  const ignores = (rule: string) => (defect?.kind === 'ignores-rule' && defect.rule === rule) || (defect?.kind === 'ignores-prefix' && rule.startsWith(`${defect.prefix}-`));
  // The gateway's published keys, read where the gateway is now (tests move it); only its own OIN countersigns (SIG-004).
  const fetched: KeyResolver = { resolve: (oin: string, kid: string) => gatewayKeyResolver({ gatewayUrl: options.gatewayUrl(), gatewayOin: options.gatewayOin }).resolve(oin, kid) };
  if (options.limitKeyFetches === true && options.keyCacheSeconds === undefined) throw new Error('a receiver that limits its key-set fetches caches the sets it fetched (keyCacheSeconds)');
  const limited = options.limitKeyFetches === true ? limitedKeys(fetched) : fetched;
  const published = options.keyCacheSeconds === undefined ? limited : cachedKeys(limited, options.keyCacheSeconds);
  const keys = bentKeys(published, defect);
  const lax = defect?.kind === 'push-token-lax' ? defect.skip : undefined;
  const delays = options.retryDelaysMs ?? [200, 1000, 5000];
  // The push token is the gateway's alone: keys of any other issuer are not looked up (AFL-002).
  const gatewayKeys = { resolve: (oin: string, kid: string) => (oin === options.gatewayOin || lax === 'issuer' ? keys.resolve(oin, kid) : undefined) };
  const seenTokens = new Map<string, number>();
  const received: Bericht[] = [];
  const hashes = new Map<string, string>();
  const volgnummers = new Map<string, number>();
  let queue: Promise<void> = Promise.resolve();

  /** The handovers it answered with a receipt, by lower-case berichtId: when each arrived (the ontvangenOp of all its receipts, Q108). */
  const arrivals = new Map<string, { readonly handover: Bericht; readonly at: Date }>();
  /**
   * The decisions sent per handover (lower-case berichtId). A second acceptance breaks ONT-008; an acceptance after its
   * own niet-geaccepteerd, or a second niet-geaccepteerd, would change nothing (the niet-geaccepteerd outweighs it,
   * Q177); a niet-geaccepteerd after an acceptance hands the case back to VT (responsibility.md §4) and is sent.
   */
  const decided = new Map<string, Set<ReceiptStatus>>();
  /** Whether `status` may still be decided for the handover `id` (Q177). */
  const mayDecide = (id: string, status: 'geaccepteerd' | 'niet-geaccepteerd'): boolean => {
    const sent = decided.get(id);
    // Nothing decided yet: either; after an acceptance only a niet-geaccepteerd; after a niet-geaccepteerd nothing.
    return sent === undefined || (status === 'niet-geaccepteerd' && !sent.has('niet-geaccepteerd'));
  };
  const record = (id: string, status: ReceiptStatus): void => {
    decided.set(id, new Set([...(decided.get(id) ?? []), status]));
  };

  const receiptFor = (handover: Bericht, receivedAt: Date, status: ReceiptStatus, decision?: Decision): OntvangstbevestigingBericht => {
    const volgnummer = defect?.kind === 'receipt-volgnummer-constant' ? 1 : (volgnummers.get(handover.dossier.referentie) ?? 0) + 1;
    volgnummers.set(handover.dossier.referentie, volgnummer);
    // Never dated before the handover it answers (BER-016), whatever this system's clock says.
    const local = (t: number) => {
      if (defect?.kind !== 'receipt-local-time-as-utc') return t;
      const wall = new Date(t).toLocaleString('sv-SE', { timeZone: 'Europe/Amsterdam' }).replace(' ', 'T');
      return Date.parse(`${wall}Z`);
    };
    // It sends receipts only, each after its handover, whose verzondenOp VT keeps in order (BER-011): so this also never
    // dates a receipt before its own last one in the dossier (receiver.md §9, Q137).
    const verzondenOp = new Date(local(Math.max(Date.now(), Date.parse(handover.verzondenOp))));
    const ontvangen = new Date(local(defect?.kind === 'decision-ontvangenop-now' && decision !== undefined ? Date.now() : receivedAt.getTime()));
    const agreed = status === 'geaccepteerd' ? (decision?.regie ?? options.regie?.(handover)) : undefined;
    const regie = agreed === undefined || defect?.kind === 'acceptance-without-afstemming' ? undefined : defect?.kind === 'acceptance-regie-not-receiver' ? handover.verzender.oin : agreed;
    const behandelaar = status === 'geaccepteerd' && defect?.kind === 'acceptance-without-behandelaar' ? undefined : options.behandelaar;
    const reden = status === 'niet-geaccepteerd' && defect?.kind !== 'refusal-without-reden' ? decision?.reden : undefined;
    return {
      specVersie: '1.0',
      berichtId: randomUUID(),
      berichtType: 'ontvangstbevestiging',
      verzender: { oin: signer.oin, rol: defect?.kind === 'receipt-wrong-role' ? (options.rol === 'gemeente' ? 'lokaal-team' : 'gemeente') : options.rol === 'vt' ? 'lokaal-team' : options.rol },
      ontvangers: [{ oin: handover.verzender.oin, rol: 'vt' }],
      verzondenOp: verzondenOp.toISOString(),
      dossier: { referentie: handover.dossier.referentie, volgnummer },
      inAntwoordOp: handover.berichtId,
      inhoud: {
        status,
        ...(reden === undefined ? {} : { reden }),
        ontvangenOp: new Date(Math.min(ontvangen.getTime(), verzondenOp.getTime())).toISOString(),
        ...(behandelaar === undefined ? {} : { behandelaar }),
        ...(regie === undefined ? {} : { afstemming: { regie } }),
      },
    };
  };

  const sign = async (receipt: OntvangstbevestigingBericht): Promise<string> => {
    let signed: Record<string, unknown> = await signBericht(receipt, signer);
    if (defect?.kind === 'receipt-signature-broken') signed = { ...signed, verzondenOp: new Date(Date.now() + 1000).toISOString() };
    return JSON.stringify(signed);
  };

  /** Sends a receipt through the gateway; after a 5xx, 408, 425, 429 or a lost answer the same bytes again (BER-015), not before a Retry-After; another 4xx is final. */
  const sendReceipt = async (handover: Bericht, receivedAt: Date, status: ReceiptStatus, decision?: Decision): Promise<void> => {
    const receipt = receiptFor(handover, receivedAt, status, decision);
    let body = await sign(receipt);
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let code = 'network error';
      let retryAfter: string | string[] | undefined;
      try {
        const audience = defect?.kind === 'receipt-token-wrong-audience' ? handover.verzender.oin : options.gatewayOin;
        const response = await request(`${options.gatewayUrl()}/v1/berichten`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(signer, audience)}` },
        });
        await response.body.dump();
        status = response.statusCode;
        retryAfter = response.headers['retry-after'];
      } catch (error) {
        const c = (error as { code?: unknown }).code;
        if (typeof c === 'string') code = c;
      }
      if (status >= 200 && status < 300) return;
      const delay = delays[attempt];
      if (!isRetriedBySender(status) || delay === undefined || defect?.kind === 'receipt-no-retry') {
        options.onProblem?.(status === 0 ? `receipt not sent (${code})` : `receipt answered ${status}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, defect?.kind === 'receipt-ignores-retry-after' ? delay : nextAttemptDelayMs(delay, retryAfter)));
      if (defect?.kind === 'receipt-retry-new-id') body = await sign({ ...receipt, berichtId: randomUUID() });
    }
  };

  /** The claims of a push token as a `push-token-lax` defect checks it (one check left out), or undefined. */
  const laxClaims = async (token: string): Promise<{ jti: string; rememberUntil: number } | undefined> => {
    if (lax === 'lifetime') {
      // jose's defaults: signature, iss, aud and exp, but no bound on the lifetime.
      const { kid, alg } = decodeProtectedHeader(token);
      const key = typeof kid === 'string' ? await gatewayKeys.resolve(options.gatewayOin, kid) : undefined;
      if (key === undefined || typeof alg !== 'string') return undefined;
      const { payload } = await jwtVerify(token, await importJWK({ ...key.jwk }, alg), { issuer: options.gatewayOin, audience: signer.oin }).catch(() => ({ payload: undefined }));
      return typeof payload?.jti === 'string' && typeof payload.exp === 'number' ? { jti: payload.jti, rememberUntil: payload.exp + CLOCK_SKEW_SECONDS } : undefined;
    }
    const decoded = decodeJwt(token);
    if (lax === 'signature') {
      const aud = Array.isArray(decoded.aud) ? decoded.aud : [decoded.aud];
      const fine = decoded.iss === options.gatewayOin && aud.includes(signer.oin) && typeof decoded.exp === 'number' && decoded.exp * 1000 > Date.now() && typeof decoded.jti === 'string';
      return fine && typeof decoded.jti === 'string' && typeof decoded.exp === 'number' ? { jti: decoded.jti, rememberUntil: decoded.exp + CLOCK_SKEW_SECONDS } : undefined;
    }
    const audience = lax === 'audience' ? String(Array.isArray(decoded.aud) ? decoded.aud[0] : decoded.aud) : signer.oin;
    const now = lax === 'expiry' && typeof decoded.iat === 'number' ? new Date(decoded.iat * 1000) : new Date();
    return verifyBearerToken(token, { audience, keys: gatewayKeys, now });
  };

  /** AFL-002: the gateway's push token, each jti once while it is valid. */
  const tokenAccepted = async (authorization: string | undefined): Promise<boolean> => {
    const token = /^Bearer ([A-Za-z0-9._-]+)$/.exec(authorization ?? '')?.[1];
    if (token === undefined) return false;
    try {
      const claims = lax === undefined ? await verifyBearerToken(token, { audience: signer.oin, keys: gatewayKeys }) : await laxClaims(token);
      if (claims === undefined) return false;
      const now = Date.now();
      for (const [jti, until] of seenTokens) if (until <= now) seenTokens.delete(jti);
      if (seenTokens.has(claims.jti) && lax !== 'replay') return false;
      seenTokens.set(claims.jti, claims.rememberUntil * 1000);
      return true;
    } catch (error) {
      if (error instanceof AuthError) return false;
      if (directoryUnavailable(error) && ignores('AFL-004')) return true;
      // A lax defect's own decoding (jose) throws its own errors for a token it cannot read.
      if (lax !== undefined && !directoryUnavailable(error)) return false;
      throw error;
    }
  };

  /** AFL-003: named among the receivers with this system's OIN and, for a gemeente or lokaal team, a gemeentecode it serves. */
  const addressedHere = (bericht: Bericht): readonly Bericht['ontvangers'][number][] =>
    bericht.ontvangers.filter((o) => o.oin === signer.oin && (gemeentecodes === undefined || defect?.kind === 'gemeentecode-ignored' || (o.gemeentecode !== undefined && gemeentecodes.includes(o.gemeentecode))));

  /** The defect `key-revocation-at-iat`: the sender's key window checked at the iat its own signature claims, and nowhere else. */
  const checkAtSignersIat = async (bericht: Bericht): Promise<void> => {
    const first = (bericht as { signatures?: { protected?: unknown }[] }).signatures?.[0]?.protected;
    const header = typeof first === 'string' ? (JSON.parse(Buffer.from(first, 'base64url').toString('utf8')) as { kid?: unknown; iat?: unknown }) : {};
    const key = typeof header.kid === 'string' ? await published.resolve(bericht.verzender.oin, header.kid) : undefined;
    if (key !== undefined && typeof header.iat === 'number') checkKeyValidity(key, header.iat, 0);
  };

  /** The defect `vrw-001-from-three`: the handover a receipt answers has fewer than three receivers (not in cc). */
  const fewerThanThree = (bericht: Bericht, held: readonly Bericht[]): boolean => {
    if (defect?.kind !== 'vrw-001-from-three') return false;
    const answered = held.find((b) => b.berichtId.toLowerCase() === bericht.inAntwoordOp?.toLowerCase());
    return answered !== undefined && answered.ontvangers.filter((o) => o.kopie !== true).length < 3;
  };

  /** A refusal, or (the defect) an unexpected error instead. */
  const refuse = (status: number, title: string, rules: readonly string[] = []) => (defect?.kind === 'server-error-on-refusal' ? problem(500, 'An internal error occurred.') : problem(status, title, rules));

  /**
   * Takes one bericht (a push's body after its token and media type, or a bericht of a postbus page): the
   * answer a push gets. Throws when the key directory cannot be read (a push answers 503; a postbus
   * reader does not acknowledge).
   */
  const take = async (input: Uint8Array, contentType: string | undefined): Promise<Response> => {
    let bytes: Uint8Array = input;
    let encryptedTo: string | undefined;
    // The body's size before decrypting it (receiver.md §2, Q123): an oversized JWE is 413, whether or not it would decrypt.
    if (isJoseBody(contentType) && input.byteLength > MAX_JWE_BODY_BYTES) return refuse(413, 'The JWE is larger than a receiver must take.', ['BER-002']);
    if (defect?.kind !== 'no-decryption' && isJoseBody(contentType)) {
      try {
        const decrypted = await (ignores('ENC-004') ? laxDecrypt : defect?.kind === 'jwe-epk-unchecked' ? headerCheckLeftOut('epk') : defect?.kind === 'jwe-header-members-unchecked' ? headerCheckLeftOut('members') : decryptBody)(new TextDecoder().decode(bytes), options.decryptionKeys ?? []);
        bytes = decrypted.plaintext;
        encryptedTo = decrypted.kid;
      } catch (error) {
        if (!(error instanceof EncryptionError)) throw error;
        return refuse(400, 'The body does not decrypt.', ['ENC-004']);
      }
    }
    // Input, version, schema and content rules; the trail rules come after the signatures (receiver.md).
    const validated = validateBericht(bytes);
    const errors = validated.issues.filter((i) => i.severity === 'error' && !ignores(i.rule));
    // With a defect that ignores the only rule the input breaks, it takes even what it cannot read.
    if (errors.length === 0 && !validated.value) return new Response(null, { status: 202 });
    if (errors.length > 0 || !validated.value) {
      const rules = errors.map((i) => (defect?.kind === 'schema-findings-as-ber-006' && i.rule === 'BER-007' ? 'BER-006' : i.rule));
      return refuse(rules.includes('BER-002') ? 413 : rules.some((r) => r === 'BER-001' || r === 'BER-003' || r === 'BER-017') ? 400 : 422, 'The bericht breaks rules of the standard.', rules);
    }
    const bericht = validated.value;
    const hash = hashOf(bericht);
    const earlier = hashes.get(bericht.berichtId.toLowerCase());
    // Held already with the same content: 2xx before the signatures (receiver.md §6, AFL-006, Q136). It was verified
    // when it was taken, and a key revoked or gone since must not turn a delivered handover into a dead letter.
    if (earlier !== undefined && defect?.kind !== 'no-dedup' && defect?.kind !== 'signatures-before-held' && earlier === hash) return new Response(null, { status: 200 });
    try {
      if (defect?.kind === 'key-revocation-at-iat') await checkAtSignersIat(bericht);
      await verifyBericht(bericht, { keys, requireCountersignature: true });
    } catch (error) {
      // The defect of AFL-004 fails open: it goes on with what it could not verify.
      const failOpen = directoryUnavailable(error) && ignores('AFL-004');
      if (!failOpen) {
        if (!(error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError)) throw error;
        const rule = signatureRuleFor(error.code);
        if (!ignores(rule)) return refuse(422, 'The signatures are refused.', [rule]);
      }
    }
    const addressed = defect?.kind === 'answers-not-addressed' ? bericht.ontvangers : addressedHere(bericht);
    if (addressed.length === 0) return refuse(422, 'This bericht is not addressed to this system.', ['AFL-003']);
    if (defect?.kind === 'refuses-updates' && bericht.berichtType === 'veiligheidsvoorwaarden') return problem(422, 'Not supported.', ['BER-006']);
    if (defect?.kind === 'refuses-receipts' && bericht.berichtType === 'ontvangstbevestiging') return problem(422, 'Not supported.', ['BER-012']);
    // Read again after the awaits above: an attempt that overlapped this one may have taken the bericht meanwhile,
    // and this look-up and the write below run without an await between them (AFL-006: taken once).
    const heldHash = hashes.get(bericht.berichtId.toLowerCase());
    if (heldHash !== undefined && defect?.kind !== 'no-dedup') {
      if (heldHash === hash || ignores('BER-015')) return new Response(null, { status: 200 });
      return refuse(409, 'Another bericht with this berichtId was received before.', ['BER-015']);
    }
    // Step 9 compares with what it sent too (Q89, Q162): a bericht under the id of one of its own is never a resend to
    // it (the same content is its own bericht, refused above as not addressed to it), so 409, not a trail 422.
    if (defect?.kind !== 'no-dedup' && !ignores('BER-015') && (options.sent?.() ?? []).some((b) => b.berichtId.toLowerCase() === bericht.berichtId.toLowerCase())) {
      return refuse(409, 'A bericht with this berichtId was sent by this system.', ['BER-015']);
    }
    const held = [...(options.sent?.() ?? []), ...received];
    const trail = defect?.kind === 'no-trail-rules' ? [] : checkRules(bericht, trailOf(held), 'trail').filter((i) => (i.severity === 'error' || defect?.kind === 'refuses-warnings') && !ignores(i.rule) && !(i.rule === 'VRW-001' && fewerThanThree(bericht, held)));
    if (trail.length > 0) return defect?.kind === 'trail-as-conflict' ? problem(409, 'Conflicts with the dossier.') : refuse(422, 'The bericht breaks rules of the standard.', trail.map((i) => i.rule));
    // The defect: the look-up above and the write below are apart, as a SELECT and a later INSERT without a unique key.
    if (defect?.kind === 'dedup-race') await new Promise((resolve) => setTimeout(resolve, 100));
    const receivedAt = new Date();
    hashes.set(bericht.berichtId.toLowerCase(), hash);
    received.push(bericht);
    options.onReceived?.(bericht, encryptedTo, receivedAt.toISOString());
    const answers = bericht.berichtType === 'overdracht' || (defect?.kind === 'receipt-for-update' && bericht.berichtType === 'veiligheidsvoorwaarden');
    if (options.sendReceipts && answers && (defect?.kind === 'receipt-from-cc' || addressed.some((o) => o.kopie !== true)) && defect?.kind !== 'no-receipt') {
      // In order, one at a time: a receipt goes out after the receipts of earlier handovers.
      arrivals.set(bericht.berichtId.toLowerCase(), { handover: bericht, at: receivedAt });
      queue = queue.then(() => sendReceipt(bericht, receivedAt, 'ontvangen'));
      if (options.receiptStatus === 'geaccepteerd') {
        record(bericht.berichtId.toLowerCase(), 'geaccepteerd');
        queue = queue.then(() => sendReceipt(bericht, receivedAt, 'geaccepteerd'));
      }
    }
    return new Response(null, { status: 202 });
  };

  /**
   * A person's decision on a handover it answered: sent as a later receipt after the receipts queued before it, each
   * after the gateway answered the one before (receiver.md §9, Q158); a decision that would break ONT-008 or change
   * nothing (Q177) is declined.
   */
  const decide = (decision: Decision): 'queued' | 'decided-already' | 'unknown' => {
    const id = decision.berichtId.toLowerCase();
    const arrival = arrivals.get(id);
    if (arrival === undefined) return 'unknown';
    if (!mayDecide(id, decision.scenario) && defect?.kind !== 'decides-twice') return 'decided-already';
    record(id, decision.scenario);
    const send = () => sendReceipt(arrival.handover, arrival.at, decision.scenario, decision);
    // The defect sends at once, beside the queue, not after it.
    queue = defect?.kind === 'decision-not-queued' ? Promise.all([queue, send()]).then(() => undefined) : queue.then(send);
    return 'queued';
  };

  const app = new Hono();
  // Fail closed (AFL-004): without the keys nothing is taken, and 503 makes the gateway try again.
  app.onError((error) =>
    directoryUnavailable(error)
      ? defect?.kind === 'key-directory-refuses'
        ? problem(422, 'The signatures cannot be checked.', ['SIG-003'])
        : problem(503, 'The keys to verify this bericht cannot be obtained now; nothing was taken. Try again later.', ['AFL-004'], { 'retry-after': '30' })
      : problem(500, 'An internal error occurred.'),
  );
  app.post('/v1/berichten', async (c) => {
    if (!ignores('AFL-002') && !(await tokenAccepted(c.req.header('authorization')))) {
      return problem(401, 'No valid push token of the gateway.', ['AFL-002'], { 'www-authenticate': 'Bearer' });
    }
    const contentType = c.req.header('content-type');
    if (defect?.kind !== 'any-media-type' && !['application/json', JOSE_MEDIA_TYPE].includes(mediaType(contentType))) return problem(415, 'Send application/json, or application/jose to a receiver with an encryption key.', ['AFL-007']);
    return take(new Uint8Array(await c.req.arrayBuffer()), contentType);
  });

  if (options.decisionTrigger === true) {
    app.post('/trigger', async (c) => {
      const parsed = Decision.safeParse(await c.req.json<unknown>().catch(() => undefined));
      if (!parsed.success) return problem(422, 'Not a decision: scenario geaccepteerd or niet-geaccepteerd, the berichtId of a handover, and a reden with niet-geaccepteerd.');
      switch (decide(parsed.data)) {
        case 'queued':
          return c.body(null, 202);
        case 'decided-already':
          return problem(409, 'This handover was decided on already: a party accepts a handover once (ONT-008), and after its niet-geaccepteerd another decision changes nothing (Q177).');
        case 'unknown':
          return problem(404, 'This system answered no handover with this berichtId.');
      }
    });
  }

  /**
   * One round of reading the postbus (receiver.md §10): from the first page, following `volgende` until a page has
   * none; each page read strictly as a push body is (BER-001, BER-017); each bericht taken as a push is, and
   * acknowledged once taken. A page that cannot be read ends the round with nothing of it acknowledged.
   */
  const readPostbus = async (): Promise<void> => {
    const base = options.gatewayUrl();
    const auth = async () => ({ authorization: `Bearer ${await createBearerToken(signer, options.gatewayOin)}` });
    for (let after: string | undefined, pages = 0; pages < MAX_POSTBUS_PAGES_PER_ROUND; pages++) {
      const cursor = defect?.kind === 'postbus-pages-unfollowed' && defect.how === 'cursor-param' ? 'cursor' : 'after';
      const response = await request(`${base}/v1/postbus?limit=100${after === undefined ? '' : `&${cursor}=${encodeURIComponent(after)}`}`, { headers: await auth() });
      const text = await response.body.text();
      if (response.statusCode !== 200) {
        options.onProblem?.(`postbus answered ${response.statusCode}`);
        return;
      }
      const page = isJoseBody(String(response.headers['content-type'] ?? '')) ? new TextDecoder().decode((await decryptBody(text, options.decryptionKeys ?? [])).plaintext) : text;
      const { berichten, volgende } = parseStrictJson(page) as { berichten?: unknown[]; volgende?: unknown };
      for (const bericht of berichten ?? []) {
        const id = (bericht as { berichtId?: unknown } | null)?.berichtId;
        let status = 0;
        try {
          status = (await take(new TextEncoder().encode(JSON.stringify(bericht)), 'application/json')).status;
        } catch (error) {
          if (!directoryUnavailable(error)) throw error;
        }
        if (status >= 200 && status < 300 && typeof id === 'string') {
          const ack = await request(`${base}/v1/postbus/${encodeURIComponent(id)}/ack`, { method: 'POST', headers: await auth() });
          await ack.body.dump();
        } else if (typeof id !== 'string') options.onProblem?.('a postbus entry without berichtId cannot be acknowledged (Q172)');
      }
      if (typeof volgende !== 'string' || (defect?.kind === 'postbus-pages-unfollowed' && defect.how === 'first-page-only')) return;
      after = volgende;
    }
  };
  let polling: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const poll = () => {
    if (stopped || options.postbus === undefined) return;
    const { intervalMs } = options.postbus;
    polling = setTimeout(() => {
      readPostbus()
        .catch((error: unknown) => options.onProblem?.(`postbus not read (${error instanceof Error ? error.name : 'error'})`))
        .finally(poll);
    }, intervalMs);
  };
  poll();

  const hostname = options.hostname ?? '127.0.0.1';
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s: ServerType = serve({ fetch: app.fetch, port: options.port ?? 0, hostname }, () => { resolve(s); });
    s.once('error', reject);
  });
  const origin = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/v1`,
    ...(options.decisionTrigger === true ? { triggerUrl: `${origin}/trigger` } : {}),
    received,
    idle: () => queue,
    close: () =>
      new Promise<void>((resolve) => {
        stopped = true;
        clearTimeout(polling);
        server.close(() => { resolve(); });
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
