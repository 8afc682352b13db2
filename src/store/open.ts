/**
 * Opening the store: the URL chooses the backend. A `postgres://` (or `postgresql://`) URL is PostgreSQL;
 * anything else is a SQLite file, given as a path or a `file:` URL, `./zicht.db` by default.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { StoreError } from '../errors.js';
import { DriverStore } from './driver-store.js';
import { Keyring } from './keyring.js';
import { createPostgresDriver } from './postgres.js';
import { createSqliteDriver } from './sqlite.js';
import type { Store } from './store.js';
import { validate } from './validate.js';

/** The database the gateway uses when none is given: a SQLite file in the working directory. */
export const DEFAULT_STORE_URL = './zicht.db';

/** How to open a store; every option has a default. */
export const StoreOptions = z.strictObject({
  /**
   * PostgreSQL: the schema the store's tables live in, instead of the server's default `search_path`;
   * `migrate` creates it if missing. Lets parallel test runs share one database. Ignored by SQLite.
   */
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .optional(),
  /** PostgreSQL: the most connections the pool opens (default 10). */
  poolSize: z.int().min(1).max(100).default(10),
  /** How long to wait for a connection (PostgreSQL) or another process's write lock (SQLite) before `StoreUnavailableError`, in ms (default 5000). */
  timeoutMs: z.int().min(1).max(600_000).default(5000),
  /**
   * The key-encryption keys of payloads at rest (src/store/keyring.ts). With one, every new payload is
   * encrypted (AES-256-GCM, a data key per bericht wrapped by the current KEK) and reads decrypt; without
   * one, payloads are stored as they come and reading an encrypted one throws `ZICHT_STORE_KEY_MISSING`.
   */
  keyring: z.custom<Keyring>((value) => value instanceof Keyring, 'a Keyring').optional(),
  /**
   * SQLite: checkpoint the WAL in a worker thread every this many ms rather than in the commit that fills it
   * (src/store/sqlite-checkpointer.ts), keeping the copy off the event loop. The gateway sets it. Ignored by PostgreSQL.
   */
  checkpointEveryMs: z.int().min(10).max(60_000).optional(),
});
export type StoreOptions = z.input<typeof StoreOptions>;

/** Where a store URL points. */
export type StoreLocation = { backend: 'sqlite'; file: string } | { backend: 'postgres'; url: string };

/**
 * Which backend and database a URL names: `postgres://…`/`postgresql://…`, `file:///abs/path.db`,
 * `file:relative.db`, a plain path, or `:memory:` (SQLite in memory, gone on close).
 *
 * @throws {StoreError} `ZICHT_STORE_URL_INVALID` for an empty URL or another scheme (`mysql://…`).
 */
export function resolveStoreUrl(url: string = DEFAULT_STORE_URL): StoreLocation {
  if (/^postgres(?:ql)?:\/\//i.test(url)) return { backend: 'postgres', url };
  if (/^file:\/\//i.test(url)) {
    try {
      return { backend: 'sqlite', file: fileURLToPath(url) };
    } catch {
      throw new StoreError('ZICHT_STORE_URL_INVALID');
    }
  }
  if (/^file:/i.test(url)) return { backend: 'sqlite', file: url.slice('file:'.length) };
  if (url.trim() === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) throw new StoreError('ZICHT_STORE_URL_INVALID');
  return { backend: 'sqlite', file: url };
}

/**
 * Creates a store without migrating it. PostgreSQL connects on first use, so a store for an unreachable
 * database can be created (its `ping` is false and its operations throw `StoreUnavailableError`); SQLite
 * opens its file now. Most callers want {@link openStore}.
 *
 * @throws {StoreError} `ZICHT_STORE_URL_INVALID` for an unsupported URL, `ZICHT_STORE_INVALID` for bad options.
 * @throws {StoreUnavailableError} when the SQLite file cannot be opened.
 */
export function createStore(url?: string, options: StoreOptions = {}): Store {
  const location = resolveStoreUrl(url);
  const opts = validate(StoreOptions, options, 'store options');
  switch (location.backend) {
    case 'sqlite':
      return new DriverStore(
        createSqliteDriver(location.file, { busyTimeoutMs: opts.timeoutMs, ...(opts.checkpointEveryMs === undefined ? {} : { checkpointEveryMs: opts.checkpointEveryMs }) }),
        opts.keyring,
      );
    case 'postgres':
      return new DriverStore(
        createPostgresDriver(location.url, {
          poolSize: opts.poolSize,
          connectTimeoutMs: opts.timeoutMs,
          ...(opts.schema === undefined ? {} : { schema: opts.schema }),
        }),
        opts.keyring,
      );
  }
}

/**
 * Opens the store the URL names (default `./zicht.db`) and migrates its schema to the latest version.
 *
 * @throws {StoreUnavailableError} when the database cannot be reached.
 * @throws {StoreError} `ZICHT_STORE_URL_INVALID`, `ZICHT_STORE_INVALID` (options) or `ZICHT_STORE_MIGRATION`.
 */
export async function openStore(url?: string, options: StoreOptions = {}): Promise<Store> {
  return migrated(createStore(url, options));
}

/** Migrates a store just created; closes it when that fails. */
export async function migrated(store: Store): Promise<Store> {
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
