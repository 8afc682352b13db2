/**
 * The SQLite backend (better-sqlite3): one file, WAL journal, `synchronous=FULL` so that a commit survives
 * a power cut, foreign keys on. better-sqlite3 is synchronous and a store has one connection, so every
 * operation takes its turn in a queue (shared by all stores on the same file in this process); a
 * transaction holds the turn (and SQLite's write lock, taken with
 * `BEGIN IMMEDIATE`) from begin to commit. Waiting for another process's write lock is asynchronous (retried
 * after short pauses, up to the busy timeout), never SQLite's own busy wait, which would block the event loop.
 */
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../errors.js';
import { toStoreError } from './driver-errors.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import type { Dialect, Driver, Executor, SqlValue } from './sql.js';

/** Options of the SQLite driver. */
export type SqliteDriverOptions = {
  /**
   * How long to wait for another process's write lock before `StoreUnavailableError` (ms). The wait is
   * asynchronous (see {@link retryWhileBusy}): the event loop keeps serving meanwhile.
   */
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
 * SQLite's own busy wait (the connection's `timeout`) sleeps inside the synchronous call: with better-sqlite3
 * that is the event loop, so a write lock held by another process for 10 s froze the whole gateway,
 * `/v1/health` included (issue 19). The connection waits at most this long itself...
 */
const SYNC_BUSY_MS = 0;
/** ...and a busy operation is tried again after a pause that grows from the first to the last of these (ms). */
const RETRY_FIRST_MS = 2;
const RETRY_MAX_MS = 50;

/** Whether an error is SQLite's "another connection holds the lock" (SQLITE_BUSY and its extended codes). */
function isBusy(error: unknown): error is StoreUnavailableError {
  return error instanceof StoreUnavailableError && error.driverCode !== undefined && /^SQLITE_BUSY(_|$)/.test(error.driverCode);
}

/** An operation that was busy and may be tried again: nothing of it was written. */
class BusyBeforeWrite extends Error {
  constructor(readonly error: StoreUnavailableError) {
    super('busy before any write');
  }
}

/**
 * Runs `attempt` until it does not fail with {@link BusyBeforeWrite}, pausing between tries without blocking
 * the event loop, for at most `timeoutMs`; then `StoreUnavailableError` (the HTTP layer's 503). Between tries
 * the file's turn is free, so reads of this process (WAL readers are never blocked by a writer) go on.
 */
async function retryWhileBusy<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let pause = RETRY_FIRST_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof BusyBeforeWrite)) throw error;
      const left = deadline - Date.now();
      if (left <= 0) throw new StoreUnavailableError({ message: 'The database is locked by another process.', ...(error.error.driverCode === undefined ? {} : { driverCode: error.error.driverCode }) });
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
      pause = Math.min(pause * 2, RETRY_MAX_MS);
    }
  }
}

/**
 * Opens (creating if needed) the SQLite database at `file`.
 *
 * @throws {StoreUnavailableError} when the file cannot be opened.
 */
export function createSqliteDriver(file: string, options: SqliteDriverOptions): Driver {
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: SYNC_BUSY_MS });
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

  /**
   * The executor of one attempt. `wrote` turns true once a statement changed the database: an autocommit
   * operation that is busy after that must not be run again (its earlier statements are committed).
   */
  function executorOf(attempt: { wrote: boolean }): Executor {
    const failed = (error: unknown): Promise<never> => {
      const mapped = toStoreError(error, 'sqlite');
      return Promise.reject(isBusy(mapped) && !attempt.wrote ? new BusyBeforeWrite(mapped) : mapped);
    };
    return {
      all(sql, params = []) {
        try {
          const statement = prepare(sql);
          if (statement.reader) return Promise.resolve(statement.all(...bind(params)));
          statement.run(...bind(params));
          attempt.wrote = true;
          return Promise.resolve([]);
        } catch (error) {
          return failed(error);
        }
      },
      run(sql, params = []) {
        try {
          const statement = prepare(sql);
          if (statement.reader) return Promise.resolve(statement.all(...bind(params)).length);
          const changes = statement.run(...bind(params)).changes;
          attempt.wrote = true;
          return Promise.resolve(changes);
        } catch (error) {
          return failed(error);
        }
      },
    };
  }

  /** The executor inside a transaction: the write lock is held, so a busy error there is a plain failure. */
  const held: Executor = executorOf({ wrote: true });

  function exec(sql: string): void {
    try {
      db.exec(sql);
    } catch (error) {
      throw toStoreError(error, 'sqlite');
    }
  }

  return {
    dialect,
    // A busy error before any write of the operation comes through `work` as BusyBeforeWrite: tried again.
    autocommit: (work) => retryWhileBusy(() => inTurn(() => work(executorOf({ wrote: false }))), options.busyTimeoutMs),
    transaction: (work) =>
      retryWhileBusy(
        () =>
          inTurn(async () => {
            try {
              exec('BEGIN IMMEDIATE');
            } catch (error) {
              // The write lock is another process's: nothing ran yet, so the transaction can start again later.
              if (isBusy(error)) throw new BusyBeforeWrite(error);
              throw error;
            }
            try {
              const result = await work(held);
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
        options.busyTimeoutMs,
      ),
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
