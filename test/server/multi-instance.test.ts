/**
 * Two gateway processes' worth of gateways (HTTP API and delivery worker each) on one PostgreSQL
 * database: berichten accepted by either are delivered by whichever worker claims them, each
 * exactly once, never by both at the same time.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { BACKENDS, type StoreHarness } from '../store/backends.js';
import { startReceiver, type TestReceiver } from '../helpers/receiver.js';

const postgres = BACKENDS.find((b) => b.name === 'postgres')!;
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('two gateways on one PostgreSQL database', () => {
  it('deliver every bericht exactly once between them', { timeout: 60_000 }, async () => {
    const harness: StoreHarness = await postgres.harness();
    cleanup.push(() => harness.cleanup());
    const heerlen: TestReceiver = await startReceiver();
    const kerkrade: TestReceiver = await startReceiver();
    cleanup.push(() => heerlen.close(), () => kerkrade.close());
    const network = await createDemoNetwork({ heerlen: heerlen.url, kerkrade: kerkrade.url });
    const gateways: RunningGateway[] = [];
    for (let i = 0; i < 2; i++) {
      const gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: harness.url, storeOptions: harness.options, port: 0, allowPrivateEndpoints: true });
      gateways.push(gateway);
      cleanup.push(() => gateway.close());
    }

    const TOTAL = 60;
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: TOTAL }, async (_, i) => {
        const bericht = { ...exampleBericht('overdracht-na-dienst-onderzoek'), berichtId: randomUUID(), dossier: { referentie: `VTZL-2026-${String(200000 + i)}`, volgnummer: 1 } };
        ids.push(bericht.berichtId);
        const gateway = gateways[i % 2]!;
        const response = await request(`${gateway.url}/v1/berichten`, {
          method: 'POST',
          body: JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht)),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway)}` },
        });
        await response.body.dump();
        expect(response.statusCode).toBe(202);
      }),
    );

    const deadline = Date.now() + 30_000;
    while ((heerlen.received.length < TOTAL || kerkrade.received.length < TOTAL) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    for (const receiver of [heerlen, kerkrade]) {
      const counts = new Map<string, number>();
      for (const b of receiver.received) counts.set(b.berichtId, (counts.get(b.berichtId) ?? 0) + 1);
      expect([...counts.keys()].sort()).toEqual([...ids].sort());
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    }
  });
});
