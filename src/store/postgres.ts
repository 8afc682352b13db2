/**
 * The PostgreSQL backend (pg): a connection pool; autocommit statements go to any pooled connection, a
 * transaction keeps one connection from `BEGIN` to `COMMIT`. Claims lock their rows with
 * `FOR UPDATE SKIP LOCKED`, so gateway processes sharing one database never claim the same delivery.
 */
import pg from 'pg';
import { StoreError } from '../errors.js';
import { toStoreError } from './driver-errors.js';
import type { Dialect, Driver, Executor, SqlValue } from './sql.js';

/** Options of the PostgreSQL driver. */
export type PostgresDriverOptions = {
  /** The schema to use instead of the server's default `search_path` (created by `migrate` if missing). */
  schema?: string;
  /** The most connections the pool opens. */
  poolSize: number;
  /** How long to wait for a connection, or for a lock another session holds, before `StoreUnavailableError` (ms). */
  connectTimeoutMs: number;
};

/** First key of the two-key advisory locks Zicht takes ("ZI" "CH"), so they do not collide with other users of the database. */
const LOCK_NAMESPACE = 0x5a49_4348;
/** Second key of the migration lock; dossier locks use `hashtext` of the reference. */
const MIGRATION_LOCK = 0;
/** Second key of the audit log's sequencer lock. */
const LOG_LOCK = 1;

/** A statement in PostgreSQL's numbered form, and the name it is prepared under on each connection, if any. */
type Statement = { readonly text: string; readonly name?: string };

const statements = new Map<string, Statement>();

/**
 * The most statements prepared by name. The hot path's statements are few and fixed; statements whose text
 * varies with their input (IN lists, batches) have more placeholders than {@link MAX_NAMED_PARAMS} and go unnamed.
 */
const MAX_NAMED = 200;
const MAX_NAMED_PARAMS = 16;
/** The most texts remembered; past it a statement is numbered again on each call (correct, only slower). */
const MAX_REMEMBERED = 10_000;
let named = 0;

/**
 * `?` placeholders as `$1`, `$2`, …; the shared SQL has no `?` inside literals. Plain DML with few placeholders
 * is named while there is room: prepared once per connection, then only bound and run, with no parse and plan
 * per call.
 */
function statementOf(sql: string): Statement {
  let statement = statements.get(sql);
  if (statement === undefined) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    const nameable = n <= MAX_NAMED_PARAMS && named < MAX_NAMED && /^\s*(SELECT|INSERT|UPDATE|DELETE)\b/i.test(sql);
    statement = nameable ? { text, name: `zicht_${++named}` } : { text };
    if (statements.size < MAX_REMEMBERED) statements.set(sql, statement);
  }
  return statement;
}

function executorOf(queryable: pg.Pool | pg.PoolClient): Executor {
  const query = async (sql: string, params: readonly SqlValue[]) => {
    try {
      return await queryable.query<Record<string, unknown>>({ ...statementOf(sql), values: [...params] });
    } catch (error) {
      throw toStoreError(error, 'postgres');
    }
  };
  return {
    all: async (sql, params = []) => (await query(sql, params)).rows,
    run: async (sql, params = []) => (await query(sql, params)).rowCount ?? 0,
  };
}

/** Creates the pool for `url`; no connection is made until the first statement. */
export function createPostgresDriver(url: string, options: PostgresDriverOptions): Driver {
  const { schema } = options;
  // The schema name goes into SQL and a startup parameter unquoted by the driver: only plain identifiers.
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new StoreError('ZICHT_STORE_INVALID', { message: 'Invalid schema name.' });
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    application_name: 'zicht',
    // Startup parameters rather than a SET after connecting: no statement can run before they apply. A lock held
    // elsewhere (LOCK TABLE, a long migration) is waited for at most the time-out, then the statement fails with
    // 55P03, a StoreUnavailableError: the HTTP layer's 503 (CFG-010) instead of a request hanging until it times out.
    options: `-c lock_timeout=${options.connectTimeoutMs}${schema === undefined ? '' : ` -c search_path=${schema}`}`,
  });
  // An idle connection that breaks (a database restart) must not crash the process; the pool drops it and
  // the next statement opens a new one or fails with StoreUnavailableError.
  pool.on('error', () => undefined);
  const autocommit = executorOf(pool);

  const dialect: Dialect = {
    backend: 'postgres',
    claimLock: 'FOR UPDATE OF c SKIP LOCKED',
    lockDossier: async (ex, dossierReferentie) => {
      await ex.all('SELECT pg_advisory_xact_lock(?, hashtext(?))', [LOCK_NAMESPACE, dossierReferentie]);
    },
    lockLog: async (ex) => {
      await ex.all('SELECT pg_advisory_xact_lock(?, ?)', [LOCK_NAMESPACE, LOG_LOCK]);
    },
    prepareMigration: async (ex) => {
      await ex.all('SELECT pg_advisory_xact_lock(?, ?)', [LOCK_NAMESPACE, MIGRATION_LOCK]);
      if (schema !== undefined) await ex.run(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    },
  };

  return {
    dialect,
    autocommit: (work) => work(autocommit),
    transaction: async (work) => {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw toStoreError(error, 'postgres');
      }
      // A connection that breaks between statements (while `work` awaits something else) emits 'error' on
      // the checked-out client; unheard, that would crash the process. The next statement fails instead.
      const onError = () => undefined;
      client.on('error', onError);
      const ex = executorOf(client);
      let broken: Error | undefined;
      try {
        await ex.run('BEGIN');
        const result = await work(ex);
        await ex.run('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable: the pool must discard it rather than hand it out again.
          broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
        }
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    reclaim: async () => {
      // Dead row versions of purged payloads stay in the table's pages until vacuumed. VACUUM runs outside
      // a transaction and does not block readers or writers (VACUUM FULL would lock the table).
      await autocommit.run('VACUUM berichten, bericht_salts');
    },
    ping: async () => {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => pool.end(),
  };
}
