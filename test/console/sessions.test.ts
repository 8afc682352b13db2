/**
 * Console sessions in the database (issue 19, migration 7): two gateway instances on one database, as behind one
 * address, both know a session signed in at either, and a sign-out at one ends it at the other. Before, each
 * process kept its own sessions in memory and users were signed out at random. The table holds only the
 * SHA-256 of a session id, never the id from the cookie.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN, type DemoNetwork } from '../../src/demo/network.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { BACKENDS, type StoreHarness } from '../store/backends.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(BACKENDS)('console sessions shared by two gateways on $name', ({ harness: makeHarness }) => {
  it('a session signed in at one gateway is known at the other, and a sign-out at either ends it at both', { timeout: 60_000 }, async () => {
    const harness: StoreHarness = await makeHarness();
    cleanup.push(() => harness.cleanup());
    const network: DemoNetwork = await createDemoNetwork();
    const gateways: RunningGateway[] = [];
    for (let i = 0; i < 2; i++) {
      const gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: harness.url, storeOptions: harness.options, port: 0, deliver: false, timers: false, retention: false });
      gateways.push(gateway);
      cleanup.push(() => gateway.close());
    }
    const [a, b] = gateways as [RunningGateway, RunningGateway];

    const token = await createBearerToken(network.signers.heerlen, DEMO_OIN.gateway);
    const signedIn = await fetch(`${a.url}/console/inloggen`, { method: 'POST', body: new URLSearchParams({ token }).toString(), headers: FORM, redirect: 'manual' });
    expect(signedIn.status).toBe(303);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const id = cookie.split('=')[1] ?? '';
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Round robin, as a proxy in front of both would send them: every page is served, at either gateway.
    let csrf = '';
    for (let i = 0; i < 6; i++) {
      const gateway = i % 2 === 0 ? b : a;
      const response = await fetch(`${gateway.url}/console`, { headers: { cookie }, redirect: 'manual' });
      expect(response.status, `request ${i} at ${gateway === a ? 'a' : 'b'}`).toBe(200);
      const page = await response.text();
      expect(page).toContain('Sociaal team Heerlen');
      csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? csrf;
    }
    expect(csrf).not.toBe('');

    // The table holds the id's hash only.
    const rows = (await harness.sql('SELECT id_hash, oin FROM console_sessions')) as { id_hash: string; oin: string }[];
    expect(rows).toEqual([{ id_hash: createHash('sha256').update(id).digest('hex'), oin: DEMO_OIN.heerlen }]);
    expect(JSON.stringify(rows)).not.toContain(id);

    // Signed out at b: a no longer knows the session either.
    const out = await fetch(`${b.url}/console/uitloggen`, { method: 'POST', body: new URLSearchParams({ csrf }).toString(), headers: { ...FORM, cookie, 'sec-fetch-site': 'same-origin' }, redirect: 'manual' });
    expect(out.status).toBe(303);
    const after = await fetch(`${a.url}/console`, { headers: { cookie }, redirect: 'manual' });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/console/inloggen');
  });
});
