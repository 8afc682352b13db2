/**
 * Werkdagen in Europe/Amsterdam (domain brief "Working days"; spec/v1/profiles/README.md "Werkdagen"):
 * national holidays from date-holidays, optional Good Friday and Liberation Day per profile, and
 * terms that end at 24:00 local time on both sides of the DST changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amsterdamDatum, beginVanDag, isWerkdag, termijnEinde, werkdagNa } from '../../src/profiles/werkdagen.js';

const geen = { goedeVrijdag: false, bevrijdingsdag: false };
const beide = { goedeVrijdag: true, bevrijdingsdag: true };
const werkdagen = (aantal: number) => ({ aantal, eenheid: 'werkdagen' as const });

describe('isWerkdag', () => {
  it.each([
    ['2026-01-01', false, 'Nieuwjaarsdag'],
    ['2026-04-03', true, 'Goede Vrijdag counts as a werkdag unless the profile says otherwise'],
    ['2026-04-06', false, 'Tweede paasdag'],
    ['2026-04-27', false, 'Koningsdag on a Monday'],
    ['2025-04-26', false, 'Koningsdag 2025: 27 April is a Sunday, so it is Saturday 26 April'],
    ['2025-04-28', true, 'the Monday after a Sunday 27 April is an ordinary werkdag'],
    ['2026-05-05', true, 'Bevrijdingsdag counts as a werkdag unless the profile says otherwise'],
    ['2026-05-14', false, 'Hemelvaartsdag'],
    ['2026-05-25', false, 'Tweede pinksterdag'],
    ['2026-12-25', false, 'Eerste kerstdag'],
    ['2026-12-26', false, 'Tweede kerstdag (a Saturday too)'],
    ['2026-03-07', false, 'a Saturday'],
    ['2026-03-09', true, 'an ordinary Monday'],
  ])('%s → %s (%s)', (datum, expected) => {
    expect(isWerkdag(datum, geen)).toBe(expected);
  });

  it('optional days are free only when the profile names them', () => {
    expect(isWerkdag('2026-04-03', { ...geen, goedeVrijdag: true })).toBe(false);
    expect(isWerkdag('2026-05-05', { ...geen, bevrijdingsdag: true })).toBe(false);
    expect(isWerkdag('2026-05-05', { ...geen, goedeVrijdag: true })).toBe(true);
  });
});

describe('termijnEinde', () => {
  it('across Easter: 2 werkdagen from Thursday 2 April 2026 skip Easter Monday, and Good Friday if the profile says so', () => {
    const start = new Date('2026-04-02T15:00:00+02:00');
    expect(termijnEinde(start, werkdagen(2), geen).toISOString()).toBe(new Date('2026-04-08T00:00:00+02:00').toISOString());
    expect(termijnEinde(start, werkdagen(2), beide).toISOString()).toBe(new Date('2026-04-09T00:00:00+02:00').toISOString());
  });

  it("across King's Day: 1 werkdag from Friday 24 April 2026 ends with Tuesday 28 April", () => {
    expect(termijnEinde(new Date('2026-04-24T09:00:00+02:00'), werkdagen(1), geen).toISOString()).toBe(new Date('2026-04-29T00:00:00+02:00').toISOString());
  });

  it("in 2025, when 27 April is a Sunday: 1 werkdag from Friday 25 April ends with Monday 28 April", () => {
    expect(werkdagNa('2025-04-25', 1, geen)).toBe('2025-04-28');
  });

  it('across Christmas: 1 werkdag from Thursday 24 December 2026 ends with Monday 28 December', () => {
    expect(termijnEinde(new Date('2026-12-24T11:00:00+01:00'), werkdagen(1), geen).toISOString()).toBe(new Date('2026-12-29T00:00:00+01:00').toISOString());
  });

  it('across the spring DST change (29 March 2026): the end is midnight at +02:00', () => {
    const end = termijnEinde(new Date('2026-03-27T23:30:00+01:00'), werkdagen(1), geen);
    expect(end.toISOString()).toBe('2026-03-30T22:00:00.000Z');
  });

  it('across the autumn DST change (25 October 2026): the end is midnight at +01:00', () => {
    const end = termijnEinde(new Date('2026-10-23T10:00:00+02:00'), werkdagen(1), geen);
    expect(end.toISOString()).toBe('2026-10-26T23:00:00.000Z');
  });

  it('counts from the Amsterdam date of the start, not the UTC date', () => {
    // 23:30 UTC on Monday 2 March is 00:30 on Tuesday 3 March in Amsterdam.
    const start = new Date('2026-03-02T23:30:00Z');
    expect(amsterdamDatum(start)).toBe('2026-03-03');
    expect(termijnEinde(start, werkdagen(1), geen).toISOString()).toBe(beginVanDag('2026-03-05').toISOString());
  });

  it('weeks and months are calendar terms in local time, also across DST and short months', () => {
    expect(termijnEinde(new Date('2026-03-20T10:00:00+01:00'), { aantal: 3, eenheid: 'weken' }, geen).toISOString()).toBe(new Date('2026-04-11T00:00:00+02:00').toISOString());
    expect(termijnEinde(new Date('2026-11-30T10:00:00+01:00'), { aantal: 3, eenheid: 'maanden' }, geen).toISOString()).toBe(new Date('2027-03-01T00:00:00+01:00').toISOString());
  });
});

describe('amsterdamDatum and beginVanDag (memoised per UTC hour and per date)', () => {
  const intlDatum = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(t));

  it('give the date Intl gives for any instant 2020-2040, at the DST changes and around midnight too', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }), (t) => {
        expect(amsterdamDatum(new Date(t))).toBe(intlDatum(t));
      }),
      { numRuns: 5000 },
    );
    // The hours either side of the DST changes of 2026 (01:00 UTC) and of local midnight in winter and summer.
    for (const t of [Date.UTC(2026, 2, 29, 0, 59, 59, 999), Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 0, 59, 59, 999), Date.UTC(2026, 9, 25, 1), Date.UTC(2026, 0, 1, 22, 59, 59, 999), Date.UTC(2026, 0, 1, 23), Date.UTC(2026, 6, 1, 21, 59, 59, 999), Date.UTC(2026, 6, 1, 22)]) {
      expect(amsterdamDatum(new Date(t))).toBe(intlDatum(t));
    }
  });

  it('beginVanDag answers the same the second time, and a caller changing the returned Date changes nothing', () => {
    const first = beginVanDag('2026-10-25');
    expect(first.toISOString()).toBe('2026-10-24T22:00:00.000Z');
    first.setTime(0);
    expect(beginVanDag('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(beginVanDag('2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });
});
