/**
 * Turns JWKs into node:crypto KeyObjects (RFC 7517 JWK import, `format: 'jwk'`), once per key object:
 * a registry hands out the same key object for every bericht its owner signs, so a verification
 * finds its key in the cache.
 *
 * The checks are those WebCrypto made when keys were imported through jose: the key must fit the
 * algorithm, RSA moduli have at least {@link MIN_RSA_BITS} bits, `key_ops` (when present) allows
 * exactly the one operation, and a private EC or Ed25519 key's public members must belong to its `d`.
 */
import { createECDH, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { KeyError } from '../errors.js';
import { MIN_RSA_BITS, type SigningAlgorithm } from './algorithms.js';
import { checkKeyObject, type KeyUse } from './jws-crypto.js';
import { parsePublicJwk, type PrivateJwk, type PublicJwk } from './jwk.js';

const publicKeys = new WeakMap<object, Map<SigningAlgorithm, KeyObject>>();

function checkRsaSize(jwk: PublicJwk): void {
  if (jwk.kty !== 'RSA') return;
  const bytes = Buffer.from(jwk.n, 'base64url');
  const bits = bytes.length * 8 - Math.clz32(bytes[0] ?? 0) + 24;
  if (bits < MIN_RSA_BITS) throw new KeyError('ZICHT_KEY_INVALID', { message: `RSA keys must have a modulus of at least ${MIN_RSA_BITS} bits` });
}

/** RFC 7517 §4.3: a key whose `key_ops` does not name the operation may not be used for it. WebCrypto also refused other operations. */
function checkKeyOps(jwk: PublicJwk | PrivateJwk, use: KeyUse): void {
  const ops = jwk.key_ops;
  if (ops !== undefined && (ops.length !== 1 || ops[0] !== use)) {
    throw new KeyError('ZICHT_KEY_INVALID', { message: `the key's key_ops does not allow exactly "${use}"` });
  }
}

/** Whether a private EC or Ed25519 key's public members are those of its private scalar. */
function publicMembersMatch(jwk: PrivateJwk, key: KeyObject): boolean {
  switch (jwk.kty) {
    case 'EC': {
      const point = createECDH('prime256v1');
      point.setPrivateKey(Buffer.from(jwk.d, 'base64url'));
      return point.getPublicKey().equals(Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]));
    }
    case 'OKP':
      return createPublicKey(key).export({ format: 'jwk' }).x === jwk.x;
    case 'RSA':
      // As with WebCrypto, an RSA key is not checked for consistency: that needs a trial signature.
      return true;
  }
}

function importAs(jwk: PublicJwk | PrivateJwk, alg: SigningAlgorithm, use: KeyUse): KeyObject {
  checkRsaSize(jwk);
  checkKeyOps(jwk, use);
  let key: KeyObject;
  try {
    // node:crypto reads only the members it needs; `kid`, `alg`, `oin` and the like are ignored.
    key = use === 'sign' ? createPrivateKey({ key: { ...jwk }, format: 'jwk' }) : createPublicKey({ key: { ...jwk }, format: 'jwk' });
    if (use === 'sign' && 'd' in jwk && !publicMembersMatch(jwk, key)) throw new Error('the public members do not belong to the private key');
  } catch (error) {
    throw new KeyError('ZICHT_KEY_INVALID', { message: 'the key material cannot be imported', cause: error });
  }
  checkKeyObject(key, alg, use);
  return key;
}

/**
 * The verification key for a public JWK and algorithm, imported once per JWK object, synchronously.
 * The JWK is checked against {@link PublicJwk} first, so a resolver that hands out a private or
 * symmetric key fails here. A failed import is not cached: the next call tries again.
 *
 * @throws {KeyError} `ZICHT_KEY_INVALID` when the key is not a usable public key for `alg`.
 */
export function verificationKey(jwk: PublicJwk, alg: SigningAlgorithm): KeyObject {
  let byAlg = publicKeys.get(jwk);
  if (!byAlg) {
    byAlg = new Map<SigningAlgorithm, KeyObject>();
    publicKeys.set(jwk, byAlg);
  }
  let key = byAlg.get(alg);
  if (!key) {
    key = importAs(parsePublicJwk(jwk), alg, 'verify');
    byAlg.set(alg, key);
  }
  return key;
}

/**
 * {@link verificationKey} as a promise, for callers that take a key getter (jose's `jwtVerify`).
 *
 * @throws {KeyError} `ZICHT_KEY_INVALID` (as a rejection) when the key is not a usable public key.
 */
export function importVerificationKey(jwk: PublicJwk, alg: SigningAlgorithm): Promise<KeyObject> {
  return Promise.resolve().then(() => verificationKey(jwk, alg));
}

/**
 * The signing key for a private JWK.
 *
 * @throws {KeyError} `ZICHT_KEY_INVALID` (as a rejection) when the key material cannot be imported or does not fit `alg`.
 */
export function importSigningKey(jwk: PrivateJwk, alg: SigningAlgorithm): Promise<KeyObject> {
  return Promise.resolve().then(() => importAs(jwk, alg, 'sign'));
}
