/**
 * RFC 9457 problem details: every rejection the gateway sends is `application/problem+json` with
 * the list of issues (rule id, JSON path, message) that caused it. Titles and details are fixed
 * texts: nothing from the request is echoed.
 */
import type { Issue } from '../model/outcome.js';
import { issueFor } from '../rules/issue.js';

/** The HTTP statuses the gateway refuses with, and their fixed titles. */
export const PROBLEMS = {
  400: { type: 'urn:zicht:problem:malformed', title: 'Bad request' },
  401: { type: 'urn:zicht:problem:unauthenticated', title: 'Not authenticated' },
  403: { type: 'urn:zicht:problem:forbidden', title: 'Forbidden' },
  404: { type: 'urn:zicht:problem:not-found', title: 'Not found' },
  409: { type: 'urn:zicht:problem:conflict', title: 'Conflict' },
  413: { type: 'urn:zicht:problem:too-large', title: 'Payload too large' },
  415: { type: 'urn:zicht:problem:unsupported-media-type', title: 'Unsupported media type' },
  422: { type: 'urn:zicht:problem:rule-violation', title: 'The bericht breaks rules of the standard' },
  429: { type: 'urn:zicht:problem:rate-limited', title: 'Too many requests' },
  500: { type: 'urn:zicht:problem:internal', title: 'Internal error' },
  502: { type: 'urn:zicht:problem:upstream', title: 'Bad gateway' },
  503: { type: 'urn:zicht:problem:unavailable', title: 'Service unavailable' },
} as const;

export type ProblemStatus = keyof typeof PROBLEMS;

/** The body of a problem response. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: ProblemStatus;
  readonly detail: string;
  readonly issues: readonly Issue[];
}

/** A problem body for a status, with a fixed detail text and the issues. */
export function problemBody(status: ProblemStatus, detail: string, issues: readonly Issue[] = []): ProblemBody {
  return { ...PROBLEMS[status], status, detail, issues };
}

/** A problem response; `headers` adds e.g. Retry-After or WWW-Authenticate. */
export function problemResponse(status: ProblemStatus, detail: string, issues: readonly Issue[] = [], headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problemBody(status, detail, issues)), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

/** Where a request parameter is (OpenAPI `in`). */
export type ParameterLocation = 'path' | 'query';

/**
 * A 400 for a request parameter that does not have the form the OpenAPI document gives it (BER-030), with an issue
 * naming the parameter (`$.path.oin`, `$.query.limit`): a malformed id is a bad request, not an unknown resource.
 */
export function parameterProblem(location: ParameterLocation, names: readonly string[], detail: string): Response {
  return problemResponse(400, detail, names.map((name) => issueFor('BER-030', [location, name])));
}
