/**
 * The audit log in the store, on SQLite and PostgreSQL: a leaf with every event and registry change in the
 * same transaction, the salt kept apart, the sequencer numbering leaves in write order and persisting the
 * tree, and signed checkpoints whose roots match a tree recomputed from the leaves.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../src/audit/checkpoint.js';
import { leafHash, toHex } from '../../src/audit/hash.js';
import { noteSignerFromSeed } from '../../src/audit/note-key.js';
import { consistencyPlan, inclusionPlan, proofHashes } from '../../src/audit/proof.js';
import { issueCheckpoint, publishLog, sequenceBatch } from '../../src/audit/sequencer.js';
import { storeNodeReader } from '../../src/audit/store-reader.js';
import { appendLeaves, borderRoot, EMPTY_BORDER } from '../../src/audit/tree.js';
import { verifyConsistency, verifyInclusion } from '../../src/audit/verify.js';
import { canonicalBericht } from '../../src/signing/canonical.js';
import { BACKENDS, useStore } from '../store/backends.js';
import { at, bericht, delivery, GEMEENTE_A, GEMEENTE_B, VT_OIN } from '../store/fixtures.js';

const signer = noteSignerFromSeed('zicht.gateway/test', Buffer.alloc(32, 1));

describe.each(BACKENDS)('audit log on $name', ({ harness }) => {
  const ctx = useStore(harness);

  async function acceptedBericht(): Promise<string> {
    const b = await ctx.store.insertBericht(bericht());
    await ctx.store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_B));
    await ctx.store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_A));
    await ctx.store.appendEvent({ type: 'bericht.accepted', berichtId: b.berichtId, oin: VT_OIN, at: at(0), data: { berichtType: 'overdracht', ontvangers: 2 } });
    return b.berichtId;
  }

  it('writes a leaf of metadata with every event, committing to the bericht under a salt kept apart', async () => {
    const id = await acceptedBericht();
    await ctx.store.appendEvent({ type: 'delivery.delivered', berichtId: id, oin: GEMEENTE_A, at: at(5), data: { attempts: 1 } });
    await sequenceBatch(ctx.store);
    const leaves = await ctx.store.listLogLeaves(0, 10);
    expect(leaves.map((l) => l.index)).toEqual([0, 1]);
    const salt = await ctx.store.getBerichtSalt(id);
    if (salt === undefined) throw new Error('no salt stored');
    const stored = await ctx.store.getBericht(id);
    const expected = createHash('sha256').update(Buffer.from(salt.salt, 'hex')).update(canonicalBericht(JSON.parse(stored?.body ?? '{}'))).digest('hex');
    expect(salt.commitment).toBe(expected);
    expect(JSON.parse(leaves[0]?.data ?? '')).toEqual({
      v: 1, type: 'bericht.accepted', at: at(0).toISOString(), berichtId: id, berichtType: 'overdracht', sender: VT_OIN,
      receivers: [GEMEENTE_A, GEMEENTE_B].sort(), receivedAt: at(0).toISOString(), commitment: expected, data: { berichtType: 'overdracht', ontvangers: 2 },
    });
    expect(JSON.parse(leaves[1]?.data ?? '')).toMatchObject({ type: 'delivery.delivered', sender: VT_OIN, receivers: [GEMEENTE_A], commitment: expected });
    // The salt is not in the log.
    for (const leaf of leaves) expect(leaf.data).not.toContain(salt.salt);
    // A receiver sees the accepted leaf and its own delivery; another receiver only the accepted leaf.
    expect((await ctx.store.listLogLeaves(0, 10, { oin: GEMEENTE_A })).map((l) => l.index)).toEqual([0, 1]);
    expect((await ctx.store.listLogLeaves(0, 10, { oin: GEMEENTE_B })).map((l) => l.index)).toEqual([0]);
    expect(await ctx.store.listLogLeaves(0, 10, { oin: '00000001999999999000' })).toEqual([]);
  });

  it('writes no leaf when the transaction of the event rolls back, and no event without its leaf', async () => {
    const b = await ctx.store.insertBericht(bericht());
    await expect(ctx.store.transaction(async (tx) => {
      await tx.appendEvent({ type: 'bericht.accepted', berichtId: b.berichtId, oin: VT_OIN, at: at(0) });
      throw new Error('rollback');
    })).rejects.toThrow('rollback');
    expect(await ctx.store.listPendingLeaves(10)).toEqual([]);
    expect(await ctx.store.listEventsOfBericht(b.berichtId)).toEqual([]);
    await ctx.store.appendEvent({ type: 'bericht.accepted', berichtId: b.berichtId, oin: VT_OIN, at: at(0) });
    expect(await ctx.store.listPendingLeaves(10)).toHaveLength(1);
  });

  it('writes a leaf for a registry change and a key rotation, none for a rewrite of the same record', async () => {
    const record = (kids: string[], enc: { kid: string; revokedAt?: string }[] = [], naam = 'Gemeente A') =>
      JSON.stringify({ oin: GEMEENTE_A, rol: 'gemeente', naam, status: 'actief', sleutels: kids.map((kid) => ({ kid })), versleutelingssleutels: enc });
    await ctx.store.putDeelnemerRecord(GEMEENTE_A, record(['k1']), false);
    await ctx.store.putDeelnemerRecord(GEMEENTE_A, record(['k1']), true);
    await ctx.store.putDeelnemerRecord(GEMEENTE_A, record(['k1', 'k2']), true);
    // An encryption key added, then revoked (ENC-001), are key rotations too; a new name is not.
    await ctx.store.putDeelnemerRecord(GEMEENTE_A, record(['k1', 'k2'], [{ kid: 'e1' }]), true);
    await ctx.store.putDeelnemerRecord(GEMEENTE_A, record(['k1', 'k2'], [{ kid: 'e1', revokedAt: '2026-12-01T00:00:00Z' }]), true);
    await ctx.store.putDeelnemerRecord(GEMEENTE_A, record(['k1', 'k2'], [{ kid: 'e1', revokedAt: '2026-12-01T00:00:00Z' }], 'Gemeente A-stad'), true);
    await sequenceBatch(ctx.store);
    const leaves = (await ctx.store.listLogLeaves(0, 20)).map((l) => JSON.parse(l.data) as { type: string; kids: string[] });
    expect(leaves.map((l) => l.type)).toEqual(['registry.changed', 'key.rotated', 'registry.changed', 'key.rotated', 'registry.changed', 'key.rotated', 'registry.changed', 'key.rotated', 'registry.changed']);
    expect(leaves[7]?.kids).toEqual(['k1', 'k2', 'enc:e1@2026-12-01T00:00:00Z']);
  });

  it('sequences in batches, persists the tree, and signs checkpoints whose roots match the leaves', async () => {
    for (let i = 0; i < 13; i += 1) await acceptedBericht();
    expect(await sequenceBatch(ctx.store, 5)).toEqual({ size: 5, sequenced: 5 });
    expect(await issueCheckpoint(ctx.store, signer)).toBe(5);
    expect(await publishLog(ctx.store, signer, 5)).toBe(13);
    const leaves = await ctx.store.listLogLeaves(0, 100);
    expect(leaves.map((l) => l.index)).toEqual([...Array(13).keys()]);
    const hashes = leaves.map((l) => leafHash(Buffer.from(l.data, 'utf8')));
    const latest = await ctx.store.latestCheckpoint();
    const opened = openCheckpoint(latest?.note ?? '', [signer], signer.name);
    expect(opened.size).toBe(13n);
    expect(toHex(opened.root)).toBe(toHex(borderRoot(appendLeaves(EMPTY_BORDER, hashes).border)));
    const read = storeNodeReader(ctx.store);
    for (let i = 0; i < 13; i += 1) verifyInclusion(BigInt(i), 13n, hashes[i]!, await proofHashes(inclusionPlan(BigInt(i), 13n), read), opened.root);
    const root5 = borderRoot(appendLeaves(EMPTY_BORDER, hashes.slice(0, 5)).border);
    verifyConsistency(5n, 13n, root5, opened.root, await proofHashes(consistencyPlan(5n, 13n), read));
    // Nothing new: no new checkpoint.
    expect(await issueCheckpoint(ctx.store, signer)).toBe(13);
  });

  it('lets two sequencers race without numbering a leaf twice', async () => {
    for (let i = 0; i < 6; i += 1) await acceptedBericht();
    const other = await ctx.harness.open();
    await Promise.all([sequenceBatch(ctx.store, 4), sequenceBatch(other, 4), sequenceBatch(other, 4)]);
    expect((await ctx.store.listLogLeaves(0, 100)).map((l) => l.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await ctx.store.listPendingLeaves(10)).toEqual([]);
  });
});
