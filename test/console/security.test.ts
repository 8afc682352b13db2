/**
 * The console's own controls (threat model, console), against a running gateway without the demo sign-in:
 * no page without a session, no demo sign-in outside `zicht demo`, sign-in only with a valid, fresh signed
 * token of an active participant (never the gateway itself), a session cookie the browser keeps to the
 * console (HttpOnly, SameSite=Strict, Path=/console), changes only with the session's CSRF token from the
 * console's own origin, operator actions only for operators, a strict Content-Security-Policy, and sessions
 * that end after 30 minutes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_MS, SessionStore } from '../../src/console/session.js';
import { createDemoNetwork, DEMO_OIN, type DemoNetwork, type DemoParty } from '../../src/demo/network.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';

let network: DemoNetwork;
let gateway: RunningGateway;
beforeAll(async () => {
  network = await createDemoNetwork();
  gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: join(mkdtempSync(join(tmpdir(), 'zicht-console-sec-')), 'zicht.db'), port: 0, deliver: false, retention: false });
});
afterAll(async () => {
  await gateway.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function signIn(token: string): Promise<Response> {
  return fetch(`${gateway.url}/console/inloggen`, { method: 'POST', body: form({ token }), headers: FORM, redirect: 'manual' });
}

/** Signs in as `party` with a fresh signed token; the session cookie and the page's CSRF token. */
async function session(party: DemoParty): Promise<{ cookie: string; csrf: string }> {
  const response = await signIn(await createBearerToken(network.signers[party], DEMO_OIN.gateway));
  expect(response.status).toBe(303);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const page = await (await fetch(`${gateway.url}/console`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  expect(csrf).not.toBe('');
  return { cookie, csrf };
}

describe('the console\'s access controls', () => {
  it('sends every page to the sign-in without a session, and has no demo sign-in outside the demo (404)', async () => {
    for (const path of ['/console', '/console/dossiers', '/console/afleverfouten', '/console/deelnemers', '/console/auditlog']) {
      const response = await fetch(`${gateway.url}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location')).toBe('/console/inloggen');
    }
    const signInPage = await (await fetch(`${gateway.url}/console/inloggen`)).text();
    expect(signInPage).not.toContain('/console/inloggen/demo');
    const demo = await fetch(`${gateway.url}/console/inloggen/demo`, { method: 'POST', body: form({ oin: DEMO_OIN.vtZuidLimburg }), headers: FORM, redirect: 'manual' });
    expect(demo.status).toBe(404);
    expect(demo.headers.get('set-cookie')).toBeNull();
  });

  it('signs in only with a valid, fresh token of a participant: a replayed token, a wrong one and the gateway\'s own are refused', async () => {
    const token = await createBearerToken(network.signers.heerlen, DEMO_OIN.gateway);
    const first = await signIn(token);
    expect(first.status).toBe(303);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^zicht_console=[A-Za-z0-9_-]{43};/);
    for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/console']) expect(cookie).toContain(flag);
    expect((await signIn(token)).status).toBe(401);
    expect((await signIn('not-a-token')).status).toBe(401);
    const own = await signIn(await createBearerToken(network.gateway, DEMO_OIN.gateway));
    expect(own.status).toBe(403);
    expect(own.headers.get('set-cookie')).toBeNull();
  });

  it('makes a change only with the session\'s CSRF token from the console\'s own origin (403 otherwise)', async () => {
    const { cookie, csrf } = await session('kerkrade');
    const signOut = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${gateway.url}/console/uitloggen`, { method: 'POST', body: form(fields), headers: { ...FORM, cookie, ...headers }, redirect: 'manual' });
    expect((await signOut({})).status).toBe(403);
    // Another last character (a fixed 'A' is the token itself once in 64 sessions, and CI met that once).
    expect((await signOut({ csrf: `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` })).status).toBe(403);
    expect((await signOut({ csrf }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await signOut({ csrf }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // Still signed in after every refusal; then the genuine form ends the session.
    expect((await fetch(`${gateway.url}/console`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
    expect((await signOut({ csrf }, { 'sec-fetch-site': 'same-origin' })).status).toBe(303);
    expect((await fetch(`${gateway.url}/console`, { headers: { cookie }, redirect: 'manual' })).status).toBe(303);
  });

  it('keeps the operator\'s actions from participants (403), even with a valid CSRF token', async () => {
    const { cookie, csrf } = await session('heerlen');
    const post = (path: string, fields: Record<string, string>) => fetch(`${gateway.url}${path}`, { method: 'POST', body: form({ csrf, ...fields }), headers: { ...FORM, cookie }, redirect: 'manual' });
    expect((await post('/console/deelnemers/status', { oin: DEMO_OIN.kerkrade, status: 'geschorst' })).status).toBe(403);
    expect((await post('/console/afleverfouten/opnieuw', { berichtId: '00000000-0000-4000-8000-000000000000', ontvanger: DEMO_OIN.kerkrade })).status).toBe(403);
    expect((await network.registry.get(DEMO_OIN.kerkrade))?.status).toBe('actief');
  });

  it('serves its pages with a Content-Security-Policy that allows only its own scripts, and never to a cache', async () => {
    const { cookie } = await session('vtZuidLimburg');
    for (const path of ['/console/inloggen', '/console', '/console/dossiers']) {
      const response = await fetch(`${gateway.url}${path}`, { headers: { cookie } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'; script-src 'self'");
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('ends a session 30 minutes after sign-in, without renewal', async () => {
    let now = 1_000_000;
    const sessions = new SessionStore(gateway.store, () => now);
    const s = await sessions.create({ oin: DEMO_OIN.heerlen, rol: 'lokaal-team', naam: 'Heerlen', via: 'jwt' });
    now += SESSION_MS - 1;
    expect((await sessions.get(s.id))?.oin).toBe(DEMO_OIN.heerlen);
    now += 1;
    expect(await sessions.get(s.id)).toBeUndefined();
  });
});
