/**
 * Retention and purge on SQLite and PostgreSQL (issue 11): when a payload is due under the policy, that a
 * purge removes it from every table and (SQLite) from the database's files, WAL included, that the audit
 * log still verifies (`zicht audit verify`) while the purged bericht's commitment can no longer be opened,
 * and that the responsibility ledger still answers from the metadata residue.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportBundle, storeLogSource } from '../../src/audit/export.js';
import { noteSignerFromSeed } from '../../src/audit/note-key.js';
import { publishLog } from '../../src/audit/sequencer.js';
import { buildLedger } from '../../src/lifecycle/ledger.js';
import { geboekt } from '../../src/store/stored-bericht.js';
import type { Bericht } from '../../src/model/bericht.js';
import { DEFAULT_RETENTION, RetentionPolicy } from '../../src/retention/policy.js';
import { purgePayloads } from '../../src/retention/purge.js';
import type { StoreHarness } from '../store/backends.js';
import { BACKENDS, useStore } from '../store/backends.js';
import { personalValues } from '../helpers/examples.js';
import { runCli } from '../helpers/cli.js';
import { afsluiting, contact, ontvangst, overdrachtNaDienst, profiel } from '../lifecycle/dossier.js';
import { accept, acknowledgeAll } from './accept.js';
import type { Store } from '../../src/store/store.js';

const CANARY = 'CANARY-7f3e-huisadres-van-het-slachtoffer';
const HOUR = 3_600_000;
const T0 = new Date('2026-06-15T08:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
const signer = noteSignerFromSeed('zicht.gateway/test', Buffer.alloc(32, 7));

/** A handover after a service with the canary in the melding, as a real bericht body. */
function handoverWithCanary(): Bericht {
  const h = overdrachtNaDienst();
  if (h.inhoud.moment !== 'na-dienst') throw new Error('example changed');
  h.inhoud.melding.samenvatting = `${h.inhoud.melding.samenvatting} ${CANARY}`;
  return h;
}

/** Every secret the purged payload held: the canary and the example persons' names, BSNs, addresses, contacts. */
const secrets = (): string[] => [CANARY, ...personalValues().filter((v) => v.length >= 6)];

/** Every row of every table, as text (PostgreSQL) or the database file with its WAL (SQLite). */
async function everything(harness: StoreHarness, store: Store): Promise<string> {
  if (harness.backend === 'sqlite') {
    await store.reclaim();
    return ['', '-wal', '-journal'].map((suffix) => harness.url + suffix).filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('\n');
  }
  const tables = (await harness.sql("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) as { tablename: string }[];
  expect(tables.map((t) => t.tablename)).toContain('berichten');
  const texts = await Promise.all(tables.map(async (t) => ((await harness.sql(`SELECT COALESCE(string_agg(x::text, E'\\n'), '') AS t FROM "${t.tablename}" x`)) as { t: string }[])[0]?.t ?? ''));
  return texts.join('\n');
}

describe.each(BACKENDS)('retention and purge on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('purges a payload 72 hours after its last receiver acknowledged it, not before; --dry-run changes nothing', async () => {
    const h = handoverWithCanary();
    await accept(ctx.store, h, at(0));
    await acknowledgeAll(ctx.store, h, at(2));
    const policy = DEFAULT_RETENTION;
    expect((await purgePayloads(ctx.store, { policy, now: at(2 + 71) })).candidates).toEqual([]);
    const dry = await purgePayloads(ctx.store, { policy, now: at(2 + 72), dryRun: true });
    expect(dry.candidates.map((c) => [c.berichtId, c.reason, c.deliveries])).toEqual([[h.berichtId, 'acknowledged', 2]]);
    expect(dry.purged).toBe(0);
    expect((await ctx.store.getBericht(h.berichtId))?.body).toContain(CANARY);
    expect((await purgePayloads(ctx.store, { policy, now: at(2 + 72) })).purged).toBe(1);
    // Once purged, never again.
    expect((await purgePayloads(ctx.store, { policy, now: at(1000) })).candidates).toEqual([]);
  });

  it('after a purge the payload is in no table and (SQLite) not in the database file or its WAL; the salt is gone and the purge recorded', async () => {
    const h = handoverWithCanary();
    const other = overdrachtNaDienst();
    await accept(ctx.store, h, at(0));
    await accept(ctx.store, other, at(0));
    // Before: the secrets are there (the check can see them).
    const before = await everything(ctx.harness, ctx.store);
    expect(before).toContain(CANARY);
    await acknowledgeAll(ctx.store, h, at(1));
    const report = await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(100) });
    expect(report.purged).toBe(1);
    // The other bericht is not acknowledged: it keeps its payload (so the secrets of the example remain in it).
    await acknowledgeAll(ctx.store, other, at(1));
    expect((await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(100) })).purged).toBe(1);
    const after = await everything(ctx.harness, ctx.store);
    for (const secret of secrets()) expect(after, `"${secret}" is still in the database`).not.toContain(secret);

    const stored = await ctx.store.getBericht(h.berichtId);
    expect(stored?.purgedAt).toEqual(at(100));
    expect(await ctx.store.getBerichtSalt(h.berichtId)).toBeUndefined();
    const purgedEvent = (await ctx.store.listEventsOfBericht(h.berichtId)).find((e) => e.type === 'bericht.purged');
    expect(purgedEvent).toMatchObject({ oin: h.verzender.oin, at: at(100), data: { reason: 'acknowledged', berichtType: 'overdracht' } });
  });

  it('keeps what the ledger needs: the ledger of a purged dossier is the one it had before', async () => {
    const h = overdrachtNaDienst({ alleenHeerlen: true });
    const lt = h.ontvangers[0]?.oin ?? '';
    const trail: Bericht[] = [h, ontvangst(h, lt, 'geaccepteerd', '2026-06-16T09:00:00.000Z'), contact(h, lt, '2026-06-17T09:00:00.000Z'), afsluiting(h, lt, '2026-12-20T09:00:00.000Z')];
    // Each accepted by the gateway at the instant it was sent: the ledger counts from when the gateway accepted it.
    for (const b of trail) await accept(ctx.store, b, new Date(b.verzondenOp));
    const ledgerNow = async () => {
      const berichten = (await ctx.store.listBerichtenByDossier(h.dossier.referentie)).map(geboekt);
      return buildLedger(berichten, profiel('zuid-limburg'), { nu: new Date('2027-01-01T00:00:00Z') });
    };
    const before = await ledgerNow();
    expect(before.perioden.length).toBeGreaterThan(1);
    for (const b of trail) await acknowledgeAll(ctx.store, b, at(10));
    expect((await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(200) })).purged).toBe(trail.length);
    expect(await ledgerNow()).toEqual(before);
  });

  it('the audit log still verifies after a purge, while the purged commitment can no longer be opened', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zicht-purge-'));
    try {
      const h = handoverWithCanary();
      await accept(ctx.store, h, at(0));
      await acknowledgeAll(ctx.store, h, at(1));
      await publishLog(ctx.store, signer);
      const salt = await ctx.store.getBerichtSalt(h.berichtId);
      expect(salt).toBeDefined();
      await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(100) });
      await publishLog(ctx.store, signer);
      const bundle = await exportBundle(storeLogSource(ctx.store, signer.vkey));
      const file = join(dir, 'bundle.json');
      await writeFile(file, JSON.stringify(bundle));
      const run = await runCli('audit', 'verify', file, '--key', signer.vkey);
      expect(run.stdout).toContain('verified: the whole log');
      expect(run.code).toBe(0);
      const leaves = (bundle?.entries ?? []).map((e) => JSON.parse(e.leaf) as { type: string; commitment: string | null; data: Record<string, unknown> });
      expect(leaves.map((l) => l.type)).toContain('bericht.purged');
      // Every leaf of the bericht names the same commitment, the purge's too; the salt to open it is gone.
      expect(new Set(leaves.map((l) => l.commitment))).toEqual(new Set([salt?.commitment]));
      expect(await ctx.store.getBerichtSalt(h.berichtId)).toBeUndefined();
      expect(JSON.stringify(bundle)).not.toContain(CANARY);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    // [what happened to the deliveries, hours after which it goes, reason]
    ['a dead letter', 7 * 24, 'dead-letter'],
    ['a push delivery never acknowledged', 14 * 24, 'delivered'],
  ] as const)('purges %s after %i hours, recording why', async (what, hours, reason) => {
    const h = handoverWithCanary();
    await accept(ctx.store, h, at(0));
    for (const o of h.ontvangers) {
      const key = { berichtId: h.berichtId, receiverOin: o.oin };
      if (reason === 'dead-letter') await ctx.store.markFailed(key, { workerId: 'w', at: at(1), errorCode: 'HTTP_503' });
      else await ctx.store.markDelivered(key, at(1));
    }
    expect((await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(1 + hours - 1) })).candidates, what).toEqual([]);
    const report = await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(1 + hours) });
    expect(report.candidates.map((c) => c.reason)).toEqual([reason]);
    expect((await ctx.store.listEventsOfBericht(h.berichtId)).at(-1)?.data).toEqual({ reason, berichtType: 'overdracht' });
  });

  it('never purges a payload still queued, or read from a postbus but not acknowledged', async () => {
    const queued = handoverWithCanary();
    const read = overdrachtNaDienst();
    await accept(ctx.store, queued, at(0));
    await accept(ctx.store, read, at(0), 'pull');
    for (const o of read.ontvangers) await ctx.store.markDelivered({ berichtId: read.berichtId, receiverOin: o.oin }, at(1));
    expect((await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: at(24 * 365) })).candidates).toEqual([]);
  });

  it('reads the policy from configuration: shorter periods purge sooner', async () => {
    const h = handoverWithCanary();
    await accept(ctx.store, h, at(0));
    await acknowledgeAll(ctx.store, h, at(1));
    const policy = RetentionPolicy.parse({ acknowledgedHours: 1 });
    expect((await purgePayloads(ctx.store, { policy, now: at(2) })).purged).toBe(1);
  });
});

describe('zicht purge', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zicht-purge-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--dry-run lists what would go, metadata only, and changes nothing; without it, purges', async () => {
    const db = join(dir, 'zicht.db');
    const { openStore } = await import('../../src/store/open.js');
    const store = await openStore(db);
    const h = handoverWithCanary();
    await accept(store, h, at(0));
    await acknowledgeAll(store, h, at(1));
    await store.close();
    const dry = await runCli('purge', '--db', db, '--dry-run', '--at', at(100).toISOString());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`would purge ${h.berichtId} overdracht reason=acknowledged`);
    expect(dry.stdout).toContain('1 payload(s) would be purged (dry run: nothing changed)');
    for (const secret of secrets()) expect(dry.stdout).not.toContain(secret);
    const run = await runCli('purge', '--db', db, '--at', at(100).toISOString());
    expect(run.stdout).toContain('1 payload(s) purged');
    const again = await runCli('purge', '--db', db, '--dry-run', '--at', at(100).toISOString());
    expect(again.stdout).toContain('0 payload(s) would be purged');
  });

  it('refuses a policy file that does not match the schema (exit 2)', async () => {
    const file = join(dir, 'retention.json');
    await writeFile(file, JSON.stringify({ acknowledgedHours: -1 }));
    const run = await runCli('purge', '--db', join(dir, 'x.db'), '--retention', file, '--dry-run');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('acknowledgedHours');
  });
});

