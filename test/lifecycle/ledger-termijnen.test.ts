/**
 * The accept path's timer step reads the terms through ledgerTermijnen instead of building the whole ledger: over
 * random bericht sequences (the same generator as invariant.test.ts), at random moments and for every profile, its
 * terms and profile are exactly those of buildLedger.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLedger, ledgerTermijnen } from '../../src/lifecycle/ledger.js';
import type { Bericht } from '../../src/model/bericht.js';
import { afsluiting, contact, directeOverdracht, ontvangst, overdrachtNaDienst, profiel, PROFIELEN, VT } from './dossier.js';

const Actie = fc.record({
  soort: fc.constantFrom('ontvangen', 'geaccepteerd', 'niet-geaccepteerd', 'contact', 'afsluiting-lt', 'afsluiting-vt'),
  wie: fc.nat(1),
  minuten: fc.integer({ min: 1, max: 6000 }),
});
const Scenario = fc.record({ dienst: fc.boolean(), urgent: fc.boolean(), triagetafel: fc.boolean(), acties: fc.array(Actie, { maxLength: 8 }), nuNaDagen: fc.integer({ min: -2, max: 40 }) });

type Scenario = typeof Scenario extends fc.Arbitrary<infer T> ? T : never;

function berichtenVan(s: Scenario): { berichten: Bericht[]; nu: Date } {
  const h = s.dienst ? overdrachtNaDienst({ urgent: s.urgent }) : directeOverdracht({ urgent: s.urgent, triagetafel: s.triagetafel });
  const receivers = h.ontvangers.filter((o) => o.kopie !== true).map((o) => o.oin);
  let t = Date.parse(h.verzondenOp);
  const berichten: Bericht[] = [h];
  for (const a of s.acties) {
    t += a.minuten * 60_000;
    const op = new Date(t).toISOString();
    const wie = receivers[a.wie % receivers.length] ?? '';
    if (a.soort === 'contact') berichten.push(contact(h, wie, op));
    else if (a.soort === 'afsluiting-lt') berichten.push(afsluiting(h, wie, op));
    else if (a.soort === 'afsluiting-vt') berichten.push(afsluiting(h, VT, op));
    else berichten.push(ontvangst(h, wie, a.soort, op));
  }
  return { berichten, nu: new Date(Date.parse(h.verzondenOp) + s.nuNaDagen * 86_400_000) };
}

describe.each(PROFIELEN)('profile %s', (id) => {
  it('ledgerTermijnen gives the terms and profile of buildLedger', () => {
    const p = profiel(id);
    fc.assert(
      fc.property(Scenario, (s) => {
        const { berichten, nu } = berichtenVan(s);
        const ledger = buildLedger(berichten, p, { nu });
        expect(ledgerTermijnen(berichten, p, nu)).toEqual({ profiel: ledger.profiel, termijnen: ledger.termijnen });
      }),
      { numRuns: 200 },
    );
  });
});
