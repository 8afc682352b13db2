/**
 * `npm run bench`: every benchmark, each figure a ratio to a baseline measured in the same run.
 * BENCH_ROUNDS sets the rounds per figure (default 9).
 */
import { report } from './harness.js';
import { benchSigning } from './signing.js';
import { benchValidate } from './validate.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
report('validate', await benchValidate(rounds));
report('signing', await benchSigning(rounds));
