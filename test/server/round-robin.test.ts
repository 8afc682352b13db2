/**
 * Several instances for real (issue 19): two `zicht serve` processes on one PostgreSQL database behind a small
 * round-robin proxy, as the documented way to use more cores or machines. Berichten accepted through either are
 * delivered, a console session signed in through one is known at the other, and both stop with exit 0.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleBericht } from '../../src/demo/network.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { signBericht } from '../../src/signing/sign.js';
import { freePort, gatewayFixture, OIN } from '../helpers/gateway-process.js';
import { startReceiver, type TestReceiver } from '../helpers/receiver.js';
import { dropPgDatabases, freshPgDatabase } from '../helpers/pg-database.js';

const children: ChildProcess[] = [];
let proxy: Server | undefined;
let receiver: TestReceiver | undefined;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await new Promise<void>((resolve) => {
    if (proxy === undefined) resolve();
    else {
      proxy.close(() => { resolve(); });
      proxy.closeAllConnections();
    }
  });
  await receiver?.close();
  await dropPgDatabases();
}, 60_000);

/** A proxy that sends each request to the next upstream in turn, and counts where each went. */
async function roundRobin(upstreams: readonly string[]): Promise<{ url: string; served: number[] }> {
  const served = upstreams.map(() => 0);
  let next = 0;
  proxy = createServer((incoming, outgoing) => {
    const index = next++ % upstreams.length;
    served[index] = (served[index] ?? 0) + 1;
    const target = new URL(incoming.url ?? '/', upstreams[index]);
    const forwarded = httpRequest(target, { method: incoming.method, headers: { ...incoming.headers, host: target.host } }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => { outgoing.writeHead(502).end(); });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', () => { resolve(); }));
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, served };
}

describe('two zicht serve processes on one PostgreSQL database behind a round-robin proxy', () => {
  it('accept and deliver through both, keep a console session across both, and stop with exit 0', { timeout: 120_000 }, async () => {
    const { url: db } = await freshPgDatabase('zicht_rr');
    receiver = await startReceiver();
    const fixture = await gatewayFixture(receiver.url, db);
    const first = await fixture.start();
    children.push(first);
    const otherPort = await freePort();
    const second = await fixture.start(['--port', String(otherPort)]);
    children.push(second);
    const { url, served } = await roundRobin([fixture.url, `http://127.0.0.1:${otherPort}`]);

    // Accept through both.
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const bericht = { ...exampleBericht('overdracht-na-veiligheidsbeoordeling'), berichtId: randomUUID(), dossier: { referentie: `VTZL-2026-${String(600000 + i)}`, volgnummer: 1 } };
      const response = await request(`${url}/v1/berichten`, { method: 'POST', body: JSON.stringify(await signBericht(bericht, fixture.vt)), headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(fixture.vt, OIN.gateway)}` } });
      expect(response.statusCode, await response.body.text()).toBe(202);
      ids.push(bericht.berichtId);
    }
    // Delivered by whichever worker claimed each.
    const deadline = Date.now() + 30_000;
    const delivered = () => new Set(receiver?.received.map((b) => b.berichtId));
    while (ids.some((id) => !delivered().has(id)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ids.filter((id) => !delivered().has(id))).toEqual([]);

    // A console session signed in through the proxy holds on every page, whichever process serves it.
    const token = await createBearerToken(fixture.vt, OIN.gateway);
    const signIn = await fetch(`${url}/console/inloggen`, { method: 'POST', body: new URLSearchParams({ token }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    for (let i = 0; i < 6; i++) {
      const page = await fetch(`${url}/console`, { headers: { cookie }, redirect: 'manual' });
      await page.arrayBuffer();
      expect(page.status, `page ${i}`).toBe(200);
    }
    expect(served.every((n) => n >= 9)).toBe(true);

    for (const child of [first, second]) {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code); }));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
