/**
 * Random dossiers for the ledger's property tests (invariant.test.ts, ledger-termijnen.test.ts): a handover,
 * direct or after a service, followed by up to eight receipts, contacts and closings at random moments.
 */
import fc from 'fast-check';
import type { Bericht, OverdrachtBericht } from '../../src/model/bericht.js';
import { afsluiting, contact, directeOverdracht, ontvangst, overdrachtNaDienst, VT } from './dossier.js';

const Actie = fc.record({
  soort: fc.constantFrom('ontvangen', 'geaccepteerd', 'niet-geaccepteerd', 'contact', 'afsluiting-lt', 'afsluiting-vt'),
  wie: fc.nat(1),
  minuten: fc.integer({ min: 1, max: 6000 }),
});

/** The kind of handover and what follows it. */
export const Scenario = fc.record({ dienst: fc.boolean(), urgent: fc.boolean(), triagetafel: fc.boolean(), acties: fc.array(Actie, { maxLength: 8 }) });
export type Scenario = typeof Scenario extends fc.Arbitrary<infer T> ? T : never;

/** The scenario's berichten, the handover first, and the moment of the last (ms). */
export function berichtenVan(s: Scenario): { h: OverdrachtBericht; berichten: Bericht[]; laatste: number } {
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
  return { h, berichten, laatste: t };
}
