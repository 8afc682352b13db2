/**
 * Group commit: the writes of concurrent callers (accepts, delivery outcomes) go into one database
 * transaction, so one fsync (SQLite `synchronous=FULL`, PostgreSQL commit) covers many berichten.
 * Each caller still gets its own result, and its writes are durable when its promise resolves.
 * While one batch commits, the next gathers. When a batch fails (e.g. one bericht id conflicts),
 * its writes are run again one transaction each, so one caller's conflict never fails another's.
 */
import type { Store, StoreTransaction } from './store.js';

/** Runs `work` in a transaction shared with other concurrent callers. */
export type Commit = <T>(work: (tx: StoreTransaction) => Promise<T>) => Promise<T>;

interface Pending {
  readonly work: (tx: StoreTransaction) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** A group committer over `store`; at most `maxBatch` callers share one transaction. */
export function groupCommit(store: Store, maxBatch = 128): Commit {
  let queue: Pending[] = [];
  let flushing = false;

  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      try {
        const results = await store.transaction(async (tx) => {
          const out: unknown[] = [];
          for (const item of batch) out.push(await item.work(tx));
          return out;
        });
        batch.forEach((item, i) => {
          item.resolve(results[i]);
        });
      } catch (error) {
        if (batch.length === 1) batch[0]?.reject(error);
        else {
          for (const item of batch) {
            try {
              item.resolve(await store.transaction(item.work));
            } catch (single) {
              item.reject(single);
            }
          }
        }
      }
    }
    flushing = false;
  };

  return <T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      // Marked when the flush is scheduled, not when it starts: callers arriving before it runs schedule no second
      // one, which would commit beside it in batches of its own.
      if (!flushing) {
        flushing = true;
        setImmediate(() => void flush());
      }
    });
}
