/**
 * The store both backends share: the rules around a driver's connections that must hold the same on SQLite
 * and PostgreSQL (closed stores, misuse inside a transaction, a failed statement dooming its transaction).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { StoreError, StoreUnavailableError } from '../errors.js';
import type { Keyring } from './keyring.js';
import { runMigrations } from './migrate.js';
import { SqlOperations } from './operations.js';
import type { Dialect, Driver, Executor, SqlValue } from './sql.js';
import type { MigrationReport, Store, StoreBackend, StoreTransaction } from './store.js';

/** The transaction callback the current async context runs in, if any. */
type TransactionScope = { readonly store: DriverStore; active: boolean };
const scope = new AsyncLocalStorage<TransactionScope>();

/** A `Store` over a backend's `Driver`. */
export class DriverStore extends SqlOperations implements Store {
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly driver: Driver,
    keyring?: Keyring,
  ) {
    super(driver.dialect, keyring);
  }

  get backend(): StoreBackend {
    return this.dialect.backend;
  }

  protected use<T>(work: (ex: Executor) => Promise<T>): Promise<T> {
    return this.guarded(() => this.driver.autocommit(work));
  }

  protected atomic<T>(work: (ex: Executor) => Promise<T>): Promise<T> {
    return this.guarded(() => this.driver.transaction(work));
  }

  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return this.guarded(() =>
      this.driver.transaction(async (ex) => {
        const tx = new TransactionHandle(this.dialect, this.keyring, ex);
        const current: TransactionScope = { store: this, active: true };
        try {
          const result = await scope.run(current, () => fn(tx));
          await tx.settle();
          if (tx.failure !== undefined) throw tx.failure;
          return result;
        } finally {
          current.active = false;
          tx.end();
        }
      }),
    );
  }

  migrate(): Promise<MigrationReport> {
    return this.guarded(() => this.driver.transaction((ex) => runMigrations(ex, this.dialect)));
  }

  reclaim(): Promise<void> {
    return this.guarded(() => this.driver.reclaim());
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    return this.driver.ping();
  }

  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.driver.close();
    return this.closing;
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError({ message: 'The store is closed.' });
    const current = scope.getStore();
    if (current?.store === this && current.active) {
      throw new StoreError('ZICHT_STORE_MISUSE', { message: 'The store was called inside its own transaction callback; use the transaction handle.' });
    }
    return work();
  }
}

/**
 * The dialect of one transaction: a dossier's lock is held until the transaction ends, so it is taken once however
 * often it is asked for (the accept path locks the dossier before it reads the trail, and insertBericht locks it again;
 * a group commit's berichten of one dossier share the transaction). On PostgreSQL one statement fewer per bericht.
 */
function lockingOnce(dialect: Dialect): Dialect {
  const locked = new Set<string>();
  return {
    ...dialect,
    async lockDossier(ex, dossierReferentie) {
      if (locked.has(dossierReferentie)) return;
      await dialect.lockDossier(ex, dossierReferentie);
      locked.add(dossierReferentie);
    },
  };
}

/** The handle a transaction callback gets: the shared SQL on the transaction's executor. */
class TransactionHandle extends SqlOperations {
  /** The first statement error; it dooms the transaction. */
  failure: StoreError | undefined;
  private ended = false;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly executor: Executor;

  constructor(dialect: Dialect, keyring: Keyring | undefined, ex: Executor) {
    super(lockingOnce(dialect), keyring, { trackWrites: true });
    this.executor = {
      all: (sql: string, params?: readonly SqlValue[]) => this.track(ex.all(sql, params)),
      run: (sql: string, params?: readonly SqlValue[]) => this.track(ex.run(sql, params)),
    };
  }

  protected use<T>(work: (ex: Executor) => Promise<T>): Promise<T> {
    return this.inTransaction(work);
  }

  protected atomic<T>(work: (ex: Executor) => Promise<T>): Promise<T> {
    return this.inTransaction(work);
  }

  /** Waits for statements the callback started but did not await, so none runs after commit. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  end(): void {
    this.ended = true;
  }

  private async inTransaction<T>(work: (ex: Executor) => Promise<T>): Promise<T> {
    if (this.ended) throw new StoreError('ZICHT_STORE_MISUSE', { message: 'The transaction has ended; its handle can no longer be used.' });
    if (this.failure !== undefined) {
      throw new StoreError('ZICHT_STORE_MISUSE', { message: 'A statement in this transaction failed; the transaction can only roll back.' });
    }
    return work(this.executor);
  }

  private track<T>(statement: Promise<T>): Promise<T> {
    const tracked = statement.catch((error: unknown) => {
      this.failure ??= error instanceof StoreError ? error : new StoreError('ZICHT_STORE_FAILED');
      throw error;
    });
    const done = tracked.finally(() => this.pending.delete(done));
    // The caller handles `tracked`; `done` only tracks completion and must not raise an unhandled rejection.
    done.catch(() => undefined);
    this.pending.add(done);
    return tracked;
  }
}
