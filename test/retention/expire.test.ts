/**
 * Metadata after the audit period (issue 11: "metadata and the audit log are kept for the audit period"),
 * on SQLite and PostgreSQL: a dossier's residues, deliveries, events and termijnen are deleted whole,
 * `auditPeriodYears` after its last activity and only once every payload of it was purged; the deletion is
 * recorded by a `dossier.expired` leaf with counts only; the audit log still verifies (`zicht audit verify`)
 * and the ledger of every other dossier still answers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportBundle, storeLogSource } from '../../src/audit/export.js';
import { noteSignerFromSeed } from '../../src/audit/note-key.js';
import { publishLog } from '../../src/audit/sequencer.js';
import { buildLedger } from '../../src/lifecycle/ledger.js';
import { geboekt } from '../../src/store/stored-bericht.js';
import type { Bericht, OverdrachtBericht } from '../../src/model/bericht.js';
import { auditPeriodCutoff, expireMetadata } from '../../src/retention/expire.js';
import { DEFAULT_RETENTION, RetentionPolicy } from '../../src/retention/policy.js';
import { purgePayloads } from '../../src/retention/purge.js';
import type { Store } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';
import { contact, ontvangst, overdrachtNaDienst, profiel } from '../lifecycle/dossier.js';
import { BACKENDS, useStore, type StoreHarness } from '../store/backends.js';
import { accept, acknowledgeAll } from './accept.js';

const DAY = 86_400_000;
const T0 = new Date('2026-06-15T08:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const YEAR = 365.25;
const signer = noteSignerFromSeed('zicht.gateway/test', Buffer.alloc(32, 7));

/** A handover in a dossier of its own. */
function handover(referentie: string): OverdrachtBericht {
  const h = overdrachtNaDienst();
  h.dossier.referentie = referentie;
  return h;
}

/** A dossier with a handover and its receipt, acknowledged and purged: only its metadata is left. */
async function settledDossier(store: Store, referentie: string, day: number): Promise<Bericht[]> {
  const h = handover(referentie);
  const lt = h.ontvangers[0]?.oin ?? '';
  const trail: Bericht[] = [h, ontvangst(h, lt, 'geaccepteerd', at(day + 1).toISOString())];
  for (const [i, b] of trail.entries()) await accept(store, b, at(day + i));
  for (const b of trail) await acknowledgeAll(store, b, at(day + 2));
  return trail;
}

/** How many rows each metadata table holds for a dossier, read past the store. */
async function rowsOf(harness: StoreHarness, referentie: string): Promise<Record<string, number>> {
  const ofDossier = `bericht_id IN (SELECT bericht_id FROM berichten WHERE dossier_referentie = '${referentie}')`;
  const count = async (sql: string) => Number(((await harness.sql(sql)) as { n: number | string }[])[0]?.n);
  return {
    berichten: await count(`SELECT COUNT(*) AS n FROM berichten WHERE dossier_referentie = '${referentie}'`),
    deliveries: await count(`SELECT COUNT(*) AS n FROM deliveries WHERE dossier_referentie = '${referentie}'`),
    events: await count(`SELECT COUNT(*) AS n FROM events WHERE ${ofDossier}`),
    termijnen: await count(`SELECT COUNT(*) AS n FROM termijnen WHERE dossier_referentie = '${referentie}'`),
    salts: await count(`SELECT COUNT(*) AS n FROM bericht_salts WHERE ${ofDossier}`),
  };
}

describe('the audit period', () => {
  it('ends auditPeriodYears calendar years before now (UTC)', () => {
    expect(auditPeriodCutoff(DEFAULT_RETENTION, new Date('2033-06-15T08:00:00.000Z'))).toEqual(new Date('2026-06-15T08:00:00.000Z'));
    expect(auditPeriodCutoff(RetentionPolicy.parse({ auditPeriodYears: 10 }), new Date('2036-01-01T00:00:00.000Z'))).toEqual(new Date('2026-01-01T00:00:00.000Z'));
  });
});

describe.each(BACKENDS)('metadata after the audit period on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('deletes a dossier whole, the audit period after its last activity and not before; --dry-run changes nothing', async () => {
    const old = await settledDossier(ctx.store, 'VTZL-2026-100001', 0);
    const busy = await settledDossier(ctx.store, 'VTZL-2026-100002', 0);
    await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(10) });
    // Two years on, the second dossier sees a contact: its last activity moves, its oldest berichten stay.
    const h = busy[0] as OverdrachtBericht;
    const later = contact(h, h.ontvangers[0]?.oin ?? '', at(2 * YEAR).toISOString());
    await accept(ctx.store, later, at(2 * YEAR));
    await acknowledgeAll(ctx.store, later, at(2 * YEAR));
    await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(2 * YEAR + 10) });
    const before = await rowsOf(ctx.harness, 'VTZL-2026-100001');
    expect(before).toEqual({ berichten: 2, deliveries: 3, events: 7, termijnen: 0, salts: 0 });

    // The last activity of the old dossier is its purge, on day 10: a day short of seven years, nothing goes.
    expect((await expireMetadata(ctx.store, { policy: DEFAULT_RETENTION, now: new Date(auditDay(10).getTime() - DAY) })).candidates).toEqual([]);
    const dry = await expireMetadata(ctx.store, { policy: DEFAULT_RETENTION, now: auditDay(10), dryRun: true });
    expect(dry.candidates).toEqual([{ dossierReferentie: 'VTZL-2026-100001', berichten: 2, lastActivity: at(10) }]);
    expect(await rowsOf(ctx.harness, 'VTZL-2026-100001')).toEqual(before);

    const report = await expireMetadata(ctx.store, { policy: DEFAULT_RETENTION, now: auditDay(10) });
    expect(report.expired).toBe(1);
    expect(report.removed).toEqual({ berichten: 2, deliveries: 3, events: 7, termijnen: 0 });
    expect(await rowsOf(ctx.harness, 'VTZL-2026-100001')).toEqual({ berichten: 0, deliveries: 0, events: 0, termijnen: 0, salts: 0 });
    expect(await ctx.store.listBerichtenByDossier('VTZL-2026-100001')).toEqual([]);
    for (const b of old) expect(await ctx.store.getBericht(b.berichtId)).toBeUndefined();

    // The busy dossier is whole, and its ledger still answers from its residues.
    const busyRows = await ctx.store.listBerichtenByDossier('VTZL-2026-100002');
    expect(busyRows.map((r) => r.berichtId)).toEqual([...busy, later].map((b) => b.berichtId));
    const ledger = buildLedger(busyRows.map(geboekt), profiel('zuid-limburg'), { nu: auditDay(10) });
    expect(ledger.perioden.length).toBeGreaterThan(0);
    // Its turn comes seven years after its own last activity.
    expect((await expireMetadata(ctx.store, { policy: DEFAULT_RETENTION, now: auditDay(2 * YEAR + 9) })).expired).toBe(0);
    expect((await expireMetadata(ctx.store, { policy: DEFAULT_RETENTION, now: auditDay(2 * YEAR + 11) })).expired).toBe(1);
  });

  it('never deletes a dossier with a payload not yet purged or an open termijn, however old', async () => {
    const unpurged = handover('VTZL-2026-100003');
    await accept(ctx.store, unpurged, at(0));
    await settledDossier(ctx.store, 'VTZL-2026-100004', 0);
    await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(10) });
    const first = (await ctx.store.listBerichtenByDossier('VTZL-2026-100004'))[0];
    await ctx.store.openTermijn({ berichtId: first?.berichtId ?? '', soort: 'eerste-contact', moetHandelen: unpurged.ontvangers[0]?.oin ?? '', maand: 0, dossierReferentie: 'VTZL-2026-100004', profiel: 'zuid-limburg', regel: 'eersteContact.naDienst', dueAt: at(20) });
    const report = await expireMetadata(ctx.store, { policy: DEFAULT_RETENTION, now: at(50 * YEAR) });
    expect(report.candidates).toEqual([]);
    expect((await rowsOf(ctx.harness, 'VTZL-2026-100003')).berichten).toBe(1);
    expect((await rowsOf(ctx.harness, 'VTZL-2026-100004')).termijnen).toBe(1);
    // The purge round runs the expiry too, with the same answer.
    expect((await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(50 * YEAR) })).metadata.expired).toBe(0);
  });

  it('records the deletion in the audit log with counts only, and the log still verifies (zicht audit verify)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zicht-expire-'));
    try {
      const trail = await settledDossier(ctx.store, 'VTZL-2026-100005', 0);
      await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(10) });
      await publishLog(ctx.store, signer);
      const report = await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: auditDay(10) });
      expect(report.metadata.expired).toBe(1);
      await publishLog(ctx.store, signer);
      const bundle = await exportBundle(storeLogSource(ctx.store, signer.vkey));
      const file = join(dir, 'bundle.json');
      await writeFile(file, JSON.stringify(bundle));
      const run = await runCli('audit', 'verify', file, '--key', signer.vkey);
      expect(run.stdout).toContain('verified: the whole log');
      expect(run.code).toBe(0);
      const leaves = (bundle?.entries ?? []).map((e) => e.leaf);
      // Every earlier leaf of the dossier is still there: the log is append-only.
      for (const b of trail) expect(leaves.filter((l) => l.includes(b.berichtId)).length).toBeGreaterThan(0);
      const record = leaves.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.type === 'dossier.expired');
      expect(record).toEqual({ v: 1, type: 'dossier.expired', at: auditDay(10).toISOString(), lastActivity: at(10).toISOString(), removed: { berichten: 2, deliveries: 3, events: 7, termijnen: 0 } });
      expect(JSON.stringify(record)).not.toContain('VTZL-2026-100005');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Seven years (the default audit period) after `day`. */
function auditDay(day: number): Date {
  const d = at(day);
  d.setUTCFullYear(d.getUTCFullYear() + DEFAULT_RETENTION.auditPeriodYears);
  return d;
}

describe('zicht purge and the audit period', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zicht-expire-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--dry-run lists the dossiers past the audit period, metadata only, and changes nothing; without it, deletes them', async () => {
    const db = join(dir, 'zicht.db');
    const { openStore } = await import('../../src/store/open.js');
    const store = await openStore(db);
    await settledDossier(store, 'VTZL-2026-100006', 0);
    await purgePayloads(store, { policy: DEFAULT_RETENTION, now: at(10) });
    await store.close();
    const when = auditDay(10).toISOString();
    const dry = await runCli('purge', '--db', db, '--dry-run', '--at', when);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`would delete dossier VTZL-2026-100006 berichten=2 last-activity=${at(10).toISOString()}`);
    expect(dry.stdout).toContain('1 dossier(s) past the audit period');
    expect(dry.stdout).toContain('would be deleted (dry run: nothing changed)');
    const run = await runCli('purge', '--db', db, '--at', when);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 dossier(s) past the audit period deleted: 2 bericht(en), 3 deliveries, 7 events, 0 termijnen');
    const again = await runCli('purge', '--db', db, '--dry-run', '--at', when);
    expect(again.stdout).toContain('0 dossier(s) past the audit period');
  });
});
