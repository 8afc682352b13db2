/**
 * The gateway over HTTPS with client certificates: a participant is known by the OIN in its
 * certificate (Subject serialNumber); a certificate from another CA or none at all does not get
 * through the handshake; a certificate whose OIN is not the bericht's sender is refused with 403.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork } from '../../src/demo/network.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createTestPki, type Pem, type TestPki } from '../helpers/pki.js';

let pki: TestPki;
let network: DemoNetwork;
let gateway: RunningGateway;

beforeAll(async () => {
  pki = createTestPki();
  network = await createDemoNetwork();
  gateway = await startGateway({
    registry: network.registry,
    gateway: network.gateway,
    db: join(mkdtempSync(join(tmpdir(), 'zicht-mtls-')), 'zicht.db'),
    port: 0,
    tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca },
    deliver: false,
  });
});

afterAll(async () => {
  await gateway.close();
});

async function postAs(client: Pem | undefined, body: string) {
  const dispatcher = new Agent({ connect: { ca: pki.ca, ...(client ?? {}) } });
  try {
    const response = await request(`${gateway.url}/v1/berichten`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher });
    const text = await response.body.text();
    return { status: response.statusCode, text };
  } finally {
    await dispatcher.close();
  }
}

describe('mTLS', () => {
  it('serves HTTPS', () => {
    expect(gateway.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('accepts a bericht from the participant named in the client certificate, without a bearer token', async () => {
    const body = JSON.stringify(await signAs(network, 'vtZuidLimburg', exampleBericht('overdracht-na-dienst-onderzoek')));
    const result = await postAs(pki.client(DEMO_OIN.vtZuidLimburg), body);
    expect(result.status, result.text).toBe(202);
  });

  it('refuses with 403 when the certificate OIN is not the bericht sender', async () => {
    const body = JSON.stringify(await signAs(network, 'vtZuidLimburg', exampleBericht('overdracht-na-dienst-onderzoek')));
    expect((await postAs(pki.client(DEMO_OIN.heerlen), body)).status).toBe(403);
  });

  it('refuses with 401 a certificate of the right CA for an OIN that is not a participant', async () => {
    expect((await postAs(pki.client('00000001999999999999'), '{}')).status).toBe(401);
  });

  it('does not complete the handshake with a certificate from another CA, or without one', async () => {
    await expect(postAs(pki.foreignClient(DEMO_OIN.vtZuidLimburg), '{}')).rejects.toThrow();
    await expect(postAs(undefined, '{}')).rejects.toThrow();
  });
});
