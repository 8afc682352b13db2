/**
 * FHIR delivery over real HTTP on localhost: a receiver whose afleveradres has kanaal `fhir` gets the
 * countersigned bericht as a FHIR R4 message Bundle at `{url}/$process-message`, valid R4 by
 * @medplum/core, which maps back to exactly the bericht a Zicht receiver gets (signatures verifying);
 * and `zicht demo --fhir` runs with Heerlen receiving FHIR.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleToBericht } from '../../../adapters/fhir/from-bundle.js';
import { runDemo } from '../../../src/demo/demo.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs } from '../../../src/demo/network.js';
import { registryKeyResolver } from '../../../src/registry/key-resolver.js';
import { startGateway, type RunningGateway } from '../../../src/server/gateway.js';
import { createBearerToken } from '../../../src/signing/bearer-token.js';
import { verifyBericht } from '../../../src/signing/verify.js';
import { personalValuesIn } from '../../helpers/examples.js';
import { fhirR4Errors } from '../../helpers/fhir-validator.js';
import { startReceiver, type TestReceiver } from '../../helpers/receiver.js';

interface FhirReceiver {
  readonly url: string;
  readonly received: { contentType: string | undefined; authorization: string | undefined; bundle: unknown }[];
  close(): Promise<void>;
}

async function startFhirReceiver(): Promise<FhirReceiver> {
  const received: FhirReceiver['received'] = [];
  const app = new Hono();
  app.post('/fhir/$process-message', async (c) => {
    received.push({ contentType: c.req.header('content-type'), authorization: c.req.header('authorization'), bundle: await c.req.json() });
    return c.json({ resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] }, 200);
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => { resolve(s); });
  });
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/fhir`,
    received,
    close: () => new Promise<void>((resolve) => { server.close(() => { resolve(); }); }),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('FHIR delivery (afleveradres kanaal fhir)', () => {
  it('posts the mapped Bundle to the FHIR receiver; it maps back to the bericht the Zicht receiver gets, signatures verifying', async () => {
    const fhir = await startFhirReceiver();
    const zicht: TestReceiver = await startReceiver();
    cleanups.push(() => fhir.close(), () => zicht.close());
    const network = await createDemoNetwork({ heerlen: { url: fhir.url, kanaal: 'fhir' }, kerkrade: zicht.url });
    const dir = mkdtempSync(join(tmpdir(), 'zicht-fhir-delivery-'));
    const gateway: RunningGateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: join(dir, 'zicht.db'), port: 0, allowPrivateEndpoints: true });
    cleanups.push(async () => {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const handover = exampleBericht('overdracht-na-dienst-onderzoek');
    const response = await request(`${gateway.url}/v1/berichten`, {
      method: 'POST',
      body: JSON.stringify(await signAs(network, 'vtZuidLimburg', handover)),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway)}` },
    });
    expect(response.statusCode).toBe(202);
    await response.body.dump();
    await until(() => fhir.received.length === 1 && zicht.received.length === 1);

    const [delivery] = fhir.received;
    expect(delivery?.contentType).toBe('application/fhir+json');
    expect(delivery?.authorization).toMatch(/^Bearer /);
    expect(fhirR4Errors(delivery?.bundle)).toEqual([]);
    const reading = bundleToBericht(delivery?.bundle);
    if (!reading.ok) throw new Error('the delivered Bundle does not map back');
    expect(reading.bericht).toEqual(zicht.received[0]);
    const verified = await verifyBericht(reading.bericht, { keys: registryKeyResolver(network.registry), requireCountersignature: true });
    expect(verified.countersignatures).toHaveLength(1);
    await until(async () => (await gateway.store.listDeliveries(handover.berichtId)).every((d) => d.status === 'delivered'));
  });
});

describe('zicht demo --fhir', () => {
  it('runs the scenario with Heerlen receiving FHIR R4 messages, without printing personal data', async () => {
    const lines: string[] = [];
    const code = await runDemo({ once: true, fhir: true, print: (line) => lines.push(line) });
    const output = lines.join('\n');
    expect(code).toBe(0);
    expect(output).toContain('Sociaal team Heerlen received a FHIR R4 message Bundle (overdracht)');
    // Heerlen (FHIR) and Kerkrade each confirm receipt (AFL-005), then accept (zuid-limburg, Z-L 5.2.4): four receipts.
    expect(output.match(/Veilig Thuis Zuid-Limburg received ontvangstbevestiging/g)).toHaveLength(4);
    expect(output).toContain('zicht op veiligheid passes to Sociaal team Heerlen');
    expect(personalValuesIn(output)).toEqual([]);
  });
});
