/**
 * Versleutelingssleutel (encryption key): a public key a receiver registers so that the gateway
 * delivers its berichten as JWE (RFC 7516) encrypted to it (ENC-001..004, spec/v1/README.md §7.1).
 * RSA-OAEP-256 with an RSA key of at least 2048 bits, or ECDH-ES with EC P-256, P-384 or OKP X25519;
 * the content is always A256GCM. Like a signing key it has a validity window, so that it can be
 * rotated. Every refusal names rule ENC-001 and never echoes key material.
 */
import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { Tijdstip } from '../model/primitives.js';
import { jwkThumbprint } from '../signing/thumbprint.js';

/** The key management algorithms of ENC-001, by key type. */
export const ENCRYPTION_ALGS = ['RSA-OAEP-256', 'ECDH-ES'] as const;
export type EncryptionAlg = (typeof ENCRYPTION_ALGS)[number];

/** The only content encryption of ENC-003. */
export const CONTENT_ENCRYPTION = 'A256GCM';

/** The smallest RSA modulus of an encryption key, in bits. */
export const MIN_RSA_BITS = 2048;

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/);
const common = {
  kid: z.string().min(1).max(200).optional(),
  use: z.literal('enc'),
  key_ops: z.array(z.enum(['encrypt', 'wrapKey', 'deriveKey', 'deriveBits'])).max(4).optional(),
};

const RsaEnc = z.strictObject({ ...common, kty: z.literal('RSA'), alg: z.literal('RSA-OAEP-256'), n: b64url.max(1400), e: b64url.max(8) });
const EcEnc = z.strictObject({
  ...common,
  kty: z.literal('EC'),
  alg: z.literal('ECDH-ES'),
  crv: z.enum(['P-256', 'P-384']),
  x: b64url.max(64),
  y: b64url.max(64),
});
const OkpEnc = z.strictObject({ ...common, kty: z.literal('OKP'), alg: z.literal('ECDH-ES'), crv: z.literal('X25519'), x: b64url.length(43) });

const EncryptionJwkShape = z.discriminatedUnion('kty', [RsaEnc, EcEnc, OkpEnc]);

/** A public encryption key as a JWK (RFC 7517): `use: "enc"`, an ENC-001 `alg`, no private members. */
export type EncryptionJwk = z.infer<typeof EncryptionJwkShape>;

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const SIGNING_ALGS = /^(?:ES|PS|RS|HS)\d{3}$|^EdDSA$|^Ed25519$|^none$/;
const EC_COORDINATE = { 'P-256': 43, 'P-384': 64 } as const;

/** The bit length of a base64url big-endian unsigned integer. */
function bitLength(value: string): number {
  const bytes = Buffer.from(value, 'base64url');
  const first = bytes.findIndex((b) => b !== 0);
  if (first === -1) return 0;
  return (bytes.length - first) * 8 - Math.clz32(bytes[first] ?? 0) + 24;
}

/** Why a value is not an ENC-001 public encryption key, in words that never quote the key; undefined when it is one. */
export function encryptionKeyProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'an encryption key is a JWK object';
  const jwk = value as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((m) => m in jwk)) return 'the encryption key holds private members; register only its public part';
  if (jwk.use !== 'enc') return 'an encryption key has use "enc" (a signing key is registered under sleutels)';
  if (typeof jwk.alg === 'string' && SIGNING_ALGS.test(jwk.alg)) return 'an encryption key has a key management alg, not a signing alg';
  const parsed = EncryptionJwkShape.safeParse(value);
  if (!parsed.success) return 'an encryption key is RSA with alg RSA-OAEP-256, or EC P-256, P-384 or OKP X25519 with alg ECDH-ES, with only public JWK members';
  const key = parsed.data;
  if (key.kty === 'RSA' && bitLength(key.n) < MIN_RSA_BITS) return `an RSA encryption key has a modulus of at least ${MIN_RSA_BITS} bits`;
  if (key.kty === 'EC' && (key.x.length !== EC_COORDINATE[key.crv] || key.y.length !== EC_COORDINATE[key.crv])) return 'an EC encryption key has coordinates of its curve size';
  try {
    createPublicKey({ key: { ...key }, format: 'jwk' });
  } catch {
    return 'the encryption key is not a usable public key (not a point on its curve, or a malformed modulus)';
  }
  return undefined;
}

/** A public encryption key checked against ENC-001 (see {@link encryptionKeyProblem}). */
export const EncryptionJwk = z
  .unknown()
  .superRefine((value, ctx) => {
    const problem = encryptionKeyProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `ENC-001: ${problem}`, params: { rule: 'ENC-001' } });
  })
  .pipe(EncryptionJwkShape);

/**
 * One encryption key of a participant with its validity window. `kid` is the RFC 7638 thumbprint of
 * `jwk`. The gateway encrypts to it from `nbf` until `exp` or `revokedAt` (ENC-003).
 */
export const Versleutelingssleutel = z
  .strictObject({
    kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    jwk: EncryptionJwk,
    nbf: Tijdstip.optional(),
    exp: Tijdstip.optional(),
    revokedAt: Tijdstip.optional(),
  })
  .superRefine((sleutel, ctx) => {
    if (sleutel.kid !== jwkThumbprint(sleutel.jwk) || (sleutel.jwk.kid !== undefined && sleutel.jwk.kid !== sleutel.kid)) {
      ctx.addIssue({ code: 'custom', path: ['kid'], message: "ENC-001: an encryption key's kid is its RFC 7638 thumbprint", params: { rule: 'ENC-001' } });
    }
    if (sleutel.nbf !== undefined && sleutel.exp !== undefined && Date.parse(sleutel.exp) <= Date.parse(sleutel.nbf)) {
      ctx.addIssue({ code: 'custom', path: ['exp'], message: "ENC-001: an encryption key's exp is after its nbf", params: { rule: 'ENC-001' } });
    }
  });
export type Versleutelingssleutel = z.infer<typeof Versleutelingssleutel>;

/** Whether an encryption key may be encrypted to at `at`: from `nbf`, before `exp` and `revokedAt`. */
export function isCurrent(sleutel: Versleutelingssleutel, at: Date): boolean {
  const t = at.getTime();
  return (
    (sleutel.nbf === undefined || Date.parse(sleutel.nbf) <= t) &&
    (sleutel.exp === undefined || t < Date.parse(sleutel.exp)) &&
    (sleutel.revokedAt === undefined || t < Date.parse(sleutel.revokedAt))
  );
}

/** How the gateway sends to a participant at one instant (ENC-003). */
export type Versleuteling =
  /** No encryption key, or only keys valid from a later `nbf`: plain `application/json`. */
  | { readonly kind: 'plain' }
  /** Encrypt to this key: of the current keys the one that became valid last (the later listed on a tie). */
  | { readonly kind: 'encrypt'; readonly sleutel: Versleutelingssleutel }
  /** Keys were valid once, none is now (expired or revoked): send nothing rather than plaintext. */
  | { readonly kind: 'no-current-key' };

/**
 * How the gateway sends to a participant with these encryption keys at `at` (ENC-003). Encryption starts
 * at the first key's `nbf` and never silently stops: once a key has been valid, a participant without a
 * current one receives nothing until it registers a new key.
 */
export function versleutelingAt(sleutels: readonly Versleutelingssleutel[], at: Date): Versleuteling {
  let chosen: Versleutelingssleutel | undefined;
  let chosenFrom = -Infinity;
  let started = false;
  for (const sleutel of sleutels) {
    const from = sleutel.nbf === undefined ? -Infinity : Date.parse(sleutel.nbf);
    if (from <= at.getTime()) started = true;
    if (!isCurrent(sleutel, at)) continue;
    if (chosen === undefined || from >= chosenFrom) {
      chosen = sleutel;
      chosenFrom = from;
    }
  }
  if (chosen !== undefined) return { kind: 'encrypt', sleutel: chosen };
  return started ? { kind: 'no-current-key' } : { kind: 'plain' };
}
