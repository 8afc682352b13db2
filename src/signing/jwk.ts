/**
 * The JSON Web Keys (RFC 7517) Zicht accepts, as zod schemas: EC P-256, RSA and OKP Ed25519, the
 * key types of the allowed algorithms. A public key has no private members (a JWKS that leaks `d`
 * is refused, not trimmed); a private key has exactly the members its type needs.
 */
import { z } from 'zod';
import { KeyError } from '../errors.js';

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/).max(1400);

const common = {
  kid: z.string().min(1).max(200).optional(),
  alg: z.string().max(20).optional(),
  use: z.literal('sig').optional(),
  key_ops: z.array(z.string().max(20)).max(8).optional(),
};

const EcPublic = z.strictObject({ ...common, kty: z.literal('EC'), crv: z.literal('P-256'), x: b64url.length(43), y: b64url.length(43) });
const RsaPublic = z.strictObject({ ...common, kty: z.literal('RSA'), n: b64url, e: b64url.max(8) });
const OkpPublic = z.strictObject({ ...common, kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: b64url.length(43) });

/** A public signing key: EC P-256, RSA or OKP Ed25519, with no private members. */
export const PublicJwk = z.discriminatedUnion('kty', [EcPublic, RsaPublic, OkpPublic]).meta({ id: 'PublicJwk' });
export type PublicJwk = z.infer<typeof PublicJwk>;

/** A private signing key: EC P-256, RSA (with its CRT members) or OKP Ed25519. `oin` is Zicht's note of the owner. */
export const PrivateJwk = z
  .discriminatedUnion('kty', [
    EcPublic.extend({ d: b64url.length(43), oin: z.string().optional() }),
    RsaPublic.extend({ d: b64url, p: b64url, q: b64url, dp: b64url, dq: b64url, qi: b64url, oin: z.string().optional() }),
    OkpPublic.extend({ d: b64url.length(43), oin: z.string().optional() }),
  ])
  .meta({ id: 'PrivateJwk' });
export type PrivateJwk = z.infer<typeof PrivateJwk>;

/** A JWK Set (RFC 7517 §5) of public keys. */
export const PublicJwks = z.strictObject({ keys: z.array(PublicJwk).max(100) }).meta({ id: 'PublicJwks' });
export type PublicJwks = z.infer<typeof PublicJwks>;

/**
 * Reads an untrusted value as a public JWK.
 *
 * @throws {KeyError} `ZICHT_KEY_INVALID` for a private key, an unsupported type or curve, or a malformed key.
 */
export function parsePublicJwk(value: unknown): PublicJwk {
  const parsed = PublicJwk.safeParse(value);
  if (!parsed.success) throw new KeyError('ZICHT_KEY_INVALID', { message: 'not a public EC P-256, RSA or OKP Ed25519 JWK without private members' });
  return parsed.data;
}

/**
 * Reads an untrusted value as a private JWK.
 *
 * @throws {KeyError} `ZICHT_KEY_INVALID` for a public-only key, an unsupported type or curve, or a malformed key.
 */
export function parsePrivateJwk(value: unknown): PrivateJwk {
  const parsed = PrivateJwk.safeParse(value);
  if (!parsed.success) throw new KeyError('ZICHT_KEY_INVALID', { message: 'not a private EC P-256, RSA or OKP Ed25519 JWK' });
  return parsed.data;
}

/** The public part of a private key (its public members, `kid`, `alg` and `use`). */
export function publicPart(jwk: PrivateJwk): PublicJwk {
  const base = { ...(jwk.kid === undefined ? {} : { kid: jwk.kid }), ...(jwk.alg === undefined ? {} : { alg: jwk.alg }), ...(jwk.use === undefined ? {} : { use: jwk.use }) };
  switch (jwk.kty) {
    case 'EC':
      return { ...base, kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
    case 'RSA':
      return { ...base, kty: 'RSA', n: jwk.n, e: jwk.e };
    case 'OKP':
      return { ...base, kty: 'OKP', crv: jwk.crv, x: jwk.x };
  }
}
