/**
 * The client side of participant authentication: a short-lived bearer token (JWT) signed with the
 * participant's registered key. Vendors' systems, the gateway (towards receivers), the demo network
 * and the conformance suite use it; src/http/auth.ts checks it.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Signer } from './signer.js';

/** Longest accepted lifetime of a bearer token, from `iat` to `exp`, in seconds. */
export const MAX_TOKEN_SECONDS = 300;

/** A bearer token for `signer`'s participant to call the gateway whose OIN is `audience`. */
export async function createBearerToken(signer: Signer, audience: string, options: { now?: Date; seconds?: number } = {}): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' })
    .setIssuer(signer.oin)
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.min(options.seconds ?? 60, MAX_TOKEN_SECONDS))
    .setJti(randomUUID())
    .sign(signer.key);
}
