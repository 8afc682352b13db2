/**
 * Turns JWKs into WebCrypto keys for jose, once per key object: importing is the costly part of a
 * verification, and a registry hands out the same key object for every bericht its owner signs.
 */
import { importJWK, type CryptoKey } from 'jose';
import { KeyError } from '../errors.js';
import { MIN_RSA_BITS, type SigningAlgorithm } from './algorithms.js';
import { parsePublicJwk, type PrivateJwk, type PublicJwk } from './jwk.js';

const publicKeys = new WeakMap<object, Map<SigningAlgorithm, Promise<CryptoKey>>>();

function checkRsaSize(jwk: PublicJwk): void {
  if (jwk.kty !== 'RSA') return;
  const bytes = Buffer.from(jwk.n, 'base64url');
  const bits = bytes.length * 8 - Math.clz32(bytes[0] ?? 0) + 24;
  if (bits < MIN_RSA_BITS) throw new KeyError('ZICHT_KEY_INVALID', { message: `RSA keys must have a modulus of at least ${MIN_RSA_BITS} bits` });
}

async function importAs(jwk: PublicJwk | PrivateJwk, alg: SigningAlgorithm): Promise<CryptoKey> {
  checkRsaSize(jwk);
  let key: CryptoKey | Uint8Array;
  try {
    // jose reads only the members it needs; `oin` and the like are ignored.
    key = await importJWK({ ...jwk, ext: false }, alg);
  } catch (error) {
    throw new KeyError('ZICHT_KEY_INVALID', { message: 'the key material cannot be imported', cause: error });
  }
  if (key instanceof Uint8Array) throw new KeyError('ZICHT_KEY_INVALID');
  return key;
}

/**
 * The WebCrypto verification key for a public JWK and algorithm, imported once per JWK object.
 * The JWK is checked against {@link PublicJwk} first, so a resolver that hands out a private or
 * symmetric key fails here.
 *
 * @throws {KeyError} `ZICHT_KEY_INVALID` when the key is not a usable public key.
 */
export async function importVerificationKey(jwk: PublicJwk, alg: SigningAlgorithm): Promise<CryptoKey> {
  const byAlg = publicKeys.get(jwk) ?? new Map<SigningAlgorithm, Promise<CryptoKey>>();
  publicKeys.set(jwk, byAlg);
  let key = byAlg.get(alg);
  if (!key) {
    key = Promise.resolve().then(() => importAs(parsePublicJwk(jwk), alg));
    byAlg.set(alg, key);
    // A failed import is not cached: the error is raised to this caller and the next one tries again.
    key.catch(() => byAlg.delete(alg));
  }
  return key;
}

/**
 * The WebCrypto signing key for a private JWK.
 *
 * @throws {KeyError} `ZICHT_KEY_INVALID` when the key material cannot be imported.
 */
export function importSigningKey(jwk: PrivateJwk, alg: SigningAlgorithm): Promise<CryptoKey> {
  return importAs(jwk, alg);
}
