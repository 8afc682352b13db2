/**
 * The seam between the SQL both backends share (one class per aggregate, composed in src/store/operations.ts) and each backend: an executor
 * that runs one statement, a driver that owns the connections and transactions, and the few dialect
 * differences. SQL is written with `?` placeholders; the PostgreSQL executor numbers them.
 */
import type { StoreBackend } from './store.js';

/** A value bound to a placeholder. A `Date` becomes milliseconds on SQLite and a `timestamptz` on PostgreSQL. */
export type SqlValue = string | number | Date | null;

/** Runs one statement. Errors come out as `StoreError`s, never as driver errors. */
export interface Executor {
  /** The rows of a query (or of a statement with `RETURNING`). */
  all(sql: string, params?: readonly SqlValue[]): Promise<unknown[]>;
  /** Runs a statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** What differs between the backends inside the shared SQL. */
export interface Dialect {
  readonly backend: StoreBackend;
  /** Appended to the claim query: row locks that other claimers skip (PostgreSQL) or nothing (SQLite's write lock suffices). */
  readonly claimLock: string;
  /**
   * Serialises inserts into one dossier until commit, so that the accept order (`seq`) of a dossier's
   * berichten is also their commit order and a worker never sees a later bericht before an earlier one.
   */
  lockDossier(ex: Executor, dossierReferentie: string): Promise<void>;
  /** Makes sequencers of the audit log take turns until commit (PostgreSQL: an advisory lock; SQLite: its write lock suffices). */
  lockLog(ex: Executor): Promise<void>;
  /** Runs first in the migration transaction: makes concurrent migrations take turns and creates the schema if needed. */
  prepareMigration(ex: Executor): Promise<void>;
}

/** A backend's connection handling; the store (src/store/driver-store.ts) adds the rules both share. */
export interface Driver {
  readonly dialect: Dialect;
  /** Runs `work` with an executor in autocommit mode: each statement its own transaction. */
  autocommit<T>(work: (ex: Executor) => Promise<T>): Promise<T>;
  /** Runs `work` in a write transaction: commits when it resolves, rolls back when it rejects. */
  transaction<T>(work: (ex: Executor) => Promise<T>): Promise<T>;
  /** Makes deleted content unrecoverable from the database files as far as the backend allows (Store.reclaim). */
  reclaim(): Promise<void>;
  /** Whether the database answers now. Never throws. */
  ping(): Promise<boolean>;
  /** Waits for running work and closes every connection. */
  close(): Promise<void>;
}
