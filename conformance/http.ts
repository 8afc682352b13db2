/**
 * The suite's HTTP client: posts a bericht with a bearer token and keeps, of the answer, only the
 * status, the rule ids of a problem+json body and a JSON body the standard defines (a transport
 * receipt). A system's own error text is never kept: it could echo anything.
 */
import { request } from 'undici';
import { parseStrictJson } from '../src/json/strict-json.js';
import { KEY_SET_MIN_FETCH_INTERVAL_MS } from '../src/rules/aflevering.js';
import { createBearerToken } from '../src/signing/bearer-token.js';
import type { Signer } from '../src/signing/signer.js';

/** What came back. `status` 0: no HTTP answer (network error or time-out), with `code`. */
export interface Response {
  readonly status: number;
  readonly rules: readonly string[];
  readonly json?: unknown;
  readonly code?: string;
}

const rulesOf = (body: unknown): string[] => {
  const issues = (body as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((i) => {
    const rule = (i as { rule?: unknown } | null)?.rule;
    return typeof rule === 'string' && /^[A-Z]{3}-\d{3}$/.test(rule) ? [rule] : [];
  });
};

/**
 * POSTs `body` to `url` as `signer`'s participant, with a token for `audience`; `contentType` for a JWE
 * (`application/jose`, ENC-003). `authorization` replaces the token (a case that tests a bad one; null: none).
 */
export async function postBericht(url: string, body: Uint8Array | string, signer: Signer | undefined, audience: string, timeoutMs = 10_000, contentType = 'application/json', authorization?: string | null): Promise<Response> {
  try {
    const header = authorization !== undefined ? authorization : signer ? `Bearer ${await createBearerToken(signer, audience)}` : null;
    const response = await request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, ...(header === null ? {} : { authorization: header }) },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      // A system may answer a large body (BER-002) before reading it all; that connection is not reused.
      reset: body.length > 65_536,
    });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : parseStrictJson(text);
    } catch {
      json = undefined;
    }
    const status = response.statusCode;
    return { status, rules: rulesOf(json), ...(status >= 200 && status < 300 && json !== undefined ? { json } : {}) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { status: 0, rules: [], code: typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'NETWORK_ERROR' };
  }
}

/** GETs JSON from `url` (a JWKS, a postbus page) with an optional bearer token. */
export async function getJson(url: string, signer?: Signer, audience?: string): Promise<{ status: number; json?: unknown }> {
  const response = await request(url, { headers: signer && audience ? { authorization: `Bearer ${await createBearerToken(signer, audience)}` } : {} });
  const text = await response.body.text();
  try {
    return { status: response.statusCode, json: parseStrictJson(text) };
  } catch {
    return { status: response.statusCode };
  }
}

/**
 * How long a receiver may hold back its decision on a bericht, with a margin: just over the interval to which it may
 * limit its fetches of a key set (receiver.md §4, implementation-questions.md Q171). The suite waits this long before
 * it delivers a push again after a `503` or `429`, so that the next attempt can be decided (the gateway itself waits
 * longer: backoff from 1 second, never before a `Retry-After`, receiver.md §7), and a postbus reader's round must begin
 * this long after the first that gave a bericht out before not acknowledging it is its refusal (postbus.ts).
 */
export const HOLD_BACK_MS = KEY_SET_MIN_FETCH_INTERVAL_MS + 100;

/**
 * The `Retry-After` (seconds) the suite as gateway sends with the `429` or `503` of the cases that test a sender
 * honours it (receiver.md §9: a sender sends again "not before a `Retry-After`").
 */
export const SUITE_RETRY_AFTER_S = 2;

/** The header of those answers. */
export const SUITE_RETRY_AFTER_HEADERS: Readonly<Record<string, string>> = { 'retry-after': String(SUITE_RETRY_AFTER_S) };

/**
 * The slack the suite gives a resend after its `Retry-After`: a sender that schedules by a coarse timer may fire a
 * little early. The suite measures from the arrival of the attempt it answered, on its own clock.
 */
export const RETRY_AFTER_SLACK_MS = 100;

/** Whether a resend that arrived `gapMs` after the attempt the suite answered with its `Retry-After` came too early. */
export const tooEarly = (gapMs: number): boolean => gapMs < SUITE_RETRY_AFTER_S * 1000 - RETRY_AFTER_SLACK_MS;

/** Whether the receiver answered that it cannot decide now (receiver.md §7: `503`, `429`), after which the gateway tries again. */
export const isNotNow = (status: number): boolean => status === 503 || status === 429;

/**
 * Delivers with `attempt`, and again after each `503` or `429` (HOLD_BACK_MS later) while the next
 * attempt still ends within `timeoutMs` of the first, as the gateway delivers again (AFL-008); the last answer.
 */
export async function redeliverWhileNotNow(attempt: () => Promise<Response>, timeoutMs: number): Promise<Response> {
  const until = Date.now() + timeoutMs;
  let response = await attempt();
  while (isNotNow(response.status) && Date.now() + HOLD_BACK_MS < until) {
    await new Promise((resolve) => setTimeout(resolve, HOLD_BACK_MS));
    response = await attempt();
  }
  return response;
}

/** Whether a status is a refusal: 4xx. A 5xx is a server error, which a gateway retries for days. */
export const isRefusal = (status: number): boolean => status >= 400 && status < 500;
export const isSuccess = (status: number): boolean => status >= 200 && status < 300;
