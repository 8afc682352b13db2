/**
 * A signer: a private key made ready for signing, with its algorithm, `kid` (RFC 7638 thumbprint)
 * and the OIN of the participant it signs for. Prepared once, used for many berichten.
 */
import type { KeyObject } from 'node:crypto';
import { KeyError } from '../errors.js';
import { Oin } from '../model/primitives.js';
import { algorithmForKey, keyFitsAlgorithm, type SigningAlgorithm } from './algorithms.js';
import { parsePrivateJwk, publicPart, type PublicJwk } from './jwk.js';
import { importSigningKey } from './key-import.js';
import { jwkThumbprint } from './thumbprint.js';

/** A private key ready to sign berichten for one participant. */
export interface Signer {
  readonly alg: SigningAlgorithm;
  /** RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  /** OIN of the participant the key belongs to; goes into the `oin` header. */
  readonly oin: string;
  readonly publicJwk: PublicJwk;
  /** The private key, as a node:crypto KeyObject. */
  readonly key: KeyObject;
}

/** What {@link createSigner} needs. */
export interface SignerOptions {
  /** A private JWK (EC P-256, RSA, OKP Ed25519), e.g. from `zicht keys generate`. */
  readonly privateJwk: unknown;
  /** The signer's OIN (20 digits). */
  readonly oin: string;
  /** The algorithm; by default the key's own `alg`, else the one its type allows (ES256 for EC, PS256 for RSA, EdDSA for OKP). */
  readonly alg?: SigningAlgorithm;
}

/**
 * Prepares a signer from a private JWK.
 *
 * @throws {KeyError} `ZICHT_KEY_INVALID` for a public-only, malformed or unsupported key, an OIN that is
 *   not 20 digits, or an algorithm that does not fit the key.
 */
export async function createSigner(options: SignerOptions): Promise<Signer> {
  const jwk = parsePrivateJwk(options.privateJwk);
  if (!Oin.safeParse(options.oin).success) throw new KeyError('ZICHT_KEY_INVALID', { message: 'the signer OIN must be 20 digits' });
  const publicJwk = publicPart(jwk);
  const alg = options.alg ?? algorithmForKey(publicJwk);
  if (!keyFitsAlgorithm(publicJwk, alg)) throw new KeyError('ZICHT_KEY_INVALID', { message: 'the algorithm does not fit the key' });
  const kid = jwkThumbprint(publicJwk);
  return { alg, kid, oin: options.oin, publicJwk, key: await importSigningKey(jwk, alg) };
}
