/**
 * A receiving system's view of the registry: it fetches a participant's published keys from the
 * gateway (`GET /v1/deelnemers/{oin}/jwks`) to verify the sender's signature and the gateway's
 * countersignature itself, rather than trusting the transport.
 *
 * A 404 means the participant (and so the key) is unknown. Any other failure to read the key
 * directory (a 5xx, no answer, a body that is no key set) is thrown as an {@link IoError}: the
 * caller cannot tell a valid bericht from a forged one then, and must not accept it (fail closed),
 * nor refuse it for good (the gateway would dead-letter a valid bericht): it answers 503.
 */
import { request } from 'undici';
import { IoError } from '../errors.js';
import { PublicJwk } from '../signing/jwk.js';
import type { KeyResolver, ResolvedKey } from '../signing/key-resolver.js';

/** A validity bound as NumericDate seconds (from RFC 3339, as the gateway publishes it, or NumericDate); NaN when unreadable. */
const seconds = (value: unknown): number | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? Math.floor(Date.parse(value) / 1000) : typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;

/** The published keys of one participant, or undefined when the directory does not know it (404). */
async function fetchKeys(url: string): Promise<Record<string, unknown>[] | undefined> {
  let status: number;
  let body: unknown;
  try {
    const response = await request(url, { headersTimeout: 10_000, bodyTimeout: 10_000 });
    status = response.statusCode;
    if (status === 200) body = await response.body.json();
    else await response.body.dump();
  } catch (error) {
    throw new IoError('the key directory could not be read', { cause: error });
  }
  if (status === 404) return undefined;
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (status !== 200 || !Array.isArray(keys)) throw new IoError(`the key directory answered ${status} without a key set`);
  return keys.filter((k): k is Record<string, unknown> => typeof k === 'object' && k !== null);
}

/** The key `kid` of a published key set, with its validity window, or undefined. */
export function publishedKey(keys: readonly Record<string, unknown>[], kid: string, rol: string | undefined): ResolvedKey | undefined {
  const found = keys.find((k) => k.kid === kid);
  if (!found) return undefined;
  const { nbf, exp, revokedAt, ...jwk } = found;
  const parsed = PublicJwk.safeParse(jwk);
  if (!parsed.success) return undefined;
  const window = { nbf: seconds(nbf), exp: seconds(exp), revokedAt: seconds(revokedAt) };
  // A bound that cannot be read makes the key unusable: read as absent, it would make a revoked key valid.
  if (Object.values(window).some((t) => t !== undefined && Number.isNaN(t))) return undefined;
  return {
    kid,
    jwk: parsed.data,
    ...(rol === undefined ? {} : { rol }),
    ...(window.nbf === undefined ? {} : { nbf: window.nbf }),
    ...(window.exp === undefined ? {} : { exp: window.exp }),
    ...(window.revokedAt === undefined ? {} : { revokedAt: window.revokedAt }),
  };
}

/**
 * A key resolver over the gateway's published participant keys, with their validity windows and roles.
 *
 * @throws {IoError} from `resolve` when the key directory cannot be read.
 */
export function remoteKeyResolver(gatewayUrl: () => string, roleOf: (oin: string) => string | undefined, onKeys?: (oin: string, keys: readonly Record<string, unknown>[]) => void): KeyResolver {
  return {
    async resolve(oin, kid): Promise<ResolvedKey | undefined> {
      const keys = await fetchKeys(`${gatewayUrl()}/v1/deelnemers/${oin}/jwks`);
      if (keys === undefined) return undefined;
      onKeys?.(oin, keys);
      return publishedKey(keys, kid, roleOf(oin));
    },
  };
}
