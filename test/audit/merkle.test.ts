/**
 * RFC 9162 section 2.1 against the vectors of test/vectors/tlog/merkle.json, verbatim (SOURCE.md lists
 * their sources: transparency-dev/merkle and golang.org/x/mod sumdb/tlog). Every vector runs with its
 * expected result; `strictWantErr` overrides `wantErr` where 32-byte hash checking changes it (quirk 3).
 */
import { describe, expect, it } from 'vitest';
import { AuditError } from '../../src/errors.js';
import { EMPTY_ROOT, leafHash, nodeHash, toHex } from '../../src/audit/hash.js';
import { consistencyPlan, inclusionPlan, proofHashes } from '../../src/audit/proof.js';
import { appendLeaves, EMPTY_BORDER, borderRoot, treeRoot, type NodeReader, type TreeNode } from '../../src/audit/tree.js';
import { verifyConsistency, verifyInclusion } from '../../src/audit/verify.js';
import { hex, merkle } from './vectors.js';

/** An in-memory node store, as the database keeps them. */
function memoryTree(leaves: readonly Uint8Array[]): { read: NodeReader; nodes: Map<string, Uint8Array>; reads: number[] } {
  const { nodes } = appendLeaves(EMPTY_BORDER, leaves.map(leafHash));
  const map = new Map(nodes.map((n: TreeNode) => [`${n.level}/${n.index}`, n.hash]));
  const reads: number[] = [];
  const read: NodeReader = (ids) => {
    reads.push(ids.length);
    return Promise.resolve(ids.map((id) => {
      const h = map.get(`${id.level}/${id.index}`);
      if (h === undefined) throw new Error(`node ${id.level}/${id.index} not stored`);
      return h;
    }));
  };
  return { read, nodes: map, reads };
}

const big = (value: number | bigint): bigint => BigInt(value);
const outcome = (fn: () => void): 'ok' | 'error' => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(AuditError);
    return 'error';
  }
};

describe('hasher (RFC 9162 section 2.1.1)', () => {
  it.each(merkle.hasher)('$desc', (v) => {
    const got = v.kind === 'empty' ? EMPTY_ROOT : v.kind === 'leaf' ? leafHash(hex(v.input ?? '')) : nodeHash(hex(v.left ?? ''), hex(v.right ?? ''));
    expect(toHex(got)).toBe(v.want);
  });
});

describe('roots and stored nodes of the 8 reference leaves', () => {
  const leaves = merkle.leaves.map(hex);
  it.each(merkle.roots)('root at size $size', async ({ size, root }) => {
    const tree = memoryTree(leaves.slice(0, size));
    expect(toHex(await treeRoot(BigInt(size), tree.read))).toBe(root);
    expect(toHex(borderRoot(appendLeaves(EMPTY_BORDER, leaves.slice(0, size).map(leafHash)).border))).toBe(root);
  });
  it('stores every complete subtree hash of testonly NodeHashes', () => {
    const tree = memoryTree(leaves);
    merkle.nodeHashes.forEach((level, l) => {
      level.forEach((h, i) => {
        expect(toHex(tree.nodes.get(`${l}/${i}`) ?? new Uint8Array())).toBe(h);
      });
    });
    expect(tree.nodes.size).toBe(merkle.nodeHashes.flat().length);
  });
});

describe('inclusion proofs (RFC 9162 section 2.1.3.2), testdata/inclusion', () => {
  it.each(merkle.inclusion)('$file', (v) => {
    const result = outcome(() => { verifyInclusion(big(v.leafIdx), big(v.treeSize), hex(v.leafHash), (v.proof ?? []).map(hex), hex(v.root)); });
    expect(result).toBe(v.wantErr ? 'error' : 'ok');
  });
  it('generates the proofs the happy paths verify, from stored nodes', async () => {
    const happy = merkle.inclusion.filter((v) => !v.wantErr);
    expect(happy.length).toBeGreaterThanOrEqual(5);
    for (const v of happy) {
      const tree = memoryTree(merkle.leaves.map(hex).slice(0, Number(v.treeSize)));
      const proof = await proofHashes(inclusionPlan(big(v.leafIdx), big(v.treeSize)), tree.read);
      expect(proof.map(toHex)).toEqual(v.proof ?? []);
    }
  });
});

describe('consistency proofs (RFC 9162 section 2.1.4.2), testdata/consistency', () => {
  it.each(merkle.consistency)('$file', (v) => {
    const result = outcome(() => { verifyConsistency(big(v.size1), big(v.size2), hex(v.root1), hex(v.root2), (v.proof ?? []).map(hex)); });
    expect(result).toBe((v.strictWantErr ?? v.wantErr) ? 'error' : 'ok');
  });
  it('generates the proofs the happy paths verify, from stored nodes', async () => {
    const happy = merkle.consistency.filter((v) => !(v.strictWantErr ?? v.wantErr));
    expect(happy.length).toBeGreaterThanOrEqual(5);
    for (const v of happy) {
      const tree = memoryTree(merkle.leaves.map(hex).slice(0, Number(v.size2)));
      const proof = await proofHashes(consistencyPlan(big(v.size1), big(v.size2)), tree.read);
      expect(proof.map(toHex)).toEqual(v.proof ?? []);
    }
  });
  it('refuses size1 = 0 and size1 > size2 when generating (quirk 2)', () => {
    expect(() => consistencyPlan(0n, 5n)).toThrow(AuditError);
    expect(() => consistencyPlan(6n, 5n)).toThrow(AuditError);
  });
});
