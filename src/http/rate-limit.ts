/**
 * A per-participant rate limit (token bucket in this process): a burst of `burst` requests, refilled
 * at `perSecond`. Protects the gateway and the database from one runaway sender; a sender over the
 * limit gets `429` with Retry-After and nothing is stored.
 */

/** Takes a token for `key`; returns the seconds to wait when none is left, or 0 when the request may go. */
export type RateLimiter = (key: string) => number;

/** A token-bucket rate limiter. */
export function tokenBucket(options: { perSecond: number; burst: number; now?: () => number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const now = options.now ?? Date.now;
  return (key) => {
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: options.burst, at: t };
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((t - bucket.at) / 1000) * options.perSecond);
    bucket.at = t;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / options.perSecond);
  };
}
