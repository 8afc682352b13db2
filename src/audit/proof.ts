/**
 * Inclusion and consistency proofs (RFC 9162 sections 2.1.3.1 and 2.1.4.1) from stored complete subtrees.
 * Each proof element is the hash of a subtree of RFC 9162's recursion: a complete subtree (one stored
 * node) or, at most once per proof, the ragged right edge of the tree (a few stored nodes folded). So a
 * proof reads O(log n) nodes and never recomputes the tree.
 */
import { AuditError } from '../errors.js';
import type { Hash } from './hash.js';
import { splitPoint, toU64 } from './size.js';
import { foldRange, rangeNodes, type NodeId, type NodeReader } from './tree.js';

/** The subtrees whose hashes make up a proof, in proof order; each a list of nodes to fold. */
export type ProofPlan = readonly (readonly NodeId[])[];

/**
 * The plan of the inclusion proof of leaf `index` in the tree of `size` leaves: PATH(m, D[n]).
 *
 * @throws {AuditError} `ZICHT_AUDIT_RANGE_INVALID` unless 0 <= index < size <= 2^64 - 1.
 */
export function inclusionPlan(index: bigint, size: bigint): ProofPlan {
  const m = toU64(index);
  const n = toU64(size);
  if (m >= n) throw new AuditError('ZICHT_AUDIT_RANGE_INVALID');
  const topDown: NodeId[][] = [];
  let offset = 0n;
  let width = n;
  while (width > 1n) {
    const k = splitPoint(width);
    if (m - offset < k) {
      topDown.push(rangeNodes(offset + k, width - k));
      width = k;
    } else {
      topDown.push(rangeNodes(offset, k));
      offset += k;
      width -= k;
    }
  }
  return topDown.reverse();
}

/**
 * The plan of the consistency proof between the trees of `size1` and `size2` leaves: PROOF(m, D[n]) =
 * SUBPROOF(m, D[n], true). Empty when the sizes are equal.
 *
 * @throws {AuditError} `ZICHT_AUDIT_RANGE_INVALID` unless 0 < size1 <= size2 <= 2^64 - 1.
 */
export function consistencyPlan(size1: bigint, size2: bigint): ProofPlan {
  const first = toU64(size1);
  const n = toU64(size2);
  if (first === 0n || first > n) throw new AuditError('ZICHT_AUDIT_RANGE_INVALID');
  const topDown: NodeId[][] = [];
  let offset = 0n;
  let width = n;
  let m = first;
  let whole = true;
  while (m !== width) {
    const k = splitPoint(width);
    if (m <= k) {
      topDown.push(rangeNodes(offset + k, width - k));
      width = k;
    } else {
      topDown.push(rangeNodes(offset, k));
      offset += k;
      width -= k;
      m -= k;
      whole = false;
    }
  }
  const plan = topDown.reverse();
  return whole ? plan : [rangeNodes(offset, width), ...plan];
}

/** The proof's hashes: every node of the plan read in one call, then each element folded. */
export async function proofHashes(plan: ProofPlan, read: NodeReader): Promise<Hash[]> {
  const ids = plan.flat();
  if (ids.length === 0) return [];
  const hashes = await read(ids);
  let at = 0;
  return plan.map((element) => {
    const part = hashes.slice(at, at + element.length);
    at += element.length;
    return foldRange(part);
  });
}
