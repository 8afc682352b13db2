/**
 * The hashes of an RFC 9162 Merkle tree (section 2.1.1): SHA-256 with domain separation, `0x00` before a
 * leaf and `0x01` before two child hashes, and SHA-256 of the empty string as the root of the empty tree.
 */
import { createHash } from 'node:crypto';
import { AuditError } from '../errors.js';

/** A SHA-256 hash: 32 bytes. */
export type Hash = Uint8Array;

/** The size of every hash in the tree. */
export const HASH_SIZE = 32;

/** MTH({}) = SHA-256(): the root of the empty tree. */
export const EMPTY_ROOT: Hash = createHash('sha256').digest();

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({d}) = SHA-256(0x00 || d): the hash of one leaf's data. */
export function leafHash(data: Uint8Array): Hash {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/**
 * SHA-256(0x01 || left || right): an interior node. It hashes whatever it is given (RFC 6962's test
 * vector uses 4-byte "children"); callers that take hashes from outside check them with {@link checkHash}.
 */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * The value as a 32-byte hash.
 *
 * @throws {AuditError} `ZICHT_AUDIT_HASH_INVALID` for anything but 32 bytes.
 */
export function checkHash(value: Uint8Array): Hash {
  if (value.length !== HASH_SIZE) throw new AuditError('ZICHT_AUDIT_HASH_INVALID');
  return value;
}

/** Whether two byte strings are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Lower-case hex of bytes. */
export function toHex(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
}

/**
 * A 32-byte hash from lower-case hex.
 *
 * @throws {AuditError} `ZICHT_AUDIT_HASH_INVALID` for anything but 64 hex digits.
 */
export function hashFromHex(hex: string): Hash {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new AuditError('ZICHT_AUDIT_HASH_INVALID');
  return Buffer.from(hex, 'hex');
}
