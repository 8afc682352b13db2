/**
 * The JWS algorithms Zicht signs and verifies with, and which key each needs. Everything else is
 * refused, `none` and the HMAC family (HS256/384/512) above all: a verifier that let the header
 * choose would accept HS256 made with a public key as the secret (RFC 8725 §2.1, §3.1).
 */
import type { PublicJwk } from './jwk.js';

/** The allowed JWS algorithms: ES256 (default), PS256 (the Dutch API design rules' signing profile), EdDSA over Ed25519 (RFC 8037). */
export const SIGNING_ALGORITHMS = ['ES256', 'PS256', 'EdDSA'] as const;

/** One of {@link SIGNING_ALGORITHMS}. */
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** The algorithm used when none is asked for. */
export const DEFAULT_SIGNING_ALGORITHM: SigningAlgorithm = 'ES256';

/** Smallest RSA modulus accepted for PS256, in bits (RFC 7518 §3.5). */
export const MIN_RSA_BITS = 2048;

/** Whether a header's `alg` value is one Zicht allows. */
export function isSigningAlgorithm(alg: unknown): alg is SigningAlgorithm {
  return typeof alg === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(alg);
}

/** Whether a key can make or check signatures with this algorithm: EC P-256 for ES256, RSA for PS256, OKP Ed25519 for EdDSA. */
export function keyFitsAlgorithm(jwk: PublicJwk, alg: SigningAlgorithm): boolean {
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  switch (alg) {
    case 'ES256':
      return jwk.kty === 'EC';
    case 'PS256':
      return jwk.kty === 'RSA';
    case 'EdDSA':
      return jwk.kty === 'OKP';
  }
}

/** The algorithm that fits a key: the key's own `alg` when it names an allowed one, else the one its type allows. */
export function algorithmForKey(jwk: PublicJwk): SigningAlgorithm {
  if (isSigningAlgorithm(jwk.alg)) return jwk.alg;
  switch (jwk.kty) {
    case 'EC':
      return 'ES256';
    case 'RSA':
      return 'PS256';
    case 'OKP':
      return 'EdDSA';
  }
}
