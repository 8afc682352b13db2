/**
 * A receiving system's view of the registry: it fetches a participant's published keys from the
 * gateway (`GET /v1/deelnemers/{oin}/jwks`, spec/v1/receiver.md "Keys") to verify the sender's signature,
 * the gateway's countersignature and its push token itself, rather than trusting the transport.
 *
 * Fail closed (AFL-004): a 404 means the participant has no keys (the signature is refused, SIG-003); no
 * answer or any other status means nothing can be verified now, and throws {@link KeyDirectoryError} so
 * that the receiver answers 503 and the gateway tries again, rather than refusing for good or taking the
 * bericht unverified.
 */
import { request } from 'undici';
import { KeyDirectoryError } from '../errors.js';
import { GepubliceerdeSleutel } from '../registry/published-keys.js';
import type { KeyResolver, ResolvedKey } from '../signing/key-resolver.js';

const seconds = (value: string | undefined): number | undefined => (value === undefined ? undefined : Math.floor(Date.parse(value) / 1000));

/** How long the key directory may take to answer, in milliseconds: a receiver answers a push within 10 s (AFL-001). */
const DIRECTORY_TIMEOUT_MS = 5_000;

async function fetchKeys(url: string): Promise<Record<string, unknown>[] | undefined> {
  let response;
  try {
    response = await request(url, { headersTimeout: DIRECTORY_TIMEOUT_MS, bodyTimeout: DIRECTORY_TIMEOUT_MS });
  } catch (error) {
    throw new KeyDirectoryError({ cause: error });
  }
  if (response.statusCode === 404) {
    await response.body.dump();
    return undefined;
  }
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new KeyDirectoryError();
  }
  try {
    const { keys } = (await response.body.json()) as { keys?: unknown };
    return Array.isArray(keys) ? keys.filter((k): k is Record<string, unknown> => typeof k === 'object' && k !== null) : [];
  } catch (error) {
    throw new KeyDirectoryError({ cause: error });
  }
}

/** The key `kid` of a published key (as the directory serves it), with its validity window and `rol`; undefined when it is not one. */
export function publishedKey(published: unknown, kid: string, rol: string | undefined): ResolvedKey | undefined {
  const parsed = GepubliceerdeSleutel.safeParse(published);
  if (!parsed.success || parsed.data.kid !== kid) return undefined;
  const { nbf, exp, revokedAt, ...jwk } = parsed.data;
  const window = { nbf: seconds(nbf), exp: seconds(exp), revokedAt: seconds(revokedAt) };
  return {
    kid,
    jwk,
    ...(rol === undefined ? {} : { rol }),
    ...(window.nbf === undefined ? {} : { nbf: window.nbf }),
    ...(window.exp === undefined ? {} : { exp: window.exp }),
    ...(window.revokedAt === undefined ? {} : { revokedAt: window.revokedAt }),
  };
}

/**
 * A key resolver over the gateway's published participant keys, with their validity windows and roles;
 * `onKeys` is told of every key set fetched.
 *
 * @throws {KeyDirectoryError} from `resolve` when the directory does not answer, or answers other than 200 or 404.
 */
export function remoteKeyResolver(gatewayUrl: () => string, roleOf: (oin: string) => string | undefined, onKeys?: (oin: string, keys: readonly Record<string, unknown>[]) => void): KeyResolver {
  return {
    async resolve(oin, kid): Promise<ResolvedKey | undefined> {
      const keys = await fetchKeys(`${gatewayUrl()}/v1/deelnemers/${oin}/jwks`);
      if (keys !== undefined) onKeys?.(oin, keys);
      return publishedKey(keys?.find((k) => k.kid === kid), kid, roleOf(oin));
    },
  };
}
