/**
 * The overview reads of the console (src/console/) across berichten and their deliveries.
 */
import { z } from 'zod';
import { BERICHT_TYPES, Dossier } from '../model/bericht.js';
import { Oin } from '../model/primitives.js';
import { berichtOf } from './berichten.js';
import { DeliveryStatus as DeliveryStatusSchema, type Delivery } from './delivery.js';
import { DELIVERY_COLUMNS, BERICHT_COLUMNS, toDelivery } from './rows.js';
import type { SqlValue } from './sql.js';
import { RefRow, SeqRow, type SqlContext } from './sql-context.js';
import type { BerichtenQuery, StoreOperations } from './store.js';
import type { StoredBericht } from './stored-bericht.js';
import { DossierListQuery, type DossierListRow, selectBerichtenOfDossiers, selectDossierPage } from './dossier-list.js';
import { parseRow, validate } from './validate.js';

const Overview = z.strictObject({ oin: Oin.optional(), limit: z.int().min(1).max(1000) });
const BerichtenOverview = Overview.extend({
  berichtType: z.enum(BERICHT_TYPES).optional(),
  status: DeliveryStatusSchema.optional(),
  van: z.date().optional(),
  tot: z.date().optional(),
  voor: z.int().min(1).optional(),
});

/** Reads across the berichten and deliveries tables. See {@link StoreOperations} for what each method promises. */
export class OverviewSql implements Pick<StoreOperations, 'listRecentBerichten' | 'listDossierReferenties' | 'listDossierPage' | 'listBerichtenOfDossiers'> {
  constructor(private readonly sql: SqlContext) {}

  async listRecentBerichten(query: BerichtenQuery): Promise<{ bericht: StoredBericht; deliveries: Delivery[]; seq: number }[]> {
    const q = validate(BerichtenOverview, query, 'overview query');
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.oin !== undefined) {
      where.push('(b.sender_oin = ? OR EXISTS (SELECT 1 FROM deliveries d WHERE d.bericht_id = b.bericht_id AND d.receiver_oin = ?))');
      params.push(q.oin, q.oin);
    }
    if (q.berichtType !== undefined) {
      where.push('b.bericht_type = ?');
      params.push(q.berichtType);
    }
    if (q.status !== undefined) {
      where.push('EXISTS (SELECT 1 FROM deliveries d WHERE d.bericht_id = b.bericht_id AND d.status = ?)');
      params.push(q.status);
    }
    if (q.van !== undefined) {
      where.push('b.received_at >= ?');
      params.push(q.van);
    }
    if (q.tot !== undefined) {
      where.push('b.received_at < ?');
      params.push(q.tot);
    }
    if (q.voor !== undefined) {
      where.push('b.seq < ?');
      params.push(q.voor);
    }
    return this.sql.use(async (ex) => {
      const rows = await ex.all(
        `SELECT b.seq AS "seq", ${BERICHT_COLUMNS} FROM berichten b ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY b.seq DESC LIMIT ?`,
        [...params, q.limit],
      );
      const berichten = rows.map((row) => ({ bericht: berichtOf(this.sql.keyring, row), seq: SeqRow.parse(row).seq }));
      if (berichten.length === 0) return [];
      const ids = berichten.map((b) => b.bericht.berichtId);
      const deliveryRows = await ex.all(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE bericht_id IN (${ids.map(() => '?').join(', ')}) ORDER BY receiver_oin`, ids);
      const deliveries = deliveryRows.map((row) => parseRow(toDelivery, row).delivery);
      return berichten.map(({ bericht, seq }) => ({ bericht, seq, deliveries: deliveries.filter((d) => d.berichtId === bericht.berichtId) }));
    });
  }

  async listDossierReferenties(query: { oin?: string; limit: number }): Promise<string[]> {
    const q = validate(Overview, query, 'overview query');
    const rows = await this.sql.use((ex) =>
      q.oin === undefined
        ? ex.all('SELECT dossier_referentie AS ref, MAX(seq) AS last FROM berichten GROUP BY dossier_referentie ORDER BY last DESC LIMIT ?', [q.limit])
        : ex.all(
            `SELECT b.dossier_referentie AS ref, MAX(b.seq) AS last FROM berichten b
             WHERE b.sender_oin = ? OR EXISTS (SELECT 1 FROM deliveries d WHERE d.bericht_id = b.bericht_id AND d.receiver_oin = ?)
             GROUP BY b.dossier_referentie ORDER BY last DESC LIMIT ?`,
            [q.oin, q.oin, q.limit],
          ),
    );
    return rows.map((row) => parseRow((r) => RefRow.parse(r).ref, row));
  }

  async listDossierPage(query: DossierListQuery): Promise<DossierListRow[]> {
    const q = validate(DossierListQuery, query, 'dossier list query');
    return this.sql.use((ex) => selectDossierPage(ex, q));
  }

  async listBerichtenOfDossiers(refs: readonly string[]): Promise<StoredBericht[]> {
    const list = validate(z.array(Dossier.shape.referentie).max(1000), refs, 'dossier references');
    const rows = await this.sql.use((ex) => selectBerichtenOfDossiers(ex, list));
    return rows.map((row) => berichtOf(this.sql.keyring, row));
  }
}
