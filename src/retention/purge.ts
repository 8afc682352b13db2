/**
 * Purging payloads under the retention policy (src/retention/policy.ts). For each bericht that is due, in
 * one transaction: the `bericht.purged` event (its audit leaf still names the commitment), then the store
 * replaces the payload by its residue (src/retention/residue.ts) and deletes the salt and the wrapped data
 * key. Then the round deletes the metadata of dossiers whose audit period ran out (src/retention/expire.ts).
 * After the round the store reclaims the space, so the payload is gone from the database's files too.
 */
import type { PurgeCandidate } from '../store/purge.js';
import type { Store } from '../store/store.js';
import { expireMetadata, type ExpiryReport } from './expire.js';
import { purgeCutoffs, type RetentionPolicy } from './policy.js';
import { residueOf } from './residue.js';

/** The event type that records a purge. Its data: the reason and the bericht type; never content. */
export const PURGED_EVENT = 'bericht.purged';

/** What a purge round did (or, dry, would do). */
export interface PurgeReport {
  readonly dryRun: boolean;
  /** The berichten due, metadata only. */
  readonly candidates: readonly PurgeCandidate[];
  /** How many were purged (0 on a dry run; fewer than candidates when another gateway purged some first). */
  readonly purged: number;
  /** The dossiers whose metadata went (or, dry, would go) after the audit period. */
  readonly metadata: ExpiryReport;
}

/** Options of a purge round. */
export interface PurgeOptions {
  readonly policy: RetentionPolicy;
  readonly now: Date;
  /** Only list what would go. */
  readonly dryRun?: boolean;
  /** At most this many berichten per round (default 500). */
  readonly limit?: number;
}

/**
 * Purges the payloads that are due at `now`, then deletes the metadata of dossiers past the audit period
 * (or lists both, with `dryRun`).
 *
 * @throws {StoreUnavailableError} when the database cannot be reached; berichten purged before stay purged.
 */
export async function purgePayloads(store: Store, options: PurgeOptions): Promise<PurgeReport> {
  const candidates = await store.listPurgeable(purgeCutoffs(options.policy, options.now), options.limit ?? 500);
  if (options.dryRun === true) return { dryRun: true, candidates, purged: 0, metadata: await expireMetadata(store, { policy: options.policy, now: options.now, dryRun: true }) };
  let purged = 0;
  for (const candidate of candidates) {
    const done = await store.transaction(async (tx) => {
      const bericht = await tx.getBericht(candidate.berichtId);
      if (bericht === undefined || bericht.purgedAt !== undefined) return false;
      await tx.appendEvent({ type: PURGED_EVENT, berichtId: candidate.berichtId, oin: candidate.senderOin, at: options.now, data: { reason: candidate.reason, berichtType: candidate.berichtType } });
      return tx.purgeBericht(candidate.berichtId, residueOf(bericht.body), options.now);
    });
    if (done) purged += 1;
  }
  const metadata = await expireMetadata(store, { policy: options.policy, now: options.now });
  if (purged > 0 || metadata.expired > 0) await store.reclaim();
  return { dryRun: false, candidates, purged, metadata };
}
