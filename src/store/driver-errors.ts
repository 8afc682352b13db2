/**
 * Turning driver errors into `StoreError`s: the codes callers switch on, without the driver's message
 * (which can hold SQL or key values). The driver's own code is kept as `driverCode`.
 */
import { StoreConflictError, StoreError, StoreUnavailableError } from '../errors.js';
import type { StoreBackend } from './store.js';

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** The driver's error code, if it is a plain code (SQLSTATE, SQLITE_…, E…). */
function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(code) ? code : undefined;
}

/** Whether a PostgreSQL SQLSTATE or a socket code means the database is (for now) out of reach or overloaded. */
function postgresUnavailable(code: string): boolean {
  return (
    SOCKET_CODES.has(code) ||
    code.startsWith('08') || // connection exception
    code.startsWith('53') || // insufficient resources (too many connections, disk full)
    code.startsWith('57P') || // admin shutdown, crash shutdown, cannot connect now
    code.startsWith('58') || // system error (I/O)
    code === '55000' || // object not in prerequisite state: the database does not accept connections (ALLOW_CONNECTIONS false)
    code === '55P03' || // lock not available
    code === '25006' || // read-only SQL transaction: a read-only database or a standby
    code === '57014' || // query canceled (statement timeout, an operator's cancel)
    code === '40001' || // serialization failure: transient
    code === '40P01' || // deadlock detected: transient
    code === '3D000' || // the database does not exist
    code === '28000' || // invalid authorization
    code === '28P01' // invalid password
  );
}

/** Whether a SQLite code means the database file is busy, locked or out of reach. */
function sqliteUnavailable(code: string): boolean {
  return ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_PERM'].some(
    (prefix) => code === prefix || code.startsWith(`${prefix}_`),
  );
}

/** The `StoreError` for anything a driver threw. `StoreError`s pass unchanged. */
export function toStoreError(error: unknown, backend: StoreBackend): StoreError {
  if (error instanceof StoreError) return error;
  const driverCode = codeOf(error);
  if (driverCode === undefined) {
    // pg reports a lost connection, a pool timeout or an ended pool without a code; a programming error
    // (TypeError, RangeError) is no outage.
    const programming = error instanceof TypeError || error instanceof RangeError;
    return backend === 'postgres' && !programming ? new StoreUnavailableError() : new StoreError('ZICHT_STORE_FAILED');
  }
  if (driverCode === '23505' || driverCode === 'SQLITE_CONSTRAINT_PRIMARYKEY' || driverCode === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new StoreConflictError({ driverCode });
  }
  if (driverCode === '23503' || driverCode === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new StoreError('ZICHT_STORE_NOT_FOUND', { driverCode });
  }
  if (backend === 'postgres' ? postgresUnavailable(driverCode) : sqliteUnavailable(driverCode)) {
    return new StoreUnavailableError({ driverCode });
  }
  return new StoreError('ZICHT_STORE_FAILED', { driverCode });
}
