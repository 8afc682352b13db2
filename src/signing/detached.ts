/**
 * JWS with a detached payload (RFC 7515 Appendix F) over bytes, via jose: the signature is made over
 * `BASE64URL(protected) "." BASE64URL(payload)` and the payload is then left out, so a signature is
 * `{ protected, signature }` and the verifier brings the payload (for Zicht: the canonical bericht).
 * This layer knows nothing of berichten; it enforces the algorithm allow list and maps jose's errors
 * to Zicht codes.
 */
import { errors, FlattenedSign, flattenedVerify, type CryptoKey, type JWSHeaderParameters } from 'jose';
import { KeyError, SignatureError } from '../errors.js';
import type { SigningAlgorithm } from './algorithms.js';
import { checkAlgorithm, checkCrit, decodeProtectedHeader, UNDERSTOOD_CRIT } from './header.js';
import { MAX_SIGNATURE_LENGTH } from './limits.js';

/** A detached JWS: RFC 7515 §7.2.1 signature object without payload. Same shape as the model's `Handtekening`. */
export interface DetachedJws {
  readonly protected: string;
  readonly signature: string;
}

const critOption = Object.fromEntries(UNDERSTOOD_CRIT.map((name) => [name, true]));

/**
 * Signs `payload` with a detached JWS.
 *
 * @param header - the protected header; its `alg` must be an allowed algorithm that fits `key`.
 * @throws {KeyError} `ZICHT_KEY_INVALID` when the key cannot sign with that algorithm.
 */
export async function signDetached(payload: Uint8Array, header: JWSHeaderParameters & { alg: SigningAlgorithm }, key: CryptoKey): Promise<DetachedJws> {
  try {
    const jws = await new FlattenedSign(payload).setProtectedHeader(header).sign(key, { crit: critOption });
    if (jws.protected === undefined) throw new SignatureError('ZICHT_SIGNATURE_MALFORMED');
    return { protected: jws.protected, signature: jws.signature };
  } catch (error) {
    if (error instanceof SignatureError) throw error;
    throw new KeyError('ZICHT_KEY_INVALID', { message: 'the key cannot sign with this algorithm', cause: error });
  }
}

/** The base64url form of a detached payload, as it enters the JWS signing input. Compute it once when checking several signatures. */
export function encodePayload(payload: Uint8Array): string {
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64url');
}

/**
 * Verifies a detached JWS over `payload` (bytes, or their base64url form from {@link encodePayload}).
 * The header's `alg` must be allowed (ES256, PS256, EdDSA) and every `crit` name understood.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_INVALID` when the signature does not match; `ZICHT_SIGNATURE_MALFORMED`,
 *   `ZICHT_SIGNATURE_HEADER_TOO_LARGE`, `ZICHT_SIGNATURE_ALG_NONE`, `ZICHT_SIGNATURE_ALG_NOT_ALLOWED`,
 *   `ZICHT_SIGNATURE_CRIT_UNKNOWN` for a bad JWS.
 * @throws {KeyError} `ZICHT_KEY_INVALID` when the key does not fit the algorithm.
 */
export async function verifyDetached(jws: DetachedJws, payload: Uint8Array | string, key: CryptoKey, index?: number): Promise<SigningAlgorithm> {
  if (jws.signature.length > MAX_SIGNATURE_LENGTH || !/^[A-Za-z0-9_-]*$/.test(jws.signature)) {
    throw new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index, message: 'the signature is not base64url of an allowed length' });
  }
  const header = decodeProtectedHeader(jws.protected, index);
  const alg = checkAlgorithm(header, index);
  checkCrit(header, index);
  await verifyCheckedJws(jws, payload, key, alg, index);
  return alg;
}

/**
 * The cryptographic step of {@link verifyDetached}, for a JWS whose header the caller has already read
 * and checked (alg allowed, crit understood) and whose signature is base64url of an allowed length.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_INVALID` when the signature does not match, other codes as {@link verifyDetached}.
 * @throws {KeyError} `ZICHT_KEY_INVALID` when the key does not fit the algorithm.
 */
export async function verifyCheckedJws(jws: DetachedJws, payload: Uint8Array | string, key: CryptoKey, alg: SigningAlgorithm, index?: number): Promise<void> {
  try {
    await flattenedVerify(
      { protected: jws.protected, signature: jws.signature, payload: typeof payload === 'string' ? payload : encodePayload(payload) },
      key,
      { algorithms: [alg], crit: critOption },
    );
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) throw new SignatureError('ZICHT_SIGNATURE_INVALID', { index, cause: error });
    if (error instanceof errors.JWSInvalid) throw new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index, cause: error });
    if (error instanceof errors.JOSEAlgNotAllowed) throw new SignatureError('ZICHT_SIGNATURE_ALG_NOT_ALLOWED', { index, cause: error });
    if (error instanceof errors.JOSENotSupported) throw new SignatureError('ZICHT_SIGNATURE_CRIT_UNKNOWN', { index, cause: error });
    throw new KeyError('ZICHT_KEY_INVALID', { index, message: 'the key cannot verify with this algorithm', cause: error });
  }
}
