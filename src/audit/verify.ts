/**
 * Verifying inclusion and consistency proofs as RFC 9162 sections 2.1.3.2 and 2.1.4.2 say, with the
 * readings of test/vectors/tlog/SOURCE.md ("Quirks"): equal sizes verify with an empty proof and equal
 * roots (quirk 1), a first size of 0 is always an error (quirk 2), every hash must be 32 bytes (quirk 3),
 * and sizes are u64 held as bigint (quirk 4). Every refusal is an {@link AuditError}, never a crash.
 */
import { AuditError } from '../errors.js';
import { checkHash, nodeHash, sameBytes, type Hash } from './hash.js';
import { isPowerOfTwo, toU64 } from './size.js';

/**
 * The root an inclusion proof leads to (RFC 9162 section 2.1.3.2 steps 1 to 4).
 *
 * @throws {AuditError} `ZICHT_AUDIT_RANGE_INVALID` for an index at or past the size; `ZICHT_AUDIT_HASH_INVALID`
 *   for a hash that is not 32 bytes; `ZICHT_AUDIT_PROOF_INVALID` for a proof of the wrong length.
 */
export function rootFromInclusionProof(index: bigint, size: bigint, leaf: Uint8Array, proof: readonly Uint8Array[]): Hash {
  const m = toU64(index);
  const n = toU64(size);
  if (m >= n) throw new AuditError('ZICHT_AUDIT_RANGE_INVALID');
  let r = checkHash(leaf);
  let fn = m;
  let sn = n - 1n;
  for (const element of proof) {
    const p = checkHash(element);
    if (sn === 0n) throw new AuditError('ZICHT_AUDIT_PROOF_INVALID');
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new AuditError('ZICHT_AUDIT_PROOF_INVALID');
  return r;
}

/**
 * Checks that leaf `index` with hash `leaf` is in the tree of `size` leaves with root `root`.
 *
 * @throws {AuditError} as {@link rootFromInclusionProof}; `ZICHT_AUDIT_PROOF_INVALID` when the root differs.
 */
export function verifyInclusion(index: bigint, size: bigint, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): void {
  const expected = checkHash(root);
  if (!sameBytes(rootFromInclusionProof(index, size, leaf, proof), expected)) throw new AuditError('ZICHT_AUDIT_PROOF_INVALID');
}

/**
 * Checks that the tree of `size1` leaves with root `root1` is a prefix of the tree of `size2` leaves with
 * root `root2` (RFC 9162 section 2.1.4.2).
 *
 * @throws {AuditError} `ZICHT_AUDIT_RANGE_INVALID` unless 0 < size1 <= size2 <= 2^64 - 1;
 *   `ZICHT_AUDIT_HASH_INVALID` for a hash that is not 32 bytes; `ZICHT_AUDIT_PROOF_INVALID` otherwise.
 */
export function verifyConsistency(size1: bigint, size2: bigint, root1: Uint8Array, root2: Uint8Array, proof: readonly Uint8Array[]): void {
  const first = toU64(size1);
  const second = toU64(size2);
  const firstRoot = checkHash(root1);
  const secondRoot = checkHash(root2);
  const path = proof.map(checkHash);
  if (first === 0n || first > second) throw new AuditError('ZICHT_AUDIT_RANGE_INVALID');
  if (first === second) {
    // Quirk 1: not defined by the RFC; an empty proof between equal trees.
    if (path.length !== 0 || !sameBytes(firstRoot, secondRoot)) throw new AuditError('ZICHT_AUDIT_PROOF_INVALID');
    return;
  }
  if (path.length === 0) throw new AuditError('ZICHT_AUDIT_PROOF_INVALID');
  const c = isPowerOfTwo(first) ? [firstRoot, ...path] : path;
  let fn = first - 1n;
  let sn = second - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  const [head, ...rest] = c;
  if (head === undefined) throw new AuditError('ZICHT_AUDIT_PROOF_INVALID');
  let fr: Hash = head;
  let sr: Hash = head;
  for (const element of rest) {
    if (sn === 0n) throw new AuditError('ZICHT_AUDIT_PROOF_INVALID');
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(element, fr);
      sr = nodeHash(element, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = nodeHash(sr, element);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (!sameBytes(fr, firstRoot) || !sameBytes(sr, secondRoot) || sn !== 0n) throw new AuditError('ZICHT_AUDIT_PROOF_INVALID');
}
