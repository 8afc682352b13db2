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
const seconds = (value: string | undefined): number | undefined => (value === undefined ? undefined : Math.floor(Date.parse(value) / 1000));

/**
 * How long the key directory may take, in milliseconds: a receiver answers a push within 10 seconds (AFL-001),
 * so a directory that does not answer in time is unavailable (AFL-004), not waited for.
 */
const DIRECTORY_TIMEOUT_MS = 5_000;

/** Members of a published entry a receiver ignores (spec/v1/receiver.md §4): a key set holds signing keys only. */
const IGNORED_MEMBERS: ReadonlySet<string> = new Set(['use', 'key_ops']);
/** The window members of a published entry, which are not part of the JWK. */
const WINDOW_MEMBERS: ReadonlySet<string> = new Set(['nbf', 'exp', 'revokedAt']);
const without = (value: object, names: ReadonlySet<string>): Record<string, unknown> => Object.fromEntries(Object.entries(value).filter(([name]) => !names.has(name)));

/** The earliest of the defined instants (`pick` = Math.min) or the latest (Math.max); undefined when none is. */
const bound = (values: readonly (number | undefined)[], pick: (...n: number[]) => number): number | undefined => {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? undefined : pick(...defined);
};

/**
 * The key and window of the entries published under one `kid` (spec/v1/receiver.md §4, implementation-questions
 * Q76–Q80, Q168). Each entry is read by the published schema, `use` and `key_ops` ignored: one that cannot be read
 * (a window that is no RFC 3339 date-time with offset, a member its `kty` needs missing or malformed, a `kty` or
 * `crv` Zicht does not use, a private member) is the directory's fault, so the keys cannot be obtained (AFL-004,
 * 503), never "no such key" (422). Two or more entries verify only where every one is valid: their windows'
 * intersection.
 *
 * @throws {ClientError} `ZICHT_CLIENT_UNAVAILABLE` when an entry cannot be read.
 */
function publishedUnderKid(entries: readonly unknown[]): Omit<ResolvedKey, 'kid' | 'rol'> {
  const read = entries.map((entry) => {
    const parsed = GepubliceerdeSleutel.safeParse(without(entry as object, IGNORED_MEMBERS));
    if (!parsed.success) throw new ClientError('ZICHT_CLIENT_UNAVAILABLE', { status: 200, title: 'the key directory serves an entry under this kid that cannot be read', issues: [] });
    return parsed.data;
  });
  const [first] = read;
  if (first === undefined) throw new ClientError('ZICHT_CLIENT_UNAVAILABLE', { status: 200, title: 'the key directory serves no entry under this kid', issues: [] });
  const jwk = PublicJwk.parse(without(first, WINDOW_MEMBERS));
  const nbf = bound(read.map((k) => seconds(k.nbf)), Math.max);
  const exp = bound(read.map((k) => seconds(k.exp)), Math.min);
  const revokedAt = bound(read.map((k) => seconds(k.revokedAt)), Math.min);
  return { jwk, ...(nbf === undefined ? {} : { nbf }), ...(exp === undefined ? {} : { exp }), ...(revokedAt === undefined ? {} : { revokedAt }) };
}

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
      const entries = (keys as unknown[]).filter((k) => typeof k === 'object' && k !== null && (k as { kid?: unknown }).kid === kid);
      if (entries.length === 0) return undefined;
      return {
        kid,
        ...publishedUnderKid(entries),
        ...(oin === options.gatewayOin ? { rol: 'gateway' } : {}),
      };
    },
  };
}
