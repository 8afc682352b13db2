/**
 * When to try a failed delivery again: exponential backoff with full jitter (each wait a random
 * time up to base·2^attempts, capped), for as long as the retry window lasts (5 days by default,
 * long enough for a receiver that is down over a long weekend); then the delivery is a dead letter.
 */

/** Retry policy of the delivery worker. */
export interface RetryPolicy {
  /** First wait's upper bound, in milliseconds. */
  readonly baseMs: number;
  /** Upper bound of any one wait. */
  readonly maxDelayMs: number;
  /** How long after acceptance a bericht keeps being retried before it becomes a dead letter. */
  readonly windowMs: number;
}

/** 1 second, doubling up to 1 hour, for 5 days. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, maxDelayMs: 3_600_000, windowMs: 5 * 24 * 3_600_000 };

/**
 * The next attempt after `attempts` failures, or `undefined` when the retry window (counted from
 * `acceptedAt`) is over and the delivery becomes a dead letter. `random` is in [0, 1). `minDelayMs`: the
 * receiver asked not to be tried before then (its Retry-After, AFL-008).
 */
export function nextAttempt(policy: RetryPolicy, attempts: number, acceptedAt: Date, now: Date, random: () => number = Math.random, minDelayMs = 0): Date | undefined {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.min(attempts, 40));
  const next = now.getTime() + Math.max(1, Math.floor(random() * ceiling), minDelayMs);
  return next - acceptedAt.getTime() > policy.windowMs ? undefined : new Date(next);
}
