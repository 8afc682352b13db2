/**
 * The delivery worker: drains the outbox. It claims due push deliveries with a lease (so several
 * gateway processes on one database never push the same delivery at once, and a crashed worker's
 * deliveries come back when its lease runs out), pushes each through the webhook adapter, and
 * records the outcome with an event: delivered, a retry with backoff, or a dead letter.
 *
 * Pushes run side by side in slots: at most `concurrency` in this process, and at most `perReceiver` to one
 * receiver (counted in the store over the leases of every gateway process, so a second process does not
 * double it except for a moment). A receiver that takes connections but never answers holds only its own
 * slots until its pushes time out; every other receiver's deliveries are claimed and pushed beside them. There
 * is no batch to wait for: whenever a push ends, or a bericht is accepted, the worker claims what fits in the
 * free slots, in one claim, oldest first, skipping receivers whose slots are full. Within a dossier the store
 * hands out a receiver's next bericht only after the earlier one was delivered or became a dead letter
 * (receiver.md §2), so pushes in parallel never reorder a dossier.
 */
import { hostname } from 'node:os';
import type { Dispatcher } from 'undici';
import { pushBericht, type PushOutcome, type PushRequest } from '../../adapters/webhook/push.js';
import { createBearerToken } from '../signing/bearer-token.js';
import { traceparentOf } from '../trace/traceparent.js';
import type { Signer } from '../signing/signer.js';
import type { Afleveradres } from '../registry/deelnemer.js';
import type { Versleuteling } from '../registry/versleutelingssleutel.js';
import type { DeliveryWithBericht } from '../store/delivery.js';
import { errorFields, silentLog, type Log } from '../observability/log.js';
import type { Commit } from '../store/group-commit.js';
import type { Store, StoreTransaction } from '../store/store.js';
import { DEFAULT_RETRY_POLICY, nextAttempt, type RetryPolicy } from './backoff.js';

/** What the worker needs. */
export interface WorkerOptions {
  readonly store: Store;
  /** The gateway's key: its bearer tokens to receivers. */
  readonly gateway: Signer;
  /** Where each receiver is pushed to (its registered delivery address, or just its URL for the Zicht API), by OIN. */
  readonly endpointOf: (oin: string) => Promise<Afleveradres | string | undefined>;
  /** Whether and to which key a receiver's pushes are encrypted at an instant (ENC-003), by OIN; plain by default. */
  readonly versleutelingOf?: (oin: string, at: Date) => Promise<Versleuteling>;
  readonly policy?: RetryPolicy;
  /** Most deliveries taken in one claim ({@link DEFAULT_BATCH}). */
  readonly batch?: number;
  /** Most pushes in flight in this process ({@link DEFAULT_CONCURRENCY}). */
  readonly concurrency?: number;
  /** Most pushes in flight to one receiver, over all gateway processes on the database ({@link DEFAULT_PER_RECEIVER}). */
  readonly perReceiver?: number;
  /** How long one push waits for its answer (receiver.md §2: 10 seconds). */
  readonly timeoutMs?: number;
  /** How long a claimed delivery stays with this worker; by default {@link DEFAULT_LEASE_MS}, and always 20 s more than `timeoutMs`. */
  readonly leaseMs?: number;
  /** Idle wait between polls when there was nothing to do. */
  readonly pollMs?: number;
  readonly now?: () => Date;
  readonly push?: (request: PushRequest) => Promise<PushOutcome>;
  /**
   * The HTTP dispatcher pushes go through (e.g. adapters/webhook/endpoint-guard.ts); undici's global one by default.
   * Either keeps connections to a receiver open between pushes (keep-alive), so the slots reuse them.
   */
  readonly dispatcher?: Dispatcher;
  readonly workerId?: string;
  /** How outcomes are committed; by default one transaction each. */
  readonly commit?: Commit;
  readonly log?: Log;
  /** Hears of each attempt: how it ended and how long the push took (the metrics, src/observability/metrics.ts). */
  readonly observe?: (outcome: 'delivered' | 'retry' | 'dead-letter', seconds: number) => void;
}

/**
 * How long a claimed delivery stays with one worker: longer than one push can take (10 s timeouts), short
 * enough that the deliveries of a crashed gateway are picked up again within half a minute.
 */
export const DEFAULT_LEASE_MS = 30_000;
/** The push time-out of receiver.md §2. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Pushes in flight in one process. */
export const DEFAULT_CONCURRENCY = 128;
/** Pushes in flight to one receiver: a receiver that hangs holds these and no more. */
export const DEFAULT_PER_RECEIVER = 32;
/** Deliveries per claim. */
export const DEFAULT_BATCH = 32;

let workers = 0;

/** A delivery worker; `start()` claims and pushes until `stop()`, `runOnce()` does one claim and waits for its pushes (for tests). */
export class DeliveryWorker {
  readonly #options: WorkerOptions;
  readonly #workerId: string;
  readonly #concurrency: number;
  readonly #perReceiver: number;
  readonly #timeoutMs: number;
  readonly #leaseMs: number;
  /** The pushes in flight (each settles after its outcome is committed, and never rejects). */
  readonly #inFlight = new Set<Promise<void>>();
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** Counts nudges (a push ended, a bericht came in): one during a claim means claim again before waiting. */
  #nudges = 0;

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.#workerId = options.workerId ?? `${hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60)}:${process.pid}:${++workers}`;
    this.#concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.#perReceiver = options.perReceiver ?? DEFAULT_PER_RECEIVER;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // A lease that ran out while its push still waits would let another worker push the same delivery at once.
    this.#leaseMs = Math.max(options.leaseMs ?? DEFAULT_LEASE_MS, this.#timeoutMs + 20_000);
  }

  /** Pushes in flight now, in this process. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Claims as many due deliveries as there are free slots (at most one batch, at most `perReceiver` in flight per
   * receiver) and pushes them; resolves with how many it claimed once they are all done. Rejects when the claim
   * fails or an outcome cannot be recorded.
   */
  async runOnce(): Promise<number> {
    const pushes = await this.#claim();
    await Promise.all(pushes);
    return pushes.length;
  }

  /** Claims into the free slots and starts those pushes; the pushes as started (rejecting on a failure). */
  async #claim(): Promise<Promise<void>[]> {
    const free = Math.min(this.#options.batch ?? DEFAULT_BATCH, this.#concurrency - this.#inFlight.size);
    if (free <= 0) return [];
    const now = this.#options.now?.() ?? new Date();
    const claimed = await this.#options.store.claimDue(now, free, new Date(now.getTime() + this.#leaseMs), this.#workerId, this.#perReceiver);
    return claimed.map((item) => {
      const push = this.#deliver(item);
      // A push whose outcome could not be recorded (the store went away) keeps its lease until it runs out; then
      // any worker tries the delivery again.
      const slot: Promise<void> = push
        .catch((error: unknown) => {
          (this.#options.log ?? silentLog).error({ ...errorFields(error), receiver: item.delivery.receiverOin }, 'delivery outcome not recorded');
        })
        .finally(() => {
          this.#inFlight.delete(slot);
          this.nudge();
        });
      this.#inFlight.add(slot);
      return push;
    });
  }

  async #deliver({ delivery, bericht }: DeliveryWithBericht): Promise<void> {
    const { store, gateway } = this.#options;
    const key = { berichtId: delivery.berichtId, receiverOin: delivery.receiverOin };
    const endpoint = await this.#options.endpointOf(delivery.receiverOin);
    const address = typeof endpoint === 'string' ? { url: endpoint, kanaal: 'zicht-v1' as const } : endpoint;
    const versleuteling: Versleuteling = (await this.#options.versleutelingOf?.(delivery.receiverOin, this.#options.now?.() ?? new Date())) ?? { kind: 'plain' };
    const started = performance.now();
    const outcome: PushOutcome =
      address === undefined
        ? { kind: 'retry', code: 'NO_ENDPOINT' }
        : versleuteling.kind === 'no-current-key'
          ? { kind: 'retry', code: 'ENC_NO_CURRENT_KEY' }
          : await (this.#options.push ?? pushBericht)({
              url: address.url,
              kanaal: address.kanaal,
              body: bericht.body,
              ...(versleuteling.kind === 'encrypt' ? { encryptTo: versleuteling.sleutel } : {}),
              token: await createBearerToken(gateway, delivery.receiverOin),
              timeoutMs: this.#timeoutMs,
              ...(this.#options.dispatcher === undefined ? {} : { dispatcher: this.#options.dispatcher }),
              ...(bericht.traceparent === undefined ? {} : { traceparent: traceparentOf(bericht.traceparent) }),
            });
    const at = this.#options.now?.() ?? new Date();
    (this.#options.log ?? silentLog)[outcome.kind === 'delivered' ? 'info' : 'warn'](
      { berichtId: key.berichtId, receiver: key.receiverOin, outcome: outcome.kind, attempts: delivery.attempts + 1, ...(outcome.kind === 'delivered' ? {} : { code: outcome.code }) },
      'delivery',
    );
    const seconds = (performance.now() - started) / 1000;
    const commit = this.#options.commit ?? ((work) => store.transaction(work));
    let observed: 'delivered' | 'retry' | 'dead-letter' = outcome.kind === 'delivered' ? 'delivered' : 'dead-letter';
    await commit(async (tx) => {
      switch (outcome.kind) {
        case 'delivered':
          if (await tx.markDelivered(key, at)) await tx.appendEvent({ type: 'delivery.delivered', berichtId: key.berichtId, oin: key.receiverOin, at, data: { attempts: delivery.attempts + 1 } });
          return;
        case 'retry': {
          const next = nextAttempt(this.#options.policy ?? DEFAULT_RETRY_POLICY, delivery.attempts, bericht.receivedAt, at, Math.random, outcome.retryAfterMs);
          if (next !== undefined) {
            observed = 'retry';
            await tx.scheduleRetry(key, { workerId: this.#workerId, at, nextAttemptAt: next, errorCode: outcome.code });
            return;
          }
          await this.#deadLetter(tx, key, at, outcome.code, delivery.attempts + 1);
          return;
        }
        case 'refused':
          await this.#deadLetter(tx, key, at, outcome.code, delivery.attempts + 1);
          return;
      }
    });
    this.#options.observe?.(observed, seconds);
  }

  async #deadLetter(tx: StoreTransaction, key: { berichtId: string; receiverOin: string }, at: Date, code: string, attempts: number): Promise<void> {
    if (await tx.markFailed(key, { workerId: this.#workerId, at, errorCode: code })) {
      await tx.appendEvent({ type: 'delivery.dead-letter', berichtId: key.berichtId, oin: key.receiverOin, at, data: { code, attempts } });
    }
  }

  /** Claims and pushes in the background until {@link stop}. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    const pollMs = this.#options.pollMs ?? 200;
    let lastClaimMs = 0;
    while (this.#running) {
      // Claims are spaced by three times what the last one took (at most a poll interval): under load, a push ending
      // or a bericht coming in every moment then makes fewer, fuller claims (each one reads the outbox, and on SQLite
      // on the accept path's thread) instead of one claim per event, and claiming takes at most a quarter of the time.
      const gap = Math.min(lastClaimMs, pollMs);
      if (gap >= 1) await new Promise((resolve) => setTimeout(resolve, gap));
      if (!this.isRunning()) break;
      const nudges = this.#nudges;
      let filled = false;
      const started = performance.now();
      try {
        const free = Math.min(this.#options.batch ?? DEFAULT_BATCH, this.#concurrency - this.#inFlight.size);
        // A claim that got all it asked for may have left more due deliveries behind: claim again at once.
        filled = free > 0 && (await this.#claim()).length === free;
      } catch (error) {
        // The store is unavailable or busy: the deliveries stay in the outbox; try again at the next poll.
        (this.#options.log ?? silentLog).warn(errorFields(error), 'delivery claim failed');
      }
      lastClaimMs = performance.now() - started;
      if (!this.isRunning()) break;
      if ((filled && this.#inFlight.size < this.#concurrency) || this.#nudges !== nudges) continue;
      // Wait for a push to end, a nudge (a bericht accepted), or the next poll (retries coming due).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** Whether the worker runs (between {@link start} and {@link stop}). */
  isRunning(): boolean {
    return this.#running;
  }

  /** Claims now instead of waiting (a bericht was accepted, a dead letter put back, a push ended). */
  nudge(): void {
    this.#nudges += 1;
    this.#wake?.();
  }

  /** Stops claiming and waits for the pushes in flight to end (each within its time-out) and their outcomes to be recorded. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    await Promise.all([...this.#inFlight]);
  }
}
