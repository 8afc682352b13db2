/**
 * Verification of one entry of a bericht's `signatures`, in a fixed order so each refusal has its own
 * code: shape, header (size, encoding, alg, crit, members), kind by position, signer OIN, key lookup,
 * key type, signer role, key validity at the judging moment (revocation is the strongest statement), the
 * `iat` claim against that moment, and last the cryptography.
 */
import { KeyError, SignatureError } from '../errors.js';
import { keyFitsAlgorithm, type SigningAlgorithm } from './algorithms.js';
import { verifyCheckedJws, type DetachedJws } from './detached.js';
import { readProtectedHeader, type SignatureKind } from './header.js';
import { verificationKey } from './key-import.js';
import type { KeyResolver, ResolvedKey } from './key-resolver.js';
import { parsePublicJwk } from './jwk.js';
import { MAX_SIGNATURE_LENGTH } from './limits.js';
import { checkIat, type ClockPolicy } from './clock.js';
import { checkKeyValidity } from './validity.js';

/** A signature that verified: what it says and the key it verified with. */
export interface VerifiedSignature {
  /** Position in the bericht's `signatures`. */
  readonly index: number;
  /** `bericht` for the sender's signature, `ontvangst` for a gateway countersignature. */
  readonly kind: SignatureKind;
  readonly alg: SigningAlgorithm;
  readonly kid: string;
  /** The signer's OIN. */
  readonly oin: string;
  /** When it was signed (NumericDate seconds), as the signer says. */
  readonly iat: number;
  /** Countersignatures only: when the gateway received the bericht (RFC 3339). */
  readonly rcv?: string;
  readonly key: ResolvedKey;
  /** The moment the key was judged at (NumericDate seconds). */
  readonly judgedAt: number;
}

/**
 * When a signature is judged (spec/v1/time-and-keys.md): `at`, a moment the verifier trusts (NumericDate
 * seconds), or `'rcv'` for a countersignature judged at its own received-at; the signer's `iat` must lie
 * within `policy` of it.
 */
export interface Judging {
  readonly at: number | 'rcv';
  readonly policy: ClockPolicy;
}

/** NumericDate seconds of an RFC 3339 instant. */
export const secondsOf = (instant: string): number => Math.floor(Date.parse(instant) / 1000);

/**
 * Checks that an untrusted value is a `{ protected, signature }` pair of base64url strings and nothing else.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_HEADER_TOO_LARGE` (via the header length), `ZICHT_SIGNATURE_MALFORMED`.
 */
export function readDetachedJws(entry: unknown, index?: number): DetachedJws {
  const malformed = (): SignatureError => new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index });
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw malformed();
  const keys = Object.keys(entry);
  if (keys.length !== 2 || !('protected' in entry) || !('signature' in entry)) throw malformed();
  const { protected: encoded, signature } = entry;
  if (typeof encoded !== 'string' || typeof signature !== 'string') throw malformed();
  // An empty signature is well-formed (an unsecured JWS has one); it is refused by its alg or by the cryptography.
  if (signature.length > MAX_SIGNATURE_LENGTH || !/^[A-Za-z0-9_-]*$/.test(signature)) throw malformed();
  return { protected: encoded, signature };
}

const checkedJwks = new WeakSet<object>();

/**
 * Verifies entry `index` of a bericht's signatures over `payload` (base64url of the canonical bericht).
 *
 * @param kind - what the entry must be: the sender's signature at index 0, countersignatures after it.
 * @param verzenderOin - the bericht's sender; the sender's signature must carry this OIN.
 * @param judging - the moment the key is judged at, and the bounds of the `iat` claim around it.
 * @throws {SignatureError} or {KeyError} with the code of the first check that fails.
 */
export async function verifySignatureEntry(
  entry: unknown,
  index: number,
  payload: string,
  kind: SignatureKind,
  verzenderOin: string,
  keys: KeyResolver,
  judging: Judging,
): Promise<VerifiedSignature> {
  const jws = readDetachedJws(entry, index);
  const read = readProtectedHeader(jws.protected, index);
  if (read.kind !== kind) {
    throw new SignatureError('ZICHT_SIGNATURE_HEADER_INVALID', { index, message: "the first signature must be the sender's (typ zicht-bericht+jws), later ones countersignatures (typ zicht-ontvangst+jws)" });
  }
  const { header } = read;
  if (read.kind === 'bericht' && header.oin !== verzenderOin) throw new SignatureError('ZICHT_SIGNATURE_OIN_MISMATCH', { index });

  const key = await keys.resolve(header.oin, header.kid);
  if (key?.kid !== header.kid) throw new KeyError('ZICHT_KEY_UNKNOWN', { index });
  if (!checkedJwks.has(key.jwk)) {
    parsePublicJwk(key.jwk);
    checkedJwks.add(key.jwk);
  }
  if (!keyFitsAlgorithm(key.jwk, header.alg)) throw new SignatureError('ZICHT_SIGNATURE_ALG_KEY_MISMATCH', { index });
  if (read.kind === 'ontvangst' && key.rol !== 'gateway') throw new SignatureError('ZICHT_SIGNATURE_SIGNER_ROLE', { index });
  let at: number;
  if (judging.at !== 'rcv') at = judging.at;
  else if (read.kind === 'ontvangst') at = secondsOf(read.header.rcv);
  else throw new SignatureError('ZICHT_SIGNATURE_HEADER_INVALID', { index, message: 'only a countersignature carries rcv' });
  checkKeyValidity(key, at, index);
  checkIat(header.iat, at, judging.policy, index);

  verifyCheckedJws(jws, payload, verificationKey(key.jwk, header.alg), header.alg, index);
  return {
    index,
    kind: read.kind,
    alg: header.alg,
    kid: header.kid,
    oin: header.oin,
    iat: header.iat,
    ...(read.kind === 'ontvangst' ? { rcv: read.header.rcv } : {}),
    key,
    judgedAt: at,
  };
}
