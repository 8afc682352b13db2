/**
 * Abuse limits of a running gateway (issue 11): slow clients are cut off with 408, oversized headers get
 * 431, no more than 100 headers of a request are read, and deliveries go only to public addresses (unless allowed) and never follow a redirect.
 */
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointDispatcher, isNonPublicAddress } from '../../adapters/webhook/endpoint-guard.js';
import { pushBericht } from '../../adapters/webhook/push.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork } from '../../src/demo/network.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { startReceiver } from '../helpers/receiver.js';

/** Sends raw bytes on a fresh connection and resolves with everything the server wrote before it closed. */
function raw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('close', () => { resolve(answer); });
    socket.on('error', reject);
  });
}

describe('connection limits', () => {
  let network: DemoNetwork;
  let gateway: RunningGateway;
  beforeAll(async () => {
    network = await createDemoNetwork();
    gateway = await startGateway({
      registry: network.registry,
      gateway: network.gateway,
      db: join(mkdtempSync(join(tmpdir(), 'zicht-limits-')), 'zicht.db'),
      port: 0,
      deliver: false,
      limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 50 },
    });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('a client that never finishes its headers (slowloris) gets 408 and the connection is closed', async () => {
    const answer = await raw(gateway.url, 'POST /v1/berichten HTTP/1.1\r\nHost: zicht\r\nContent-Type: application/json\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a client that never finishes its body gets 408 and the connection is closed', async () => {
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    const answer = await raw(gateway.url, `POST /v1/berichten HTTP/1.1\r\nHost: zicht\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: 1000\r\n\r\n{"berichtId":`);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('headers over 16 KiB get 431', async () => {
    const answer = await raw(gateway.url, `GET /v1/health HTTP/1.1\r\nHost: zicht\r\nX-Padding: ${'a'.repeat(17_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('reads at most 100 headers of a request: an Authorization header after 120 others is not read (401), after 50 it is', async () => {
    const token = await createBearerToken(network.signers.kerkrade, DEMO_OIN.gateway);
    const request = (padding: number) =>
      `GET /v1/postbus HTTP/1.1\r\nHost: zicht\r\nConnection: close\r\n${Array.from({ length: padding }, (_, i) => `X-Pad-${String(i)}: x\r\n`).join('')}Authorization: Bearer ${token}\r\n\r\n`;
    expect(await raw(gateway.url, request(50))).toMatch(/^HTTP\/1\.1 200 /);
    expect(await raw(gateway.url, request(120))).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('a normal request on the same server is answered (the limits are not too tight)', async () => {
    const answer = await raw(gateway.url, 'GET /v1/health HTTP/1.1\r\nHost: zicht\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe('where deliveries may go', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['8.8.8.8', false],
    ['145.21.176.1', false],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['2001:4860:4860::8888', false],
    ['not an address', true],
  ])('%s is non-public: %s', (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });

  it('refuses a loopback endpoint, by literal and by name (after DNS), and reaches it when private endpoints are allowed', async () => {
    const receiver = await startReceiver();
    const guarded = endpointDispatcher({ allowPrivate: false });
    const open = endpointDispatcher({ allowPrivate: true });
    try {
      const port = new URL(receiver.url).port;
      for (const url of [receiver.url, `http://localhost:${port}`]) {
        await expect(pushBericht({ url, body: '{}', token: 't', dispatcher: guarded })).resolves.toEqual({ kind: 'retry', code: 'ENDPOINT_NOT_PUBLIC' });
      }
      expect(receiver.received).toHaveLength(0);
      await expect(pushBericht({ url: receiver.url, body: '{}', token: 't', dispatcher: open })).resolves.toEqual({ kind: 'delivered' });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await Promise.all([guarded.close(), open.close(), receiver.close()]);
    }
  });

  it('does not follow a redirect to another host: the push is refused and the other host gets nothing', async () => {
    const elsewhere = await startReceiver();
    const { serve } = await import('@hono/node-server');
    const { Hono } = await import('hono');
    const redirecting = new Hono().post('/berichten', (c) => c.redirect(`${elsewhere.url}/berichten`, 307));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: redirecting.fetch, port: 0, hostname: '127.0.0.1' }, () => { resolve(s); });
    });
    const dispatcher = endpointDispatcher({ allowPrivate: true });
    try {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const network = await createDemoNetwork();
      const body = JSON.stringify(await signAs(network, 'vtZuidLimburg', exampleBericht('overdracht-na-dienst-onderzoek')));
      await expect(pushBericht({ url: `http://127.0.0.1:${String(port)}`, body, token: 't', dispatcher })).resolves.toEqual({ kind: 'refused', code: 'HTTP_307' });
      expect(elsewhere.received).toHaveLength(0);
    } finally {
      await dispatcher.close();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
      await elsewhere.close();
    }
  });
});
