/**
 * The store's side of the dossiers overview (src/store/dossier-list.ts) on SQLite and PostgreSQL alike: a page of
 * dossiers newest activity first, narrowed by viewer, receiving gemeente, part of the reference (case-insensitive,
 * `%` and `_` literal) and state (an afsluiting stored or not), paged by keyset; and the berichten of a page's
 * dossiers in one query, in accept order, nothing of other dossiers.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, useStore } from '../store/backends.js';
import { bericht, delivery, GEMEENTE_A, GEMEENTE_B, VT2_OIN } from '../store/fixtures.js';

describe.each(BACKENDS)('the dossiers overview on $name', ({ harness }) => {
  const ctx = useStore(harness);

  const seed = async () => {
    // A: to gemeente A, closed; B: to gemeente B; C: to A and B, by another VT; D_x: a reference with an underscore.
    const refs = ['VTZL-2026-000001', 'VTZL-2026-000002', 'VTZL-2026-000003', 'VTZL_2026-000004'];
    const a = await ctx.store.insertBericht(bericht({ dossierReferentie: refs[0] }));
    await ctx.store.enqueueDelivery(delivery(a.berichtId, GEMEENTE_A));
    const b = await ctx.store.insertBericht(bericht({ dossierReferentie: refs[1] }));
    await ctx.store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_B));
    const c = await ctx.store.insertBericht(bericht({ dossierReferentie: refs[2], senderOin: VT2_OIN }));
    await ctx.store.enqueueDelivery(delivery(c.berichtId, GEMEENTE_A));
    await ctx.store.enqueueDelivery(delivery(c.berichtId, GEMEENTE_B));
    const d = await ctx.store.insertBericht(bericht({ dossierReferentie: refs[3] }));
    await ctx.store.enqueueDelivery(delivery(d.berichtId, GEMEENTE_B));
    const closing = await ctx.store.insertBericht(bericht({ dossierReferentie: refs[0], berichtType: 'afsluiting', volgnummer: 2 }));
    return { refs, berichten: { a, b, c, d, closing } };
  };
  const refsOf = async (query: Parameters<typeof ctx.store.listDossierPage>[0]) => (await ctx.store.listDossierPage(query)).map((r) => r.referentie);

  it('lists newest activity first and narrows by viewer, gemeente, reference and state', async () => {
    const { refs } = await seed();
    const [a, b, c, d] = refs;
    expect(await refsOf({ limit: 10 })).toEqual([a, d, c, b]);
    expect(await refsOf({ limit: 10, oin: VT2_OIN })).toEqual([c]);
    expect(await refsOf({ limit: 10, oin: GEMEENTE_A })).toEqual([a, c]);
    expect(await refsOf({ limit: 10, ontvanger: GEMEENTE_B })).toEqual([d, c, b]);
    expect(await refsOf({ limit: 10, zoek: 'vtzl-2026-00000' })).toEqual([a, c, b]);
    expect(await refsOf({ limit: 10, zoek: '_' })).toEqual([d]);
    expect(await refsOf({ limit: 10, zoek: '%' })).toEqual([]);
    expect(await refsOf({ limit: 10, stand: 'afgesloten' })).toEqual([a]);
    expect(await refsOf({ limit: 10, stand: 'lopend', ontvanger: GEMEENTE_A })).toEqual([c]);
  });

  it('pages by the newest bericht of each dossier, without gaps or repeats', async () => {
    const { refs } = await seed();
    const first = await ctx.store.listDossierPage({ limit: 2 });
    expect(first.map((r) => r.referentie)).toEqual([refs[0], refs[3]]);
    const second = await ctx.store.listDossierPage({ limit: 2, voor: first.at(-1)?.laatste ?? 0 });
    expect(second.map((r) => r.referentie)).toEqual([refs[2], refs[1]]);
    expect(await ctx.store.listDossierPage({ limit: 2, voor: second.at(-1)?.laatste ?? 0 })).toEqual([]);
  });

  it('reads the berichten of several dossiers in one call, in accept order, and none of others', async () => {
    const { refs, berichten } = await seed();
    const list = await ctx.store.listBerichtenOfDossiers([refs[0] ?? '', refs[2] ?? '']);
    expect(list.map((s) => s.berichtId)).toEqual([berichten.a.berichtId, berichten.c.berichtId, berichten.closing.berichtId]);
    expect(list[0]).toEqual(berichten.a);
    expect(await ctx.store.listBerichtenOfDossiers([])).toEqual([]);
  });
});
