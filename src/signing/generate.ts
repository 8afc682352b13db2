/**
 * New signing keys: a key pair for one of the allowed algorithms, exported as a private JWK and its
 * public JWK, each with `kid` (RFC 7638 thumbprint), `alg` and `use: "sig"`.
 */
import { exportJWK, generateKeyPair } from 'jose';
import { DEFAULT_SIGNING_ALGORITHM, type SigningAlgorithm } from './algorithms.js';
import { parsePrivateJwk, publicPart, type PrivateJwk, type PublicJwk } from './jwk.js';
import { jwkThumbprint } from './thumbprint.js';

/** A new key pair as JWKs. */
export interface GeneratedKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateJwk: PrivateJwk;
  readonly publicJwk: PublicJwk;
}

/** Generates a signing key pair: P-256 for ES256, 3072-bit RSA for PS256, Ed25519 for EdDSA. */
export async function generateSigningKey(alg: SigningAlgorithm = DEFAULT_SIGNING_ALGORITHM): Promise<GeneratedKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'PS256' ? { modulusLength: 3072 } : {}) });
  const exported = parsePrivateJwk(await exportJWK(privateKey));
  const kid = jwkThumbprint(publicPart(exported));
  const privateJwk: PrivateJwk = { ...exported, kid, alg, use: 'sig' };
  return { kid, alg, privateJwk, publicJwk: publicPart(privateJwk) };
}
