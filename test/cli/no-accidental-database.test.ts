/**
 * Never a database by accident (issue 19): every command that reads or changes a gateway's database refuses a
 * `--db` that does not exist or holds no Zicht schema, with exit 2 and the path named, and creates no file and
 * no table. Before, a mistyped path made an empty SQLite file and `audit check-store` said it matched its log.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLogKey } from '../../src/audit/log-key.js';
import { Keyring } from '../../src/store/keyring.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../helpers/cli.js';
import { PG_URL } from '../store/backends.js';
import { pgAdmin, pgUrlOf } from '../helpers/pg-database.js';

const dir = mkdtempSync(join(tmpdir(), 'zicht-nodb-'));
const kekFile = join(dir, 'kek.json');
writeFileSync(kekFile, Keyring.generate('kek-test').exportText());
const logKeyFile = join(dir, 'log.key');
writeFileSync(logKeyFile, `${generateLogKey('zicht.test/log')}\n`);

/** Every command that opens a gateway's database, with the arguments it needs besides --db. */
const COMMANDS: readonly (readonly [string, (db: string) => string[]])[] = [
  ['audit check-store', (db) => ['audit', 'check-store', '--db', db]],
  ['audit export --db', (db) => ['audit', 'export', '--db', db, '--log-key', logKeyFile, '--out', join(dir, `export-${randomBytes(4).toString('hex')}.json`)]],
  ['purge --dry-run', (db) => ['purge', '--db', db, '--dry-run']],
  ['purge', (db) => ['purge', '--db', db]],
  ['kek status', (db) => ['kek', 'status', '--db', db]],
  ['kek rewrap', (db) => ['kek', 'rewrap', '--db', db, '--kek-file', kekFile]],
  ['dossier --db', (db) => ['dossier', 'VTZL-2026-004711', '--db', db]],
];

describe.each(COMMANDS)('zicht %s', (_name, argv) => {
  it('refuses a --db that does not exist: exit 2, the path named, no file created', async () => {
    const sub = mkdtempSync(join(dir, 'missing-'));
    const db = join(sub, 'zicht-typo.db');
    const run = await runCli(...argv(db));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(db);
    expect(run.stderr).toContain('ZICHT_STORE_ABSENT');
    expect(run.stdout).not.toMatch(/matches|no unpurged|purged|no dossier|wrote/);
    expect(readdirSync(sub)).toEqual([]);
  });

  it('refuses a SQLite file without a Zicht schema and leaves it as it was (no WAL, no tables)', async () => {
    const db = join(dir, `other-${randomBytes(4).toString('hex')}.db`);
    const other = new Database(db);
    other.exec('CREATE TABLE notes (text TEXT)');
    other.close();
    const before = readFileSync(db);
    const run = await runCli(...argv(db));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(db);
    expect(run.stderr).toContain('no Zicht schema');
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  it('refuses a file that is not a database at all', async () => {
    const db = join(dir, `text-${randomBytes(4).toString('hex')}.db`);
    writeFileSync(db, 'this is a text file, not a database, and long enough to have a header\n'.repeat(4));
    const run = await runCli(...argv(db));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(db);
  });
});

describe('on PostgreSQL', () => {
  const name = `zicht_absent_${randomBytes(6).toString('hex')}`;
  const url = pgUrlOf(name);
  beforeAll(() => pgAdmin(`CREATE DATABASE ${name}`));
  afterAll(() => pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), 60_000);

  it.each(COMMANDS)('%s refuses a database without a Zicht schema and creates no table in it', async (_name, argv) => {
    const run = await runCli(...argv(url));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`/${name}`);
    expect(run.stderr).toContain('no Zicht schema');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')");
      expect(tables.rows).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('names a database that does not exist', async () => {
    const missing = PG_URL.replace(/\/[^/?]+(\?|$)/, `/${name}_typo$1`);
    const run = await runCli('audit', 'check-store', '--db', missing);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`/${name}_typo`);
    expect(run.stderr).toContain('does not exist');
  });

  it('never shows a password given in the URL', async () => {
    const withPassword = PG_URL.replace(/^postgres(ql)?:\/\/([^:@/]+)(:[^@/]*)?@/, 'postgres://$2:s3cret-pw@').replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
    const run = await runCli('kek', 'status', '--db', withPassword);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('s3cret-pw');
  });
});

describe('an existing Zicht database', () => {
  it('is opened as before: check-store on a fresh gateway database reports and exits 0', async () => {
    const db = join(dir, 'gateway.db');
    await (await openStore(db)).close();
    const run = await runCli('audit', 'check-store', '--db', db);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('matches the audit log');
  });
});
