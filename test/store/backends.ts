/**
 * The backends every store test runs against: SQLite in a temporary file and PostgreSQL in a fresh schema
 * of its own (`zicht_test_<random>`, dropped afterwards), so parallel runs never see each other's rows.
 * PostgreSQL defaults to the machine's test database; set ZICHT_TEST_DATABASE_URL to use another. When it
 * cannot be reached the PostgreSQL tests fail with that reason: CI must not pass without them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import { createStore, openStore, type StoreOptions } from '../../src/store/open.js';
import type { Store, StoreBackend } from '../../src/store/store.js';

/** The PostgreSQL database of the test run. */
export const PG_URL = process.env.ZICHT_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
/** `PG_URL` without its password, for messages. */
const PG_URL_SHOWN = PG_URL.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

/** One database for one test, with ways to reach it besides the store under test. */
export interface StoreHarness {
  readonly backend: StoreBackend;
  readonly url: string;
  readonly options: StoreOptions;
  /** Opens (and migrates) a store on this database; closed by `cleanup`. */
  open(options?: StoreOptions): Promise<Store>;
  /** Creates a store on this database without migrating it; closed by `cleanup`. */
  create(options?: StoreOptions): Store;
  /** Runs one SQL statement on the database past the store (to set up or inspect what the API hides); its rows. */
  sql(text: string): Promise<unknown[]>;
  /** Closes every store it opened and removes the database. */
  cleanup(): Promise<void>;
}

async function pgAdmin<T>(work: (client: pg.Client) => Promise<T>, url: string = PG_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? (error.message || error.name) : 'unknown error';
    throw new Error(
      `The PostgreSQL store tests need a database at ${PG_URL_SHOWN} (set ZICHT_TEST_DATABASE_URL to another); connecting failed: ${reason}. ` +
        'These tests fail rather than skip so that CI never passes without PostgreSQL.',
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function tracking(backend: StoreBackend, url: string, options: StoreOptions, sql: (text: string) => Promise<unknown[]>, remove: () => Promise<void>): StoreHarness {
  const stores: Store[] = [];
  return {
    backend,
    url,
    options,
    async open(extra = {}) {
      const store = await openStore(url, { ...options, ...extra });
      stores.push(store);
      return store;
    },
    create(extra = {}) {
      const store = createStore(url, { ...options, ...extra });
      stores.push(store);
      return store;
    },
    sql,
    async cleanup() {
      await Promise.all(stores.map((store) => store.close()));
      await remove();
    },
  };
}

async function sqliteHarness(): Promise<StoreHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'zicht-store-'));
  const file = join(dir, 'zicht.db');
  return tracking(
    'sqlite',
    file,
    {},
    (text) => {
      const db = new Database(file);
      try {
        const statement = db.prepare(text);
        if (statement.reader) return Promise.resolve(statement.all());
        statement.run();
        return Promise.resolve([]);
      } finally {
        db.close();
      }
    },
    () => rm(dir, { recursive: true, force: true }),
  );
}

async function postgresHarness(): Promise<StoreHarness> {
  const schema = `zicht_test_${randomBytes(8).toString('hex')}`;
  await pgAdmin((client) => client.query(`CREATE SCHEMA "${schema}"`));
  return tracking(
    'postgres',
    PG_URL,
    { schema },
    (text) =>
      pgAdmin(async (client) => {
        await client.query(`SET search_path TO "${schema}"`);
        return (await client.query<Record<string, unknown>>(text)).rows;
      }),
    async () => {
      await pgAdmin((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    },
  );
}

/** Whether a PostgreSQL schema exists (to check that cleanup dropped it). */
export function schemaExists(schema: string): Promise<boolean> {
  return pgAdmin(async (client) => (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1);
}

/** The backends for `describe.each`. */
export const BACKENDS: readonly { name: StoreBackend; harness: () => Promise<StoreHarness> }[] = [
  { name: 'sqlite', harness: sqliteHarness },
  { name: 'postgres', harness: postgresHarness },
];

/**
 * Gives each test of the surrounding `describe` a fresh database and a migrated store on it, cleaned up
 * afterwards. Read `ctx.store` and `ctx.harness` inside tests.
 */
export function useStore(harness: () => Promise<StoreHarness>): { readonly store: Store; readonly harness: StoreHarness } {
  let current: { store: Store; harness: StoreHarness } | undefined;
  beforeEach(async () => {
    const h = await harness();
    current = { harness: h, store: await h.open() };
  });
  afterEach(async () => {
    const done = current;
    current = undefined;
    await done?.harness.cleanup();
  });
  return {
    get store() {
      if (current === undefined) throw new Error('The store is only available inside a test.');
      return current.store;
    },
    get harness() {
      if (current === undefined) throw new Error('The harness is only available inside a test.');
      return current.harness;
    },
  };
}
