/**
 * The store's timers (migration 5, src/store/termijn.ts) on SQLite and PostgreSQL: opened once per key,
 * claimed with a lease by one worker at a time, fired only while open and by the lease holder (or after
 * its lease ran out), settled only while open, and every input checked.
 */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import type { NewTermijn } from '../../src/store/termijn.js';
import { BACKENDS, useStore } from './backends.js';
import { at, bericht, GEMEENTE_A, T0 } from './fixtures.js';

const SIGNAAL = '7c1e2d3f-4a5b-4c6d-8e7f-901a2b3c4d5e';

describe.each(BACKENDS)('timers on $name', ({ harness }) => {
  const ctx = useStore(harness);

  async function timer(overrides: Partial<NewTermijn> = {}): Promise<NewTermijn> {
    const b = await ctx.store.insertBericht(bericht());
    const t: NewTermijn = { berichtId: b.berichtId, soort: 'ontvangstbevestiging', moetHandelen: GEMEENTE_A, maand: 0, dossierReferentie: b.dossierReferentie, profiel: 'zuid-limburg', regel: 'ontvangstbevestiging', dueAt: at(60), ...overrides };
    expect(await ctx.store.openTermijn(t)).toBe(true);
    return t;
  }
  const key = (t: NewTermijn) => ({ berichtId: t.berichtId, soort: t.soort, moetHandelen: t.moetHandelen, maand: t.maand });

  it('opens a timer once per key and lists it with its dossier', async () => {
    const t = await timer();
    expect(await ctx.store.openTermijn({ ...t, dueAt: at(999) })).toBe(false);
    expect(await ctx.store.listTermijnenOfDossier(t.dossierReferentie)).toEqual([{ ...t, status: 'open' }]);
  });

  it('claims only due timers, one worker at a time until the lease runs out', async () => {
    const t = await timer();
    expect(await ctx.store.claimDueTermijnen(at(59), 10, at(90), 'a')).toEqual([]);
    expect((await ctx.store.claimDueTermijnen(at(60), 10, at(90), 'a')).map((c) => c.leaseOwner)).toEqual(['a']);
    expect(await ctx.store.claimDueTermijnen(at(61), 10, at(120), 'b')).toEqual([]);
    expect(await ctx.store.fireTermijn(key(t), { workerId: 'b', at: at(61), signaalId: SIGNAAL })).toBe(false);
    expect((await ctx.store.claimDueTermijnen(at(90), 10, at(120), 'b')).map((c) => c.leaseOwner)).toEqual(['b']);
    expect(await ctx.store.fireTermijn(key(t), { workerId: 'b', at: at(91), signaalId: SIGNAAL })).toBe(true);
    expect(await ctx.store.fireTermijn(key(t), { workerId: 'b', at: at(92), signaalId: SIGNAAL })).toBe(false);
    expect(await ctx.store.settleTermijn(key(t), 'gehaald', at(93))).toBe(false);
    expect(await ctx.store.listTermijnenOfDossier(t.dossierReferentie)).toEqual([{ ...t, status: 'verlopen', settledAt: at(91), signaalId: SIGNAAL }]);
    expect(await ctx.store.claimDueTermijnen(at(999), 10, at(1999), 'c')).toEqual([]);
  });

  it('settles an open timer once; a settled timer is never claimed', async () => {
    const t = await timer();
    expect(await ctx.store.settleTermijn(key(t), 'gehaald', T0)).toBe(true);
    expect(await ctx.store.settleTermijn(key(t), 'vervallen', T0)).toBe(false);
    expect(await ctx.store.claimDueTermijnen(at(999), 10, at(1999), 'a')).toEqual([]);
  });

  it('refuses invalid input with ZICHT_STORE_INVALID and a timer of an unknown bericht', async () => {
    const t = await timer();
    await expect(ctx.store.openTermijn({ ...t, soort: 'anders' as never })).rejects.toMatchObject({ code: 'ZICHT_STORE_INVALID' });
    await expect(ctx.store.openTermijn({ ...t, maand: 99 })).rejects.toMatchObject({ code: 'ZICHT_STORE_INVALID' });
    await expect(ctx.store.claimDueTermijnen(at(10), 0, at(20), 'a')).rejects.toMatchObject({ code: 'ZICHT_STORE_INVALID' });
    await expect(ctx.store.openTermijn({ ...t, berichtId: '0f0e0d0c-0b0a-4909-8807-060504030201' })).rejects.toBeInstanceOf(StoreError);
  });
});
