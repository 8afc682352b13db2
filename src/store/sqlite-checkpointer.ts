/**
 * Checkpoints of a SQLite WAL off the event loop. SQLite copies the WAL back into the database file (a
 * checkpoint) in the connection that commits once the WAL passes `wal_autocheckpoint` pages: with
 * better-sqlite3 that is the gateway's event loop, stalled for several milliseconds (the copy and two
 * fsyncs) every few hundred berichten, which is where the accept latency's tail came from. A worker thread
 * with its own connection runs a PASSIVE checkpoint (never waits for, never blocks, a writer or reader)
 * every `intervalMs` instead; the driver keeps `wal_autocheckpoint` as a backstop should the worker stop.
 * Durability does not depend on it: a commit is durable in the WAL (synchronous=FULL) before it returns.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker: opens the file, checkpoints on a timer, closes on 'close'. CommonJS, as eval workers are. */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next tick tries again */ }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** A running checkpointer; `stop()` closes its connection and ends the thread. */
export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing the WAL of `file` every `intervalMs` in a worker thread. */
export function startCheckpointer(file: string, intervalMs: number): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_CODE, { eval: true, workerData: { file, intervalMs, driver } });
  // Never what keeps the process alive, and a failure (e.g. the file removed) only leaves the backstop.
  worker.unref();
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => { resolve(); }));
  return {
    stop: () => {
      // Referenced again while it closes: a caller awaiting the exit must keep the process alive until then.
      // Unreferenced, the event loop could empty first and Node end with exit 13 (an unsettled top-level
      // await) in the middle of `zicht serve`'s shutdown: issue 19.
      worker.ref();
      worker.postMessage('close');
      return exited;
    },
  };
}
