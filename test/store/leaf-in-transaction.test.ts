/**
 * Leaves of a bericht written in the same transaction (the accept path): the store uses what it just wrote
 * instead of reading the bericht, its salt and its deliveries back, and the leaf must be the one the reading
 * path writes: every receiver in OIN order, the commitment under the stored salt over the canonical body.
 * `insertBericht`'s canonical bytes are used only when their SHA-256 is the bericht's content hash.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sequenceBatch } from '../../src/audit/sequencer.js';
import { canonicalBericht } from '../../src/signing/canonical.js';
import { BACKENDS, useStore } from './backends.js';
import { at, bericht, delivery, GEMEENTE_A, GEMEENTE_B, VT_OIN } from './fixtures.js';

describe.each(BACKENDS)('leaves of a bericht written in the same transaction on $name', ({ harness }) => {
  const ctx = useStore(harness);

  /** The commitment the stored salt gives over the stored body's canonical form. */
  async function expectedCommitment(berichtId: string): Promise<string> {
    const salt = await ctx.store.getBerichtSalt(berichtId);
    const stored = await ctx.store.getBericht(berichtId);
    if (salt === undefined || stored === undefined) throw new Error('bericht or salt not stored');
    return createHash('sha256').update(Buffer.from(salt.salt, 'hex')).update(canonicalBericht(JSON.parse(stored.body))).digest('hex');
  }

  it('writes the same leaf as when each write is its own transaction: all receivers in OIN order, the stored commitment', async () => {
    const b = bericht();
    const canonical = canonicalBericht(JSON.parse(b.body));
    await ctx.store.transaction(async (tx) => {
      await tx.insertBericht({ ...b, contentHash: createHash('sha256').update(canonical).digest('hex') }, canonical);
      // Enqueued out of OIN order on purpose.
      await tx.enqueueDelivery(delivery(b.berichtId, GEMEENTE_B));
      await tx.enqueueDelivery(delivery(b.berichtId, GEMEENTE_A));
      await tx.appendEvent({ type: 'bericht.accepted', berichtId: b.berichtId, oin: VT_OIN, at: at(0), data: { berichtType: 'overdracht', ontvangers: 2 } });
      await tx.appendEvent({ type: 'delivery.delivered', berichtId: b.berichtId, oin: GEMEENTE_A, at: at(1), data: { attempts: 1 } });
    });
    await sequenceBatch(ctx.store);
    const leaves = (await ctx.store.listLogLeaves(0, 10)).map((leaf) => JSON.parse(leaf.data) as Record<string, unknown>);
    const commitment = await expectedCommitment(b.berichtId);
    expect(leaves).toEqual([
      {
        v: 1, type: 'bericht.accepted', at: at(0).toISOString(), berichtId: b.berichtId, berichtType: 'overdracht', sender: VT_OIN,
        receivers: [GEMEENTE_A, GEMEENTE_B].sort(), receivedAt: b.receivedAt.toISOString(), commitment, data: { berichtType: 'overdracht', ontvangers: 2 },
      },
      expect.objectContaining({ type: 'delivery.delivered', sender: VT_OIN, receivers: [GEMEENTE_A], commitment }),
    ]);
    expect((await ctx.store.listDeliveries(b.berichtId)).map((d) => d.receiverOin)).toEqual([GEMEENTE_A, GEMEENTE_B].sort());
  });

  it('commits to the body, not to canonical bytes that do not hash to the content hash', async () => {
    const b = bericht();
    const other = canonicalBericht({ berichtId: b.berichtId, berichtType: 'overdracht', other: true });
    await ctx.store.transaction(async (tx) => {
      await tx.insertBericht(b, other);
      await tx.appendEvent({ type: 'bericht.accepted', berichtId: b.berichtId, oin: VT_OIN, at: at(0), data: { berichtType: 'overdracht', ontvangers: 0 } });
    });
    const salt = await ctx.store.getBerichtSalt(b.berichtId);
    expect(salt?.commitment).toBe(await expectedCommitment(b.berichtId));
    expect(salt?.commitment).not.toBe(createHash('sha256').update(Buffer.from(salt?.salt ?? '', 'hex')).update(other).digest('hex'));
  });
});
