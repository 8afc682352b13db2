/**
 * The FHIR route's HTTP edge: content type and size, then {@link processMessage}. Wired into the
 * gateway's app (src/http/app.ts) behind its authentication as POST /v1/fhir/$process-message.
 */
import { bodyLimit } from 'hono/body-limit';
import type { AcceptDeps } from '../../src/accept/accept.js';
import { MAX_BERICHT_BYTES } from '../../src/rules/bericht.js';
import { issueFor } from '../../src/rules/issue.js';
import { operationOutcome } from './outcome.js';
import { processMessage } from './process-message.js';

/** The path of the operation. */
export const PROCESS_MESSAGE_PATH = '/v1/fhir/$process-message';

const FHIR_JSON = 'application/fhir+json';

const fhirResponse = (status: number, body: unknown, retryAfter?: number): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': `${FHIR_JSON}; charset=utf-8`, ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }) } });

/** Refuses a body over the bericht limit while it streams in, with an OperationOutcome (BER-002). */
export const fhirBodyLimit = bodyLimit({
  maxSize: MAX_BERICHT_BYTES,
  onError: () => fhirResponse(413, operationOutcome([{ ...issueFor('BER-002', []), expression: 'Bundle' }])),
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
