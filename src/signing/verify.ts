/**
 * Verification of a bericht's signatures: the sender's first, then every gateway countersignature,
 * all over the canonical bericht (RFC 8785 without `signatures`). Each refusal is a
 * {@link SignatureError} or {@link KeyError} with its own code; nothing else is thrown for bad input.
 */
import { SignatureError } from '../errors.js';
import { canonicalBericht } from './canonical.js';
import { encodePayload, verifyDetached } from './detached.js';
import { readEnvelope } from './envelope.js';
import { readProtectedHeader } from './header.js';
import { verificationKey } from './key-import.js';
import type { KeyResolver } from './key-resolver.js';
import { checkReceivedAt, DEFAULT_CLOCK_POLICY, type ClockPolicy } from './clock.js';
import { numericDate } from './sign.js';
import { readDetachedJws, secondsOf, verifySignatureEntry, type VerifiedSignature } from './verify-signature.js';

/** Options of verification. */
export interface VerifyOptions {
  /** Where the signers' keys are found. */
  readonly keys: KeyResolver;
  /** Refuse a bericht without a gateway countersignature (`ZICHT_SIGNATURE_MISSING`). */
  readonly requireCountersignature?: boolean;
  /** `canonicalBericht(bericht)`, when the caller has computed it already (the gateway's accept path). */
  readonly canonical?: Uint8Array;
  /**
   * The verifier's clock: the gateway's at receipt, a receiver's now, or the moment an archive is judged at
   * (`zicht verify --at`). Judges an uncountersigned bericht, and bounds every countersignature's `rcv`.
   */
  readonly now?: Date;
  /** The bounds of a signer's `iat` around the judging moment; 5 minutes of skew, 7 days of age by default. */
  readonly clock?: ClockPolicy;
}

/** The moment a bericht's keys were judged at, and whose clock it came from. */
export interface JudgedAt {
  /** NumericDate seconds. */
  readonly at: number;
  /** `countersignature`: the first gateway countersignature's `rcv`; `verifier`: the verifier's clock (`now`). */
  readonly by: 'countersignature' | 'verifier';
}

/** A bericht whose signatures all verified. */
export interface VerifiedBericht {
  /** The sender's signature. */
  readonly sender: VerifiedSignature;
  /** The gateway countersignatures, in order. */
  readonly countersignatures: readonly VerifiedSignature[];
  /** When the sender's key was judged. */
  readonly judgedAt: JudgedAt;
}

/**
 * Verifies every signature of a bericht (a parsed JSON value; validate it against the model first).
 *
 * Keys are judged at a moment the verifier trusts, never at the signer's `iat` (spec/v1/time-and-keys.md):
 * a countersigned bericht at its first countersignature's `rcv` (the gateway's received-at, which a stolen
 * sender key cannot backdate), an uncountersigned one at `now` (the gateway at receipt). Each signer's
 * `iat` must lie within `clock` of that moment (SIG-007, SIG-008), and every countersignature's `rcv` at
 * most the skew after `now`. A countersignature's own key is judged at its `rcv`.
 *
 * When the sender's signature does not match, verification tries the common non-canonical forms (the
 * bericht as `JSON.stringify` writes it, compact and indented) with the same key, only to tell a
 * signer that did not canonicalise (`ZICHT_SIGNATURE_NOT_CANONICAL`) from changed content
 * (`ZICHT_SIGNATURE_INVALID`); either way the bericht is refused.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_MISSING`, `..._TOO_MANY`, `..._MALFORMED`, `..._HEADER_TOO_LARGE`,
 *   `..._HEADER_INVALID`, `..._HEADER_DUPLICATE_MEMBER`, `..._IAT_FUTURE`, `..._IAT_STALE`, `..._ALG_NONE`, `..._ALG_NOT_ALLOWED`, `..._ALG_KEY_MISMATCH`, `..._CRIT_UNKNOWN`,
 *   `..._OIN_MISMATCH`, `..._SIGNER_ROLE`, `..._NOT_CANONICAL`, `..._INVALID`, `..._BERICHT_INVALID`.
 * @throws {KeyError} `ZICHT_KEY_UNKNOWN`, `ZICHT_KEY_INVALID`, `ZICHT_KEY_NOT_YET_VALID`, `ZICHT_KEY_EXPIRED`, `ZICHT_KEY_REVOKED`.
 * @throws {CanonicalError} `ZICHT_CANONICAL_INVALID` when the bericht has no canonical form.
 */
export async function verifyBericht(bericht: unknown, options: VerifyOptions): Promise<VerifiedBericht> {
  const { verzenderOin, signatures } = readEnvelope(bericht);
  const [first, ...rest] = signatures;
  if (first === undefined) throw new SignatureError('ZICHT_SIGNATURE_MISSING');
  if (options.requireCountersignature === true && rest.length === 0) {
    throw new SignatureError('ZICHT_SIGNATURE_MISSING', { message: 'the bericht carries no gateway countersignature' });
  }
  const payload = encodePayload(options.canonical ?? canonicalBericht(bericht));
  const policy = options.clock ?? DEFAULT_CLOCK_POLICY;
  const now = numericDate(options.now ?? new Date());
  const received = receivedAt(rest[0]);
  const judgedAt: JudgedAt = received === undefined ? { at: now, by: 'verifier' } : { at: received, by: 'countersignature' };

  let sender: VerifiedSignature;
  try {
    sender = await verifySignatureEntry(first, 0, payload, 'bericht', verzenderOin, options.keys, { at: judgedAt.at, policy });
  } catch (error) {
    if (error instanceof SignatureError && error.code === 'ZICHT_SIGNATURE_INVALID' && (await signedNonCanonical(bericht, first, payload, options.keys))) {
      throw new SignatureError('ZICHT_SIGNATURE_NOT_CANONICAL', { index: 0, cause: error });
    }
    throw error;
  }

  const countersignatures: VerifiedSignature[] = [];
  for (const [i, entry] of rest.entries()) {
    const countersignature = await verifySignatureEntry(entry, i + 1, payload, 'ontvangst', verzenderOin, options.keys, { at: 'rcv', policy });
    checkReceivedAt(countersignature.judgedAt, now, policy, i + 1);
    countersignatures.push(countersignature);
  }
  return { sender, countersignatures, judgedAt };
}

/**
 * The `rcv` of the first countersignature, read without verifying it (it is verified after the sender's
 * signature, and the whole bericht is refused when it does not verify); `undefined` when there is none or
 * it cannot be read (its own verification then says why).
 */
function receivedAt(entry: unknown): number | undefined {
  if (entry === undefined) return undefined;
  try {
    const read = readProtectedHeader(readDetachedJws(entry, 1).protected, 1);
    return read.kind === 'ontvangst' ? secondsOf(read.header.rcv) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the sender's signature verifies over a common non-canonical serialisation of the bericht. */
async function signedNonCanonical(bericht: unknown, entry: unknown, canonicalPayload: string, keys: KeyResolver): Promise<boolean> {
  const unsigned = Object.fromEntries(Object.entries(bericht as object).filter(([key]) => key !== 'signatures'));
  const jws = readDetachedJws(entry, 0);
  const { verzenderOin } = readEnvelope(bericht);
  const { kid, alg } = readProtectedHeader(jws.protected, 0).header;
  const key = await keys.resolve(verzenderOin, kid);
  if (!key) return false;
  const publicKey = verificationKey(key.jwk, alg);
  for (const text of [JSON.stringify(unsigned), JSON.stringify(unsigned, null, 2)]) {
    const candidate = encodePayload(new TextEncoder().encode(text));
    if (candidate === canonicalPayload) continue;
    try {
      await verifyDetached(jws, candidate, publicKey, 0);
      return true;
    } catch {
      // Not this form either.
    }
  }
  return false;
}
