/**
 * The accept path's timer step reads the terms through ledgerTermijnen instead of building the whole ledger: over
 * random bericht sequences (scenario.ts, as invariant.test.ts), at random moments and for every profile, its
 * terms and profile are exactly those of buildLedger.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLedger, ledgerTermijnen } from '../../src/lifecycle/ledger.js';
import { alsVerzonden, profiel, PROFIELEN } from './dossier.js';
import { berichtenVan, Scenario } from './scenario.js';

/** A random dossier and a random moment to read its terms at, from two days before the handover to 40 after. */
const Lezing = fc.record({ scenario: Scenario, nuNaDagen: fc.integer({ min: -2, max: 40 }) });

describe.each(PROFIELEN)('profile %s', (id) => {
  it('ledgerTermijnen gives the terms and profile of buildLedger', () => {
    const p = profiel(id);
    fc.assert(
      fc.property(Lezing, ({ scenario, nuNaDagen }) => {
        const { h, berichten } = berichtenVan(scenario);
        const nu = new Date(Date.parse(h.verzondenOp) + nuNaDagen * 86_400_000);
        const ledger = buildLedger(alsVerzonden(berichten), p, { nu });
        expect(ledgerTermijnen(alsVerzonden(berichten), p, nu)).toEqual({ profiel: ledger.profiel, termijnen: ledger.termijnen });
      }),
      { numRuns: 200 },
    );
  });
});
