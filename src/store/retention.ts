/**
 * Retention and encryption at rest (src/retention/): which payloads are due and purging one, expiring whole
 * dossiers, re-wrapping payload keys.
 */
import { z } from 'zod';
import { StoreError } from '../errors.js';
import { Uuid } from '../model/primitives.js';
import { rewrapKey, sealBody } from './body-cipher.js';
import { deleteExpiredDossier, type ExpiredCounts, type ExpiredDossier, listExpiredDossiers } from './expire.js';
import { expiryLeaf } from './log-leaf.js';
import { PurgeCandidate, PurgeCutoffs } from './purge.js';
import { Count, DossierReferentie, insertLeaf, type SqlContext, Timestamp } from './sql-context.js';
import type { StoreOperations } from './store.js';
import { JsonText } from './stored-bericht.js';
import { parseRow, validate } from './validate.js';

const KekCountRow = z.object({ kek: z.string(), n: Count });
const RewrapRow = z.object({ berichtId: z.string(), body: z.string(), kek: z.string().nullable(), dek: z.string().nullable() });
const CandidateRow = z.object({
  berichtId: z.string(),
  berichtType: z.string(),
  senderOin: z.string(),
  dossierReferentie: z.string(),
  receivedAt: Timestamp,
  total: Count,
  failed: Count,
  acknowledged: Count,
});

const Limit = z.int().min(1).max(10_000);
const Purge = z.strictObject({ berichtId: Uuid, residue: JsonText, at: z.date() });
const ExpiryQuery = z.strictObject({ before: z.date(), limit: z.int().min(1).max(10_000) });
const Expiry = z.strictObject({ ref: DossierReferentie, before: z.date(), at: z.date() });
/** Payloads due for purging, expired dossiers, keys at rest. See {@link StoreOperations} for what each method promises. */
export class RetentionSql implements Pick<StoreOperations, 'listPurgeable' | 'purgeBericht' | 'listExpiredDossiers' | 'expireDossier' | 'rewrapBodies' | 'countBodiesByKek'> {
  constructor(private readonly sql: SqlContext) {}

  async listPurgeable(cutoffs: PurgeCutoffs, limit: number): Promise<PurgeCandidate[]> {
    const c = validate(PurgeCutoffs, cutoffs, 'purge cutoffs');
    const n = validate(Limit, limit, 'limit');
    // A delivery holds its bericht's payload until it settled before its cutoff. A pull delivery read but
    // not acknowledged still sits in the receiver's postbus, so it holds the payload until acknowledged.
    const rows = await this.sql.use((ex) =>
      ex.all(
        `SELECT b.bericht_id AS "berichtId", b.bericht_type AS "berichtType", b.sender_oin AS "senderOin",
           b.dossier_referentie AS "dossierReferentie", b.received_at AS "receivedAt",
           (SELECT COUNT(*) FROM deliveries d WHERE d.bericht_id = b.bericht_id) AS "total",
           (SELECT COUNT(*) FROM deliveries d WHERE d.bericht_id = b.bericht_id AND d.status = 'failed') AS "failed",
           (SELECT COUNT(*) FROM deliveries d WHERE d.bericht_id = b.bericht_id AND d.status = 'acknowledged') AS "acknowledged"
         FROM berichten b
         WHERE b.purged_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.bericht_id = b.bericht_id AND NOT (
                 (d.status = 'acknowledged' AND d.acknowledged_at <= ?)
              OR (d.status = 'delivered' AND d.mode = 'push' AND d.delivered_at <= ?)
              OR (d.status = 'failed' AND d.failed_at <= ?)))
           AND (EXISTS (SELECT 1 FROM deliveries d WHERE d.bericht_id = b.bericht_id) OR b.received_at <= ?)
         ORDER BY b.seq LIMIT ?`,
        [c.acknowledged, c.delivered, c.deadLetter, c.unrouted, n],
      ),
    );
    return rows.map((row) =>
      parseRow((r) => {
        const { total, failed, acknowledged, ...rest } = CandidateRow.parse(r);
        const reason = total === 0 ? 'unrouted' : failed > 0 ? 'dead-letter' : acknowledged === total ? 'acknowledged' : 'delivered';
        return PurgeCandidate.parse({ ...rest, deliveries: total, reason });
      }, row),
    );
  }

  async purgeBericht(berichtId: string, residue: string, at: Date): Promise<boolean> {
    const input = validate(Purge, { berichtId, residue, at }, 'purge');
    return this.sql.atomic(async (ex) => {
      // The wrapped data key goes with the payload: what is left of an encrypted body is unreadable.
      const changed = await ex.run('UPDATE berichten SET body = ?, body_kek = NULL, body_dek = NULL, purged_at = ? WHERE bericht_id = ? AND purged_at IS NULL', [
        input.residue,
        input.at,
        input.berichtId,
      ]);
      // Without its salt the commitment in the audit log can no longer be opened; the log still verifies.
      await ex.run('DELETE FROM bericht_salts WHERE bericht_id = ?', [input.berichtId]);
      this.sql.fresh?.delete(input.berichtId);
      return changed > 0;
    });
  }

  async listExpiredDossiers(before: Date, limit: number): Promise<ExpiredDossier[]> {
    const input = validate(ExpiryQuery, { before, limit }, 'expiry');
    return this.sql.use((ex) => listExpiredDossiers(ex, input.before, input.limit));
  }

  async expireDossier(dossierReferentie: string, before: Date, at: Date): Promise<ExpiredCounts | undefined> {
    const input = validate(Expiry, { ref: dossierReferentie, before, at }, 'expiry');
    return this.sql.atomic(async (ex) => {
      await this.sql.dialect.lockDossier(ex, input.ref);
      const expiry = await deleteExpiredDossier(ex, input.ref, input.before);
      if (expiry === undefined) return undefined;
      // The record of the deletion is a leaf of the audit log, in the same transaction: no deletion without it.
      await insertLeaf(ex, { senderOin: expiry.senderOin, receiverOins: expiry.otherOins, at: input.at, data: expiryLeaf({ at: input.at, lastActivity: expiry.lastActivity, removed: expiry.counts }) });
      return expiry.counts;
    });
  }

  async rewrapBodies(limit: number): Promise<number> {
    const n = validate(Limit, limit, 'limit');
    const keyring = this.sql.keyring;
    if (keyring === undefined) throw new StoreError('ZICHT_STORE_KEY_MISSING', { message: 'No keyring is configured.' });
    const current = keyring.currentId;
    return this.sql.atomic(async (ex) => {
      const rows = await ex.all(
        `SELECT bericht_id AS "berichtId", body, body_kek AS "kek", body_dek AS "dek" FROM berichten
         WHERE purged_at IS NULL AND (body_kek IS NULL OR body_kek <> ?) ORDER BY seq LIMIT ?`,
        [current, n],
      );
      let changed = 0;
      for (const row of rows) {
        const r = parseRow((x) => RewrapRow.parse(x), row);
        // Each update re-checks that the row is unpurged and unchanged, so a purge or another re-wrapper
        // in between wins and no purged payload is ever written back.
        if (r.kek === null || r.dek === null) {
          const sealed = sealBody(keyring, r.berichtId, r.body);
          changed += await ex.run('UPDATE berichten SET body = ?, body_kek = ?, body_dek = ? WHERE bericht_id = ? AND purged_at IS NULL AND body_kek IS NULL', [
            sealed.body,
            sealed.kek,
            sealed.dek,
            r.berichtId,
          ]);
        } else {
          const wrapped = rewrapKey(keyring, r.berichtId, { kek: r.kek, dek: r.dek });
          changed += await ex.run('UPDATE berichten SET body_kek = ?, body_dek = ? WHERE bericht_id = ? AND purged_at IS NULL AND body_kek = ?', [wrapped.kek, wrapped.dek, r.berichtId, r.kek]);
        }
      }
      return changed;
    });
  }

  async countBodiesByKek(): Promise<Map<string, number>> {
    const rows = await this.sql.use((ex) => ex.all("SELECT COALESCE(body_kek, '') AS kek, COUNT(*) AS n FROM berichten WHERE purged_at IS NULL GROUP BY body_kek"));
    return new Map(rows.map((row) => parseRow((r) => { const { kek, n } = KekCountRow.parse(r); return [kek, n] as const; }, row)));
  }
}
