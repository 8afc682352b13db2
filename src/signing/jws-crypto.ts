/**
 * The cryptography of the three allowed JWS algorithms on node:crypto KeyObjects, without WebCrypto:
 * ES256 (RFC 7518 §3.4: ECDSA P-256 with SHA-256, the signature as R || S, 64 bytes), PS256 (RFC 7518
 * §3.5: RSASSA-PSS with SHA-256, MGF1 with SHA-256 and a 32-byte salt) and EdDSA over Ed25519
 * (RFC 8037 §3.1). The bytes are those jose makes through WebCrypto, so either side can check the other's.
 *
 * Why not WebCrypto: in Node 20 every WebCrypto call goes through algorithm normalisation and a
 * thread-pool job, several times the cost of the signature itself for ES256 and EdDSA.
 */
import { constants, sign, verify, type KeyObject, type SignKeyObjectInput, type VerifyKeyObjectInput } from 'node:crypto';
import { KeyError } from '../errors.js';
import { MIN_RSA_BITS, type SigningAlgorithm } from './algorithms.js';

/** Whether a key is used to sign (private) or to verify (public). */
export type KeyUse = 'sign' | 'verify';

const fitting = { sign: new WeakMap<KeyObject, SigningAlgorithm>(), verify: new WeakMap<KeyObject, SigningAlgorithm>() };

/** Whether `key` is the kind of key `alg` needs: EC P-256 for ES256, RSA of at least 2048 bits for PS256, Ed25519 for EdDSA. */
function fits(key: KeyObject, alg: SigningAlgorithm): boolean {
  switch (alg) {
    case 'ES256':
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    case 'PS256':
      return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS;
    case 'EdDSA':
      return key.asymmetricKeyType === 'ed25519';
  }
}

/**
 * Checks that `key` can `use` (sign: a private key, verify: a public key) with `alg`. The answer is
 * remembered per KeyObject, as the same key checks many signatures.
 *
 * @throws {KeyError} `ZICHT_KEY_INVALID` when it cannot.
 */
export function checkKeyObject(key: KeyObject, alg: SigningAlgorithm, use: KeyUse): void {
  if (fitting[use].get(key) === alg) return;
  if (key.type !== (use === 'sign' ? 'private' : 'public') || !fits(key, alg)) {
    throw new KeyError('ZICHT_KEY_INVALID', { message: `the key cannot ${use} with this algorithm` });
  }
  fitting[use].set(key, alg);
}

/** The digest node:crypto is given: SHA-256, or none for Ed25519, which hashes inside the algorithm. */
function digest(alg: SigningAlgorithm): string | null {
  return alg === 'EdDSA' ? null : 'sha256';
}

function options(key: KeyObject, alg: SigningAlgorithm): SignKeyObjectInput & VerifyKeyObjectInput {
  switch (alg) {
    case 'ES256':
      return { key, dsaEncoding: 'ieee-p1363' };
    case 'PS256':
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    case 'EdDSA':
      return { key };
  }
}

/**
 * Signs `data` (a JWS signing input) with `alg`. PS256 runs in the thread pool, as an RSA signature
 * takes milliseconds; the others take tens of microseconds, less than the hop to the pool costs.
 * The caller has checked the key with {@link checkKeyObject}.
 */
export function signBytes(alg: SigningAlgorithm, key: KeyObject, data: Buffer): Buffer | Promise<Buffer> {
  if (alg !== 'PS256') return sign(digest(alg), data, options(key, alg));
  return new Promise((resolve, reject) => {
    sign(digest(alg), data, options(key, alg), (error, signature) => {
      if (error) reject(error);
      else resolve(signature);
    });
  });
}

/**
 * Whether `signature` is `alg`'s signature of `data` under the public `key`. A signature of the wrong
 * length is simply not valid. The caller has checked the key with {@link checkKeyObject}.
 */
export function verifyBytes(alg: SigningAlgorithm, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  return verify(digest(alg), data, options(key, alg), signature);
}
