/**
 * Bad input (issue 6, "Bad input"): refused with a rule id, and nothing in the ledger changes. Each case
 * adds one bad bericht to a good dossier and compares the ledger with the one without it.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildLedger, type Ledger } from '../../src/lifecycle/ledger.js';
import type { Bericht } from '../../src/model/bericht.js';
import { personalValuesIn } from '../helpers/examples.js';
import { afsluiting, alsVerzonden, contact, LT_HEERLEN, LT_KERKRADE, LT_MAASTRICHT, ontvangst, overdrachtNaDienst, profiel, VT } from './dossier.js';

const NU = new Date('2026-07-01T12:00:00+02:00');
const without = (ledger: Ledger): Ledger => ({ ...ledger, geweigerd: [] });

function good() {
  const h = overdrachtNaDienst();
  // A household in two gemeenten: both accept and name Heerlen to lead (Z-L 5.2.4), so Heerlen holds zicht.
  const accepted = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00', { regie: LT_HEERLEN });
  // Kerkrade's sequence number 1 stays free for the out-of-order case (BER-016 without BER-011): the fixture counts on.
  ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-16T09:20:00+02:00');
  const alsoAccepted = ontvangst(h, LT_KERKRADE, 'geaccepteerd', '2026-06-16T09:30:00+02:00', { regie: LT_HEERLEN });
  return { h, berichten: [h, accepted, alsoAccepted, contact(h, LT_HEERLEN, '2026-06-17T09:00:00+02:00')] as Bericht[] };
}

const cases: [string, string, (h: ReturnType<typeof good>['h']) => Bericht][] = [
  ['a receipt for an unknown handover', 'ONT-004', (h) => ({ ...ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-18T09:00:00+02:00'), inAntwoordOp: randomUUID() })],
  ['a receipt from a party the handover was not addressed to', 'ONT-004', (h) => ontvangst(h, LT_MAASTRICHT, 'geaccepteerd', '2026-06-18T09:00:00+02:00')],
  ['a second acceptance', 'ONT-008', (h) => ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-18T09:00:00+02:00')],
  ['events out of order: a receipt sent before the handover', 'BER-016', (h) => ({ ...ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-14T09:00:00+02:00'), dossier: { referentie: h.dossier.referentie, volgnummer: 1 } })],
  ['a timestamp in the future', 'LVC-010', (h) => contact(h, LT_KERKRADE, '2026-07-01T12:06:00+02:00')],
  ['a closure by a party that is not responsible', 'LVC-011', (h) => afsluiting(h, VT, '2026-06-20T09:00:00+02:00')],
];

describe('bad input changes nothing in the ledger', () => {
  it.each(cases)('%s is refused with %s', (_label, rule, make) => {
    const { h, berichten } = good();
    const before = buildLedger(alsVerzonden(berichten), profiel('zuid-limburg'), { nu: NU });
    const bad = make(h);
    const after = buildLedger(alsVerzonden([...berichten, bad]), profiel('zuid-limburg'), { nu: NU });
    expect(after.geweigerd.map((g) => [g.berichtId, g.issues.map((i) => i.rule)])).toEqual([[bad.berichtId, [rule]]]);
    expect(without(after)).toEqual(without(before));
    const text = JSON.stringify(after);
    expect(personalValuesIn(text)).toEqual([]);
  });

  it('a bericht in a closed dossier is refused (LVC-012)', () => {
    const { h, berichten } = good();
    const closed = [...berichten, afsluiting(h, LT_HEERLEN, '2026-06-25T09:00:00+02:00')];
    const before = buildLedger(alsVerzonden(closed), profiel('zuid-limburg'), { nu: NU });
    const after = buildLedger(alsVerzonden([...closed, contact(h, LT_KERKRADE, '2026-06-26T09:00:00+02:00')]), profiel('zuid-limburg'), { nu: NU });
    expect(after.geweigerd.flatMap((g) => g.issues.map((i) => i.rule))).toEqual(['LVC-012']);
    expect(without(after)).toEqual(without(before));
  });

  it('a bericht 5 minutes ahead of the clock is still accepted (clock skew, LVC-010)', () => {
    const { h, berichten } = good();
    const after = buildLedger(alsVerzonden([...berichten, contact(h, LT_KERKRADE, '2026-07-01T12:05:00+02:00')]), profiel('zuid-limburg'), { nu: NU });
    expect(after.geweigerd).toEqual([]);
  });
});
