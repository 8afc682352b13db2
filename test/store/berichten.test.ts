/** Berichten: stored once per berichtId, found again for idempotency, listed per dossier for the trail. */
import { describe, expect, it } from 'vitest';
import { StoreConflictError, StoreError } from '../../src/errors.js';
import type { StoredBericht } from '../../src/store/stored-bericht.js';
import { BACKENDS, useStore } from './backends.js';
import { bericht, GEMEENTE_A, VT2_OIN, VT_OIN } from './fixtures.js';

describe.each(BACKENDS)('berichten on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('returns what it stored, found by sender and id and by id alone', async () => {
    const input = bericht({ inAntwoordOp: '0b7e4f7e-9d2a-4a43-9c1b-1f0f5f1e2a3b', volgnummer: 7 });
    const stored = await ctx.store.insertBericht(input);
    expect(stored).toEqual(input);
    expect(await ctx.store.findBericht(VT_OIN, input.berichtId)).toEqual(input);
    expect(await ctx.store.getBericht(input.berichtId)).toEqual(input);
  });

  it('keeps an absent inAntwoordOp absent and the body text byte for byte', async () => {
    const body = '{"b":1,  "a":"é\\u00e9"}';
    const input = bericht({ body });
    const stored = await ctx.store.getBericht((await ctx.store.insertBericht(input)).berichtId);
    expect(stored?.body).toBe(body);
    expect(stored).not.toHaveProperty('inAntwoordOp');
  });

  it('finds nothing for another sender or an unknown id', async () => {
    const input = await ctx.store.insertBericht(bericht());
    expect(await ctx.store.findBericht(VT2_OIN, input.berichtId)).toBeUndefined();
    expect(await ctx.store.getBericht('6f1d3c2a-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it.each([
    ['the same sender', VT_OIN],
    ['another sender', VT2_OIN],
  ])('refuses a second bericht with the same id from %s with StoreConflictError', async (_, senderOin) => {
    const first = await ctx.store.insertBericht(bericht());
    const again = ctx.store.insertBericht(bericht({ berichtId: first.berichtId, senderOin, body: '{"other":true}' }));
    await expect(again).rejects.toBeInstanceOf(StoreConflictError);
    await expect(again).rejects.toMatchObject({ code: 'ZICHT_STORE_CONFLICT' });
    await again.catch((error: unknown) => {
      expect(String(error)).not.toContain(first.berichtId);
      expect(String(error)).not.toMatch(/insert|berichten/i);
    });
    expect(await ctx.store.listBerichtenByDossier(first.dossierReferentie)).toEqual([first]);
  });

  it('lets exactly one of two concurrent identical inserts from two connections win', async () => {
    const other = await ctx.harness.open();
    for (let round = 0; round < 10; round++) {
      const input = bericht();
      const results = await Promise.allSettled([ctx.store.insertBericht(input), other.insertBericht(input)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected?.reason).toBeInstanceOf(StoreConflictError);
    }
    const rows = await ctx.harness.sql('SELECT COUNT(*) AS n FROM berichten');
    expect(Number((rows[0] as { n: unknown }).n)).toBe(10);
  });

  it('lists a dossier in the order the gateway accepted its berichten', async () => {
    const handover = await ctx.store.insertBericht(bericht({ volgnummer: 2 }));
    await ctx.store.insertBericht(bericht({ dossierReferentie: 'VTZL-2026-000001' }));
    const update = await ctx.store.insertBericht(bericht({ berichtType: 'veiligheidsvoorwaarden', volgnummer: 1, inAntwoordOp: handover.berichtId }));
    const receipt = await ctx.store.insertBericht(bericht({ berichtType: 'ontvangstbevestiging', senderOin: GEMEENTE_A, inAntwoordOp: handover.berichtId }));
    expect((await ctx.store.listBerichtenByDossier(handover.dossierReferentie)).map((b) => b.berichtId)).toEqual([
      handover.berichtId,
      update.berichtId,
      receipt.berichtId,
    ]);
    expect(await ctx.store.listBerichtenByDossier('VTZL-2026-999999')).toEqual([]);
  });

  it.each([
    ['a sender that is no OIN', { senderOin: '123' }, 'senderOin'],
    ['a content hash that is no SHA-256', { contentHash: 'abc' }, 'contentHash'],
    ['a BSN-like dossier reference with a space', { dossierReferentie: 'BSN 123456782' }, 'dossierReferentie'],
    ['an unknown bericht type', { berichtType: 'melding' }, 'berichtType'],
  ])('refuses %s with ZICHT_STORE_INVALID naming the field, not the value', async (_, change, field) => {
    const input = { ...bericht(), ...change };
    const attempt = ctx.store.insertBericht(input as unknown as StoredBericht);
    await expect(attempt).rejects.toBeInstanceOf(StoreError);
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ZICHT_STORE_INVALID' });
    expect(String(error)).toContain(field);
    for (const value of Object.values(change)) expect(String(error)).not.toContain(value);
  });
});
