/**
 * The tree as stored: every complete subtree is a node `(level, index)` covering leaves
 * `[index * 2^level, (index + 1) * 2^level)`; level 0 holds the leaf hashes. Once written a node never
 * changes, so appending only adds nodes and proofs read O(log n) of them instead of recomputing the tree.
 */
import { EMPTY_ROOT, nodeHash, type Hash } from './hash.js';
import { bitLength } from './size.js';

/** The place of a complete subtree: its height above the leaves and its position at that height. */
export type NodeId = { readonly level: number; readonly index: bigint };

/** A complete subtree with its hash. */
export type TreeNode = NodeId & { readonly hash: Hash };

/** Reads stored complete-subtree hashes, in the order asked; every node asked for exists. */
export type NodeReader = (ids: readonly NodeId[]) => Promise<Hash[]>;

/**
 * The complete subtrees that together cover the leaves `[start, start + size)`, left to right, largest
 * first. `start` must be a multiple of the power of two at or above `size`, which holds for every subtree
 * of RFC 9162's recursion (and for `start = 0`).
 */
export function rangeNodes(start: bigint, size: bigint): NodeId[] {
  const ids: NodeId[] = [];
  let at = start;
  for (let level = bitLength(size) - 1; level >= 0; level -= 1) {
    const width = 1n << BigInt(level);
    if ((size & width) !== 0n) {
      ids.push({ level, index: at >> BigInt(level) });
      at += width;
    }
  }
  return ids;
}

/** The Merkle tree hash of a range from the hashes of its {@link rangeNodes}: folded from the right. */
export function foldRange(hashes: readonly Hash[]): Hash {
  let acc: Hash | undefined;
  for (const h of [...hashes].reverse()) acc = acc === undefined ? h : nodeHash(h, acc);
  return acc ?? EMPTY_ROOT;
}

/** The root of the tree of the first `size` leaves, from stored nodes: popcount(size) reads. */
export async function treeRoot(size: bigint, read: NodeReader): Promise<Hash> {
  if (size === 0n) return EMPTY_ROOT;
  return foldRange(await read(rangeNodes(0n, size)));
}

/**
 * The right border of a tree: the complete subtrees of {@link rangeNodes}(0, size), largest first. It is
 * all an appender needs to know of the tree.
 */
export type Border = { readonly size: bigint; readonly nodes: readonly TreeNode[] };

/** The border of the empty tree. */
export const EMPTY_BORDER: Border = { size: 0n, nodes: [] };

/** Reads the border of the tree of `size` leaves. */
export async function readBorder(size: bigint, read: NodeReader): Promise<Border> {
  const ids = rangeNodes(0n, size);
  const hashes = ids.length === 0 ? [] : await read(ids);
  return {
    size,
    nodes: ids.map((id, i) => {
      const hash = hashes[i];
      if (hash === undefined) throw new Error('The node reader returned fewer hashes than asked.');
      return { ...id, hash };
    }),
  };
}

/** The root of the tree a border describes. */
export function borderRoot(border: Border): Hash {
  return foldRange(border.nodes.map((n) => n.hash));
}

/**
 * Appends leaf hashes to a tree: the new border and every node that became complete (each leaf, and each
 * parent whose right child it completed), to be stored. About two nodes per leaf.
 */
export function appendLeaves(border: Border, leafHashes: readonly Hash[]): { border: Border; nodes: TreeNode[] } {
  const stack = [...border.nodes];
  const nodes: TreeNode[] = [];
  let size = border.size;
  for (const leaf of leafHashes) {
    let current: TreeNode = { level: 0, index: size, hash: leaf };
    nodes.push(current);
    for (let left = stack.at(-1); left?.level === current.level; left = stack.at(-1)) {
      stack.pop();
      current = { level: current.level + 1, index: current.index >> 1n, hash: nodeHash(left.hash, current.hash) };
      nodes.push(current);
    }
    stack.push(current);
    size += 1n;
  }
  return { border: { size, nodes: stack }, nodes };
}
