/**
 * Where verification finds keys: a {@link KeyResolver} answers "which key is `kid` of the participant
 * with this OIN, valid when, and what role does its owner have". The participant registry is one
 * (src/registry/key-resolver.ts); a plain JWKS file is another, for vendors testing with the CLI.
 */
import { KeyError } from '../errors.js';
import { PublicJwks, type PublicJwk } from './jwk.js';
import { jwkThumbprint } from './thumbprint.js';

/** A verification key and when it may be used; times are NumericDate (seconds since the epoch, UTC). */
export interface ResolvedKey {
  /** RFC 7638 thumbprint of `jwk`. */
  readonly kid: string;
  readonly jwk: PublicJwk;
  /** Not valid for signatures judged before this time (spec/v1/time-and-keys.md: receipt, rcv or the verifier's now; never iat). */
  readonly nbf?: number;
  /** Not valid for signatures judged at or after this time. */
  readonly exp?: number;
  /** Revoked: signatures judged at or after this time fail; berichten a gateway received earlier keep verifying. */
  readonly revokedAt?: number;
  /** The role of the key's owner (`vt`, `gemeente`, ..., `gateway`), when the resolver knows it. */
  readonly rol?: string;
}

/** Finds the key `kid` of the participant `oin`; `undefined` when there is none. */
export interface KeyResolver {
  resolve(oin: string, kid: string): Promise<ResolvedKey | undefined> | ResolvedKey | undefined;
}

/**
 * A resolver over one JWK Set whose keys are trusted for any OIN, without a validity window (the
 * person who hands it over vouches for it). `rol` is reported as the owner's role for every key:
 * pass `'gateway'` for the gateway's published JWKS.
 *
 * @throws {KeyError} `ZICHT_KEY_INVALID` when the set or a key in it is not an accepted public JWK, or a
 *   key's `kid` is not its RFC 7638 thumbprint.
 */
export function jwksKeyResolver(jwks: unknown, options: { rol?: string } = {}): KeyResolver {
  const parsed = PublicJwks.safeParse(jwks);
  if (!parsed.success) throw new KeyError('ZICHT_KEY_INVALID', { message: 'not a JWK Set of public EC P-256, RSA or OKP Ed25519 keys' });
  const byKid = new Map<string, ResolvedKey>();
  for (const jwk of parsed.data.keys) {
    const kid = jwkThumbprint(jwk);
    if (jwk.kid !== undefined && jwk.kid !== kid) throw new KeyError('ZICHT_KEY_INVALID', { message: 'a key in the JWK Set has a kid that is not its RFC 7638 thumbprint' });
    byKid.set(kid, { kid, jwk, ...(options.rol === undefined ? {} : { rol: options.rol }) });
  }
  return { resolve: (_oin, kid) => byKid.get(kid) };
}

/** A resolver that asks each of `resolvers` in turn and returns the first key found. */
export function combineKeyResolvers(...resolvers: readonly KeyResolver[]): KeyResolver {
  return {
    async resolve(oin, kid) {
      for (const resolver of resolvers) {
        const key = await resolver.resolve(oin, kid);
        if (key) return key;
      }
      return undefined;
    },
  };
}
