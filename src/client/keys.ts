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
import { parseStrictJson } from '../json/strict-json.js';
import { GepubliceerdeSleutel } from '../registry/published-keys.js';
import type { KeyResolver, ResolvedKey } from '../signing/key-resolver.js';

/** Where the gateway is. */
export interface GatewayKeysOptions {
  /** The gateway's base URL, without `/v1`. */
  readonly gatewayUrl: string;
  readonly gatewayOin: string;
  readonly dispatcher?: Dispatcher;
}

/** NumericDate of an RFC 3339 member of the published key set, as the gateway writes nbf, exp and revokedAt. */
const seconds = (value: string | undefined): number | undefined => (value === undefined ? undefined : Math.floor(Date.parse(value) / 1000));

/**
 * How long the key directory may take, in milliseconds: a receiver answers a push within 10 seconds (AFL-001),
 * so a directory that does not answer in time is unavailable (AFL-004), not waited for.
 */
const DIRECTORY_TIMEOUT_MS = 5_000;

/** A key resolver over the gateway's published participant keys. */
export function gatewayKeyResolver(options: GatewayKeysOptions): KeyResolver {
  const base = options.gatewayUrl.replace(/\/+$/, '');
  return {
    async resolve(oin, kid): Promise<ResolvedKey | undefined> {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(`${base}/v1/deelnemers/${encodeURIComponent(oin)}/jwks`, {
          headersTimeout: DIRECTORY_TIMEOUT_MS,
          bodyTimeout: DIRECTORY_TIMEOUT_MS,
          ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
        });
      } catch (error) {
        throw new ClientError('ZICHT_CLIENT_UNAVAILABLE', { status: 0, title: 'the key directory did not answer', issues: [] }, { cause: error });
      }
      if (response.statusCode === 404) {
        await response.body.dump();
        // No keys for a participant decides its signature (SIG-003); none for the gateway itself is a directory that cannot serve (AFL-004).
        if (oin === options.gatewayOin) throw new ClientError('ZICHT_CLIENT_UNAVAILABLE', { status: 404, title: "the key directory has no keys for the gateway's own OIN", issues: [] });
        return undefined;
      }
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw new ClientError('ZICHT_CLIENT_UNAVAILABLE', { status: response.statusCode, title: 'the key directory could not be read', issues: [] });
      }
      let body: unknown;
      try {
        body = parseStrictJson(await response.body.text());
      } catch (error) {
        throw new ClientError('ZICHT_CLIENT_UNAVAILABLE', { status: response.statusCode, title: 'the key directory answered no JSON', issues: [] }, { cause: error });
      }
      // A 200 that is no JWK Set is a directory that cannot serve, not a participant without keys (AFL-004).
      const keys = typeof body === 'object' && body !== null ? (body as { keys?: unknown }).keys : undefined;
      if (!Array.isArray(keys)) throw new ClientError('ZICHT_CLIENT_UNAVAILABLE', { status: response.statusCode, title: 'the key directory answered no JWK Set', issues: [] });
      const found = (keys as unknown[]).find((k) => typeof k === 'object' && k !== null && (k as { kid?: unknown }).kid === kid);
      // Read by the published schema (spec/v1/schemas/DeelnemerJwks.schema.json): windows are RFC 3339 date-times.
      const parsed = GepubliceerdeSleutel.safeParse(found);
      if (!parsed.success) return undefined;
      const { nbf, exp, revokedAt, ...jwk } = parsed.data;
      const window = { nbf: seconds(nbf), exp: seconds(exp), revokedAt: seconds(revokedAt) };
      return {
        kid,
        jwk,
        ...(oin === options.gatewayOin ? { rol: 'gateway' } : {}),
        ...(window.nbf === undefined ? {} : { nbf: window.nbf }),
        ...(window.exp === undefined ? {} : { exp: window.exp }),
        ...(window.revokedAt === undefined ? {} : { revokedAt: window.revokedAt }),
      };
    },
  };
}
