/**
 * W3C Trace Context: a request's `traceparent` is kept (when well-formed) or a new one is started,
 * and returned on the response so a participant can quote it when reporting a problem.
 */
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The traceparent to answer with: the caller's trace with a new span id, or a new trace. */
export function traceparentOf(incoming: string | undefined): string {
  const match = incoming === undefined ? null : TRACEPARENT.exec(incoming);
  const traceId = match?.[1] !== undefined && !/^0+$/.test(match[1]) ? match[1] : randomBytes(16).toString('hex');
  return `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
}
