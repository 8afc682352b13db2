/**
 * The operator's actions in the console are safe (issue 21): suspending, readmitting and retrying a dead
 * letter first show a confirmation page that states the consequence and change nothing; only the confirmed
 * form acts, and its answer says what was done and which audit record it made. Suspending the gateway or the
 * last active auditor is refused. Dead letters show their type, dossier and sender. Term ends read as the end
 * of the last day, and the responsibility band's labels give Amsterdam time like the tables.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tijdTekst, uiterlijk } from '../../src/console/views.js';
import { DEMO_OIN, exampleBericht } from '../../src/demo/network.js';
import { AUDITOR_OIN, startConsoleNetwork, until, type ConsoleNetwork } from './network.js';
import { get, signIn } from './pages.js';

let dir: string;
let net: ConsoleNetwork;
let operator: string;
let csrf: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-operator-'));
  net = await startConsoleNetwork({ db: join(dir, 'zicht.db') });
  operator = await signIn(net, net.operator);
  csrf = /name="csrf" value="([^"]+)"/.exec((await get(net, operator, '/console/deelnemers')).html)?.[1] ?? '';
  expect(csrf).not.toBe('');
});
afterAll(async () => {
  await net.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, fields: Record<string, string>): Promise<{ status: number; html: string }> {
  const response = await request(`${net.gateway.url}${path}`, { method: 'POST', body: new URLSearchParams({ csrf, ...fields }).toString(), headers: { cookie: operator, 'content-type': 'application/x-www-form-urlencoded', origin: net.gateway.url } });
  return { status: response.statusCode, html: await response.body.text() };
}
const statusOf = async (oin: string) => (await net.network.registry.get(oin))?.status;

describe('suspending and readmitting a participant', () => {
  it('asks first, stating what suspension does; changes nothing until confirmed; then says what it did and what it recorded', async () => {
    const asked = await post('/console/deelnemers/status', { oin: DEMO_OIN.kerkrade, status: 'geschorst' });
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('RTE-002');
    expect(asked.html).toContain('Veilig Thuis kan dan niet aan Sociaal team Kerkrade (demo) overdragen');
    expect(asked.html).toContain('name="bevestigd" value="ja"');
    expect(await statusOf(DEMO_OIN.kerkrade)).toBe('actief');

    const done = await post('/console/deelnemers/status', { oin: DEMO_OIN.kerkrade, status: 'geschorst', bevestigd: 'ja' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('role="status"');
    expect(done.html).toContain('registry.changed');
    expect(await statusOf(DEMO_OIN.kerkrade)).toBe('geschorst');

    expect((await post('/console/deelnemers/status', { oin: DEMO_OIN.kerkrade, status: 'actief' })).html).toContain('weer berichten');
    expect(await statusOf(DEMO_OIN.kerkrade)).toBe('geschorst');
    expect((await post('/console/deelnemers/status', { oin: DEMO_OIN.kerkrade, status: 'actief', bevestigd: 'ja' })).status).toBe(200);
    expect(await statusOf(DEMO_OIN.kerkrade)).toBe('actief');
  });

  it('tells that suspending Veilig Thuis stops responsibility from passing', async () => {
    const asked = await post('/console/deelnemers/status', { oin: DEMO_OIN.vtZuidLimburg, status: 'geschorst' });
    expect(asked.html).toContain('het zicht op veiligheid niet overgaan');
    expect(await statusOf(DEMO_OIN.vtZuidLimburg)).toBe('actief');
  });

  it('refuses to suspend the gateway or the last active auditor, even when confirmed', async () => {
    const gateway = await post('/console/deelnemers/status', { oin: DEMO_OIN.gateway, status: 'geschorst', bevestigd: 'ja' });
    expect(gateway.status).toBe(409);
    expect(await statusOf(DEMO_OIN.gateway)).toBe('actief');
    const auditor = await post('/console/deelnemers/status', { oin: AUDITOR_OIN, status: 'geschorst', bevestigd: 'ja' });
    expect(auditor.status).toBe(409);
    expect(auditor.html).toContain('laatste actieve auditor');
    expect(await statusOf(AUDITOR_OIN)).toBe('actief');
  });
});

describe('retrying a dead letter', () => {
  it('shows the dead letter with its type, dossier and sender; asks first; then requeues once and says so, and a second time nothing', async () => {
    net.kerkrade.status = 400;
    const handover = exampleBericht('overdracht-na-dienst-onderzoek');
    expect((await net.send('vtZuidLimburg', handover)).status).toBe(202);
    const failed = async () => (await net.gateway.store.listDeliveries(handover.berichtId)).find((d) => d.receiverOin === DEMO_OIN.kerkrade)?.status;
    await until(async () => (await failed()) === 'failed');

    const list = await get(net, operator, '/console/afleverfouten');
    const row = new RegExp(`<tr data-bericht="${handover.berichtId}"[^]*?</tr>`).exec(list.html)?.[0] ?? '';
    expect(row).toContain('overdracht');
    expect(row).toContain(handover.dossier.referentie);
    expect(row).toContain('Veilig Thuis Zuid-Limburg');

    const fields = { berichtId: handover.berichtId, ontvanger: DEMO_OIN.kerkrade };
    const asked = await post('/console/afleverfouten/opnieuw', fields);
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('Ja, opnieuw aanbieden');
    expect(await failed()).toBe('failed');

    net.kerkrade.status = 202;
    const done = await post('/console/afleverfouten/opnieuw', { ...fields, bevestigd: 'ja' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('delivery.requeued');
    await until(async () => (await failed()) === 'delivered');
    const again = await post('/console/afleverfouten/opnieuw', { ...fields, bevestigd: 'ja' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('niets veranderd');
  });
});

describe('Dutch throughout', () => {
  it('answers a trailing slash and an unknown page with the console in Dutch, explains source abbreviations and writes event codes in words', async () => {
    const slash = await request(`${net.gateway.url}/console/`, { headers: { cookie: operator } });
    await slash.body.dump();
    expect(slash.statusCode).toBe(301);
    expect(slash.headers.location).toBe('/console');
    const missing = await get(net, operator, '/console/bestaat-niet');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('<html lang="nl">');
    expect(missing.html).toContain('Pagina niet gevonden');

    const template = exampleBericht('overdracht-na-dienst-onderzoek');
    const handover = { ...template, dossier: { referentie: 'VTZL-2026-777001', volgnummer: 1 } };
    expect((await net.send('vtZuidLimburg', handover)).status).toBe(202);
    await until(async () => (await net.gateway.store.listDeliveries(handover.berichtId)).every((d) => d.status === 'delivered'));
    const vt = await signIn(net, net.network.signers.vtZuidLimburg);
    const dossier = await get(net, vt, `/console/dossiers/${handover.dossier.referentie}`);
    expect(dossier.status).toBe(200);
    expect(dossier.html).toMatch(/<abbr title="Samenwerkingsafspraken Veilig Thuis Zuid-Limburg[^"]*">Z-L<\/abbr>|<abbr title="Factsheet[^"]*">FS<\/abbr>/);
    const tijdlijn = /<table class="tijdlijn">[^]*?<\/table>/.exec(dossier.html)?.[0] ?? '';
    expect(tijdlijn).toContain('afgeleverd');
    expect(tijdlijn).not.toContain('delivery.delivered');
  });
});

describe('times as people read them', () => {
  it('writes a term that ends at midnight in Amsterdam as the end of the day before, and other instants as times', async () => {
    // 12 Dec 2026 00:00 in Amsterdam (CET, UTC+1) is 11 Dec 23:00 UTC: the term ends at the end of Friday 11 Dec.
    expect(String(await uiterlijk('2026-12-11T23:00:00.000Z'))).toContain('einde van vrijdag 11 dec');
    // Summer time (UTC+2): 1 Jul 2026 00:00 local is 30 Jun 22:00 UTC.
    expect(String(await uiterlijk('2026-06-30T22:00:00.000Z'))).toContain('einde van dinsdag 30 jun');
    const afternoon = String(await uiterlijk('2026-12-11T14:30:00.000Z'));
    expect(afternoon).not.toContain('einde van');
    expect(afternoon).toContain('15:30');
    expect(tijdTekst('2026-12-11T14:30:00.000Z')).toContain('15:30');
  });
});
