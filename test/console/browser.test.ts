/**
 * The console in headless Chromium (Debian's, driven by playwright-core): sign in as each role (demo sign-in and
 * a signed bearer token), open a dossier and see the responsibility band change at the acceptance, retry a dead
 * letter as the operator, and verify an exported audit bundle and a tampered one in the browser (WebCrypto).
 * Screenshots go to $TMPDIR/zicht-console-screenshots for a person to look at.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle, storeLogSource } from '../../src/audit/export.js';
import { deriveLogSigner } from '../../src/audit/log-key.js';
import type { AuditBundle } from '../../src/audit/bundle.js';
import { verifyBundle } from '../../src/audit/bundle.js';
import { parseVerifierKey } from '../../src/audit/note-key.js';
import { checkBundle } from '../../src/console/bundle-check.js';
import { DEMO_OIN, exampleBericht } from '../../src/demo/network.js';
import type { Bericht } from '../../src/model/bericht.js';
import { REGELS_NL } from '../../src/rules/messages-nl.js';
import { accept } from '../retention/accept.js';
import { acceptatie, startConsoleNetwork, until, type ConsoleNetwork } from './network.js';

const SHOTS = join(tmpdir(), 'zicht-console-screenshots');
let dir: string;
let net: ConsoleNetwork;
let browser: Browser;
let handover: Bericht;
let acceptance: Bericht;
/** When the gateway accepted the acceptance (its transport receipt's `ontvangenOp`): Heerlen holds zicht from then. */
let acceptanceRcv: string;
/** A handover the gateway accepted 20 days ago that nobody answered: its receipt terms are missed. */
let overdue: Bericht;
let bundle: AuditBundle;
let tampered: AuditBundle;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'zicht-browser-'));
  net = await startConsoleNetwork({ db: join(dir, 'zicht.db'), consoleDemo: true });
  net.kerkrade.status = 400; // Kerkrade's system refuses: a dead letter
  handover = exampleBericht('overdracht-na-dienst-onderzoek', new Date(Date.now() - 3_600_000));
  // Handed over to Heerlen, Kerkrade in cc (informed, OVD-007): one receiving team, so Heerlen's acceptance alone passes zicht.
  handover = { ...handover, ontvangers: handover.ontvangers.map((o) => (o.oin === DEMO_OIN.kerkrade ? { ...o, kopie: true } : o)) };
  expect((await net.send('vtZuidLimburg', handover)).status).toBe(202);
  await until(async () => (await net.gateway.store.listDeliveries(handover.berichtId)).every((d) => d.status !== 'queued'));
  acceptance = acceptatie(handover);
  const accepted = await net.send('heerlen', acceptance);
  expect(accepted.status).toBe(202);
  acceptanceRcv = (JSON.parse(accepted.text) as { ontvangenOp: string }).ontvangenOp;
  await until(async () => (await net.gateway.store.listDeliveries(acceptance.berichtId)).every((d) => d.status === 'delivered'));
  // Written as the accept path writes it, at the instant 20 days ago (for the postbus, so nothing is pushed): the
  // ledger counts from when the gateway accepted a bericht, so one merely dated 20 days back would miss nothing.
  const twintigDagenGeleden = new Date(Date.now() - 20 * 86_400_000);
  overdue = { ...exampleBericht('overdracht-na-dienst-onderzoek', twintigDagenGeleden), dossier: { referentie: 'VTZL-2026-899999', volgnummer: 1 } };
  await accept(net.gateway.store, overdue, twintigDagenGeleden, 'pull');

  const logKey = deriveLogSigner(net.network.gateway);
  await until(async () => {
    const size = await net.gateway.store.logSize();
    return size > 0 && (await net.gateway.store.latestCheckpoint())?.size === size && (await net.gateway.store.listPendingLeaves(1)).length === 0;
  });
  const exported = await exportBundle(storeLogSource(net.gateway.store, logKey.vkey));
  if (exported === undefined) throw new Error('no checkpoint');
  bundle = exported;
  const entries = bundle.entries.map((e) => ({ ...e, proof: [...e.proof] }));
  const target = entries[1];
  if (target === undefined) throw new Error('too few entries');
  entries[1] = { ...target, leaf: target.leaf.replace(/"at":"[^"]+"/, '"at":"2020-01-01T00:00:00.000Z"') };
  tampered = { ...bundle, entries };
  writeFileSync(join(dir, 'bundel.json'), JSON.stringify(bundle));
  writeFileSync(join(dir, 'bundel-leeg.json'), '{}');
  writeFileSync(join(dir, 'bundel-gewijzigd.json'), JSON.stringify(tampered));
  // The same bundle with a forged checkpoint named first: JSON.parse keeps the last (the real one); BER-017 refuses it.
  writeFileSync(join(dir, 'bundel-dubbel.json'), JSON.stringify(bundle).replace('{"format":', '{"checkpoint":"forged\\n","format":'));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser.close();
  await net.close();
  rmSync(dir, { recursive: true, force: true });
});

async function demoSignIn(naam: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
  await page.goto(`${net.gateway.url}/console`);
  await page.waitForSelector('h1:text("Inloggen")');
  await page.getByRole('button', { name: new RegExp(`^Inloggen als ${naam}`) }).click();
  await page.waitForLoadState();
  await page.waitForSelector('h1:text("Berichten")');
  return page;
}

describe('the console in Chromium', () => {
  it('VT signs in, sees its berichten per receiver and the responsibility band change at the acceptance', async () => {
    const page = await demoSignIn('Veilig Thuis Zuid-Limburg');
    const row = page.locator(`tr[data-bericht="${handover.berichtId}"]`);
    await expect(row.locator(`li[data-ontvanger="${DEMO_OIN.heerlen}"]`).getAttribute('data-status')).resolves.toBe('acknowledged');
    await expect(row.locator(`li[data-ontvanger="${DEMO_OIN.kerkrade}"]`).getAttribute('data-status')).resolves.toBe('failed');
    await page.screenshot({ path: join(SHOTS, '1-berichten-vt.png'), fullPage: true });

    await row.getByRole('link', { name: handover.dossier.referentie }).click();
    await page.waitForSelector(`h1:text("Dossier ${handover.dossier.referentie}")`);
    // The answer first: right after the heading, who holds zicht now and since when, the rule with its quote, the evidence.
    await expect(page.evaluate("document.querySelector('main h1').nextElementSibling.className")).resolves.toBe('antwoord');
    const houder = page.locator('section.antwoord p.houder');
    await expect(houder.getAttribute('data-houder')).resolves.toBe(DEMO_OIN.heerlen);
    await expect(houder.textContent()).resolves.toMatch(/^Sociaal team Heerlen.* heeft nu zicht op veiligheid, sinds /);
    await expect(houder.locator('time').getAttribute('datetime')).resolves.toBe(acceptanceRcv);
    await expect(page.locator('section.antwoord p.regel').textContent()).resolves.toContain('de ontvanger accepteerde de overdracht (geaccepteerd)');
    await expect(page.locator('section.antwoord blockquote.citaat').count()).resolves.toBe(1);
    const bewijs = page.locator('section.antwoord ul.bewijs > li');
    await expect(page.evaluate<string[][]>("[...document.querySelectorAll('section.antwoord ul.bewijs > li')].map((li) => [li.getAttribute('data-bericht'), li.querySelector('a').getAttribute('href'), li.querySelector('a').textContent])")).resolves.toEqual([
      [handover.berichtId, `/console/berichten/${handover.berichtId}`, 'overdracht'],
      [acceptance.berichtId, `/console/berichten/${acceptance.berichtId}`, 'ontvangstbevestiging: geaccepteerd'],
    ]);
    await expect(bewijs.nth(1).textContent()).resolves.toContain('van Sociaal team Heerlen');
    // Beside it: the dead letter to Kerkrade (in cc) makes the answer fragile.
    const dead = page.locator(`section.antwoord li[data-waarschuwing="onbestelbaar"][data-bericht="${handover.berichtId}"]`);
    await expect(dead.getAttribute('data-ontvanger')).resolves.toBe(DEMO_OIN.kerkrade);
    await expect(dead.textContent()).resolves.toContain('HTTP_400');
    await page.screenshot({ path: join(SHOTS, '2a-dossier-antwoord.png'), fullPage: true });
    const perioden = page.locator('table.perioden tbody tr');
    await expect(perioden.count()).resolves.toBe(2);
    await expect(perioden.nth(0).getAttribute('data-oin')).resolves.toBe(DEMO_OIN.vtZuidLimburg);
    await expect(perioden.nth(1).getAttribute('data-oin')).resolves.toBe(DEMO_OIN.heerlen);
    // The band changes hands at the acceptance: Heerlen's period starts when the gateway accepted its receipt.
    await expect(perioden.nth(1).locator('td').nth(1).locator('time').getAttribute('datetime')).resolves.toBe(acceptanceRcv);
    await expect(page.locator('svg rect.periode').count()).resolves.toBe(2);
    // Where the handover stands, as the API answers it: one receiving team (Kerkrade in cc), which accepted.
    const teams = page.locator(`table.overdrachten tr[data-overdracht="${handover.berichtId}"]`);
    await expect(teams.count()).resolves.toBe(1);
    await expect(teams.getAttribute('data-oin')).resolves.toBe(DEMO_OIN.heerlen);
    await expect(teams.getAttribute('data-status')).resolves.toBe('geaccepteerd');
    await expect(page.locator('table.termijnen tr[data-soort="ontvangstbevestiging"][data-status="gehaald"]').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SHOTS, '2-dossier-band.png'), fullPage: true });
    // The evidence link opens the bericht's page: its type, sender and receivers, metadata only.
    await bewijs.nth(1).getByRole('link').click();
    await page.waitForSelector(`h1:text("Bericht ${acceptance.berichtId}")`);
    await expect(page.locator('dl.bericht').textContent()).resolves.toContain('ontvangstbevestiging: geaccepteerd');
    await expect(page.locator(`li[data-ontvanger="${DEMO_OIN.vtZuidLimburg}"]`).count()).resolves.toBe(1);
    await page.screenshot({ path: join(SHOTS, '2b-bericht.png'), fullPage: true });
    await page.close();
  });

  it('the dossier page warns when a term was missed, and when the key that signed the evidence was revoked since', async () => {
    const page = await demoSignIn('Veilig Thuis Zuid-Limburg');
    await page.goto(`${net.gateway.url}/console/dossiers/${overdue.dossier.referentie}`);
    await expect(page.locator('section.antwoord p.houder').getAttribute('data-houder')).resolves.toBe(DEMO_OIN.vtZuidLimburg);
    await expect(page.locator('section.antwoord li[data-waarschuwing="termijn-gemist"][data-soort="ontvangstbevestiging"]').count()).resolves.toBe(2);
    await expect(page.locator('section.antwoord .termijnen-kort li[data-status="gemist"]').count()).resolves.toBeGreaterThanOrEqual(2);
    await page.goto(`${net.gateway.url}/console/dossiers/${handover.dossier.referentie}`);
    await expect(page.locator('section.antwoord li[data-waarschuwing="sleutel-ingetrokken"]').count()).resolves.toBe(0);
    // Heerlen's key is revoked after it signed the acceptance: the answer now rests on a key that no longer holds.
    await net.network.registry.revokeKey(DEMO_OIN.heerlen, net.network.signers.heerlen.kid, new Date());
    await page.reload();
    const revoked = page.locator('section.antwoord li[data-waarschuwing="sleutel-ingetrokken"]');
    await expect(revoked.getAttribute('data-bericht')).resolves.toBe(acceptance.berichtId);
    await expect(revoked.textContent()).resolves.toContain('na de ontvangst door de gateway');
    // The rule it cites is shown in Dutch and links to the rules page.
    await revoked.getByRole('link', { name: 'SIG-003' }).click();
    await page.waitForSelector('h1:text("Regels van de standaard")');
    await expect(page.locator('tr#SIG-003 td').first().textContent()).resolves.toBe(REGELS_NL['SIG-003']);
    await page.screenshot({ path: join(SHOTS, '2c-regels.png'), fullPage: true });
    await page.close();
  });

  it('the dossiers page shows holder, state and missed terms, and finds a dossier by part of its reference and state', async () => {
    const page = await demoSignIn('Inspectie');
    await page.getByRole('link', { name: 'Dossiers' }).click();
    await page.waitForSelector('h1:text("Dossiers")');
    const rows = page.locator('table.dossiers tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    await page.getByLabel('Referentie (of een deel ervan)').fill('899');
    await page.getByLabel('Stand').selectOption('lopend');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.waitForURL(/zoek=899/);
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().getAttribute('data-dossier')).resolves.toBe(overdue.dossier.referentie);
    await expect(rows.first().getAttribute('data-houder')).resolves.toBe(DEMO_OIN.vtZuidLimburg);
    await expect(rows.first().locator('.termijn-gemist').textContent()).resolves.toMatch(/^\d+ gemist$/);
    await page.getByLabel('Stand').selectOption('afgesloten');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.waitForURL(/stand=afgesloten/);
    await expect(page.locator('main').textContent()).resolves.toContain('Geen dossiers die aan dit filter voldoen.');
    await page.screenshot({ path: join(SHOTS, '2d-dossiers.png'), fullPage: true });
    await page.close();
  });

  it('a lokaal team signs in with a signed token and sees only its own berichten and dossiers', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${net.gateway.url}/console/inloggen`);
    await page.getByRole('textbox', { name: 'Token' }).fill(await net.token(net.network.signers.kerkrade));
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.waitForSelector('h1:text("Berichten")');
    await expect(page.locator('header').textContent()).resolves.toContain('Sociaal team Kerkrade');
    // The two handovers (Kerkrade is a receiver of both), not Heerlen's receipt.
    const rows = await page.evaluate<string[]>("[...document.querySelectorAll('tbody tr[data-bericht]')].map((r) => r.getAttribute('data-bericht'))");
    expect(rows).toEqual(expect.arrayContaining([overdue.berichtId, handover.berichtId]));
    expect(rows).not.toContain(acceptance.berichtId);
    await page.getByRole('link', { name: 'Termijnen en escalaties' }).click();
    await page.waitForSelector('h1:text("Termijnen en escalaties")');
    await page.screenshot({ path: join(SHOTS, '3-signalen-kerkrade.png'), fullPage: true });
    await page.close();
  });

  it('the operator retries the dead letter, and cannot open dossiers', async () => {
    const page = await demoSignIn('Beheer Zicht Zuid-Limburg');
    await page.goto(`${net.gateway.url}/console/afleverfouten`);
    const row = page.locator(`tr[data-bericht="${handover.berichtId}"][data-ontvanger="${DEMO_OIN.kerkrade}"]`);
    await expect(row.locator('code').nth(1).textContent()).resolves.toBe('HTTP_400');
    await page.screenshot({ path: join(SHOTS, '4-afleverfouten-operator.png'), fullPage: true });
    net.kerkrade.status = 202;
    await row.getByRole('button', { name: 'Opnieuw aanbieden' }).click();
    // A confirmation that states the consequence first; nothing changes until it is confirmed.
    await page.waitForSelector('h1:text("Opnieuw aanbieden?")');
    await page.screenshot({ path: join(SHOTS, '4b-bevestigen-operator.png'), fullPage: true });
    expect((await net.gateway.store.listDeliveries(handover.berichtId)).find((d) => d.receiverOin === DEMO_OIN.kerkrade)?.status).toBe('failed');
    await page.getByRole('button', { name: 'Ja, opnieuw aanbieden' }).click();
    await page.waitForSelector('h1:text("Opnieuw aangeboden")');
    await expect(page.getByRole('status').textContent()).resolves.toContain('staat weer in de wachtrij');
    await until(async () => (await net.gateway.store.listDeliveries(handover.berichtId)).every((d) => d.status !== 'failed' && d.status !== 'queued'));
    await page.goto(`${net.gateway.url}/console`);
    await expect(page.locator(`tr[data-bericht="${handover.berichtId}"] li[data-ontvanger="${DEMO_OIN.kerkrade}"]`).getAttribute('data-status')).resolves.toBe('delivered');
    await page.screenshot({ path: join(SHOTS, '5-berichten-na-retry.png'), fullPage: true });
    const forbidden = await page.goto(`${net.gateway.url}/console/dossiers/${handover.dossier.referentie}`);
    expect(forbidden?.status()).toBe(403);
    await page.goto(`${net.gateway.url}/console/deelnemers`);
    await page.screenshot({ path: join(SHOTS, '6-deelnemers-operator.png'), fullPage: true });
    await page.close();
  });

  it('reflows at 320 CSS pixels: no page type scrolls sideways (WCAG 1.4.10), for each role', async () => {
    const pages: Record<string, readonly string[]> = {
      'Veilig Thuis Zuid-Limburg': ['/console', '/console/dossiers', '/console/dossiers?zoek=899&stand=lopend', `/console/dossiers/${handover.dossier.referentie}`, `/console/dossiers/${overdue.dossier.referentie}`, `/console/berichten/${handover.berichtId}`, '/console/signalen', '/console/afleverfouten', '/console/deelnemers', '/console/auditlog', '/console/regels'],
      'Beheer Zicht Zuid-Limburg': ['/console', `/console/berichten/${handover.berichtId}`, '/console/afleverfouten', '/console/deelnemers', '/console/auditlog'],
    };
    const wide: string[] = [];
    for (const [naam, paths] of Object.entries(pages)) {
      const page = await demoSignIn(naam);
      await page.setViewportSize({ width: 320, height: 640 });
      for (const path of paths) {
        await page.goto(`${net.gateway.url}${path}`);
        const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
        if (width > 320) wide.push(`${naam} ${path}: ${width}px`);
      }
      await page.screenshot({ path: join(SHOTS, `7-320px-${naam.split(' ')[0] ?? ''}.png`), fullPage: true });
      await page.close();
    }
    const signIn = await browser.newPage({ viewport: { width: 320, height: 640 } });
    await signIn.goto(`${net.gateway.url}/console/inloggen`);
    const signInWidth = Number(await signIn.evaluate('document.documentElement.scrollWidth'));
    if (signInWidth > 320) wide.push(`/console/inloggen: ${signInWidth}px`);
    await signIn.close();
    expect(wide).toEqual([]);
  }, 120_000);

  it('has no WCAG 2.1 A or AA violation that axe-core finds, on every page type at 1280 and at 320 CSS px', async () => {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const roles: Record<string, readonly string[]> = {
      'Veilig Thuis Zuid-Limburg': ['/console', '/console/dossiers', '/console/dossiers?zoek=899&stand=lopend', `/console/dossiers/${handover.dossier.referentie}`, `/console/dossiers/${overdue.dossier.referentie}`, `/console/berichten/${handover.berichtId}`, '/console/signalen', '/console/afleverfouten', '/console/deelnemers', '/console/auditlog', '/console/regels', '/console/bestaat-niet'],
      'Beheer Zicht Zuid-Limburg': [`/console/berichten/${handover.berichtId}`, '/console/afleverfouten', '/console/deelnemers'],
    };
    const found: string[] = [];
    let checked = 0;
    for (const width of [1280, 320]) {
      // axe is injected as a script of the test; the console's CSP (script-src 'self') would refuse it otherwise.
      const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const audit = async (name: string) => {
        await page.addScriptTag({ content: axe });
        const result = await page.evaluate<string[]>("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations.map((v) => v.id + ' (' + v.nodes.length + ')'))");
        checked += 1;
        for (const violation of result) found.push(`${width}px ${name}: ${violation}`);
      };
      await page.goto(`${net.gateway.url}/console/inloggen`);
      await audit('/console/inloggen');
      for (const [naam, paths] of Object.entries(roles)) {
        await page.goto(`${net.gateway.url}/console/inloggen`);
        await page.getByRole('button', { name: new RegExp(`^Inloggen als ${naam}`) }).click();
        await page.waitForSelector('h1:text("Berichten")');
        for (const path of paths) {
          await page.goto(`${net.gateway.url}${path}`);
          await audit(`${naam} ${path}`);
        }
        await page.getByRole('button', { name: 'Uitloggen' }).click();
        await page.waitForSelector('h1:text("Inloggen")');
      }
      await context.close();
    }
    expect(checked).toBe(2 * 16);
    expect(found).toEqual([]);
    // The check itself works: a page with a known violation is caught.
    const control = await browser.newPage();
    await control.setContent('<!doctype html><html lang="nl"><title>x</title><img src="x.png">');
    await control.addScriptTag({ content: axe });
    expect(await control.evaluate("axe.run(document).then((r) => r.violations.map((v) => v.id))")).toContain('image-alt');
    await control.close();
  }, 300_000);

  it('the auditor verifies a bundle in the browser and the tampering in another is detected and named', async () => {
    const page = await demoSignIn('Inspectie');
    await page.getByRole('link', { name: 'Auditlog' }).click();
    await page.waitForSelector('h1:text("Auditlog")');
    // Without a trusted key nothing is verified (LOG-001), whatever the bundle holds.
    await page.setInputFiles('#bundel', join(dir, 'bundel.json'));
    await page.waitForSelector('#uitkomst li[data-kind="no-trust-anchor"]');
    await page.getByLabel(/Vertrouwde logsleutel/).fill(bundle.verifierKey);
    await page.setInputFiles('#bundel', join(dir, 'bundel-leeg.json'));
    await page.waitForSelector('#uitkomst li[data-kind="bundle-malformed"]');
    await page.setInputFiles('#bundel', join(dir, 'bundel.json'));
    await page.waitForSelector('[data-uitkomst="ok"]');
    await page.screenshot({ path: join(SHOTS, '7-auditlog-bundel-ok.png'), fullPage: true });
    // A member named twice (a forged checkpoint first, the real one last): refused as the CLI refuses it (BER-017).
    await page.setInputFiles('#bundel', join(dir, 'bundel-dubbel.json'));
    await page.waitForSelector('#uitkomst li[data-kind="duplicate-member"]');
    await expect(page.locator('#uitkomst li[data-kind="duplicate-member"]').textContent()).resolves.toContain('($.checkpoint)');
    await expect(page.locator('[data-uitkomst]').getAttribute('data-uitkomst')).resolves.toBe('fout');
    await page.screenshot({ path: join(SHOTS, '7b-auditlog-bundel-dubbel.png'), fullPage: true });
    await page.setInputFiles('#bundel', join(dir, 'bundel-gewijzigd.json'));
    await page.waitForSelector('[data-uitkomst="fout"]');
    const finding = page.locator('#uitkomst li[data-kind="entry-not-included"]');
    await expect(finding.getAttribute('data-index')).resolves.toBe(String(tampered.entries[1]?.index));
    await expect(finding.textContent()).resolves.toContain('gewijzigd, verplaatst of vervalst');
    await page.screenshot({ path: join(SHOTS, '8-auditlog-bundel-gewijzigd.png'), fullPage: true });
    // Against a trusted key that is not the log's: the checkpoint's signature fails.
    await page.getByLabel(/Vertrouwde logsleutel/).fill(deriveLogSigner(net.network.signers.heerlen).vkey);
    await page.setInputFiles('#bundel', join(dir, 'bundel.json'));
    await page.waitForSelector('#uitkomst li[data-kind="checkpoint-signature"]');
    await page.screenshot({ path: join(SHOTS, '9-auditlog-andere-sleutel.png'), fullPage: true });
    await page.close();
  }, 90_000);

  it('the browser check finds what verifyBundle finds (run in Node)', async () => {
    const trusted = [parseVerifierKey(bundle.verifierKey)];
    expect(verifyBundle(bundle, { trusted })).toEqual([]);
    expect(await checkBundle(JSON.stringify(bundle))).toMatchObject({ ok: false, findings: [{ kind: 'no-trust-anchor' }] });
    expect(await checkBundle(JSON.stringify(bundle), bundle.verifierKey)).toMatchObject({ ok: true, complete: true, findings: [], verified: `0-${bundle.entries.length - 1}`, unverified: '' });
    const expected = verifyBundle(tampered, { trusted }).map((f) => [f.kind, f.index]);
    const found = (await checkBundle(JSON.stringify(tampered), bundle.verifierKey)).findings.map((f) => [f.kind, f.index]);
    expect(found).toEqual(expected);
    const missing = { ...bundle, entries: bundle.entries.filter((_, i) => i !== 0) };
    expect((await checkBundle(JSON.stringify(missing), bundle.verifierKey)).findings.map((f) => [f.kind, f.index])).toEqual(verifyBundle(missing, { trusted }).map((f) => [f.kind, f.index]));
  });
});
