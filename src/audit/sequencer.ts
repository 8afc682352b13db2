/**
 * The sequencer of the audit log: leaves are written unnumbered with their events (so accepting berichten
 * never waits for the log), and the sequencer numbers them in batches, in the order they were written,
 * extending the stored tree; then it signs a checkpoint of the new size. One sequencer runs at a time
 * across gateway instances (`lockLog`: a PostgreSQL advisory lock; SQLite serialises writers).
 */
import type { Store } from '../store/store.js';
import { signCheckpoint } from './checkpoint.js';
import { leafHash, toHex } from './hash.js';
import type { NoteSigner } from './note-key.js';
import { storeIndex, storeNodeReader } from './store-reader.js';
import { appendLeaves, borderRoot, readBorder } from './tree.js';

/** The largest batch one sequencer transaction numbers. */
export const SEQUENCE_BATCH = 5_000;

/**
 * Numbers up to `batch` pending leaves in one transaction and stores the nodes they complete.
 *
 * @returns the tree size after, and how many leaves were numbered.
 */
export async function sequenceBatch(store: Store, batch: number = SEQUENCE_BATCH): Promise<{ size: number; sequenced: number }> {
  return store.transaction(async (tx) => {
    await tx.lockLog();
    const size = await tx.logSize();
    const pending = await tx.listPendingLeaves(batch);
    if (pending.length === 0) return { size, sequenced: 0 };
    const border = await readBorder(BigInt(size), storeNodeReader(tx));
    const { nodes } = appendLeaves(
      border,
      pending.map((leaf) => leafHash(Buffer.from(leaf.data, 'utf8'))),
    );
    await tx.sequenceLeaves(
      pending.map((leaf, i) => ({ id: leaf.id, index: size + i })),
      nodes.map((n) => ({ level: n.level, index: storeIndex(n.index), hash: toHex(n.hash) })),
    );
    return { size: size + pending.length, sequenced: pending.length };
  });
}

/**
 * Signs and stores a checkpoint of the current tree when it is larger than the latest checkpoint (or there is
 * none yet: the empty tree gets one too, so that a verifier always finds a checkpoint).
 *
 * @returns the size of the latest checkpoint after.
 */
export async function issueCheckpoint(store: Store, signer: NoteSigner, now: Date = new Date()): Promise<number> {
  return store.transaction(async (tx) => {
    await tx.lockLog();
    const size = await tx.logSize();
    const latest = await tx.latestCheckpoint();
    if (latest !== undefined && latest.size >= size) return latest.size;
    const root = borderRoot(await readBorder(BigInt(size), storeNodeReader(tx)));
    const note = signCheckpoint({ origin: signer.name, size: BigInt(size), root, extensions: [] }, signer);
    await tx.putCheckpoint({ size, root: toHex(root), note, at: now });
    return size;
  });
}

/** Sequences every pending leaf (batch after batch), then issues a checkpoint. */
export async function publishLog(store: Store, signer: NoteSigner, batch: number = SEQUENCE_BATCH): Promise<number> {
  for (let done = await sequenceBatch(store, batch); done.sequenced === batch; done = await sequenceBatch(store, batch)) {
    // Keep going while batches come back full.
  }
  return issueCheckpoint(store, signer);
}

/** A running log task. */
export interface LogTask {
  /** Runs one round now (sequence, checkpoint) and resolves when it is done. */
  tick(): Promise<void>;
  /** Stops the timer and waits for a running round. */
  stop(): Promise<void>;
}

/**
 * Runs {@link publishLog} every `intervalMs` (default 500 ms, so that a checkpoint follows new leaves within
 * a second). A failed round (database away) is retried at the next tick; `onError` hears of it.
 */
export function startLogTask(store: Store, signer: NoteSigner, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): LogTask {
  return startRounds(async () => { await publishLog(store, signer); }, options);
}

/**
 * Runs `round` every `intervalMs` (default 500 ms), never two at once; a failed round is reported to `onError`
 * and the next tick tries again. `tick` runs one now (after a running one); `stop` ends the timer.
 */
export function startRounds(work: () => Promise<void>, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): LogTask {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const round = (): Promise<void> => {
    if (busy) return running;
    busy = true;
    running = work()
      .then(() => undefined, (error: unknown) => options.onError?.(error))
      .finally(() => {
        busy = false;
      });
    return running;
  };
  const timer = setInterval(() => void round(), options.intervalMs ?? 500);
  timer.unref();
  return {
    tick: async () => {
      await running;
      await round();
    },
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
