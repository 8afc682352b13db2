/**
 * Bounded outbox growth per receiver: a receiver that stays down while senders keep sending would make
 * its outbox grow without end. The gateway reads every receiver's outbox depth from the store now and
 * then (so all gateways on one database agree within that interval) and, while a receiver has
 * {@link DEFAULT_MAX_QUEUED} or more undelivered berichten, refuses new berichten for it with RTE-004
 * and `503` + `Retry-After`: the sender keeps the bericht and tries later, nothing is lost.
 */
import type { Store } from '../store/store.js';

/** Undelivered berichten per receiver at which new ones are refused. */
export const DEFAULT_MAX_QUEUED = 10_000;

/** How often the depths are read. */
export const DEFAULT_DEPTH_INTERVAL_MS = 1_000;

/** The outbox depths as last read, and whether a receiver is full. */
export class OutboxLimit {
  #depths = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #reading: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    readonly maxQueued: number = DEFAULT_MAX_QUEUED,
  ) {}

  /** Whether `oin` had at least `maxQueued` undelivered berichten at the last reading. */
  isFull(oin: string): boolean {
    return (this.#depths.get(oin) ?? 0) >= this.maxQueued;
  }

  /** The depths at the last reading (receivers with an empty outbox are absent). */
  get depths(): ReadonlyMap<string, number> {
    return this.#depths;
  }

  /** Reads the depths now; a failed read (database away) keeps the last reading. */
  refresh(): Promise<void> {
    this.#reading ??= this.store
      .countQueuedByReceiver()
      .then((depths) => {
        this.#depths = depths;
      })
      .catch(() => undefined)
      .finally(() => {
        this.#reading = undefined;
      });
    return this.#reading;
  }

  /** Reads the depths now and every `intervalMs` until {@link stop}. */
  async start(intervalMs: number = DEFAULT_DEPTH_INTERVAL_MS): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => void this.refresh(), intervalMs);
    this.#timer.unref();
  }

  /** Stops reading and waits for a reading in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#reading;
  }
}
