/**
 * The receiver's TLS certificate is checked (threat model, delivery: "the receiver endpoint's TLS
 * certificate is not checked"). A real `zicht serve` pushes to a real HTTPS receiver on 127.0.0.1: with a
 * self-signed certificate, one from a CA the gateway does not trust, or a trusted one for another name, the
 * handshake fails, the receiver gets nothing, the delivery is kept for a retry, and the log names a code,
 * never the payload. With the receiver's CA trusted through Node's `NODE_EXTRA_CA_CERTS` (how an operator
 * adds e.g. the PKIoverheid private-services root) the same push is delivered.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exampleBericht } from '../../src/demo/network.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { signBericht } from '../../src/signing/sign.js';
import { gatewayFixture, OIN } from '../helpers/gateway-process.js';
import { createTestPki, type Pem, type TestPki } from '../helpers/pki.js';

// Personal data of the example: the victim's family name, BSN and street.
const PERSONAL = ['Pietersen', '999990019', 'Kapoenstraat'];

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** An HTTPS receiver with `pem`, counting the pushes that reach it. */
async function httpsReceiver(pem: Pem): Promise<{ url: string; pushes: () => number }> {
  let pushes = 0;
  const server: Server = createServer({ key: pem.key, cert: pem.cert }, (req, res) => {
    req.resume();
    req.on('end', () => {
      pushes += 1;
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => { resolve(); }); }));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, pushes: () => pushes };
}

/** Starts a gateway delivering to `url`, posts a handover, and waits until `until` holds for its log or 20 s pass. */
async function pushThrough(url: string, env: Record<string, string>, until: (log: string, pushes: number) => boolean, pushes: () => number): Promise<{ log: string; status: number }> {
  const fixture = await gatewayFixture(url);
  const child: ChildProcess = await fixture.start([], env);
  cleanup.push(async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const response = await request(`${fixture.url}/v1/berichten`, {
    method: 'POST',
    body: JSON.stringify(await signBericht(exampleBericht('overdracht-na-veiligheidsbeoordeling'), fixture.vt)),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(fixture.vt, OIN.gateway)}` },
  });
  await response.body.text();
  const deadline = Date.now() + 20_000;
  while (!until(log, pushes()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return { log, status: response.statusCode };
}

/** The delivery log lines of the push (JSON lines with "msg":"delivery"). */
const deliveries = (log: string) => log.split('\n').filter((line) => line.includes('"msg":"delivery"')).map((line) => JSON.parse(line) as { outcome: string; code?: string; attempts: number });

describe('delivery over HTTPS: the receiver\'s certificate is checked', () => {
  it.each([
    ['a self-signed certificate', () => pki.selfSigned(), false, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['a certificate of a CA the gateway does not trust', () => pki.server, false, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['a certificate of a trusted CA for another name', () => pki.serverFor('DNS:other.example'), true, 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ] as const)('refuses %s: no push arrives, the delivery is kept for a retry, the log names the code and no personal data', { timeout: 60_000 }, async (_what, pem, trustCa, code) => {
    const receiver = await httpsReceiver(pem());
    const env: Record<string, string> = {};
    if (trustCa) {
      const caFile = join(pki.dirOf(), `ca-${String(Date.now())}.pem`);
      writeFileSync(caFile, pki.ca);
      env.NODE_EXTRA_CA_CERTS = caFile;
    }
    const { log, status } = await pushThrough(receiver.url, env, (text) => deliveries(text).length > 0, receiver.pushes);
    expect(status).toBe(202);
    const [first] = deliveries(log);
    expect(first).toMatchObject({ outcome: 'retry', code, attempts: 1 });
    expect(receiver.pushes()).toBe(0);
    for (const value of PERSONAL) expect(log).not.toContain(value);
  });

  it('delivers to a receiver whose CA the operator trusts through NODE_EXTRA_CA_CERTS', { timeout: 60_000 }, async () => {
    const receiver = await httpsReceiver(pki.server);
    const caFile = join(pki.dirOf(), 'trusted-ca.pem');
    writeFileSync(caFile, pki.ca);
    const { log } = await pushThrough(receiver.url, { NODE_EXTRA_CA_CERTS: caFile }, (_text, pushes) => pushes > 0 && deliveries(_text).length > 0, receiver.pushes);
    expect(receiver.pushes()).toBe(1);
    expect(deliveries(log)[0]).toMatchObject({ outcome: 'delivered', attempts: 1 });
  });
});
