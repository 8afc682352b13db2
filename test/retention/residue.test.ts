/**
 * The residue a purge keeps (src/retention/residue.ts): no personal data from any of the spec's valid
 * examples, and everything the responsibility ledger and the trail rules read, so that for random
 * dossiers in every profile the ledger of the residues equals the ledger of the berichten, and a new
 * bericht meets the same trail rules against a purged trail as against the full one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLedger } from '../../src/lifecycle/ledger.js';
import type { Bericht } from '../../src/model/bericht.js';
import { residueOf } from '../../src/retention/residue.js';
import { trailOf } from '../../src/rules/context.js';
import { checkRules } from '../../src/rules/validate.js';
import { personalValuesIn, validExamples } from '../helpers/examples.js';
import { alsVerzonden, afsluiting, contact, directeOverdracht, escalatie, escalatieAntwoord, monitoring, ontvangst, overdrachtNaDienst, profiel, PROFIELEN, VT } from '../lifecycle/dossier.js';

const purged = (b: Bericht): Bericht => JSON.parse(residueOf(JSON.stringify(b))) as Bericht;

describe('residueOf', () => {
  it.each(validExamples.map((f) => [f.name, f.bytes.toString('utf8')] as const))('%s: keeps the envelope, drops every personal value, free text and signature', (_name, text) => {
    const residue = residueOf(text);
    expect(personalValuesIn(residue)).toEqual([]);
    const original = JSON.parse(text) as Record<string, unknown>;
    const kept = JSON.parse(residue) as Record<string, unknown>;
    for (const member of ['berichtId', 'berichtType', 'verzender', 'ontvangers', 'verzondenOp', 'dossier']) expect(kept[member]).toEqual(original[member]);
    expect(kept).not.toHaveProperty('signatures');
    for (const text of ['samenvatting', 'onderbouwing', 'beoordelingsinformatie', 'directbetrokkenen', 'melder', 'behandelaar', 'toelichting', 'omschrijving', 'oordeel', 'stappen', 'reden"']) {
      if (text === 'reden"' && kept.berichtType === 'afsluiting') continue;
      expect(residue).not.toContain(text);
    }
  });

  it('each valid example meets the same trail rules against the other examples purged as against them in full', () => {
    const all = validExamples.map((f) => JSON.parse(f.bytes.toString('utf8')) as Bericht);
    for (const [i, next] of all.entries()) {
      const others = all.filter((_, j) => j !== i);
      expect(checkRules(next, trailOf(others.map(purged)), 'trail')).toEqual(checkRules(next, trailOf(others), 'trail'));
    }
  });
});

const Actie = fc.record({
  soort: fc.constantFrom('ontvangen', 'geaccepteerd', 'niet-geaccepteerd', 'contact', 'monitoring', 'escalatie', 'afsluiting-lt', 'afsluiting-vt'),
  wie: fc.nat(1),
  minuten: fc.integer({ min: 1, max: 60_000 }),
});
const Scenario = fc.record({ dienst: fc.boolean(), urgent: fc.boolean(), triagetafel: fc.boolean(), acties: fc.array(Actie, { maxLength: 8 }) });
type Scenario = typeof Scenario extends fc.Arbitrary<infer T> ? T : never;

function dossierVan(s: Scenario): { berichten: Bericht[]; eind: Date } {
  const h = s.dienst ? overdrachtNaDienst({ urgent: s.urgent }) : directeOverdracht({ urgent: s.urgent, triagetafel: s.triagetafel });
  const receivers = h.ontvangers.filter((o) => o.kopie !== true).map((o) => o.oin);
  let t = Date.parse(h.verzondenOp);
  const berichten: Bericht[] = [h];
  let maand = 0;
  for (const a of s.acties) {
    t += a.minuten * 60_000;
    const op = new Date(t).toISOString();
    const wie = receivers[a.wie % receivers.length] ?? '';
    if (a.soort === 'contact') berichten.push(contact(h, wie, op));
    else if (a.soort === 'monitoring') berichten.push(monitoring(h, (maand = maand === 0 ? 3 : 12), op));
    else if (a.soort === 'escalatie') {
      const e = escalatie(h, op);
      berichten.push(e, escalatieAntwoord(h, e, new Date(t + 60_000).toISOString()));
    } else if (a.soort === 'afsluiting-lt') berichten.push(afsluiting(h, wie, op));
    else if (a.soort === 'afsluiting-vt') berichten.push(afsluiting(h, VT, op));
    else berichten.push(ontvangst(h, wie, a.soort, op));
  }
  return { berichten, eind: new Date(t + 400 * 86_400_000) };
}

describe.each(PROFIELEN)('profile %s: the ledger and the trail rules answer the same from residues', (id) => {
  it('for random dossiers', () => {
    fc.assert(
      fc.property(Scenario, fc.integer({ min: 0, max: 450 }), (s, dagen) => {
        const { berichten, eind } = dossierVan(s);
        const nu = new Date(Date.parse(berichten[0]?.verzondenOp ?? '') + dagen * 86_400_000);
        const residues = berichten.map(purged);
        expect(buildLedger(alsVerzonden(residues), profiel(id), { nu })).toEqual(buildLedger(alsVerzonden(berichten), profiel(id), { nu }));
        expect(buildLedger(alsVerzonden(residues), profiel(id), { nu: eind })).toEqual(buildLedger(alsVerzonden(berichten), profiel(id), { nu: eind }));
        // Each bericht against the trail before it: the same trail issues, full or purged.
        for (let i = 1; i < berichten.length; i += 1) {
          const next = berichten[i];
          if (next === undefined) continue;
          const full = checkRules(next, trailOf(berichten.slice(0, i), { complete: true }), 'trail');
          const rest = checkRules(next, trailOf(residues.slice(0, i), { complete: true }), 'trail');
          expect(rest).toEqual(full);
        }
      }),
      { numRuns: 40 },
    );
  });
});
