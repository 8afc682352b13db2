/**
 * `npm run bench`: every benchmark, each figure a ratio to a baseline measured in the same run.
 * BENCH_ROUNDS sets the rounds per figure (default 9); BENCH_SKIP_GATEWAY=1 leaves the gateway out, BENCH_ONLY=gateway
 * runs only the gateway, BENCH_ONLY=validate only the validation figures;
 * BENCH_RSS_COUNT=N runs only the gateway's memory run over N berichten (BENCH_RSS_BACKENDS=sqlite,postgres;
 * BENCH_RSS_OUT names the results file, default gateway-rss.json; BENCH_GATEWAY_NODE_OPTIONS the gateway's NODE_OPTIONS).
 * BENCH_ONLY=delivery runs only the delivery figures (bench/delivery.ts, after `npm run build`); BENCH_SKIP_DELIVERY=1
 * leaves them out of the full run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { report } from './harness.js';
import { benchAudit } from './audit.js';
import { benchFhir } from './fhir.js';
import { benchSigning } from './signing.js';
import { benchValidate } from './validate.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const rssCount = process.env.BENCH_RSS_COUNT === undefined ? undefined : Number(process.env.BENCH_RSS_COUNT);

if (rssCount !== undefined) {
  // The memory run only: BENCH_RSS_COUNT berichten through one gateway per backend (bench/results/gateway-rss.json).
  const { benchGatewayRss } = await import('./gateway.js');
  const backends = (process.env.BENCH_RSS_BACKENDS ?? 'sqlite,postgres').split(',').filter((b): b is 'sqlite' | 'postgres' => b === 'sqlite' || b === 'postgres');
  const rss = await benchGatewayRss(rssCount, backends);
  const file = process.env.BENCH_RSS_OUT ?? 'gateway-rss.json';
  writeFileSync(join(import.meta.dirname, 'results', file), `${JSON.stringify(rss, null, 2)}\n`);
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'validate') {
  report('validate', await benchValidate(rounds));
  process.exit(0);
}
/** The delivery figures: sustained load and isolation from a hanging receiver (bench/results/delivery.json). */
async function delivery(): Promise<void> {
  const { benchDelivery } = await import('./delivery.js');
  writeFileSync(join(import.meta.dirname, 'results', 'delivery.json'), `${JSON.stringify(await benchDelivery(), null, 2)}\n`);
}
if (process.env.BENCH_ONLY === 'delivery') {
  await delivery();
  process.exit(0);
}
if (process.env.BENCH_ONLY !== 'gateway') {
  report('validate', await benchValidate(rounds));
  report('signing', await benchSigning(rounds));
  report('audit', await benchAudit(rounds));
  report('fhir', await benchFhir(rounds));
}

if (process.env.BENCH_SKIP_GATEWAY !== '1') {
  const { benchGateway } = await import('./gateway.js');
  const gateway = await benchGateway();
  writeFileSync(join(import.meta.dirname, 'results', 'gateway.json'), `${JSON.stringify(gateway, null, 2)}\n`);
  console.table(gateway.results);
}
if (process.env.BENCH_ONLY === undefined && process.env.BENCH_SKIP_DELIVERY !== '1') await delivery();
