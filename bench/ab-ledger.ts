/**
 * A/B of the accept path's two ledger steps (issue 22), in one process, rounds interleaved: `npx tsx bench/ab-ledger.ts`.
 * The gateway load test sends one bericht per dossier, where the ledger is tiny; here dossiers of 1, 4 and 8 berichten
 * (a direct handover, its receipts, contact, monitoring) on the zuid-limburg profile, the new bericht last.
 * - ledger check: before, `ledgerIssues(trail, bericht).filter(LVC-01*)` (the trail rules again, thrown away);
 *   after, `ledgerRuleIssues(trail, bericht)` (src/lifecycle/dossier.ts lifecycleIssues);
 * - timer step: before, `buildLedger(dossier)` (the whole ledger); after, `ledgerTermijnen(dossier)`
 *   (src/lifecycle/termijnen.ts syncTermijnen).
 * CPU µs per call, medians of AB_ROUNDS rounds, and the after/before ratio per round's median.
 */
import { buildLedger, ledgerIssues, ledgerRuleIssues, ledgerTermijnen } from '../src/lifecycle/ledger.js';
import type { Bericht } from '../src/model/bericht.js';
import type { Geboekt } from '../src/model/geboekt.js';
import { alsVerzonden, contact, directeOverdracht, LT_MAASTRICHT, monitoring, ontvangst, profiel } from '../test/lifecycle/dossier.js';

const ROUNDS = Number(process.env.AB_ROUNDS ?? 9);
const CALLS = Number(process.env.AB_CALLS ?? 2000);
const p = profiel('zuid-limburg');
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
const cpuUs = (): number => {
  const used = process.cpuUsage();
  return used.user + used.system;
};

function dossier(size: number): Geboekt[] {
  const h = directeOverdracht({ verzondenOp: '2026-03-06T12:00:00+01:00' });
  const rest: Bericht[] = [
    ontvangst(h, LT_MAASTRICHT, 'ontvangen', '2026-03-06T13:00:00+01:00'),
    ontvangst(h, LT_MAASTRICHT, 'geaccepteerd', '2026-03-09T10:00:00+01:00'),
    contact(h, LT_MAASTRICHT, '2026-03-10T10:00:00+01:00'),
    monitoring(h, 1, '2026-04-06T10:00:00+02:00'),
    monitoring(h, 2, '2026-05-06T10:00:00+02:00'),
    monitoring(h, 3, '2026-06-06T10:00:00+02:00'),
    monitoring(h, 4, '2026-07-06T10:00:00+02:00'),
  ];
  return alsVerzonden([h, ...rest].slice(0, size));
}

const time = (work: () => unknown): number => {
  const start = cpuUs();
  for (let i = 0; i < CALLS; i++) work();
  return (cpuUs() - start) / CALLS;
};

const nu = new Date('2026-07-07T10:00:00+02:00');
const results: Record<string, unknown>[] = [];
for (const size of [1, 4, 8]) {
  const all = dossier(size);
  const trail = all.slice(0, -1);
  const bericht = all.at(-1)!.bericht;
  const steps = {
    'ledger check': { before: () => ledgerIssues(trail, bericht, p, nu).filter((i) => i.rule.startsWith('LVC-01')), after: () => ledgerRuleIssues(trail, bericht, p, nu) },
    'timer step': { before: () => buildLedger(all, p, { nu }).termijnen, after: () => ledgerTermijnen(all, p, nu).termijnen },
  };
  for (const [step, { before, after }] of Object.entries(steps)) {
    if (JSON.stringify(before()) !== JSON.stringify(after())) throw new Error(`${step}: before and after differ`);
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        a.push(time(before));
        b.push(time(after));
      } else {
        b.push(time(after));
        a.push(time(before));
      }
    }
    results.push({ step, berichtenInDossier: size, beforeUs: Number(median(a).toFixed(1)), afterUs: Number(median(b).toFixed(1)), afterToBefore: Number(median(b.map((x, i) => x / a[i]!)).toFixed(3)) });
  }
}
console.log(JSON.stringify(results, null, 1));
