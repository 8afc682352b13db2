/**
 * The `Retry-After` header (RFC 9110 §10.2.3) as both sides of Zicht read it: the gateway on a receiver's
 * answer to a push (AFL-008), and every sender on the gateway's answer to its bericht (receiver.md §9). Either
 * honours it up to one hour.
 */

/** Longest Retry-After honoured (AFL-008, receiver.md §9): an answer cannot park a bericht for longer than one backoff step. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * A Retry-After header (delay-seconds or an HTTP-date) as milliseconds from `now`, at most
 * {@link MAX_RETRY_AFTER_MS}; undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | string[] | undefined, now: Date): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  const ms = /^\d{1,10}$/.test(value) ? Number(value) * 1000 : /[A-Za-z]/.test(value) ? Date.parse(value) - now.getTime() : Number.NaN;
  return Number.isNaN(ms) ? undefined : Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
