/**
 * The FHIR route's HTTP edge: content type and size, then {@link processMessage}. Wired into the
 * gateway's app (src/http/app.ts) behind its authentication as POST /v1/fhir/$process-message.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { instanceCapabilityStatement } from './capability.js';
import type { AcceptDeps } from '../../src/accept/accept.js';
import { MAX_BERICHT_BYTES } from '../../src/rules/bericht.js';
import { issueFor } from '../../src/rules/issue.js';
import { operationOutcome } from './outcome.js';
import { processMessage } from './process-message.js';

/** The FHIR base path of the gateway. */
export const FHIR_BASE_PATH = '/v1/fhir';

/** The path of the operation. */
export const PROCESS_MESSAGE_PATH = `${FHIR_BASE_PATH}/$process-message`;

const FHIR_JSON = 'application/fhir+json';

const fhirResponse = (status: number, body: unknown, retryAfter?: number, extra: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': `${FHIR_JSON}; charset=utf-8`, ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }), ...extra } });

/** Refuses a body over the bericht limit while it streams in, with an OperationOutcome (BER-002). */
export const fhirBodyLimit = bodyLimit({
  maxSize: MAX_BERICHT_BYTES,
  // Connection: close: the rest of the body is not read, so the connection is not reused (as POST /v1/berichten).
  onError: () => fhirResponse(413, operationOutcome([{ ...issueFor('BER-002', []), expression: 'Bundle' }]), undefined, { connection: 'close' }),
});

/** Handles POST /v1/fhir/$process-message for an authenticated caller; `onAccepted` runs when a new bericht was accepted. */
export async function handleProcessMessage(request: Request, callerOin: string, deps: AcceptDeps & { readonly onAccepted?: () => void }, traceparent: string): Promise<Response> {
  if (!/^application\/(fhir\+)?json\s*(;\s*(charset=utf-8|fhirVersion=4\.0)\s*)*$/i.test(request.headers.get('content-type') ?? '')) {
    return fhirResponse(415, operationOutcome([], { code: 'not-supported', text: 'Send the message as application/fhir+json.' }));
  }
  const outcome = await processMessage(new Uint8Array(await request.arrayBuffer()), callerOin, deps, { traceparent });
  if (outcome.accepted) deps.onAccepted?.();
  return fhirResponse(outcome.status, outcome.body, outcome.retryAfter);
}

/** The OperationOutcome issue type (FHIR R4 issue-type) for an HTTP status the gateway refuses with. */
const ISSUE_TYPE: Readonly<Record<number, string>> = { 400: 'structure', 401: 'login', 403: 'forbidden', 404: 'not-found', 413: 'too-long', 415: 'not-supported', 429: 'throttled', 500: 'exception', 503: 'transient' };

/**
 * On the FHIR base path every refusal is an OperationOutcome, whatever refused it (authentication,
 * rate limit, an unavailable database, an unknown route): a FHIR client reads no problem+json. The
 * status and its headers (WWW-Authenticate, Retry-After) stay; the text is the problem's fixed detail.
 */
export const fhirRefusals: MiddlewareHandler = async (c, next) => {
  await next();
  if (!(c.res.headers.get('content-type') ?? '').startsWith('application/problem+json')) return;
  const problem = (await c.res.clone().json()) as { detail?: unknown };
  const headers = new Headers(c.res.headers);
  headers.set('content-type', `${FHIR_JSON}; charset=utf-8`);
  const text = typeof problem.detail === 'string' ? problem.detail : 'The request was refused.';
  c.res = new Response(JSON.stringify(operationOutcome([], { code: ISSUE_TYPE[c.res.status] ?? 'processing', text })), { status: c.res.status, headers });
};

/** `GET /v1/fhir/metadata`: the gateway's CapabilityStatement, with the base URL it was asked at. */
export function capabilityResponse(requestUrl: string): Response {
  const base = new URL(FHIR_BASE_PATH, requestUrl).toString();
  return fhirResponse(200, instanceCapabilityStatement(base));
}
