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
import { checkNotRevoked } from './validity.js';
import { readDetachedJws, verifySignatureEntry, type VerifiedSignature } from './verify-signature.js';

/** Options of verification. */
export interface VerifyOptions {
  /** Where the signers' keys are found. */
  readonly keys: KeyResolver;
  /** Refuse a bericht without a gateway countersignature (`ZICHT_SIGNATURE_MISSING`). */
  readonly requireCountersignature?: boolean;
  /** `canonicalBericht(bericht)`, when the caller has computed it already (the gateway's accept path). */
  readonly canonical?: Uint8Array;
}

/** A bericht whose signatures all verified. */
export interface VerifiedBericht {
  /** The sender's signature. */
  readonly sender: VerifiedSignature;
  /** The gateway countersignatures, in order. */
  readonly countersignatures: readonly VerifiedSignature[];
}

/**
 * Verifies every signature of a bericht (a parsed JSON value; validate it against the model first).
 *
 * Key validity is judged at each signature's `iat`. When the gateway countersigned, the sender's key
 * must also not have been revoked at the gateway's received-at: a stolen key can backdate `iat`, but
 * not the gateway's `rcv`.
 *
 * When the sender's signature does not match, verification tries the common non-canonical forms (the
 * bericht as `JSON.stringify` writes it, compact and indented) with the same key, only to tell a
 * signer that did not canonicalise (`ZICHT_SIGNATURE_NOT_CANONICAL`) from changed content
 * (`ZICHT_SIGNATURE_INVALID`); either way the bericht is refused.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_MISSING`, `..._TOO_MANY`, `..._MALFORMED`, `..._HEADER_TOO_LARGE`,
 *   `..._HEADER_INVALID`, `..._ALG_NONE`, `..._ALG_NOT_ALLOWED`, `..._ALG_KEY_MISMATCH`, `..._CRIT_UNKNOWN`,
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

  let sender: VerifiedSignature;
  try {
    sender = await verifySignatureEntry(first, 0, payload, 'bericht', verzenderOin, options.keys);
  } catch (error) {
    if (error instanceof SignatureError && error.code === 'ZICHT_SIGNATURE_INVALID' && (await signedNonCanonical(bericht, first, payload, options.keys))) {
      throw new SignatureError('ZICHT_SIGNATURE_NOT_CANONICAL', { index: 0, cause: error });
    }
    throw error;
  }

  const countersignatures: VerifiedSignature[] = [];
  for (const [i, entry] of rest.entries()) {
    const countersignature = await verifySignatureEntry(entry, i + 1, payload, 'ontvangst', verzenderOin, options.keys);
    checkNotRevoked(sender.key, Math.floor(Date.parse(countersignature.rcv ?? '') / 1000), 0);
    countersignatures.push(countersignature);
  }
  return { sender, countersignatures };
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
