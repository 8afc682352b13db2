/**
 * The log of a gateway over its HTTP API (src/http/log-routes.ts). Entries need a participant's bearer
 * token, made fresh for each request (a token's jti is single-use); key, checkpoint and consistency proofs
 * are public.
 */
import { IoError } from '../errors.js';
import type { LogSource } from './export.js';
import type { LogEntries } from './log-view.js';
import { parseStrictJson } from '../json/strict-json.js';

/** Reads a gateway's log; `token` makes a bearer token for one request (or is absent: public routes only). */
export function httpLogSource(baseUrl: string, options: { token?: () => Promise<string> } = {}): LogSource & { checkpoint(): Promise<string | undefined> } {
  const base = baseUrl.replace(/\/+$/, '');
  let complete = false;
  async function get(path: string, auth: boolean): Promise<Response> {
    const headers: Record<string, string> = {};
    if (auth && options.token !== undefined) headers.authorization = `Bearer ${await options.token()}`;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { headers });
    } catch (error) {
      throw new IoError(`cannot reach the gateway (${error instanceof Error ? error.name : 'unknown error'})`, { cause: error });
    }
    return response;
  }
  async function json(path: string, auth: boolean): Promise<unknown> {
    const response = await get(path, auth);
    if (!response.ok) throw new IoError(`the gateway answered ${response.status} to ${path.split('?')[0] ?? path}`);
    return parseStrictJson(await response.text());
  }
  return {
    get complete() {
      return complete;
    },
    verifierKey: async () => {
      const body = (await json('/v1/log/key', false)) as { verifierKey?: unknown };
      if (typeof body.verifierKey !== 'string') throw new IoError('the gateway published no log key');
      return body.verifierKey;
    },
    entries: async (start, end) => {
      const response = await get(`/v1/log/entries?start=${start}&end=${end}`, true);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new IoError(`the gateway answered ${response.status} to /v1/log/entries`);
      const page = parseStrictJson(await response.text()) as LogEntries;
      complete = page.view === 'all';
      return page;
    },
    consistency: async (from, to) => ((await json(`/v1/log/proof/consistency?from=${from}&to=${to}`, false)) as { proof: string[] }).proof,
    checkpoint: async () => {
      const response = await get('/v1/log/checkpoint', false);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new IoError(`the gateway answered ${response.status} to /v1/log/checkpoint`);
      return response.text();
    },
  };
}
