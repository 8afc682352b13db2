/**
 * Deleting metadata after the audit period (`auditPeriodYears`, src/retention/policy.ts). The metadata of a
 * bericht (its residue, deliveries, events, termijnen) is the trail of who was responsible when; it is kept
 * for the audit period and then deleted, a whole dossier at a time, so that no dossier is ever half there:
 * the ledger and the trail rules read a dossier whole, and a half-deleted one would answer wrongly.
 *
 * The reference time is the dossier's **last activity** (its newest bericht or event, the purge of its last
 * payload included), not each bericht's own age: a dossier still in use keeps its oldest berichten, and one
 * that went quiet goes whole, `auditPeriodYears` after the last thing that happened in it. Each deletion
 * writes a `dossier.expired` leaf of the audit log with the counts (no dossier reference, no personal data);
 * the log itself is append-only, keeps every earlier leaf, and still verifies.
 */
import type { ExpiredCounts, ExpiredDossier } from '../store/expire.js';
import type { Store } from '../store/store.js';
import type { RetentionPolicy } from './policy.js';

/** What a round of metadata expiry did (or, dry, would do). */
export interface ExpiryReport {
  readonly dryRun: boolean;
  /** The end of the audit period: dossiers whose last activity is at or before it are due. */
  readonly before: Date;
  /** The dossiers due, metadata only. */
  readonly candidates: readonly ExpiredDossier[];
  /** How many dossiers were deleted (0 on a dry run). */
  readonly expired: number;
  /** What the deleted dossiers held, summed. */
  readonly removed: ExpiredCounts;
}

/** Options of an expiry round. */
export interface ExpiryOptions {
  readonly policy: RetentionPolicy;
  readonly now: Date;
  readonly dryRun?: boolean;
  /** At most this many dossiers per round (default 100). */
  readonly limit?: number;
}

/** The end of the audit period at `now`: `auditPeriodYears` calendar years earlier (UTC). */
export function auditPeriodCutoff(policy: RetentionPolicy, now: Date): Date {
  const before = new Date(now.getTime());
  before.setUTCFullYear(before.getUTCFullYear() - policy.auditPeriodYears);
  return before;
}

/**
 * Deletes the metadata of the dossiers whose audit period ran out at `now` (or lists them, with `dryRun`).
 *
 * @throws {StoreUnavailableError} when the database cannot be reached; dossiers deleted before stay deleted.
 */
export async function expireMetadata(store: Store, options: ExpiryOptions): Promise<ExpiryReport> {
  const before = auditPeriodCutoff(options.policy, options.now);
  const candidates = await store.listExpiredDossiers(before, options.limit ?? 100);
  const removed = { berichten: 0, deliveries: 0, events: 0, termijnen: 0 };
  if (options.dryRun === true) return { dryRun: true, before, candidates, expired: 0, removed };
  let expired = 0;
  for (const candidate of candidates) {
    const counts = await store.expireDossier(candidate.dossierReferentie, before, options.now);
    if (counts === undefined) continue;
    expired += 1;
    removed.berichten += counts.berichten;
    removed.deliveries += counts.deliveries;
    removed.events += counts.events;
    removed.termijnen += counts.termijnen;
  }
  return { dryRun: false, before, candidates, expired, removed };
}
