/**
 * The gateway's retention schedule: a purge round (src/retention/purge.ts) every interval. A failed round
 * (database away) is reported and tried again at the next tick; rounds never overlap.
 */
import type { Store } from '../store/store.js';
import type { RetentionPolicy } from './policy.js';
import { purgePayloads, type PurgeReport } from './purge.js';

/** How often the gateway purges unless configured: every ten minutes. */
export const DEFAULT_PURGE_INTERVAL_MS = 600_000;

/** Options of the schedule. */
export interface RetentionTaskOptions {
  readonly policy: RetentionPolicy;
  readonly intervalMs?: number;
  /** The clock (tests pass their own). */
  readonly now?: () => Date;
  readonly onRound?: (report: PurgeReport) => void;
  readonly onError?: (error: unknown) => void;
}

/** A running schedule. */
export interface RetentionTask {
  /** Runs one round now (waits for a running one first). */
  runOnce(): Promise<PurgeReport | undefined>;
  /** Stops the schedule and waits for a running round. */
  stop(): Promise<void>;
}

/** Starts purging on a schedule; the first round runs after one interval. */
export function startRetentionTask(store: Store, options: RetentionTaskOptions): RetentionTask {
  let running: Promise<PurgeReport | undefined> = Promise.resolve(undefined);
  let stopped = false;
  const round = (): Promise<PurgeReport | undefined> => {
    running = running.then(async () => {
      if (stopped) return undefined;
      try {
        const report = await purgePayloads(store, { policy: options.policy, now: options.now?.() ?? new Date() });
        options.onRound?.(report);
        return report;
      } catch (error) {
        options.onError?.(error);
        return undefined;
      }
    });
    return running;
  };
  const timer = setInterval(() => {
    void round();
  }, options.intervalMs ?? DEFAULT_PURGE_INTERVAL_MS);
  timer.unref();
  return {
    runOnce: round,
    async stop() {
      clearInterval(timer);
      stopped = true;
      await running;
    },
  };
}
