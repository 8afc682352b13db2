/**
 * Upgrades (issue 19, docs/operations.md "Upgrade"): a store made by the program at schema version 6 (the commit
 * before migration 7; test/fixtures/store-v6/make.ts, one SQLite database and one pg_dump) is migrated by this
 * program, after which `zicht audit check-store` matches, an export verifies with `zicht audit verify` against the
 * log key it was made with, and every bericht the old program accepted reads back (its payload decrypted with the
 * old KEK). A store whose schema is newer than this program knows is refused (exit 2, ZICHT_STORE_MIGRATION) by
 * `zicht serve` and the audit commands, and nothing in it changes.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Keyring } from '../../src/store/keyring.js';
import { LATEST_VERSION, MIGRATIONS } from '../../src/store/migrations.js';
import { createStore, openStore } from '../../src/store/open.js';
import { runCli } from '../helpers/cli.js';
import { gatewayFixture } from '../helpers/gateway-process.js';
import { dropPgDatabases, freshPgDatabase } from '../helpers/pg-database.js';

const run = promisify(execFile);
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'store-v6');
const fixture = JSON.parse(readFileSync(join(FIXTURE, 'ids.json'), 'utf8')) as { sqlite: string[]; postgres: string[]; vkey: string };
const keyring = Keyring.parse(readFileSync(join(FIXTURE, 'kek.json'), 'utf8'));
const FIXTURE_VERSION = 6;

afterAll(dropPgDatabases, 60_000);

/** A copy of the version-6 store on `backend`: its URL and a way to list its migration versions past the store. */
async function oldStore(backend: 'sqlite' | 'postgres'): Promise<{ db: string; versions: () => Promise<number[]>; sql: (text: string) => Promise<void> }> {
  if (backend === 'sqlite') {
    const db = join(mkdtempSync(join(tmpdir(), 'zicht-upgrade-')), 'zicht.db');
    copyFileSync(join(FIXTURE, 'zicht.db'), db);
    const raw = <T>(work: (d: Database.Database) => T): T => {
      const d = new Database(db);
      try {
        return work(d);
      } finally {
        d.close();
      }
    };
    return {
      db,
      versions: () => Promise.resolve(raw((d) => (d.prepare('SELECT version FROM zicht_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version))),
      sql: (text) => { raw((d) => d.exec(text)); return Promise.resolve(); },
    };
  }
  const { url } = await freshPgDatabase('zicht_upgrade');
  await run('pg_restore', ['--no-owner', '-d', url, join(FIXTURE, 'zicht.pgdump')]);
  const raw = async <T>(work: (c: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    db: url,
    versions: () => raw(async (c) => (await c.query<{ version: number }>('SELECT version FROM zicht_migrations ORDER BY version')).rows.map((r) => r.version)),
    sql: async (text) => { await raw((c) => c.query(text)); },
  };
}

describe.each(['sqlite', 'postgres'] as const)('upgrading a store made at schema version 6 on %s', (backend) => {
  it('migrates to the latest version; check-store matches, the export verifies, every old bericht reads back', { timeout: 90_000 }, async () => {
    const { db, versions } = await oldStore(backend);
    expect(await versions()).toEqual(Array.from({ length: FIXTURE_VERSION }, (_, i) => i + 1));
    expect(LATEST_VERSION).toBeGreaterThan(FIXTURE_VERSION);

    // What `zicht serve` does at start: migrate.
    const store = createStore(db, { keyring });
    try {
      const report = await store.migrate();
      expect(report).toEqual({ from: FIXTURE_VERSION, to: LATEST_VERSION, applied: MIGRATIONS.map((m) => m.version).filter((v) => v > FIXTURE_VERSION) });
    } finally {
      await store.close();
    }
    expect(await versions()).toEqual(MIGRATIONS.map((m) => m.version));

    const check = await runCli('audit', 'check-store', '--db', db);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('matches the audit log');
    const bundle = join(mkdtempSync(join(tmpdir(), 'zicht-upgrade-bundle-')), 'bundle.json');
    const exported = await runCli('audit', 'export', '--db', db, '--log-key', join(FIXTURE, 'log.key'), '--out', bundle);
    expect(exported.code, exported.stderr).toBe(0);
    const verified = await runCli('audit', 'verify', bundle, '--key', fixture.vkey);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('verified');

    const upgraded = await openStore(db, { keyring });
    try {
      for (const id of fixture[backend]) {
        const stored = await upgraded.getBericht(id);
        expect(stored?.berichtType, id).toBe('overdracht');
        expect((JSON.parse(stored?.body ?? '{}') as { berichtId?: string }).berichtId).toBe(id);
      }
    } finally {
      await upgraded.close();
    }
  });

  it('a schema newer than this program knows: zicht serve and zicht audit check-store refuse it (exit 2, ZICHT_STORE_MIGRATION) and change nothing', { timeout: 90_000 }, async () => {
    const { db, versions, sql } = await oldStore(backend);
    await (await openStore(db, { keyring })).close();
    await sql(`INSERT INTO zicht_migrations (version, name, applied_at) VALUES (${LATEST_VERSION + 1}, 'from a newer program', '2030-01-01T00:00:00Z')`);
    const before = await versions();

    const check = await runCli('audit', 'check-store', '--db', db);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('ZICHT_STORE_MIGRATION');
    expect(check.stdout).not.toContain('matches');

    const gateway = await gatewayFixture('http://127.0.0.1:9/v1', db);
    const started = gateway.start();
    await expect(started).rejects.toThrow(/exited with 2: .*ZICHT_STORE_MIGRATION/s);
    expect(await versions()).toEqual(before);
  });
});
