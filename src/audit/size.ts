/**
 * Leaf indices and tree sizes: unsigned 64-bit integers as in RFC 9162 and C2SP tlog-checkpoint, held as
 * `bigint` so that the arithmetic stays exact past 2^32 and 2^53.
 */
import { AuditError } from '../errors.js';

/** 2^64 - 1, the largest tree size. */
export const MAX_U64 = (1n << 64n) - 1n;

/**
 * The value as a u64.
 *
 * @throws {AuditError} `ZICHT_AUDIT_RANGE_INVALID` for a negative value, one past 2^64 - 1, or a number that is not a safe integer.
 */
export function toU64(value: bigint | number): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new AuditError('ZICHT_AUDIT_RANGE_INVALID');
  const big = BigInt(value);
  if (big < 0n || big > MAX_U64) throw new AuditError('ZICHT_AUDIT_RANGE_INVALID');
  return big;
}

/** The largest power of two strictly below `n` (n > 1): the split point `k` of RFC 9162 section 2.1.1. */
export function splitPoint(n: bigint): bigint {
  let k = 1n;
  while (k << 1n < n) k <<= 1n;
  return k;
}

/** Whether `n` is a power of two (n > 0). */
export function isPowerOfTwo(n: bigint): boolean {
  return n > 0n && (n & (n - 1n)) === 0n;
}

/** The number of bits needed for `n`: 0 for 0, 1 for 1, 2 for 2 and 3, … */
export function bitLength(n: bigint): number {
  let bits = 0;
  for (let v = n; v > 0n; v >>= 1n) bits += 1;
  return bits;
}
