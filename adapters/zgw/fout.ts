/**
 * The ZGW adapter's refusals: RFC 9457 problem details, as the gateway sends them (type, title,
 * status, detail and the rule issues of the Zicht standard), with the members the VNG ZGW APIs'
 * `Fout` schema adds (`code`, `instance`), so that both a Zicht gateway and a ZGW consumer (the
 * Notificaties API) read them. Titles and details are fixed texts: nothing from the request is echoed.
 */
import { randomUUID } from 'node:crypto';
import { problemBody, type ProblemStatus } from '../../src/http/problem.js';
import type { Issue } from '../../src/model/outcome.js';

/** A problem+json response with a stable `code` (a ZGW adapter, Zicht or notification code). */
export function fout(status: ProblemStatus, code: string, detail: string, issues: readonly Issue[] = []): Response {
  return new Response(JSON.stringify({ ...problemBody(status, detail, issues), code, instance: `urn:uuid:${randomUUID()}` }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}
