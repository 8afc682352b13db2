/**
 * JWS with a detached payload (RFC 7515 Appendix F) over bytes: the signature is made over
 * `BASE64URL(protected) "." BASE64URL(payload)` and the payload is then left out, so a signature is
 * `{ protected, signature }` and the verifier brings the payload (for Zicht: the canonical bericht).
 * This layer knows nothing of berichten; it enforces the algorithm allow list and signs and verifies
 * with node:crypto (./jws-crypto.ts). The JWS is byte for byte what jose's FlattenedSign makes and
 * what its flattenedVerify accepts; test/signing/jose-interop.test.ts checks both directions.
 */
import { KeyObject } from 'node:crypto';
import type { CryptoKey, JWSHeaderParameters } from 'jose';
import { KeyError, SignatureError } from '../errors.js';
import { isSigningAlgorithm, type SigningAlgorithm } from './algorithms.js';
import { checkAlgorithm, checkCrit, decodeProtectedHeader } from './header.js';
import { checkKeyObject, signBytes, verifyBytes, type KeyUse } from './jws-crypto.js';
import { MAX_SIGNATURE_LENGTH } from './limits.js';

/** A detached JWS: RFC 7515 §7.2.1 signature object without payload. Same shape as the model's `Handtekening`. */
export interface DetachedJws {
  readonly protected: string;
  readonly signature: string;
}

/**
 * A key to sign or verify with: a node:crypto KeyObject (what ./key-import.ts makes), or a WebCrypto
 * CryptoKey (as jose's importJWK makes), which is converted once.
 */
export type JwsKey = KeyObject | CryptoKey;

const converted = new WeakMap<CryptoKey, KeyObject>();

/** The KeyObject of `key`, checked to `use` with `alg`. */
function keyObjectOf(key: JwsKey, alg: SigningAlgorithm, use: KeyUse, index?: number): KeyObject {
  try {
    let keyObject: KeyObject | undefined;
    if (key instanceof KeyObject) keyObject = key;
    else {
      keyObject = converted.get(key);
      if (!keyObject) {
        if (!key.usages.includes(use)) throw new KeyError('ZICHT_KEY_INVALID', { message: `the CryptoKey may not ${use}` });
        keyObject = KeyObject.from(key);
        converted.set(key, keyObject);
      }
    }
    checkKeyObject(keyObject, alg, use);
    return keyObject;
  } catch (error) {
    throw new KeyError('ZICHT_KEY_INVALID', { index, message: `the key cannot ${use} with this algorithm`, cause: error });
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Whether jose would accept `text` as a base64url payload: its decoder also takes base64 characters, padding and white space. */
function decodable(text: string): boolean {
  if (BASE64URL.test(text) && text.length % 4 !== 1) return true;
  try {
    atob(text.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, ''));
    return true;
  } catch {
    return false;
  }
}

/**
 * Signs `payload` with a detached JWS.
 *
 * @param header - the protected header; its `alg` must be an allowed algorithm that fits `key`.
 * @throws {KeyError} `ZICHT_KEY_INVALID` when the key cannot sign with that algorithm, or the header
 *   cannot be signed (an `alg` not allowed, a `crit` that is not understood).
 */
export async function signDetached(payload: Uint8Array, header: JWSHeaderParameters & { alg: SigningAlgorithm }, key: JwsKey): Promise<DetachedJws> {
  const { alg } = header;
  if (!isSigningAlgorithm(alg)) throw new KeyError('ZICHT_KEY_INVALID', { message: 'the key cannot sign with this algorithm' });
  try {
    checkCrit(header);
  } catch (error) {
    throw new KeyError('ZICHT_KEY_INVALID', { message: 'the header has a crit that cannot be signed', cause: error });
  }
  const keyObject = keyObjectOf(key, alg, 'sign');
  const encoded = Buffer.from(JSON.stringify(header)).toString('base64url');
  let signature: Buffer;
  try {
    signature = await signBytes(alg, keyObject, Buffer.from(`${encoded}.${encodePayload(payload)}`, 'latin1'));
  } catch (error) {
    throw new KeyError('ZICHT_KEY_INVALID', { message: 'the key cannot sign with this algorithm', cause: error });
  }
  return { protected: encoded, signature: signature.toString('base64url') };
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
export function verifyDetached(jws: DetachedJws, payload: Uint8Array | string, key: JwsKey, index?: number): Promise<SigningAlgorithm> {
  return new Promise((resolve) => {
    if (jws.signature.length > MAX_SIGNATURE_LENGTH || !BASE64URL.test(jws.signature)) {
      throw new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index, message: 'the signature is not base64url of an allowed length' });
    }
    const header = decodeProtectedHeader(jws.protected, index);
    const alg = checkAlgorithm(header, index);
    checkCrit(header, index);
    verifyCheckedJws(jws, payload, key, alg, index);
    resolve(alg);
  });
}

/**
 * The cryptographic step of {@link verifyDetached}, for a JWS whose header the caller has already read
 * and checked (alg allowed, crit understood) and whose signature is base64url of an allowed length.
 * The checks run in jose's order: key, signature encoding, signature, then the payload's encoding.
 * Synchronous: for ES256, PS256 and EdDSA verification costs less than a hop to the thread pool.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_INVALID` when the signature does not match, `ZICHT_SIGNATURE_MALFORMED`
 *   when the signature or the payload is not base64url.
 * @throws {KeyError} `ZICHT_KEY_INVALID` when the key does not fit the algorithm.
 */
export function verifyCheckedJws(jws: DetachedJws, payload: Uint8Array | string, key: JwsKey, alg: SigningAlgorithm, index?: number): void {
  const keyObject = keyObjectOf(key, alg, 'verify', index);
  if (!BASE64URL.test(jws.signature) || jws.signature.length % 4 === 1) {
    throw new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index, message: 'the signature is not base64url' });
  }
  const signature = Buffer.from(jws.signature, 'base64url');
  // One signature, one text: trailing bits that the decoder drops would let the same signature be written
  // several ways (found by the fuzz property in test/fuzz/properties.ts).
  if (signature.toString('base64url') !== jws.signature) {
    throw new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index, message: 'the signature is not canonical base64url (non-zero trailing bits)' });
  }
  const encoded = typeof payload === 'string' ? payload : encodePayload(payload);
  let valid: boolean;
  try {
    valid = verifyBytes(alg, keyObject, Buffer.from(`${jws.protected}.${encoded}`), signature);
  } catch (error) {
    throw new KeyError('ZICHT_KEY_INVALID', { index, message: 'the key cannot verify with this algorithm', cause: error });
  }
  if (!valid) throw new SignatureError('ZICHT_SIGNATURE_INVALID', { index });
  if (!decodable(encoded)) throw new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index, message: 'the payload is not base64url' });
}
