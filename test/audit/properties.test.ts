/**
 * Properties of the tree for random sizes (fast-check): every inclusion and consistency proof generated from
 * stored nodes verifies, and flipping any one bit of it (or of the leaf or roots) makes verification fail.
 * Plus index arithmetic past 2^32 (issue 7: "index arithmetic that stays correct past 2^32 leaves").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leafHash, nodeHash, type Hash } from '../../src/audit/hash.js';
import { consistencyPlan, inclusionPlan, proofHashes } from '../../src/audit/proof.js';
import { appendLeaves, EMPTY_BORDER, borderRoot, rangeNodes, treeRoot, type NodeId, type NodeReader } from '../../src/audit/tree.js';
import { verifyConsistency, verifyInclusion } from '../../src/audit/verify.js';

function tree(size: number): { read: NodeReader; leaves: Hash[] } {
  const leaves = Array.from({ length: size }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
  const { nodes } = appendLeaves(EMPTY_BORDER, leaves);
  const map = new Map(nodes.map((n) => [`${n.level}/${n.index}`, n.hash]));
  return { leaves, read: (ids) => Promise.resolve(ids.map((id) => map.get(`${id.level}/${id.index}`) ?? Buffer.alloc(0))) };
}

function flip(value: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(value);
  copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return copy;
}

const fails = (fn: () => void): boolean => {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
};

describe('random trees', () => {
  it('appending in batches gives the same nodes and root as appending at once', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 }), (batches) => {
      const total = batches.reduce((a, b) => a + b, 0);
      const { leaves } = tree(total);
      let border = EMPTY_BORDER;
      let at = 0;
      for (const count of batches) {
        border = appendLeaves(border, leaves.slice(at, at + count)).border;
        at += count;
      }
      expect(borderRoot(border)).toEqual(borderRoot(appendLeaves(EMPTY_BORDER, leaves).border));
    }));
  });

  it('every inclusion proof verifies and any bit flip fails', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), async (size, i, bit) => {
      const { read, leaves } = tree(size);
      const index = i % size;
      const root = await treeRoot(BigInt(size), read);
      const proof = await proofHashes(inclusionPlan(BigInt(index), BigInt(size)), read);
      verifyInclusion(BigInt(index), BigInt(size), leaves[index]!, proof, root);
      const positions = (proof.length + 2) * 256;
      const at = bit % positions;
      const element = Math.floor(at / 256);
      const flipped = proof.map((p, k) => (k === element ? flip(p, at % 256) : p));
      const leaf = element === proof.length ? flip(leaves[index]!, at % 256) : (leaves[index]!);
      const flippedRoot = element === proof.length + 1 ? flip(root, at % 256) : root;
      expect(fails(() => { verifyInclusion(BigInt(index), BigInt(size), leaf, flipped, flippedRoot); })).toBe(true);
    }));
  });

  it('every consistency proof verifies and any bit flip fails', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), async (size2, s, bit) => {
      const size1 = (s % size2) + 1;
      const { read } = tree(size2);
      const root1 = await treeRoot(BigInt(size1), read);
      const root2 = await treeRoot(BigInt(size2), read);
      const proof = await proofHashes(consistencyPlan(BigInt(size1), BigInt(size2)), read);
      verifyConsistency(BigInt(size1), BigInt(size2), root1, root2, proof);
      const positions = (proof.length + 2) * 256;
      const at = bit % positions;
      const element = Math.floor(at / 256);
      const flipped = proof.map((p, k) => (k === element ? flip(p, at % 256) : p));
      const r1 = element === proof.length ? flip(root1, at % 256) : root1;
      const r2 = element === proof.length + 1 ? flip(root2, at % 256) : root2;
      expect(fails(() => { verifyConsistency(BigInt(size1), BigInt(size2), r1, r2, flipped); })).toBe(true);
    }));
  });
});

describe('past 2^32 leaves', () => {
  /**
   * A tree of 2^33 distinct leaves cannot be built in a test, so this virtual tree has equal leaves: every
   * complete subtree at one level has the same hash, consistent with its children, cheap at any size. The
   * node ids a proof asks for are checked separately, against bigint formulas.
   */
  const levels: Hash[] = [leafHash(Buffer.from('x'))];
  for (let l = 1; l < 64; l += 1) levels.push(nodeHash(levels[l - 1]!, levels[l - 1]!));
  const asked: NodeId[] = [];
  const read: NodeReader = (ids) => {
    asked.push(...ids);
    return Promise.resolve(ids.map((id) => levels[id.level]!));
  };

  it('proves and verifies leaf 2^32 + 5 of 2^33 + 7, asking for the right nodes', async () => {
    const index = 2n ** 32n + 5n;
    const size = 2n ** 33n + 7n;
    asked.length = 0;
    const root = await treeRoot(size, read);
    expect(asked).toEqual([{ level: 33, index: 0n }, { level: 2, index: 2n ** 31n }, { level: 1, index: 2n ** 32n + 2n }, { level: 0, index: 2n ** 33n + 6n }]);
    asked.length = 0;
    const proof = await proofHashes(inclusionPlan(index, size), read);
    // Inside the left subtree of 2^33 leaves: sibling of the leaf, of its pair, …, then the right edge.
    const expected: NodeId[] = [];
    for (let l = 0; l < 33; l += 1) expected.push({ level: l, index: (index >> BigInt(l)) ^ 1n });
    expected.push(...rangeNodes(2n ** 33n, 7n));
    expect(asked).toEqual(expected);
    verifyInclusion(index, size, levels[0]!, proof, root);
    expect(fails(() => { verifyInclusion(index, size, levels[0]!, proof, treeRootSync(size - 1n)); })).toBe(true);
    expect(fails(() => { verifyInclusion(index + 2n ** 33n, size, levels[0]!, proof, root); })).toBe(true);
  });

  it('proves consistency from 2^32 + 3 to 2^40 + 1', async () => {
    const size1 = 2n ** 32n + 3n;
    const size2 = 2n ** 40n + 1n;
    const proof = await proofHashes(consistencyPlan(size1, size2), read);
    verifyConsistency(size1, size2, await treeRoot(size1, read), await treeRoot(size2, read), proof);
    expect(fails(() => { verifyConsistency(size1 + 1n, size2, treeRootSync(size1), treeRootSync(size2), proof); })).toBe(true);
  });

  function treeRootSync(size: bigint): Hash {
    let acc: Hash | undefined;
    for (const id of rangeNodes(0n, size).reverse()) acc = acc === undefined ? (levels[id.level]!) : nodeHash(levels[id.level]!, acc);
    return acc ?? Buffer.alloc(32);
  }
});
