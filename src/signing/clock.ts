/**
 * Whose clock decides (spec/v1/time-and-keys.md). A signer's `iat` is a claim, not evidence: a key is
 * judged at a moment the verifier trusts, and the claim is only checked to be plausible against it:
 *
 * - the gateway judges every key it relies on at the moment it receives the request, by its own clock;
 * - a receiver, `zicht verify` or an auditor judges a countersigned bericht at the countersignature's
 *   `rcv` (the gateway's received-at, a trusted upper bound of when the sender's signature existed), an
 *   uncountersigned one at the verifier's own now (or the moment given for an archive, `--at`).
 *
 * At that moment the signer's `iat` may lie at most {@link ClockPolicy.skewSeconds} ahead (SIG-007) and
 * at most {@link ClockPolicy.maxAgeSeconds} behind (SIG-008).
 */
import { SignatureError } from '../errors.js';

/** How far a signer's `iat` may lie from the moment that judges it. */
export interface ClockPolicy {
  /** Seconds a signer's clock may run ahead of the judging moment (SIG-007). */
  readonly skewSeconds: number;
  /** Seconds a signature may be older than the judging moment (SIG-008). */
  readonly maxAgeSeconds: number;
}

/** Allowed clock skew: 5 minutes, the shared default of the standard (spec/v1/time-and-keys.md). */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

/**
 * Oldest acceptable signature at the gateway: 7 days. A sender that queued berichten while offline (a long
 * weekend with a holiday, a week of outage) still gets them in; a retry of a bericht the gateway accepted
 * before gets its original receipt whatever its age (BER-015); anything older is signed again (the
 * content hash leaves signatures out, so BER-015 still sees the same bericht).
 */
export const DEFAULT_MAX_SIGNATURE_AGE_SECONDS = 7 * 24 * 60 * 60;

/** The default policy: 5 minutes of skew, 7 days of age. */
export const DEFAULT_CLOCK_POLICY: ClockPolicy = { skewSeconds: DEFAULT_CLOCK_SKEW_SECONDS, maxAgeSeconds: DEFAULT_MAX_SIGNATURE_AGE_SECONDS };

/**
 * Checks a signer's `iat` claim against the judging moment `at` (both NumericDate seconds).
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_IAT_FUTURE` (SIG-007) more than the skew ahead,
 *   `ZICHT_SIGNATURE_IAT_STALE` (SIG-008) more than the age behind.
 */
export function checkIat(iat: number, at: number, policy: ClockPolicy, index?: number): void {
  if (iat > at + policy.skewSeconds) throw new SignatureError('ZICHT_SIGNATURE_IAT_FUTURE', { index });
  if (iat < at - policy.maxAgeSeconds) throw new SignatureError('ZICHT_SIGNATURE_IAT_STALE', { index });
}

/**
 * Checks a countersignature's `rcv` against the verifier's clock `now` (both NumericDate seconds): a
 * gateway cannot have received a bericht later than now plus the skew.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_IAT_FUTURE` (SIG-007).
 */
export function checkReceivedAt(rcv: number, now: number, policy: ClockPolicy, index?: number): void {
  if (rcv > now + policy.skewSeconds) throw new SignatureError('ZICHT_SIGNATURE_IAT_FUTURE', { index, message: "the countersignature's rcv lies ahead of the verifier's clock by more than the allowed skew" });
}

/**
 * Checks a clock policy given by an operator (`zicht serve --clock-skew`, the gateway's options).
 *
 * @throws {RangeError} for a negative or non-integer number of seconds, or a skew of more than a day.
 */
export function clockPolicy(options: Partial<ClockPolicy> = {}): ClockPolicy {
  const policy = { ...DEFAULT_CLOCK_POLICY, ...options };
  if (!Number.isInteger(policy.skewSeconds) || policy.skewSeconds < 0 || policy.skewSeconds > 86_400) throw new RangeError('the clock skew is 0 to 86400 whole seconds');
  if (!Number.isInteger(policy.maxAgeSeconds) || policy.maxAgeSeconds < policy.skewSeconds) throw new RangeError('the maximum signature age is whole seconds, at least the skew');
  return policy;
}
