/** The overview reads of the console and the metrics, and the operator's retry of a dead letter. */
import { describe, expect, it } from 'vitest';
import { BACKENDS, useStore } from './backends.js';
import { at, bericht, delivery, GEMEENTE_A, GEMEENTE_B, VT_OIN } from './fixtures.js';

describe.each(BACKENDS)('overview reads on $name', ({ harness }) => {
  const ctx = useStore(harness);
  const W = 'host:1:1';

  it('lists recent berichten with their deliveries, all or those of one participant, newest first', async () => {
    const first = await ctx.store.insertBericht(bericht({ dossierReferentie: 'VTZL-2026-000001' }));
    await ctx.store.enqueueDelivery(delivery(first.berichtId, GEMEENTE_A));
    const second = await ctx.store.insertBericht(bericht({ dossierReferentie: 'VTZL-2026-000002' }));
    await ctx.store.enqueueDelivery(delivery(second.berichtId, GEMEENTE_B));
    await ctx.store.enqueueDelivery(delivery(second.berichtId, GEMEENTE_A));

    const all = await ctx.store.listRecentBerichten({ limit: 10 });
    expect(all.map((r) => [r.bericht.berichtId, r.deliveries.map((d) => d.receiverOin)])).toEqual([
      [second.berichtId, [GEMEENTE_A, GEMEENTE_B]],
      [first.berichtId, [GEMEENTE_A]],
    ]);
    expect((await ctx.store.listRecentBerichten({ oin: GEMEENTE_B, limit: 10 })).map((r) => r.bericht.berichtId)).toEqual([second.berichtId]);
    expect((await ctx.store.listRecentBerichten({ oin: VT_OIN, limit: 1 })).map((r) => r.bericht.berichtId)).toEqual([second.berichtId]);
    expect(await ctx.store.listDossierReferenties({ limit: 10 })).toEqual(['VTZL-2026-000002', 'VTZL-2026-000001']);
    expect(await ctx.store.listDossierReferenties({ oin: GEMEENTE_B, limit: 10 })).toEqual(['VTZL-2026-000002']);
  });

  it('narrows the berichten by type, delivery status and period, and pages with the cursor of the last row', async () => {
    const overdracht = await ctx.store.insertBericht(bericht({ dossierReferentie: 'VTZL-2026-000011', receivedAt: at(10) }));
    await ctx.store.enqueueDelivery(delivery(overdracht.berichtId, GEMEENTE_A));
    const update = await ctx.store.insertBericht(bericht({ berichtType: 'veiligheidsvoorwaarden', dossierReferentie: 'VTZL-2026-000011', volgnummer: 2, receivedAt: at(20) }));
    await ctx.store.enqueueDelivery(delivery(update.berichtId, GEMEENTE_A));
    const later = await ctx.store.insertBericht(bericht({ dossierReferentie: 'VTZL-2026-000012', receivedAt: at(30) }));
    await ctx.store.enqueueDelivery(delivery(later.berichtId, GEMEENTE_B));
    expect(await ctx.store.markFailed({ berichtId: later.berichtId, receiverOin: GEMEENTE_B }, { workerId: W, at: at(31), errorCode: 'HTTP_400' })).toBe(true);
    const ids = async (query: Parameters<typeof ctx.store.listRecentBerichten>[0]) => (await ctx.store.listRecentBerichten(query)).map((r) => r.bericht.berichtId);

    expect(await ids({ limit: 10, berichtType: 'overdracht' })).toEqual([later.berichtId, overdracht.berichtId]);
    expect(await ids({ limit: 10, status: 'failed' })).toEqual([later.berichtId]);
    expect(await ids({ limit: 10, van: at(15), tot: at(30) })).toEqual([update.berichtId]);
    expect(await ids({ limit: 10, oin: GEMEENTE_A, berichtType: 'overdracht' })).toEqual([overdracht.berichtId]);
    const [first, second] = await ctx.store.listRecentBerichten({ limit: 2 });
    expect([first?.bericht.berichtId, second?.bericht.berichtId]).toEqual([later.berichtId, update.berichtId]);
    expect(await ids({ limit: 2, voor: second?.seq ?? 0 })).toEqual([overdracht.berichtId]);
  });

  it('lists and counts dead letters, and puts one back in the outbox once', async () => {
    const b = await ctx.store.insertBericht(bericht());
    await ctx.store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_A));
    await ctx.store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_B));
    const key = { berichtId: b.berichtId, receiverOin: GEMEENTE_A };
    expect(await ctx.store.requeueDelivery(key, at(1))).toBe(false);
    expect(await ctx.store.markFailed(key, { workerId: W, at: at(1), errorCode: 'HTTP_400' })).toBe(true);
    expect(await ctx.store.countDeliveriesByStatus()).toEqual(new Map([['failed', 1], ['queued', 1]]));
    expect((await ctx.store.listDeliveriesByStatus('failed', 10)).map((d) => [d.receiverOin, d.lastErrorCode, d.attempts])).toEqual([[GEMEENTE_A, 'HTTP_400', 1]]);

    expect(await ctx.store.requeueDelivery(key, at(2))).toBe(true);
    expect(await ctx.store.requeueDelivery(key, at(3))).toBe(false);
    const [again] = await ctx.store.listDeliveries(b.berichtId);
    expect(again).toMatchObject({ receiverOin: GEMEENTE_A, status: 'queued', attempts: 0, nextAttemptAt: at(2), lastErrorCode: 'HTTP_400' });
    expect(again?.failedAt).toBeUndefined();
    expect(await ctx.store.countDeliveriesByStatus()).toEqual(new Map([['queued', 2]]));
  });
});
