/**
 * A Merkle tree held in memory, built with the gateway's own append code (src/audit/tree.ts), for tests that
 * forge what an attacker could compute: a bundle whose leaves, tree and proofs were all recomputed.
 */
import { leafHash, type Hash } from '../../src/audit/hash.js';
import { consistencyPlan, inclusionPlan, proofHashes } from '../../src/audit/proof.js';
import { appendLeaves, borderRoot, EMPTY_BORDER, type NodeReader } from '../../src/audit/tree.js';

export interface MemoryTree {
  readonly size: number;
  readonly root: Hash;
  /** The inclusion proof of leaf `index` in the whole tree, as base64 hashes. */
  inclusion(index: number): Promise<string[]>;
  /** The consistency proof from the first `from` leaves to the whole tree, as base64 hashes. */
  consistency(from: number): Promise<string[]>;
}

/** The tree of these leaves (their UTF-8 texts). */
export function memoryTree(leaves: readonly string[]): MemoryTree {
  const { border, nodes } = appendLeaves(EMPTY_BORDER, leaves.map((leaf) => leafHash(Buffer.from(leaf, 'utf8'))));
  const byId = new Map(nodes.map((n) => [`${n.level}/${n.index}`, n.hash]));
  const read: NodeReader = (ids) =>
    Promise.resolve(
      ids.map((id) => {
        const hash = byId.get(`${id.level}/${id.index}`);
        if (hash === undefined) throw new Error(`no node ${id.level}/${id.index}`);
        return hash;
      }),
    );
  const b64 = (hashes: Hash[]): string[] => hashes.map((h) => Buffer.from(h).toString('base64'));
  const size = BigInt(leaves.length);
  return {
    size: leaves.length,
    root: borderRoot(border),
    inclusion: async (index) => b64(await proofHashes(inclusionPlan(BigInt(index), size), read)),
    consistency: async (from) => b64(await proofHashes(consistencyPlan(BigInt(from), size), read)),
  };
}
