/**
 * A receiving system's view of the registry: it fetches a participant's published keys from the
 * gateway (`GET /v1/deelnemers/{oin}/jwks`) to verify the sender's signature and the gateway's
 * countersignature itself, rather than trusting the transport.
 */
import { request } from 'undici';
import { PublicJwk } from '../signing/jwk.js';
import type { KeyResolver, ResolvedKey } from '../signing/key-resolver.js';
import { parseStrictJson } from '../json/strict-json.js';

const seconds = (value: unknown): number | undefined => (typeof value === 'string' ? Math.floor(Date.parse(value) / 1000) : undefined);

/** A key resolver over the gateway's published participant keys, with their validity windows and roles. */
export function remoteKeyResolver(gatewayUrl: () => string, roleOf: (oin: string) => string | undefined): KeyResolver {
  return {
    async resolve(oin, kid): Promise<ResolvedKey | undefined> {
      const response = await request(`${gatewayUrl()}/v1/deelnemers/${oin}/jwks`);
      if (response.statusCode !== 200) {
        await response.body.dump();
        return undefined;
      }
      const { keys } = parseStrictJson(await response.body.text()) as { keys: Record<string, unknown>[] };
      const found = keys.find((k) => k.kid === kid);
      if (!found) return undefined;
      const { nbf, exp, revokedAt, ...jwk } = found;
      const parsed = PublicJwk.safeParse(jwk);
      if (!parsed.success) return undefined;
      const rol = roleOf(oin);
      const window = { nbf: seconds(nbf), exp: seconds(exp), revokedAt: seconds(revokedAt) };
      return {
        kid,
        jwk: parsed.data,
        ...(rol === undefined ? {} : { rol }),
        ...(window.nbf === undefined ? {} : { nbf: window.nbf }),
        ...(window.exp === undefined ? {} : { exp: window.exp }),
        ...(window.revokedAt === undefined ? {} : { revokedAt: window.revokedAt }),
      };
    },
  };
}
