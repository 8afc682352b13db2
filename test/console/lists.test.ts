/**
 * The berichten overview scales (issue 21): it filters by type, delivery status and period (days in
 * Europe/Amsterdam) and pages with a link to older berichten instead of stopping at a cap; a bad filter is a
 * Dutch 400 page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amsterdamDatum } from '../../src/profiles/werkdagen.js';
import { exampleBericht } from '../../src/demo/network.js';
import type { Bericht } from '../../src/model/bericht.js';
import { startConsoleNetwork, until, type ConsoleNetwork } from './network.js';
import { get, signIn } from './pages.js';

let dir: string;
let net: ConsoleNetwork;
const handovers: Bericht[] = [];
let update: Bericht;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-lists-'));
  net = await startConsoleNetwork({ db: join(dir, 'zicht.db') });
  net.kerkrade.status = 400; // every delivery to Kerkrade becomes a dead letter
  for (let i = 0; i < 52; i++) {
    const handover = { ...exampleBericht('overdracht-na-dienst-onderzoek'), dossier: { referentie: `VTZL-2026-${String(800_000 + i)}`, volgnummer: 1 } };
    expect((await net.send('vtZuidLimburg', handover)).status).toBe(202);
    handovers.push(handover);
  }
  const first = handovers[0];
  if (first === undefined) throw new Error('no handover');
  update = { ...exampleBericht('veiligheidsvoorwaarden-update'), ontvangers: first.ontvangers, dossier: { referentie: first.dossier.referentie, volgnummer: 2 }, inAntwoordOp: first.berichtId };
  expect((await net.send('vtZuidLimburg', update)).status).toBe(202);
  await until(async () => (await net.gateway.store.listDeliveriesByStatus('queued', 10)).length === 0, 30_000);
}, 60_000);
afterAll(async () => {
  await net.close();
  rmSync(dir, { recursive: true, force: true });
});

const rowsOf = (html: string) => [...html.matchAll(/<tr data-bericht="([^"]+)"/g)].map((m) => m[1]);

describe('the berichten overview', () => {
  it('pages: 50 newest first, then a link to the older ones that shows the rest', async () => {
    const vt = await signIn(net, net.network.signers.vtZuidLimburg);
    const first = await get(net, vt, '/console');
    expect(rowsOf(first.html)).toHaveLength(50);
    expect(rowsOf(first.html)[0]).toBe(update.berichtId);
    const next = /<a href="([^"]+)" rel="next">Oudere berichten<\/a>/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBeDefined();
    const older = await get(net, vt, next ?? '');
    expect(rowsOf(older.html)).toEqual([handovers[2]?.berichtId, handovers[1]?.berichtId, handovers[0]?.berichtId]);
    expect(older.html).not.toContain('rel="next"');
  });

  it('filters by type, by a receiver\'s delivery status and by period, and keeps the filter in the form', async () => {
    const vt = await signIn(net, net.network.signers.vtZuidLimburg);
    const updates = await get(net, vt, '/console?soort=veiligheidsvoorwaarden&status=&van=&tot=');
    expect(rowsOf(updates.html)).toEqual([update.berichtId]);
    expect(updates.html).toContain('<option value="veiligheidsvoorwaarden" selected>');
    const failed = await get(net, vt, '/console?status=failed&soort=overdracht');
    expect(rowsOf(failed.html)).toHaveLength(50);
    const vandaag = amsterdamDatum(new Date());
    expect(rowsOf((await get(net, vt, `/console?van=${vandaag}&tot=${vandaag}&soort=veiligheidsvoorwaarden`)).html)).toEqual([update.berichtId]);
    expect(rowsOf((await get(net, vt, '/console?tot=2020-01-01')).html)).toEqual([]);
  });

  it('answers a bad filter with a Dutch 400 page; the auditor filters over everyone\'s berichten', async () => {
    const vt = await signIn(net, net.network.signers.vtZuidLimburg);
    const bad = await get(net, vt, '/console?soort=geheim&van=gisteren');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Het filter is ongeldig');
    const auditor = await signIn(net, net.auditor);
    expect(rowsOf((await get(net, auditor, '/console?soort=veiligheidsvoorwaarden')).html)).toEqual([update.berichtId]);
  });
});
