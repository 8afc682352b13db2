/**
 * The delivery worker: drains the outbox. It claims due push deliveries with a lease (so several
 * gateway processes on one database never push the same delivery at once, and a crashed worker's
 * deliveries come back when its lease runs out), pushes each through the webhook adapter, and
 * records the outcome with an event: delivered, a retry with backoff, or a dead letter.
 */
import { hostname } from 'node:os';
import type { Dispatcher } from 'undici';
import { PollLoop } from '../poll-loop.js';
import { pushBericht, type PushOutcome, type PushRequest } from '../../adapters/webhook/push.js';
import { createBearerToken } from '../signing/bearer-token.js';
import { traceparentOf } from '../trace/traceparent.js';
import type { Signer } from '../signing/signer.js';
import type { Afleveradres } from '../registry/deelnemer.js';
import type { Versleuteling } from '../registry/versleutelingssleutel.js';
import type { DeliveryWithBericht } from '../store/delivery.js';
import { silentLog, type Log } from '../observability/log.js';
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
  readonly batch?: number;
  readonly leaseMs?: number;
  /** Idle wait between polls when there was nothing to do. */
  readonly pollMs?: number;
  readonly now?: () => Date;
  readonly push?: (request: PushRequest) => Promise<PushOutcome>;
  /** The HTTP dispatcher pushes go through (e.g. adapters/webhook/endpoint-guard.ts); undici's global one by default. */
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

let workers = 0;

/** A delivery worker; `start()` polls until `stop()`, `runOnce()` does one round (for tests). */
export class DeliveryWorker {
  readonly #options: WorkerOptions;
  readonly #workerId: string;
  readonly #poll: PollLoop;

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.#workerId = options.workerId ?? `${hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60)}:${process.pid}:${++workers}`;
    // A round that delivered something goes on at once; an idle one, or a failed one (the store is unavailable
    // or busy; deliveries stay in the outbox), waits for the next poll.
    this.#poll = new PollLoop(() => this.runOnce().then((handled) => handled > 0, () => false), options.pollMs ?? 200);
  }

  /** Claims and pushes one batch of due deliveries; returns how many it handled. */
  async runOnce(): Promise<number> {
    const now = this.#options.now?.() ?? new Date();
    const claimed = await this.#options.store.claimDue(now, this.#options.batch ?? 32, new Date(now.getTime() + (this.#options.leaseMs ?? DEFAULT_LEASE_MS)), this.#workerId);
    await Promise.all(claimed.map((item) => this.#deliver(item)));
    return claimed.length;
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

  /** Polls in the background until {@link stop}. */
  start(): void {
    this.#poll.start();
  }

  /** Whether the worker polls (between {@link start} and {@link stop}). */
  isRunning(): boolean {
    return this.#poll.isRunning();
  }

  /** Polls now instead of waiting. */
  nudge(): void {
    this.#poll.nudge();
  }

  /** Stops polling and waits for the running round to end. */
  stop(): Promise<void> {
    return this.#poll.stop();
  }
}
