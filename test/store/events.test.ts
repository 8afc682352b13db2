/** Events: appended with the change they record, listed per bericht and per dossier in append order. */
import { describe, expect, it } from 'vitest';
import { BACKENDS, useStore } from './backends.js';
import { at, bericht, GEMEENTE_A, VT_OIN } from './fixtures.js';

describe.each(BACKENDS)('events on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('lists the events of a bericht and of its dossier in append order', async () => {
    const handover = await ctx.store.insertBericht(bericht({ dossierReferentie: 'DOS-1' }));
    const other = await ctx.store.insertBericht(bericht({ dossierReferentie: 'DOS-2' }));
    const update = await ctx.store.insertBericht(bericht({ dossierReferentie: 'DOS-1', volgnummer: 2 }));
    const accepted = await ctx.store.appendEvent({ type: 'bericht.accepted', berichtId: handover.berichtId, oin: VT_OIN, at: at(0) });
    await ctx.store.appendEvent({ type: 'bericht.accepted', berichtId: other.berichtId, oin: VT_OIN, at: at(1) });
    const updated = await ctx.store.appendEvent({ type: 'bericht.accepted', berichtId: update.berichtId, oin: VT_OIN, at: at(2) });
    const delivered = await ctx.store.appendEvent({
      type: 'delivery.delivered',
      berichtId: handover.berichtId,
      oin: GEMEENTE_A,
      at: at(3),
      data: { attempts: 2, status: 'HTTP_202', retried: true, note: null },
    });

    expect(accepted).toEqual({ seq: accepted.seq, type: 'bericht.accepted', berichtId: handover.berichtId, oin: VT_OIN, at: at(0), data: {} });
    expect(await ctx.store.listEventsOfBericht(handover.berichtId)).toEqual([accepted, delivered]);
    expect(await ctx.store.listEventsOfDossier('DOS-1')).toEqual([accepted, updated, delivered]);
    expect(delivered.data).toEqual({ attempts: 2, status: 'HTTP_202', retried: true, note: null });
    expect(accepted.seq).toBeLessThan(updated.seq);
  });

  it('refuses an event of an unknown bericht', async () => {
    await expect(
      ctx.store.appendEvent({ type: 'bericht.accepted', berichtId: '6f1d3c2a-0000-4000-8000-000000000000', oin: VT_OIN, at: at(0) }),
    ).rejects.toMatchObject({ code: 'ZICHT_STORE_NOT_FOUND' });
  });

  it.each([
    ['nested data', { inhoud: { naam: 'x' } }],
    ['long text', { note: 'x'.repeat(201) }],
    ['too many keys', Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i]))],
  ])('refuses %s, so no bericht content fits in an event', async (_, data) => {
    const b = await ctx.store.insertBericht(bericht());
    await expect(
      ctx.store.appendEvent({ type: 'bericht.accepted', berichtId: b.berichtId, oin: VT_OIN, at: at(0), data: data as never }),
    ).rejects.toMatchObject({ code: 'ZICHT_STORE_INVALID' });
    expect(await ctx.store.listEventsOfBericht(b.berichtId)).toEqual([]);
  });
});
