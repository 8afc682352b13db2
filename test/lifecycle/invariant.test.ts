/**
 * The invariant the sources ask for (domain brief "Zicht op veiligheid"; EIND 4; W-B "Afweging"): from the
 * moment VT becomes responsible until the dossier is closed, at every instant exactly one party is
 * responsible, never nobody; a niet-geaccepteerd keeps it with VT. A property over random bericht
 * sequences, for every profile.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLedger, verantwoordelijkeOp } from '../../src/lifecycle/ledger.js';
import { termijnEinde } from '../../src/profiles/werkdagen.js';
import { alsVerzonden, profiel, PROFIELEN, VT } from './dossier.js';
import { berichtenVan, Scenario } from './scenario.js';

describe.each(PROFIELEN)('profile %s', (id) => {
  it('exactly one party is responsible from VT on until closure, and a niet-geaccepteerd keeps it with VT', () => {
    const p = profiel(id);
    fc.assert(
      fc.property(Scenario, (s) => {
        const { h, berichten, laatste } = berichtenVan(s);
        const eind = laatste + 20 * 86_400_000;
        const ledger = buildLedger(alsVerzonden(berichten), p, { nu: new Date(eind) });
        const accepted = berichten.filter((b) => !ledger.geweigerd.some((g) => g.berichtId === b.berichtId));
        const start = Date.parse(ledger.vtVerantwoordelijkSinds ?? '');
        const end = ledger.afgeslotenOp === undefined ? eind : Date.parse(ledger.afgeslotenOp);

        // The periods tile [start, end) without gap or overlap: at every instant exactly one party.
        expect(ledger.perioden[0]?.van).toBe(new Date(start).toISOString());
        expect(ledger.perioden[0]?.verantwoordelijke.oin).toBe(VT);
        for (const [i, periode] of ledger.perioden.entries()) {
          const next = ledger.perioden[i + 1];
          if (next) expect(periode.tot).toBe(next.van);
          expect(Date.parse(periode.tot ?? new Date(eind).toISOString())).toBeGreaterThan(Date.parse(periode.van) - 1);
        }
        expect(ledger.perioden.at(-1)?.tot).toBe(ledger.afgeslotenOp);
        for (const b of accepted) {
          const t = Date.parse(b.verzondenOp);
          const holder = verantwoordelijkeOp(ledger, new Date(t));
          if (t >= start && t < end) expect(holder).toBeDefined();
          if (t >= end) expect(holder).toBeUndefined();
          // Right after a niet-geaccepteerd, the party that sent it is not responsible.
          if (b.berichtType === 'ontvangstbevestiging' && b.inhoud.status === 'niet-geaccepteerd' && t < end) expect(holder?.oin).not.toBe(b.verzender.oin);
        }

        // Only refusals (and no triage-table handover, no term passed without one): VT all along.
        const overgang = h.inhoud.moment === 'na-dienst' ? p.overgang.naDienst : p.overgang.naVeiligheidsbeoordeling;
        // Where the profile requires acceptance (Z-L 5.1.1 "belegd", 5.2.1 "accepteren"), ontvangen is not positive.
        const positive = accepted.some((b) => b.berichtType === 'ontvangstbevestiging' && (b.inhoud.status === 'geaccepteerd' || (b.inhoud.status === 'ontvangen' && overgang.bij !== 'acceptatie')));
        const lead = h.ontvangers.find((o) => o.kopie !== true)?.oin;
        const leadRefusedInTime =
          overgang.bij === 'termijn' &&
          accepted.some(
            (b) =>
              b.berichtType === 'ontvangstbevestiging' &&
              b.verzender.oin === lead &&
              b.inhoud.status === 'niet-geaccepteerd' &&
              Date.parse(b.verzondenOp) <= termijnEinde(new Date(h.verzondenOp), overgang.termijn, p.feestdagen).getTime(),
          );
        const triagetafel = h.inhoud.moment === 'na-veiligheidsbeoordeling' && h.inhoud.triage.triagetafel && p.overgang.triagetafel.belegd;
        if (!positive && !triagetafel && (overgang.bij !== 'termijn' || leadRefusedInTime)) {
          expect(ledger.perioden.map((x) => x.verantwoordelijke.oin)).toEqual([VT]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
