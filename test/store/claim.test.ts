/**
 * Claiming due deliveries: push only, due only, in accept order, one dossier's berichten to one receiver
 * one after the other, leased so that no two workers push the same delivery at the same time.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryWithBericht } from '../../src/store/delivery.js';
import type { Store } from '../../src/store/store.js';
import { BACKENDS, useStore } from './backends.js';
import { at, bericht, delivery, GEMEENTE_A, GEMEENTE_B } from './fixtures.js';

const keys = (claimed: DeliveryWithBericht[]) => claimed.map(({ delivery: d }) => `${d.berichtId}>${d.receiverOin}`);
const key = (berichtId: string, receiverOin: string) => `${berichtId}>${receiverOin}`;

/** Stores a bericht of `dossier` with push deliveries to `receivers`, in one transaction. */
async function accept(store: Store, dossier: string, receivers: string[], overrides: Parameters<typeof bericht>[0] = {}): Promise<string> {
  return store.transaction(async (tx) => {
    const b = await tx.insertBericht(bericht({ dossierReferentie: dossier, ...overrides }));
    for (const receiver of receivers) await tx.enqueueDelivery(delivery(b.berichtId, receiver));
    return b.berichtId;
  });
}

describe.each(BACKENDS)('claimDue on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('returns due push deliveries with their bericht and leases them to the worker', async () => {
    const id = await accept(ctx.store, 'DOS-1', [GEMEENTE_A]);
    const [claimed, ...rest] = await ctx.store.claimDue(at(0), 10, at(30), 'worker-1');
    expect(rest).toEqual([]);
    expect(claimed?.bericht).toEqual(await ctx.store.getBericht(id));
    expect(claimed?.delivery).toMatchObject({ berichtId: id, receiverOin: GEMEENTE_A, status: 'queued', attempts: 0, leaseOwner: 'worker-1', leaseUntil: at(30) });
    expect(await ctx.store.listDeliveries(id)).toEqual([claimed?.delivery]);
  });

  it('leaves pull deliveries and deliveries not yet due alone', async () => {
    const b = await ctx.store.insertBericht(bericht());
    await ctx.store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_A, { mode: 'pull' }));
    await ctx.store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_B, { nextAttemptAt: at(60) }));
    expect(await ctx.store.claimDue(at(59), 10, at(90), 'w')).toEqual([]);
    expect(keys(await ctx.store.claimDue(at(60), 10, at(90), 'w'))).toEqual([key(b.berichtId, GEMEENTE_B)]);
  });

  it('never lets an update overtake its handover to the same receiver', async () => {
    const handover = await accept(ctx.store, 'DOS-1', [GEMEENTE_A, GEMEENTE_B]);
    const update = await accept(ctx.store, 'DOS-1', [GEMEENTE_A], { berichtType: 'veiligheidsvoorwaarden', volgnummer: 2 });
    const otherDossier = await accept(ctx.store, 'DOS-2', [GEMEENTE_A]);

    expect(keys(await ctx.store.claimDue(at(0), 10, at(30), 'w'))).toEqual([
      key(handover, GEMEENTE_A),
      key(handover, GEMEENTE_B),
      key(otherDossier, GEMEENTE_A),
    ]);
    // The handover's lease runs out, and it is still queued: the update still waits.
    expect(keys(await ctx.store.claimDue(at(31), 10, at(60), 'w'))).toEqual([key(handover, GEMEENTE_A), key(handover, GEMEENTE_B), key(otherDossier, GEMEENTE_A)]);
    expect(await ctx.store.markDelivered({ berichtId: handover, receiverOin: GEMEENTE_A }, at(32))).toBe(true);
    expect(keys(await ctx.store.claimDue(at(33), 10, at(60), 'w'))).toEqual([key(update, GEMEENTE_A)]);
  });

  it('keeps the order through a retry and releases the next bericht after a dead letter', async () => {
    const first = await accept(ctx.store, 'DOS-1', [GEMEENTE_A]);
    const second = await accept(ctx.store, 'DOS-1', [GEMEENTE_A], { volgnummer: 2 });
    const k = { berichtId: first, receiverOin: GEMEENTE_A };
    expect(keys(await ctx.store.claimDue(at(0), 10, at(30), 'w'))).toEqual([key(first, GEMEENTE_A)]);
    expect(await ctx.store.scheduleRetry(k, { workerId: 'w', at: at(1), nextAttemptAt: at(100), errorCode: 'HTTP_503' })).toBe(true);
    // Waiting for its retry, the first still blocks the second.
    expect(await ctx.store.claimDue(at(50), 10, at(80), 'w')).toEqual([]);
    expect(keys(await ctx.store.claimDue(at(100), 10, at(130), 'w'))).toEqual([key(first, GEMEENTE_A)]);
    expect(await ctx.store.markFailed(k, { workerId: 'w', at: at(101), errorCode: 'HTTP_503' })).toBe(true);
    expect(keys(await ctx.store.claimDue(at(102), 10, at(130), 'w'))).toEqual([key(second, GEMEENTE_A)]);
  });

  it('does not hand a leased delivery to another worker until the lease runs out', async () => {
    const id = await accept(ctx.store, 'DOS-1', [GEMEENTE_A]);
    expect(keys(await ctx.store.claimDue(at(0), 10, at(30), 'worker-1'))).toEqual([key(id, GEMEENTE_A)]);
    expect(await ctx.store.claimDue(at(29), 10, at(59), 'worker-2')).toEqual([]);
    // worker-1 crashed: at the end of its lease the delivery is claimable again.
    const [again] = await ctx.store.claimDue(at(30), 10, at(60), 'worker-2');
    expect(again?.delivery).toMatchObject({ leaseOwner: 'worker-2', leaseUntil: at(60), attempts: 0 });
    // The crashed worker's late verdict no longer counts while worker-2's lease runs.
    expect(await ctx.store.scheduleRetry({ berichtId: id, receiverOin: GEMEENTE_A }, { workerId: 'worker-1', at: at(31), nextAttemptAt: at(40), errorCode: 'HTTP_500' })).toBe(false);
    expect(await ctx.store.markFailed({ berichtId: id, receiverOin: GEMEENTE_A }, { workerId: 'worker-1', at: at(31), errorCode: 'HTTP_500' })).toBe(false);
  });

  it('claims at most `limit`, oldest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await accept(ctx.store, `DOS-${i}`, [GEMEENTE_A]));
    expect(keys(await ctx.store.claimDue(at(0), 2, at(30), 'w'))).toEqual(ids.slice(0, 2).map((id) => key(id, GEMEENTE_A)));
    expect(keys(await ctx.store.claimDue(at(0), 10, at(30), 'w'))).toEqual(ids.slice(2).map((id) => key(id, GEMEENTE_A)));
  });

  it('refuses a lease that ends before now and a limit of 0', async () => {
    await expect(ctx.store.claimDue(at(10), 1, at(10), 'w')).rejects.toMatchObject({ code: 'ZICHT_STORE_INVALID' });
    await expect(ctx.store.claimDue(at(10), 0, at(20), 'w')).rejects.toMatchObject({ code: 'ZICHT_STORE_INVALID' });
  });

  it('never gives two workers on separate connections the same delivery', async () => {
    const total = 60;
    for (let i = 0; i < total; i++) await accept(ctx.store, `DOS-${i}`, [GEMEENTE_A]);
    const stores = [ctx.store, await ctx.harness.open(), await ctx.harness.open()];
    const claims = await Promise.all(
      stores.map(async (store, n) => {
        const mine: string[] = [];
        for (;;) {
          const batch = await store.claimDue(at(0), 3, at(600), `worker-${n}`);
          if (batch.length === 0) return mine;
          mine.push(...keys(batch));
        }
      }),
    );
    const all = claims.flat();
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    if (ctx.harness.backend === 'postgres') expect(claims.filter((c) => c.length > 0).length).toBeGreaterThan(1);
  });
});
