/**
 * The dossiers overview scales (issue 21): per dossier who holds zicht op veiligheid now, its state and its missed
 * terms; searchable by (part of) the reference, filterable by gemeente and state, and paged with a link to older
 * dossiers instead of stopping at a cap. A page costs two store queries whatever the number of dossiers (no query
 * per dossier); a bad filter is a Dutch 400 page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierOverzicht } from '../../src/console/dossier-overzicht.js';
import { DEMO_OIN, exampleBericht } from '../../src/demo/network.js';
import type { Bericht } from '../../src/model/bericht.js';
import { publishedProfielen } from '../../src/profiles/load.js';
import type { StoreOperations } from '../../src/store/store.js';
import { accept } from '../retention/accept.js';
import { acceptatie, AUDITOR_OIN, startConsoleNetwork, until, type ConsoleNetwork } from './network.js';
import { get, signIn } from './pages.js';

let dir: string;
let net: ConsoleNetwork;
const handovers: Bericht[] = [];
let overdue: Bericht;
let closed: Bericht;
let accepted: Bericht;

const handover = (ref: string, at = new Date()): Bericht => ({ ...exampleBericht('overdracht-na-dienst-onderzoek', at), dossier: { referentie: ref, volgnummer: 1 } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-dossiers-'));
  // No timer worker: its termijnsignalen would make the overdue dossier the newest activity at a moment of its own.
  net = await startConsoleNetwork({ db: join(dir, 'zicht.db'), timers: false });
  // Accepted by the gateway 20 days ago (written as the accept path writes it, at that instant; for the postbus, so no
  // push waits for it) and never answered: its receipt terms are missed. The ledger counts from when the gateway
  // accepted a bericht, so a handover merely dated 20 days back and sent now would miss nothing (responsibility.md §5).
  const twintigDagenGeleden = new Date(Date.now() - 20 * 86_400_000);
  overdue = handover('VTZL-2026-899999', twintigDagenGeleden);
  await accept(net.gateway.store, overdue, twintigDagenGeleden, 'pull');
  for (let i = 0; i < 53; i++) {
    const h = handover(`VTZL-2026-${String(700_000 + i)}`);
    expect((await net.send('vtZuidLimburg', h)).status).toBe(202);
    handovers.push(h);
  }
  const [first, second] = handovers;
  if (first === undefined || second === undefined) throw new Error('no handovers');
  // Heerlen and Kerkrade both accept the first, naming Heerlen to lead: Heerlen holds zicht.
  accepted = acceptatie(first, 'heerlen');
  expect((await net.send('heerlen', accepted)).status).toBe(202);
  expect((await net.send('kerkrade', acceptatie(first, 'kerkrade'))).status).toBe(202);
  // VT closes the second (it holds zicht: nobody accepted).
  closed = {
    ...exampleBericht('afsluiting'),
    verzender: { oin: DEMO_OIN.vtZuidLimburg, rol: 'vt' },
    ontvangers: second.ontvangers,
    dossier: { referentie: second.dossier.referentie, volgnummer: 2 },
    inAntwoordOp: second.berichtId,
    inhoud: { afgeslotenOp: new Date(Date.now() - 60_000).toISOString(), reden: 'stabiel-veilig' },
  } as Bericht;
  const sent = await net.send('vtZuidLimburg', closed);
  expect(sent.status, sent.text).toBe(202);
  await until(async () => (await net.gateway.store.listDeliveriesByStatus('queued', 10)).every((d) => d.berichtId === overdue.berichtId), 30_000);
}, 90_000);
afterAll(async () => {
  await net.close();
  rmSync(dir, { recursive: true, force: true });
});

const rowsOf = (html: string) => [...html.matchAll(/<tr data-dossier="([^"]+)" data-stand="([^"]+)"(?: data-houder="([^"]+)")? data-gemist="(\d+)">/g)].map((m) => ({ ref: m[1], stand: m[2], houder: m[3], gemist: Number(m[4]) }));
const nextOf = (html: string) => /<a href="([^"]+)" rel="next">Oudere dossiers<\/a>/.exec(html)?.[1]?.replaceAll('&amp;', '&');

describe('the dossiers overview', () => {
  it('shows per dossier the current holder, the state and the missed terms, newest activity first, and pages on', async () => {
    const vt = await signIn(net, net.network.signers.vtZuidLimburg);
    const first = await get(net, vt, '/console/dossiers');
    const rows = rowsOf(first.html);
    expect(rows).toHaveLength(50);
    const [firstRef, secondRef] = [handovers[0]?.dossier.referentie, handovers[1]?.dossier.referentie];
    // The closure and the acceptances are the newest activity.
    expect(rows.slice(0, 2)).toEqual([
      { ref: secondRef, stand: 'afgesloten', houder: undefined, gemist: 0 },
      { ref: firstRef, stand: 'verantwoordelijk', houder: DEMO_OIN.heerlen, gemist: 0 },
    ]);
    expect(rows[2]).toEqual({ ref: handovers[52]?.dossier.referentie, stand: 'verantwoordelijk', houder: DEMO_OIN.vtZuidLimburg, gemist: 0 });
    expect(first.html).toMatch(/<strong>Sociaal team Heerlen[^<]*<\/strong>, sinds/);
    const older = await get(net, vt, nextOf(first.html) ?? '');
    const rest = rowsOf(older.html);
    expect(rest.map((r) => r.ref)).toEqual([handovers[4]?.dossier.referentie, handovers[3]?.dossier.referentie, handovers[2]?.dossier.referentie, overdue.dossier.referentie]);
    expect(rest.at(-1)?.gemist).toBeGreaterThanOrEqual(2);
    expect(older.html).toContain('class="termijn termijn-gemist"');
    expect(nextOf(older.html)).toBeUndefined();
  });

  it('searches by part of the reference (case-insensitive, % and _ taken literally) and filters by state and gemeente', async () => {
    const vt = await signIn(net, net.network.signers.vtZuidLimburg);
    const refs = async (query: string) => rowsOf((await get(net, vt, `/console/dossiers?${query}`)).html).map((r) => r.ref);
    expect(await refs('zoek=899999')).toEqual([overdue.dossier.referentie]);
    expect((await refs('zoek=vtzl-2026-70005')).sort()).toEqual(['VTZL-2026-700050', 'VTZL-2026-700051', 'VTZL-2026-700052']);
    expect(await refs('zoek=%25')).toEqual([]);
    expect(await refs('zoek=VTZL_2026')).toEqual([]);
    expect(await refs('stand=afgesloten')).toEqual([handovers[1]?.dossier.referentie]);
    expect(await refs('stand=lopend&zoek=70000')).toEqual(['VTZL-2026-700000', 'VTZL-2026-700009', 'VTZL-2026-700008', 'VTZL-2026-700007', 'VTZL-2026-700006', 'VTZL-2026-700005', 'VTZL-2026-700004', 'VTZL-2026-700003', 'VTZL-2026-700002']);
    expect(await refs(`gemeente=${DEMO_OIN.heerlen}&zoek=899999`)).toEqual([overdue.dossier.referentie]);
    // A participant that received nothing: no dossier is its.
    expect(await refs(`gemeente=${AUDITOR_OIN}`)).toEqual([]);
    const page = await get(net, vt, `/console/dossiers?stand=afgesloten&gemeente=${DEMO_OIN.kerkrade}&zoek=`);
    expect(page.html).toContain('<option value="afgesloten" selected>');
    expect(page.html).toContain(`<option value="${DEMO_OIN.kerkrade}" selected>`);
  });

  it('answers a bad filter with a Dutch 400 page, and a participant sees only its own dossiers', async () => {
    const vt = await signIn(net, net.network.signers.vtZuidLimburg);
    const bad = await get(net, vt, '/console/dossiers?stand=geheim&gemeente=Heerlen');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Het filter is ongeldig');
    const auditor = await signIn(net, net.auditor);
    expect(rowsOf((await get(net, auditor, '/console/dossiers?zoek=899999')).html).map((r) => r.ref)).toEqual([overdue.dossier.referentie]);
  });

  it('costs two store queries a page, whatever the page size: no query per dossier', async () => {
    const calls: string[] = [];
    const store = net.gateway.store;
    const counting = new Proxy(store, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as StoreOperations;
    const deelnemers = await net.network.registry.list();
    for (const limit of [5, 50]) {
      calls.length = 0;
      const page = await dossierOverzicht(counting, deelnemers, publishedProfielen(), new Date(), { limit });
      expect(page.rijen).toHaveLength(limit);
      expect(calls).toEqual(['listDossierPage', 'listBerichtenOfDossiers']);
    }
  });
});
