/**
 * Direct SQL edits of the registry table (`deelnemers`) and of `events` that bypass the store write no audit
 * leaf; `checkStore` (`zicht audit check-store`) compares the tables with the log and names each of them, on
 * SQLite and PostgreSQL. An untouched store, and one whose old dossiers were deleted after the audit
 * period, match their log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStore } from '../../src/audit/check-store.js';
import { sequenceBatch } from '../../src/audit/sequencer.js';
import { DEFAULT_RETENTION } from '../../src/retention/policy.js';
import { purgePayloads } from '../../src/retention/purge.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';
import { BACKENDS, useStore } from '../store/backends.js';
import { at, bericht, delivery, GEMEENTE_A, GEMEENTE_B, VT_OIN } from '../store/fixtures.js';

const record = (oin: string, endpoint: string) => JSON.stringify({ oin, rol: 'gemeente', naam: 'Gemeente', status: 'actief', sleutels: [{ kid: 'k1' }], afleveradressen: [{ url: endpoint, kanaal: 'zicht-v1' }] });

/** A registry of two participants and one accepted, delivered bericht with its events, all through the store. */
async function populate(store: Store): Promise<string> {
  await store.putDeelnemerRecord(GEMEENTE_A, record(GEMEENTE_A, 'https://a.example/zicht'), false);
  await store.putDeelnemerRecord(GEMEENTE_B, record(GEMEENTE_B, 'https://b.example/zicht'), false);
  const b = bericht({ receivedAt: at(0) });
  await store.transaction(async (tx) => {
    await tx.insertBericht(b);
    await tx.enqueueDelivery(delivery(b.berichtId, GEMEENTE_A));
    await tx.appendEvent({ type: 'bericht.accepted', berichtId: b.berichtId, oin: VT_OIN, at: at(0), data: { berichtType: b.berichtType } });
  });
  await store.acknowledge({ berichtId: b.berichtId, receiverOin: GEMEENTE_A }, at(60));
  await store.appendEvent({ type: 'delivery.acknowledged', berichtId: b.berichtId, oin: GEMEENTE_A, at: at(60), data: { via: 'postbus' } });
  // Some leaves sequenced, the later ones still pending: both count.
  await sequenceBatch(store);
  await store.putDeelnemerRecord(GEMEENTE_B, record(GEMEENTE_B, 'https://b.example/zicht/v2'), true);
  return b.berichtId;
}

const kinds = async (store: Store) => (await checkStore(store)).findings.map((f) => f.kind).sort();

describe.each(BACKENDS)('the store against its audit log on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('finds nothing in a store changed only through the store, also after its old dossiers were deleted', async () => {
    await populate(ctx.store);
    const check = await checkStore(ctx.store);
    expect(check.findings).toEqual([]);
    expect(check).toMatchObject({ participants: 2, events: 2 });
    await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: new Date('2040-01-01T00:00:00Z') });
    await purgePayloads(ctx.store, { policy: DEFAULT_RETENTION, now: new Date('2050-01-01T00:00:00Z') });
    expect((await checkStore(ctx.store)).findings).toEqual([]);
    expect((await checkStore(ctx.store)).events).toBe(0);
  });

  it('names a registry record changed, added or deleted with SQL past the store', async () => {
    await populate(ctx.store);
    // The classic: an endpoint redirected to a host of the operator's choosing.
    await ctx.harness.sql(`UPDATE deelnemers SET record = '${record(GEMEENTE_A, 'https://evil.example/zicht')}' WHERE oin = '${GEMEENTE_A}'`);
    const changed = await checkStore(ctx.store);
    expect(changed.findings.map((f) => f.kind)).toEqual(['registry-changed']);
    expect(changed.findings[0]?.message).toContain(GEMEENTE_A);
    expect(changed.findings[0]?.message).not.toContain('evil');
    await ctx.harness.sql(`DELETE FROM deelnemers WHERE oin = '${GEMEENTE_B}'`);
    await ctx.harness.sql(`INSERT INTO deelnemers (oin, record) VALUES ('${VT_OIN}', '${record(VT_OIN, 'https://vt.example/zicht')}')`);
    expect(await kinds(ctx.store)).toEqual(['registry-changed', 'registry-removed', 'registry-unlogged']);
  });

  it('names an event changed, added or deleted with SQL past the store', async () => {
    const berichtId = await populate(ctx.store);
    await ctx.harness.sql(`UPDATE events SET data = '{"via":"push"}' WHERE type = 'delivery.acknowledged'`);
    // The changed event has no leaf, and the leaf of the event as it was has no event.
    expect(await kinds(ctx.store)).toEqual(['event-missing', 'event-unlogged']);
    await ctx.harness.sql(`DELETE FROM events WHERE type = 'delivery.acknowledged'`);
    const deleted = await checkStore(ctx.store);
    expect(deleted.findings.map((f) => f.kind)).toEqual(['event-missing']);
    expect(deleted.findings[0]?.message).toContain(berichtId);
    const now = ctx.harness.backend === 'sqlite' ? String(at(120).getTime()) : `'${at(120).toISOString()}'`;
    await ctx.harness.sql(`INSERT INTO events (type, bericht_id, oin, at, data) VALUES ('delivery.acknowledged', '${berichtId}', '${GEMEENTE_A}', ${now}, '{}')`);
    expect(await kinds(ctx.store)).toEqual(['event-missing', 'event-unlogged']);
  });

  it('judges a leaf of the last minute at the next check: its event may have been written after the events were read', async () => {
    const berichtId = await populate(ctx.store);
    const now = new Date();
    await ctx.store.appendEvent({ type: 'delivery.acknowledged', berichtId, oin: GEMEENTE_B, at: now, data: { via: 'push' } });
    await ctx.harness.sql(`DELETE FROM events WHERE oin = '${GEMEENTE_B}'`);
    expect((await checkStore(ctx.store, () => now)).findings).toEqual([]);
    expect((await checkStore(ctx.store, () => new Date(now.getTime() + 61_000))).findings.map((f) => f.kind)).toEqual(['event-missing']);
  });
});

describe('zicht audit check-store', () => {
  it('exits 0 when the store matches its log, and 1 naming each edit made past the store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zicht-check-store-'));
    try {
      const db = join(dir, 'zicht.db');
      const store = await openStore(db);
      await populate(store);
      await store.close();
      const clean = await runCli('audit', 'check-store', '--db', db);
      expect(clean.stdout).toContain('matches the audit log: 2 participant record(s) and 2 event(s)');
      expect(clean.code).toBe(0);
      const Database = (await import('better-sqlite3')).default;
      const sqlite = new Database(db);
      sqlite.prepare('UPDATE deelnemers SET record = ? WHERE oin = ?').run(record(GEMEENTE_A, 'https://evil.example/zicht'), GEMEENTE_A);
      sqlite.close();
      const tampered = await runCli('audit', 'check-store', '--db', db);
      expect(tampered.stdout).toContain(`TAMPERING registry-changed: participant ${GEMEENTE_A}`);
      expect(tampered.stdout).toContain('1 finding(s): the store does not match its audit log');
      expect(tampered.code).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
