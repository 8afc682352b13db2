/**
 * One request to a ZGW API: the JWT, the CRS headers the Zaken API requires on every call
 * (`Accept-Crs`, and `Content-Crs` with a body), JSON in and out. Failures become a {@link ZgwError}
 * by status only: a response body is never read into an error or a log.
 */
import { ZgwError } from './errors.js';
import { parseStrictJson } from '../../src/json/strict-json.js';
import { zgwToken } from './jwt.js';

const RETRYABLE = new Set([408, 425, 429]);

/** Raises the error an HTTP status stands for (nothing for 2xx). */
export function checkStatus(status: number): void {
  if (status >= 200 && status < 300) return;
  throw new ZgwError(status >= 500 || RETRYABLE.has(status) ? 'ZGW_UNAVAILABLE' : 'ZGW_REFUSED', status);
}

/** Sends a request; returns the parsed JSON body of a 2xx answer. */
export async function zgwRequest(client: { clientId: string; secret: string }, method: 'GET' | 'POST', url: string, body?: unknown): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${await zgwToken(client)}`,
        accept: 'application/json',
        'accept-crs': 'EPSG:4326',
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-crs': 'EPSG:4326' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new ZgwError('ZGW_UNAVAILABLE');
  }
  checkStatus(response.status);
  const json: unknown = await response.text().then(parseStrictJson).catch(() => undefined);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ZgwError('ZGW_RESPONSE_INVALID', response.status);
  return json as Record<string, unknown>;
}

/** The `url` of a created or fetched resource. */
export function urlOf(resource: Record<string, unknown>): string {
  const url = resource.url;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new ZgwError('ZGW_RESPONSE_INVALID');
  return url;
}
