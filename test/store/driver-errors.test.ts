/**
 * Every way a database can be unavailable maps to StoreUnavailableError, which the HTTP layer answers with 503,
 * Retry-After and CFG-010 (test/server/database-trouble.test.ts drives the gateway through the cases it can
 * cause: PostgreSQL refusing connections, read-only, terminated; SQLite locked). Here the driver errors of the
 * other cases, made for real where a test can make them: SQLite full and read-only, a PostgreSQL connection
 * terminated by the server; by their SQLSTATE where it cannot (a full disk on the server).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/errors.js';
import { toStoreError } from '../../src/store/driver-errors.js';
import { PG_URL } from './backends.js';

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('driver errors that mean the database is unavailable (CFG-010)', () => {
  it('SQLite: a full database (SQLITE_FULL) and a read-only one (SQLITE_READONLY)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zicht-errors-')), 'zicht.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (b BLOB)');
    db.pragma('max_page_count = 8');
    const full = thrown(() => db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(100_000)));
    db.close();
    expect(full).toMatchObject({ code: 'SQLITE_FULL' });
    expect(toStoreError(full, 'sqlite')).toBeInstanceOf(StoreUnavailableError);
    const readonly = new Database(file, { readonly: true });
    const refused = thrown(() => readonly.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(1)));
    readonly.close();
    expect(refused).toMatchObject({ code: 'SQLITE_READONLY' });
    expect(toStoreError(refused, 'sqlite')).toBeInstanceOf(StoreUnavailableError);
  });

  it('PostgreSQL: a connection terminated by the server (57P01), read-only (25006)', async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    client.on('error', () => undefined);
    await client.connect();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await client.query('SET default_transaction_read_only = on');
      const readOnly = await client.query('CREATE TEMP TABLE t (x int)').then(() => undefined, (error: unknown) => error);
      expect(readOnly).toMatchObject({ code: '25006' });
      expect(toStoreError(readOnly, 'postgres')).toBeInstanceOf(StoreUnavailableError);
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      const terminated = await client.query('SELECT 1').then(() => undefined, (error: unknown) => error);
      expect(terminated).toBeDefined();
      expect(toStoreError(terminated, 'postgres')).toBeInstanceOf(StoreUnavailableError);
    } finally {
      await admin.end();
      await client.end().catch(() => undefined);
    }
  });

  it.each([
    ['55000', 'the database does not accept connections (ALLOW_CONNECTIONS false)'],
    ['53100', 'disk full'],
    ['53300', 'too many connections'],
    ['57P01', 'terminated by an administrator'],
    ['57P03', 'cannot connect now (starting up)'],
    ['08006', 'connection failure'],
    ['25006', 'read-only transaction'],
    ['57014', 'statement timeout'],
  ])('PostgreSQL SQLSTATE %s (%s)', (code) => {
    expect(toStoreError(Object.assign(new Error('x'), { code }), 'postgres')).toBeInstanceOf(StoreUnavailableError);
  });

  it('not an outage: a unique violation, a syntax error', () => {
    expect(toStoreError(Object.assign(new Error('x'), { code: '23505' }), 'postgres')).not.toBeInstanceOf(StoreUnavailableError);
    expect(toStoreError(Object.assign(new Error('x'), { code: '42601' }), 'postgres')).not.toBeInstanceOf(StoreUnavailableError);
  });
});
