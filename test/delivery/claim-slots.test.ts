/**
 * Claims with a per-receiver bound (the delivery worker's slots): at most `perReceiver` deliveries to one
 * receiver under a running lease, any worker's leases counted, a receiver whose slots are full skipped so that
 * the claim goes on to other receivers, the dossier order kept, and no delivery given to two workers at once.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryWithBericht } from '../../src/store/delivery.js';
import type { Store } from '../../src/store/store.js';
import { BACKENDS, useStore } from '../store/backends.js';
import { at, bericht, delivery, GEMEENTE_A, GEMEENTE_B } from '../store/fixtures.js';

const receivers = (claimed: DeliveryWithBericht[]) => claimed.map(({ delivery: d }) => d.receiverOin);

async function accept(store: Store, dossier: string, to: string[], overrides: Parameters<typeof bericht>[0] = {}): Promise<string> {
  return store.transaction(async (tx) => {
    const b = await tx.insertBericht(bericht({ dossierReferentie: dossier, ...overrides }));
    for (const receiver of to) await tx.enqueueDelivery(delivery(b.berichtId, receiver));
    return b.berichtId;
  });
}

describe.each(BACKENDS)('claimDue with perReceiver on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('skips a receiver whose slots are full and goes on to the next, oldest first', async () => {
    // Ten berichten for A first, then three for B: an unbounded claim of 4 would take A's oldest four only.
    for (let i = 0; i < 10; i++) await accept(ctx.store, `DOS-A${i}`, [GEMEENTE_A]);
    for (let i = 0; i < 3; i++) await accept(ctx.store, `DOS-B${i}`, [GEMEENTE_B]);
    expect(receivers(await ctx.store.claimDue(at(0), 4, at(30), 'w1', 2))).toEqual([GEMEENTE_A, GEMEENTE_A, GEMEENTE_B, GEMEENTE_B]);
    // w1's leases count for another worker too: with three slots each, w2 gets one more of each.
    expect(receivers(await ctx.store.claimDue(at(1), 10, at(30), 'w2', 3))).toEqual([GEMEENTE_A, GEMEENTE_B]);
    expect(await ctx.store.claimDue(at(2), 10, at(30), 'w2', 3)).toEqual([]);
  });

  it('frees a slot when a delivery is delivered, retried or its lease runs out', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await accept(ctx.store, `DOS-${i}`, [GEMEENTE_A]));
    const claimedIds = async (now: number, worker = 'w') => (await ctx.store.claimDue(at(now), 10, at(30), worker, 2)).map((c) => c.delivery.berichtId);
    expect(await claimedIds(0)).toEqual([ids[0], ids[1]]);
    expect(await claimedIds(1)).toEqual([]);
    await ctx.store.markDelivered({ berichtId: ids[0]!, receiverOin: GEMEENTE_A }, at(2));
    expect(await claimedIds(3)).toEqual([ids[2]]);
    await ctx.store.scheduleRetry({ berichtId: ids[1]!, receiverOin: GEMEENTE_A }, { workerId: 'w', at: at(4), nextAttemptAt: at(100), errorCode: 'HTTP_503' });
    expect(await claimedIds(5)).toEqual([ids[3]]);
    expect(await claimedIds(6)).toEqual([]);
    // Both leases ran out (a crashed worker): the same two go to the next worker, the slots are free again.
    expect((await ctx.store.claimDue(at(30), 10, at(60), 'w2', 2)).map((c) => c.delivery.berichtId)).toEqual([ids[2], ids[3]]);
  });

  it('keeps a dossier in order: its update waits for its handover even with free slots', async () => {
    const handover = await accept(ctx.store, 'DOS-1', [GEMEENTE_A]);
    const update = await accept(ctx.store, 'DOS-1', [GEMEENTE_A], { berichtType: 'veiligheidsvoorwaarden', volgnummer: 2 });
    expect((await ctx.store.claimDue(at(0), 10, at(30), 'w', 4)).map((c) => c.delivery.berichtId)).toEqual([handover]);
    expect(await ctx.store.claimDue(at(1), 10, at(30), 'w', 4)).toEqual([]);
    await ctx.store.markDelivered({ berichtId: handover, receiverOin: GEMEENTE_A }, at(2));
    expect((await ctx.store.claimDue(at(3), 10, at(30), 'w', 4)).map((c) => c.delivery.berichtId)).toEqual([update]);
  });

  it('never gives two workers on separate connections the same delivery, nor a receiver more than its slots', async () => {
    for (let i = 0; i < 30; i++) await accept(ctx.store, `DOS-${i}`, [GEMEENTE_A, GEMEENTE_B]);
    const stores = [ctx.store, await ctx.harness.open(), await ctx.harness.open()];
    const claims = await Promise.all(stores.map((store, n) => store.claimDue(at(0), 10, at(600), `worker-${n}`, 3)));
    const all = claims.flat().map(({ delivery: d }) => `${d.berichtId}>${d.receiverOin}`);
    expect(new Set(all).size).toBe(all.length);
    // SQLite serialises the claims, so the bound is exact; PostgreSQL's concurrent claims may each see the other's
    // leases only after commit, so each worker alone keeps to the bound.
    if (ctx.harness.backend === 'sqlite') {
      expect(receivers(claims.flat()).filter((r) => r === GEMEENTE_A)).toHaveLength(3);
      expect(receivers(claims.flat()).filter((r) => r === GEMEENTE_B)).toHaveLength(3);
    }
    for (const claim of claims) expect(receivers(claim).filter((r) => r === GEMEENTE_A).length).toBeLessThanOrEqual(3);
  });
});

// SQLite's BEGIN IMMEDIATE makes a second claim wait for the first to commit; only PostgreSQL has two claims at once.
describe.each(BACKENDS.filter((b) => b.name === 'postgres'))('claimDue beside another claim on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('takes the next deliveries while another claim still holds the oldest ones (PostgreSQL row locks)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await accept(ctx.store, `DOS-${i}`, [GEMEENTE_A]));
    const other = await ctx.harness.open();
    const ofIds = (claimed: DeliveryWithBericht[]) => claimed.map(({ delivery: d }) => d.berichtId);
    // The first claim's transaction stays open (its rows locked, its leases not yet visible) while the second claims.
    const second = await other.transaction(async (tx) => {
      expect(ofIds(await tx.claimDue(at(0), 3, at(30), 'w1', 32))).toEqual(ids.slice(0, 3));
      return ctx.store.claimDue(at(0), 3, at(30), 'w2', 32);
    });
    expect(ofIds(second)).toEqual(ids.slice(3, 6));
    expect(second.map(({ delivery: d }) => d.leaseOwner)).toEqual(['w2', 'w2', 'w2']);
    // Both leases committed: the rest goes to the next claim, nothing twice.
    expect(ofIds(await ctx.store.claimDue(at(1), 10, at(30), 'w3', 32))).toEqual(ids.slice(6));
  });
});
