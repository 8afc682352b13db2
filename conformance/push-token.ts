/**
 * Wrong push tokens: the ways the bearer token the gateway pushes with can be wrong, each breaking
 * one property a receiver must check before it reads the body. A receiver takes a push only with a
 * JWT that the gateway signed with its published key (iss the gateway's OIN), for the receiver
 * (aud its OIN), valid now and at most 5 minutes long, whose `jti` it has not seen before; anything
 * else it refuses (401) and never acknowledges.
 */
import { randomUUID } from 'node:crypto';
import { createBearerToken } from '../src/signing/bearer-token.js';
import { signBytes } from '../src/signing/jws-crypto.js';
import { generateSigningKey } from '../src/signing/generate.js';
import { createSigner } from '../src/signing/signer.js';
import type { SuiteNetwork } from './network.js';

/** The ways a push token can be wrong (a replayed one is the case's own: a good token used twice). */
export const PUSH_TOKEN_DEFECTS = {
  /** No Authorization header. */
  missing: 'no push token',
  /** Signed with a key the gateway does not publish, under the gateway's kid and OIN. */
  'bad-signature': 'a push token with a signature that does not verify with the gateway\'s key',
  /** For another participant (aud). */
  'wrong-audience': 'a push token for another participant (aud)',
  /** Expired ten minutes ago. */
  expired: 'an expired push token',
  /** Issued and signed by a participant (a VT), not the gateway. */
  'not-gateway': 'a push token issued by a participant that is not the gateway',
  /** Valid now, but an hour long (at most 300 seconds from iat to exp). */
  'long-lived': 'a push token an hour long',
} as const;

export type PushTokenDefect = keyof typeof PUSH_TOKEN_DEFECTS;

/** The Authorization header for a push to `receiverOin` with `defect` (null: none). */
export async function badPushToken(network: SuiteNetwork, receiverOin: string, defect: PushTokenDefect): Promise<string | null> {
  const gateway = network.gateway;
  switch (defect) {
    case 'missing':
      return null;
    case 'bad-signature': {
      const stranger = await createSigner({ privateJwk: (await generateSigningKey('ES256')).privateJwk, oin: gateway.oin });
      const forged = await createBearerToken(stranger, receiverOin);
      const [, payload, signature] = forged.split('.');
      const header = Buffer.from(JSON.stringify({ alg: gateway.alg, kid: gateway.kid, typ: 'JWT' })).toString('base64url');
      return `Bearer ${header}.${payload ?? ''}.${signature ?? ''}`;
    }
    case 'wrong-audience': {
      const other = network.parties.find((p) => p.oin !== receiverOin)?.oin ?? gateway.oin;
      return `Bearer ${await createBearerToken(gateway, other)}`;
    }
    case 'expired':
      return `Bearer ${await createBearerToken(gateway, receiverOin, { now: new Date(Date.now() - 11 * 60_000), seconds: 60 })}`;
    case 'long-lived': {
      const header = Buffer.from(JSON.stringify({ alg: gateway.alg, kid: gateway.kid, typ: 'JWT' })).toString('base64url');
      const iat = Math.floor(Date.now() / 1000);
      const payload = Buffer.from(JSON.stringify({ iss: gateway.oin, aud: receiverOin, iat, exp: iat + 3600, jti: randomUUID() })).toString('base64url');
      const signature = await signBytes(gateway.alg, gateway.key, Buffer.from(`${header}.${payload}`));
      return `Bearer ${header}.${payload}.${signature.toString('base64url')}`;
    }
    case 'not-gateway': {
      const vt = network.parties.find((p) => p.rol === 'vt' && p.oin !== receiverOin)?.oin ?? network.parties[0]?.oin ?? gateway.oin;
      return `Bearer ${await createBearerToken(await network.signer(vt), receiverOin)}`;
    }
  }
}
