/**
 * The FHIR route: (1) Zicht's validation of the mapped bericht beside @medplum/core validateResource
 * (the FHIR ecosystem's validator, R4 definitions) on the same Bundles, target >= 20x; (2) mapping and
 * validation together beside the same baseline; (3) POST /v1/fhir/$process-message beside POST
 * /v1/berichten, in-process (app.request) on SQLite, distinct pre-signed handovers for each request.
 * Interleaved rounds, medians, ratios from the same run. BENCH_FHIR_N handovers per route (default 2000).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateResource } from '@medplum/core';
import { bundleToBericht } from '../adapters/fhir/from-bundle.js';
import { berichtToBundle } from '../adapters/fhir/to-bundle.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs } from '../src/demo/network.js';
import { createApp } from '../src/http/app.js';
import { memoryReplayGuard } from '../src/http/auth.js';
import { tokenBucket } from '../src/http/rate-limit.js';
import type { Bericht } from '../src/model/bericht.js';
import { registryKeyResolver } from '../src/registry/key-resolver.js';
import { validateValue } from '../src/rules/validate.js';
import { createBearerToken } from '../src/signing/bearer-token.js';
import { openStore } from '../src/store/open.js';
import { loadR4Definitions } from '../test/helpers/fhir-validator.js';
import { compare, type Figure } from './harness.js';

const N = Number(process.env.BENCH_FHIR_N ?? 2000);
const dir = join(import.meta.dirname, '..', 'spec', 'v1', 'examples', 'valid');
const berichten = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Bericht);
const bundleTexts = berichten.map((b) => JSON.stringify(berichtToBundle(b)));
const bundles = bundleTexts.map((t) => JSON.parse(t) as unknown);
/** medplum's validator, typed without @medplum/fhirtypes (not installed): it returns issues or throws. */
const validateFhir = validateResource as unknown as (resource: unknown) => readonly unknown[];
const mapped = bundles.map((b) => {
  const reading = bundleToBericht(b);
  if (!reading.ok) throw new Error('an example does not map back');
  return reading.bericht;
});

/** Runs the FHIR figures. */
export async function benchFhir(rounds: number): Promise<Figure[]> {
  loadR4Definitions();
  let i = 0;
  const next = (): number => (i = (i + 1) % bundles.length);
  const options = { rounds, roundMs: 300 };
  const medplum = { label: '@medplum/core validateResource(Bundle)', op: () => validateFhir(bundles[next()]) };
  const figures = [
    await compare('Zicht validation of the mapped bericht vs FHIR validation of the Bundle', { label: 'validateValue(mapped bericht)', op: () => validateValue(mapped[next()]) }, medplum, { ...options, target: 20 }),
    await compare('Bundle → bericht mapping + Zicht validation vs FHIR validation of the Bundle', { label: 'validateValue(bundleToBericht(Bundle))', op: () => { const r = bundleToBericht(bundles[next()]); return r.ok ? validateValue(r.bericht) : r; } }, medplum, options),
  ];

  const network = await createDemoNetwork();
  const tmp = mkdtempSync(join(tmpdir(), 'zicht-bench-fhir-'));
  const store = await openStore(join(tmp, 'bench.db'));
  try {
    const app = createApp({ store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 1e6, burst: 1e7 }) });
    const prepare = async (fhir: boolean) => {
      const loads: { body: string; token: string }[] = [];
      for (let k = 0; k < N; k++) {
        const bericht = { ...exampleBericht('overdracht-na-dienst-onderzoek'), berichtId: randomUUID(), dossier: { referentie: `VTZL-F-${randomUUID().slice(0, 8)}`, volgnummer: 1 } };
        const signed = await signAs(network, 'vtZuidLimburg', bericht);
        loads.push({ body: JSON.stringify(fhir ? berichtToBundle(signed) : signed), token: await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway, { seconds: 300 }) });
      }
      return loads;
    };
    const sender = (path: string, contentType: string, loads: { body: string; token: string }[], accepted: number) => {
      let k = 0;
      return async () => {
        const load = loads[k++];
        if (!load) throw new Error(`BENCH_FHIR_N=${String(N)} handovers are not enough for these rounds; raise it`);
        const response = await app.request(path, { method: 'POST', body: load.body, headers: { 'content-type': contentType, authorization: `Bearer ${load.token}` } });
        if (response.status !== accepted) throw new Error(`${path} answered ${String(response.status)}: ${(await response.text()).slice(0, 300)}`);
        await response.arrayBuffer();
      };
    };
    const [fhirLoads, nativeLoads] = [await prepare(true), await prepare(false)];
    figures.push(
      await compare(
        '$process-message vs POST /v1/berichten (in-process, SQLite)',
        { label: 'POST /v1/fhir/$process-message', op: sender('/v1/fhir/$process-message', 'application/fhir+json', fhirLoads, 200) },
        { label: 'POST /v1/berichten', op: sender('/v1/berichten', 'application/json', nativeLoads, 202) },
        { rounds: Math.min(rounds, 5), roundMs: 200 },
      ),
    );
  } finally {
    await store.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return figures;
}
