/**
 * Whether a key was valid at a moment: `nbf <= t < exp` and `t < revokedAt`. Which moment is not the
 * signer's to say (spec/v1/time-and-keys.md, src/signing/clock.ts): the gateway's clock at receipt, the
 * countersignature's `rcv`, or the verifier's now; never the signer's own `iat`.
 */
import { KeyError } from '../errors.js';
import type { ResolvedKey } from './key-resolver.js';

/**
 * Checks that `key` was valid at `at` (NumericDate seconds).
 *
 * @throws {KeyError} `ZICHT_KEY_REVOKED` (checked first: it is the strongest statement),
 *   `ZICHT_KEY_NOT_YET_VALID`, `ZICHT_KEY_EXPIRED`.
 */
export function checkKeyValidity(key: ResolvedKey, at: number, index?: number): void {
  if (key.revokedAt !== undefined && at >= key.revokedAt) throw new KeyError('ZICHT_KEY_REVOKED', { index });
  if (key.nbf !== undefined && at < key.nbf) throw new KeyError('ZICHT_KEY_NOT_YET_VALID', { index });
  if (key.exp !== undefined && at >= key.exp) throw new KeyError('ZICHT_KEY_EXPIRED', { index });
}
