/**
 * How a participant sends again after the gateway's answer (receiver.md §9, implementation-questions Q70): the same
 * bytes after a 5xx, a 408, 425 or 429 or no answer, never before the answer's Retry-After.
 */
import { retryAfterMs } from '../http/retry-after.js';

/** Statuses below 500 a sender retries with the same bytes (implementation-questions Q70). */
export const RETRIED_STATUSES: ReadonlySet<number> = new Set([408, 425, 429]);

/** Whether a sender sends the same bytes again after `status` (0: no answer). A 401 is its own case (one attempt at once, with a new token). */
export const isRetriedBySender = (status: number): boolean => status === 0 || status >= 500 || RETRIED_STATUSES.has(status);

/** The wait before the next attempt: the sender's own backoff step, and never less than the answer's Retry-After (at most an hour). */
export const nextAttemptDelayMs = (stepMs: number, retryAfter: string | string[] | undefined, now: Date = new Date()): number => Math.max(stepMs, retryAfterMs(retryAfter, now) ?? 0);
