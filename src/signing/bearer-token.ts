/**
 * Participant authentication by bearer token: a short-lived JWT (RFC 7519) in JWS compact form, signed
 * with the participant's registered key. Vendors' systems, the gateway (towards receivers), the demo
 * network and the conformance suite make them with {@link createBearerToken}; src/http/auth.ts checks
 * them with {@link verifyBearerToken}.
 *
 * Both run on node:crypto (src/signing/jws-crypto.ts) rather than jose: jose 6 goes through WebCrypto,
 * several times slower per token, and the gateway checks one token per request. The tokens are those
 * jose makes and reads (tested both ways in test/signing/bearer-token.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { AuthError, KeyError, SignatureError } from '../errors.js';
import { encodePayload, verifyCheckedJws } from './detached.js';
import { DEFAULT_CLOCK_SKEW_SECONDS } from './clock.js';
import { checkAlgorithm, decodeProtectedHeader } from './header.js';
import { signBytes } from './jws-crypto.js';
import { verificationKey } from './key-import.js';
import type { KeyResolver } from './key-resolver.js';
import type { Signer } from './signer.js';

/** Longest accepted lifetime of a bearer token, from `iat` to `exp`, in seconds. */
export const MAX_TOKEN_SECONDS = 300;

/**
 * How far the issuer's and the verifier's clocks may differ for a bearer token, in seconds: the skew of signatures
 * (spec/v1/time-and-keys.md, SIG-007), so that a party whose clock is within it of the other's is never refused.
 * `iat` and `nbf` may lie up to it after the verifier's now, and `exp` up to it before; the `jti` is remembered until
 * `exp` plus it (implementation-questions.md Q188).
 */
export const CLOCK_SKEW_SECONDS = DEFAULT_CLOCK_SKEW_SECONDS;

/** Longest accepted compact token, in characters: far above any real token, far below the header limit. */
const MAX_TOKEN_LENGTH = 8192;

/** A bearer token for `signer`'s participant to call the gateway (or receiver) whose OIN is `audience`. */
export async function createBearerToken(signer: Signer, audience: string, options: { now?: Date; seconds?: number } = {}): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const header = encodePayload(Buffer.from(JSON.stringify({ alg: signer.alg, kid: signer.kid, typ: 'JWT' })));
  const claims = { iss: signer.oin, aud: audience, iat, exp: iat + Math.min(options.seconds ?? 60, MAX_TOKEN_SECONDS), jti: randomUUID() };
  const payload = encodePayload(Buffer.from(JSON.stringify(claims)));
  const signature = await signBytes(signer.alg, signer.key, Buffer.from(`${header}.${payload}`));
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

/** The claims of a verified bearer token. */
export interface BearerClaims {
  /** The caller's OIN. */
  readonly iss: string;
  readonly jti: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  /** Seconds since the epoch. */
  readonly exp: number;
  /** Seconds since the epoch: `exp` plus the skew, the last moment the token is taken; its `jti` is remembered until then. */
  readonly rememberUntil: number;
}

/** What {@link verifyBearerToken} checks a token against. */
export interface BearerTokenCheck {
  /** The `aud` the token must carry (a string, or an array containing it): the verifier's OIN. */
  readonly audience: string;
  /** The issuers' registered keys. */
  readonly keys: KeyResolver;
  readonly now?: Date;
}

const invalid = (cause?: unknown): AuthError => new AuthError('ZICHT_AUTH_TOKEN_INVALID', cause === undefined ? undefined : { cause });

const isSeconds = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Checks a compact JWT: an allowed algorithm (no `crit`), a signature by a key registered for its `iss`
 * under its `kid` and valid at `now`, this `aud`, and a lifetime of at most {@link MAX_TOKEN_SECONDS} that
 * includes `now` within {@link CLOCK_SKEW_SECONDS} (`exp` after now minus the skew; `iat` and `nbf` not later than now
 * plus the skew).
 * Replay (`jti`) is the caller's concern.
 *
 * @throws {AuthError} `ZICHT_AUTH_TOKEN_INVALID` for anything else, without saying which check failed.
 */
export async function verifyBearerToken(token: string, check: BearerTokenCheck): Promise<BearerClaims> {
  const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
  const [protectedHeader, payload, signature] = parts;
  if (parts.length !== 3 || protectedHeader === undefined || payload === undefined || signature === undefined) throw invalid();
  let claims: Record<string, unknown>;
  let kid: unknown;
  try {
    const header = decodeProtectedHeader(protectedHeader);
    const alg = checkAlgorithm(header);
    if ('crit' in header || 'b64' in header) throw invalid();
    kid = header.kid;
    claims = decodeProtectedHeader(payload);
    const { iss } = claims;
    if (typeof iss !== 'string' || typeof kid !== 'string') throw invalid();
    const key = await check.keys.resolve(iss, kid);
    const t = Math.floor((check.now ?? new Date()).getTime() / 1000);
    if (!key || (key.nbf !== undefined && t < key.nbf) || (key.exp !== undefined && t >= key.exp) || (key.revokedAt !== undefined && t >= key.revokedAt)) throw invalid();
    verifyCheckedJws({ protected: protectedHeader, signature }, payload, verificationKey(key.jwk, alg), alg);
    const { aud, iat, exp, nbf, jti } = claims;
    const audiences: unknown[] = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(check.audience)) throw invalid();
    if (typeof jti !== 'string' || jti === '' || !isSeconds(iat) || !isSeconds(exp)) throw invalid();
    if (iat > t + CLOCK_SKEW_SECONDS || exp + CLOCK_SKEW_SECONDS <= t || exp - iat > MAX_TOKEN_SECONDS || (nbf !== undefined && (!isSeconds(nbf) || nbf > t + CLOCK_SKEW_SECONDS))) throw invalid();
    return { iss, jti, iat, exp, rememberUntil: exp + CLOCK_SKEW_SECONDS };
  } catch (error) {
    if (error instanceof AuthError) throw error;
    if (error instanceof SignatureError || error instanceof KeyError) throw invalid(error);
    throw error;
  }
}
