/**
 * Whether a key was valid at a moment: `nbf <= t < exp` and `t < revokedAt`. The moment is the
 * signature's `iat`, so a rotated-out key keeps verifying what it signed while it was valid, and a
 * revoked key fails from its revocation time on, not before.
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

/**
 * Checks that `key` was not revoked at `at` (NumericDate seconds): used with the gateway's received-at,
 * a trusted upper bound of when the sender's signature existed, which a signer's own `iat` is not.
 *
 * @throws {KeyError} `ZICHT_KEY_REVOKED`.
 */
export function checkNotRevoked(key: ResolvedKey, at: number, index?: number): void {
  if (key.revokedAt !== undefined && at >= key.revokedAt) throw new KeyError('ZICHT_KEY_REVOKED', { index });
}
