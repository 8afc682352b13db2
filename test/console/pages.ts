/**
 * The console over HTTP as each role sees it: signs in with a signed bearer token (the non-demo sign-in), reads
 * every page, and as the operator puts the dead letters back in the outbox (with the CSRF token of its session).
 * Used by the PII canary and the console tests; checks the access rules on the way.
 */
import { expect } from 'vitest';
import { request } from 'undici';
import type { Bericht } from '../../src/model/bericht.js';
import type { Signer } from '../../src/signing/signer.js';
import type { ConsoleNetwork } from './network.js';

export interface Page {
  readonly name: string;
  readonly status: number;
  readonly html: string;
}

/** Signs in as `signer` with a fresh bearer token; the session cookie. */
export async function signIn(net: ConsoleNetwork, signer: Signer): Promise<string> {
  const response = await request(`${net.gateway.url}/console/inloggen`, {
    method: 'POST',
    body: new URLSearchParams({ token: await net.token(signer) }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: net.gateway.url },
  });
  await response.body.dump();
  expect(response.statusCode).toBe(303);
  const cookie = [response.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('zicht_console='));
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  return (cookie ?? '').split(';')[0] ?? '';
}

/** GET a console page with a session cookie. */
export async function get(net: ConsoleNetwork, cookie: string, path: string): Promise<Page> {
  const response = await request(`${net.gateway.url}${path}`, { headers: { cookie } });
  return { name: path, status: response.statusCode, html: await response.body.text() };
}

/** Every page as the VT, a lokaal team, the auditor and the operator see it; the operator retries the dead letters. */
export async function consolePages(net: ConsoleNetwork, handover: Bericht): Promise<Page[]> {
  const pages: Page[] = [];
  const ref = handover.dossier.referentie;
  const paths = ['/console', '/console/dossiers', `/console/dossiers?zoek=${ref.slice(-4)}&stand=lopend`, `/console/dossiers/${ref}`, `/console/berichten/${handover.berichtId}`, '/console/signalen', '/console/afleverfouten', '/console/deelnemers', '/console/auditlog', '/console/regels', '/console/inloggen', '/console/static/auditlog.js'];
  for (const [who, signer] of [['vt', net.network.signers.vtZuidLimburg], ['heerlen', net.network.signers.heerlen], ['auditor', net.auditor], ['operator', net.operator]] as const) {
    const cookie = await signIn(net, signer);
    for (const path of paths) {
      const page = await get(net, cookie, path);
      pages.push({ ...page, name: `${who} ${path}` });
      const expected = who === 'operator' && (path.startsWith('/console/dossiers') || path === '/console/signalen') ? 403 : 200;
      expect(page.status, `${who} ${path}`).toBe(expected);
    }
  }
  const operator = await signIn(net, net.operator);
  const dead = await get(net, operator, '/console/afleverfouten');
  const csrf = /name="csrf" value="([^"]+)"/.exec(dead.html)?.[1] ?? '';
  const forms = [...dead.html.matchAll(/name="berichtId" value="([^"]+)"><input type="hidden" name="ontvanger" value="([^"]+)"/g)];
  expect(forms.length).toBeGreaterThan(0);
  for (const [, berichtId = '', ontvanger = ''] of forms) {
    // Without the CSRF token: refused.
    const forged = await request(`${net.gateway.url}/console/afleverfouten/opnieuw`, { method: 'POST', body: new URLSearchParams({ berichtId, ontvanger }).toString(), headers: { cookie: operator, 'content-type': 'application/x-www-form-urlencoded' } });
    await forged.body.dump();
    expect(forged.statusCode).toBe(403);
    // First the confirmation page (a page too, for the canary), then the confirmed retry and its feedback.
    const asked = await request(`${net.gateway.url}/console/afleverfouten/opnieuw`, { method: 'POST', body: new URLSearchParams({ csrf, berichtId, ontvanger }).toString(), headers: { cookie: operator, 'content-type': 'application/x-www-form-urlencoded', origin: net.gateway.url } });
    pages.push({ name: 'operator retry confirmation', status: asked.statusCode, html: await asked.body.text() });
    expect(asked.statusCode).toBe(200);
    const retried = await request(`${net.gateway.url}/console/afleverfouten/opnieuw`, { method: 'POST', body: new URLSearchParams({ csrf, berichtId, ontvanger, bevestigd: 'ja' }).toString(), headers: { cookie: operator, 'content-type': 'application/x-www-form-urlencoded', origin: net.gateway.url } });
    pages.push({ name: 'operator retry done', status: retried.statusCode, html: await retried.body.text() });
    expect(retried.statusCode).toBe(200);
  }
  pages.push({ ...(await get(net, operator, '/console/afleverfouten')), name: 'operator after retry' });
  return pages;
}
