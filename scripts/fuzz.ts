/**
 * `npm run fuzz [-- --runs N] [--seed S]`: the long run of the hostile-input properties of
 * test/fuzz/properties.ts (the CI-sized run is in properties.test.ts). By default 10^6 inputs in all,
 * shared among the properties by how much each costs. Prints the inputs tried and the failures per
 * property (with fast-check's seed and counterexample to reproduce), writes them to
 * bench/results/fuzz.json, and exits 1 when any property failed.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { openStore } from '../src/store/open.js';
import { canonicalOnAnything, canonicalRoundTrip, httpProperty, jweProperty, jwsProperty, strictReaderAgreesWithJsonParse, strictReaderOnDuplicates, validatorOnBytes, validatorOnDuplicates, validatorOnMutations } from '../test/fuzz/properties.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1000000' }, seed: { type: 'string' } } });
const total = Number(values.runs);
if (!Number.isInteger(total) || total < 6) throw new Error('--runs must be an integer of at least 6');
const seed = values.seed === undefined ? Date.now() | 0 : Number(values.seed);

const dir = mkdtempSync(join(tmpdir(), 'zicht-fuzz-'));
const store = await openStore(join(dir, 'fuzz.db'));
await store.migrate();

/** What a run of one property came to. */
interface Outcome {
  readonly inputs: number;
  readonly counterexample?: string;
}
type Check = (parameters: { numRuns: number; seed: number }) => Promise<Outcome>;

function outcome<T>(details: fc.RunDetails<T>): Outcome {
  if (!details.failed) return { inputs: details.numRuns };
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return { inputs: details.numRuns, counterexample: `seed ${String(details.seed)} path ${details.counterexamplePath ?? ''}: ${fc.stringify(details.counterexample)} (${error})` };
}
const jws = await jwsProperty();
const jwe = await jweProperty();
const { property: http } = await httpProperty(store);

/** Each property's share of the inputs: the cheap pure ones get most. */
const plan: { name: string; share: number; check: Check }[] = [
  { name: 'strict reader on duplicate names', share: 0.04, check: (p) => Promise.resolve(outcome(fc.check(strictReaderOnDuplicates, { ...p, endOnFailure: true }))) },
  { name: 'strict reader agrees with JSON.parse', share: 0.04, check: (p) => Promise.resolve(outcome(fc.check(strictReaderAgreesWithJsonParse, { ...p, endOnFailure: true }))) },
  { name: 'validator on examples with duplicate names', share: 0.04, check: (p) => Promise.resolve(outcome(fc.check(validatorOnDuplicates, { ...p, endOnFailure: true }))) },
  { name: 'validator on arbitrary bytes', share: 0.23, check: (p) => Promise.resolve(outcome(fc.check(validatorOnBytes, { ...p, endOnFailure: true }))) },
  { name: 'validator on mutated examples', share: 0.21, check: (p) => Promise.resolve(outcome(fc.check(validatorOnMutations, { ...p, endOnFailure: true }))) },
  { name: 'canonical round trip', share: 0.13, check: (p) => Promise.resolve(outcome(fc.check(canonicalRoundTrip, { ...p, endOnFailure: true }))) },
  { name: 'canonicaliser on anything', share: 0.13, check: (p) => Promise.resolve(outcome(fc.check(canonicalOnAnything, { ...p, endOnFailure: true }))) },
  { name: 'JWS verification on mutated signatures', share: 0.1, check: async (p) => outcome(await fc.check(jws, { ...p, endOnFailure: true })) },
  { name: 'JWE decryption on mutated JWEs', share: 0.03, check: async (p) => outcome(await fc.check(jwe, { ...p, endOnFailure: true })) },
  { name: 'HTTP POST /v1/berichten (SQLite)', share: 0.05, check: async (p) => outcome(await fc.check(http, { ...p, endOnFailure: true })) },
];

const results: { property: string; inputs: number; failures: number; seconds: number; counterexample?: string }[] = [];
for (const { name, share, check } of plan) {
  const numRuns = Math.max(1, Math.round(total * share));
  const started = performance.now();
  const result = await check({ numRuns, seed });
  const seconds = (performance.now() - started) / 1000;
  const failed = result.counterexample !== undefined;
  results.push({ property: name, inputs: result.inputs, failures: failed ? 1 : 0, seconds: Math.round(seconds * 10) / 10, ...(failed ? { counterexample: result.counterexample } : {}) });
  console.log(`${name.padEnd(42)} ${String(result.inputs).padStart(8)} inputs  ${failed ? 'FAILED' : '0 failures'}  ${seconds.toFixed(1)} s`);
}
await store.close();
rmSync(dir, { recursive: true, force: true });

const inputs = results.reduce((sum, r) => sum + r.inputs, 0);
const failures = results.reduce((sum, r) => sum + r.failures, 0);
console.log(`\n${String(inputs)} inputs in all, ${String(failures)} failing properties (seed ${String(seed)})`);
for (const r of results) if (r.counterexample !== undefined) console.log(`  ${r.property}: ${r.counterexample}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/fuzz.json', `${JSON.stringify({ measuredAt: new Date().toISOString(), seed, inputs, failures, results }, null, 2)}\n`);
process.exitCode = failures === 0 ? 0 : 1;
