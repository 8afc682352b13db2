/**
 * Opening a store that must exist already (issue 19, "never a database by accident"). Every command but
 * `zicht serve` and `zicht init` reads or changes a gateway's database: a mistyped `--db` must not create an
 * empty SQLite file and then report that it found nothing (a false all-clear). Before the store is created,
 * the database is looked at without changing it: a SQLite file must exist and hold `zicht_migrations`
 * (opened read-only, so neither a journal mode nor a file is written), a PostgreSQL database (or the
 * configured schema) must hold that table.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { StoreError, StoreUnavailableError } from '../errors.js';
import { createStore, DEFAULT_STORE_URL, migrated, resolveStoreUrl, StoreOptions, type StoreLocation } from './open.js';
import type { Store } from './store.js';
import { toStoreError } from './driver-errors.js';
import { validate } from './validate.js';

/** A store URL as it may be shown: a PostgreSQL password replaced by `***`. */
export function shownStoreUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]+):[^@/]*@/i, '$1:***@');
}

function absent(url: string, why: string): StoreError {
  return new StoreError('ZICHT_STORE_ABSENT', {
    message: `no Zicht database at ${shownStoreUrl(url)}: ${why}; only 'zicht serve' and 'zicht init' create one`,
  });
}

/**
 * Checks, read-only, that a SQLite file exists and holds a Zicht schema.
 *
 * @throws {StoreError} `ZICHT_STORE_ABSENT` naming `url` otherwise.
 */
export function sqliteHoldsSchema(file: string, url: string): void {
  if (file === ':memory:' || file === '') throw absent(url, 'an in-memory database is always empty');
  if (!existsSync(file)) throw absent(url, 'the file does not exist');
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const row = db.prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'zicht_migrations'").get();
    if (row === undefined) throw absent(url, 'the file holds no Zicht schema');
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const mapped = toStoreError(error, 'sqlite');
    if (mapped.driverCode === 'SQLITE_NOTADB') throw absent(url, 'the file is not a SQLite database');
    throw mapped;
  } finally {
    db?.close();
  }
}

/**
 * Checks, without changing anything, that a PostgreSQL database (or the configured schema) holds a Zicht schema.
 *
 * @throws {StoreError} `ZICHT_STORE_ABSENT` naming `url` otherwise; `ZICHT_STORE_UNAVAILABLE` when it cannot be reached.
 */
export async function postgresHoldsSchema(location: Extract<StoreLocation, { backend: 'postgres' }>, url: string, options: StoreOptions): Promise<void> {
  const opts = validate(StoreOptions, options, 'store options');
  const client = new pg.Client({
    connectionString: location.url,
    connectionTimeoutMillis: opts.timeoutMs,
    application_name: 'zicht',
    ...(opts.schema === undefined ? {} : { options: `-c search_path=${opts.schema}` }),
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ found: string | null }>("SELECT to_regclass('zicht_migrations')::text AS found");
    if (result.rows[0]?.found == null) throw absent(url, opts.schema === undefined ? 'the database holds no Zicht schema' : `the schema ${opts.schema} holds no Zicht tables`);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const mapped = toStoreError(error, 'postgres');
    if (mapped.driverCode === '3D000') throw absent(url, 'the database does not exist');
    if (mapped instanceof StoreUnavailableError) throw new StoreUnavailableError({ message: `the database at ${shownStoreUrl(url)} cannot be reached`, ...(mapped.driverCode === undefined ? {} : { driverCode: mapped.driverCode }) });
    throw mapped;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Opens the store the URL names (default `./zicht.db`) only when it exists and holds a Zicht schema, and
 * migrates it to the latest version like {@link openStore}. Creates no file and no table otherwise.
 *
 * @throws {StoreError} `ZICHT_STORE_ABSENT` naming the URL (password hidden) when there is no such database,
 *   or it holds no Zicht schema; as {@link openStore} otherwise.
 */
export async function openExistingStore(url: string = DEFAULT_STORE_URL, options: StoreOptions = {}): Promise<Store> {
  const location = resolveStoreUrl(url);
  if (location.backend === 'sqlite') sqliteHoldsSchema(location.file, url);
  else await postgresHoldsSchema(location, url, options);
  return migrated(createStore(url, options));
}
