/**
 * A participant's view of the registry: the keys the gateway publishes for each participant
 * (`GET /v1/deelnemers/{oin}/jwks`, with their validity windows), to verify a sender's signature and
 * the gateway's countersignature without trusting the transport. Only the gateway's own OIN is given
 * the role `gateway` (SIG-004): a countersignature by any other participant's key is refused.
 *
 * A key directory that cannot be read is not "no such key": it throws `ZICHT_CLIENT_UNAVAILABLE`, so
 * that a receiver answers 503 and the gateway retries, rather than refusing the bericht for good.
 */
import { request, type Dispatcher } from 'undici';
import { ClientError } from '../errors.js';
import { PublicJwk } from '../signing/jwk.js';
import type { KeyResolver, ResolvedKey } from '../signing/key-resolver.js';

/** Where the gateway is. */
export interface GatewayKeysOptions {
  /** The gateway's base URL, without `/v1`. */
  readonly gatewayUrl: string;
  readonly gatewayOin: string;
  readonly dispatcher?: Dispatcher;
}

/** NumericDate of an RFC 3339 member of the published key set, as the gateway writes nbf, exp and revokedAt. */
const seconds = (value: unknown): number | undefined => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? Math.floor(Date.parse(value) / 1000) : undefined);

/** A key resolver over the gateway's published participant keys. */
export function gatewayKeyResolver(options: GatewayKeysOptions): KeyResolver {
  const base = options.gatewayUrl.replace(/\/+$/, '');
  return {
    async resolve(oin, kid): Promise<ResolvedKey | undefined> {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(`${base}/v1/deelnemers/${encodeURIComponent(oin)}/jwks`, options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher });
      } catch (error) {
        throw new ClientError('ZICHT_CLIENT_UNAVAILABLE', { status: 0, title: 'the key directory did not answer', issues: [] }, { cause: error });
      }
      if (response.statusCode === 404) {
        await response.body.dump();
        return undefined;
      }
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw new ClientError('ZICHT_CLIENT_UNAVAILABLE', { status: response.statusCode, title: 'the key directory could not be read', issues: [] });
      }
      const body = (await response.body.json()) as { keys?: unknown };
      const found = (Array.isArray(body.keys) ? (body.keys as Record<string, unknown>[]) : []).find((k) => k.kid === kid);
      if (!found) return undefined;
      const { nbf, exp, revokedAt, ...jwk } = found;
      const parsed = PublicJwk.safeParse(jwk);
      if (!parsed.success) return undefined;
      const window = { nbf: seconds(nbf), exp: seconds(exp), revokedAt: seconds(revokedAt) };
      return {
        kid,
        jwk: parsed.data,
        ...(oin === options.gatewayOin ? { rol: 'gateway' } : {}),
        ...(window.nbf === undefined ? {} : { nbf: window.nbf }),
        ...(window.exp === undefined ? {} : { exp: window.exp }),
        ...(window.revokedAt === undefined ? {} : { revokedAt: window.revokedAt }),
      };
    },
  };
}
