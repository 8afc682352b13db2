/**
 * The SQLite backend (better-sqlite3): one file, WAL journal, `synchronous=FULL` so that a commit survives
 * a power cut, foreign keys on. better-sqlite3 is synchronous and a store has one connection, so every
 * operation takes its turn in a queue (shared by all stores on the same file in this process); a
 * transaction holds the turn (and SQLite's write lock, taken with
 * `BEGIN IMMEDIATE`) from begin to commit. Other processes on the same file wait up to the busy timeout.
 */
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../errors.js';
import { toStoreError } from './driver-errors.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import type { Dialect, Driver, Executor, SqlValue } from './sql.js';

/** Options of the SQLite driver. */
export type SqliteDriverOptions = {
  /** How long to wait for another process's write lock before `StoreUnavailableError` (ms). */
  busyTimeoutMs: number;
  /**
   * Checkpoint the WAL in a worker thread every this many ms instead of in the committing call
   * (src/store/sqlite-checkpointer.ts); the gateway does, short-lived commands need not.
   */
  checkpointEveryMs?: number;
};

/** The most prepared statements a connection keeps, and the most placeholders of one it keeps. */
const MAX_KEPT_STATEMENTS = 300;
const MAX_KEPT_PLACEHOLDERS = 64;

function placeholders(sql: string): number {
  let n = 0;
  for (const char of sql) if (char === '?') n++;
  return n;
}

/** WAL pages after which a commit checkpoints itself when a checkpointer runs: only a backstop (about 40 MB). */
const BACKSTOP_CHECKPOINT_PAGES = 10_000;

const dialect: Dialect = {
  backend: 'sqlite',
  // SQLite has no row locks: the write lock of BEGIN IMMEDIATE keeps other claimers out until commit.
  claimLock: '',
  lockDossier: () => Promise.resolve(),
  lockLog: () => Promise.resolve(),
  prepareMigration: () => Promise.resolve(),
};

/**
 * The queue of one database file in this process, shared by every store on it. Two connections of one
 * thread must not wait for each other's write lock: better-sqlite3 waits synchronously, so the holder
 * could never finish. Taking turns in one queue avoids that; other processes still wait on the lock.
 */
type Lane = { tail: Promise<unknown>; users: number };
const lanes = new Map<string, Lane>();

function laneKey(file: string): string | undefined {
  // Every in-memory database is a database of its own.
  return file === ':memory:' || file === '' ? undefined : resolve(file);
}

function joinLane(file: string): Lane {
  const key = laneKey(file);
  const lane = (key === undefined ? undefined : lanes.get(key)) ?? { tail: Promise.resolve(), users: 0 };
  lane.users += 1;
  if (key !== undefined) lanes.set(key, lane);
  return lane;
}

function leaveLane(file: string, lane: Lane): void {
  lane.users -= 1;
  const key = laneKey(file);
  if (key !== undefined && lane.users === 0) lanes.delete(key);
}

/**
 * Opens (creating if needed) the SQLite database at `file`.
 *
 * @throws {StoreUnavailableError} when the file cannot be opened.
 */
export function createSqliteDriver(file: string, options: SqliteDriverOptions): Driver {
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: options.busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Deleted and overwritten content is zeroed in the file, so a purged payload leaves no trace (issue 11).
    db.pragma('secure_delete = ON');
  } catch (error) {
    // better-sqlite3 reports a missing directory as a TypeError: whatever keeps the file from opening, the
    // database is out of reach.
    const mapped = toStoreError(error, 'sqlite');
    throw mapped.code === 'ZICHT_STORE_FAILED'
      ? new StoreUnavailableError({ message: 'The database file cannot be opened.', ...(mapped.driverCode === undefined ? {} : { driverCode: mapped.driverCode }) })
      : mapped;
  }
  const checkpointer = options.checkpointEveryMs === undefined || laneKey(file) === undefined ? undefined : startCheckpointer(file, options.checkpointEveryMs);
  if (checkpointer !== undefined) db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  const statements = new Map<string, Database.Statement>();
  const lane = joinLane(file);

  /** Runs `work` when every earlier operation on this file in this process has finished. */
  function inTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = lane.tail.then(work);
    lane.tail = result.catch(() => undefined);
    return result;
  }

  function prepare(sql: string): Database.Statement {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      // A statement whose text varies with its input (a batch of leaves or nodes, a list of keys) is prepared
      // each time and left to the garbage collector: kept, every size of batch would hold its compiled program.
      if (statements.size < MAX_KEPT_STATEMENTS && placeholders(sql) <= MAX_KEPT_PLACEHOLDERS) statements.set(sql, statement);
    }
    return statement;
  }

  const bind = (params: readonly SqlValue[]): (string | number | null)[] => params.map((p) => (p instanceof Date ? p.getTime() : p));

  const executor: Executor = {
    all(sql, params = []) {
      try {
        const statement = prepare(sql);
        if (statement.reader) return Promise.resolve(statement.all(...bind(params)));
        statement.run(...bind(params));
        return Promise.resolve([]);
      } catch (error) {
        return Promise.reject(toStoreError(error, 'sqlite'));
      }
    },
    run(sql, params = []) {
      try {
        const statement = prepare(sql);
        if (statement.reader) return Promise.resolve(statement.all(...bind(params)).length);
        return Promise.resolve(statement.run(...bind(params)).changes);
      } catch (error) {
        return Promise.reject(toStoreError(error, 'sqlite'));
      }
    },
  };

  function exec(sql: string): void {
    try {
      db.exec(sql);
    } catch (error) {
      throw toStoreError(error, 'sqlite');
    }
  }

  return {
    dialect,
    autocommit: (work) => inTurn(() => work(executor)),
    transaction: (work) =>
      inTurn(async () => {
        exec('BEGIN IMMEDIATE');
        try {
          const result = await work(executor);
          exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) {
            try {
              db.exec('ROLLBACK');
            } catch {
              // The original error says more than a failed rollback; SQLite rolls back on close anyway.
            }
          }
          throw error;
        }
      }),
    reclaim: () =>
      inTurn(() => {
        // The WAL still holds the pages as they were before the purge: write them back and empty it.
        exec('PRAGMA wal_checkpoint(TRUNCATE)');
        return Promise.resolve();
      }),
    ping: () =>
      inTurn(() => {
        try {
          return Promise.resolve(db.prepare('SELECT 1').get() !== undefined);
        } catch {
          return Promise.resolve(false);
        }
      }),
    close: () =>
      inTurn(async () => {
        await checkpointer?.stop();
        if (db.open) {
          db.close();
          leaveLane(file, lane);
        }
      }),
  };
}
