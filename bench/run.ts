/**
 * `npm run bench`: every benchmark, each figure a ratio to a baseline measured in the same run.
 * BENCH_ROUNDS sets the rounds per figure (default 9).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { report } from './harness.js';
import { benchAudit } from './audit.js';
import { benchFhir } from './fhir.js';
import { benchSigning } from './signing.js';
import { benchValidate } from './validate.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
report('validate', await benchValidate(rounds));
report('signing', await benchSigning(rounds));
report('audit', await benchAudit(rounds));
report('fhir', await benchFhir(rounds));

if (process.env.BENCH_SKIP_GATEWAY !== '1') {
  const { benchGateway } = await import('./gateway.js');
  const gateway = await benchGateway();
  writeFileSync(join(import.meta.dirname, 'results', 'gateway.json'), `${JSON.stringify(gateway, null, 2)}\n`);
  console.table(gateway.results);
}
