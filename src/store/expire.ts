/**
 * Deleting a dossier's metadata after the audit period (src/retention/expire.ts decides when): the store's
 * side. A dossier goes whole or not at all: its berichten (residues), deliveries, events, termijnen and any
 * salt left, in one transaction, when every payload of it was purged and its last activity lies before the
 * cutoff. The audit log is append-only and keeps its leaves; the caller writes a leaf that records the
 * deletion, with counts only.
 */
import { z } from 'zod';
import { Dossier } from '../model/bericht.js';
import { Oin } from '../model/primitives.js';
import type { Executor, SqlValue } from './sql.js';
import { parseRow } from './validate.js';

/** A dossier whose metadata is due for deletion: safe to print (`zicht purge --dry-run`). */
export const ExpiredDossier = z.strictObject({
  dossierReferentie: Dossier.shape.referentie,
  /** How many berichten (all purged) it holds. */
  berichten: z.int().min(1),
  /** The latest of its berichten's receipt times and its events' times. */
  lastActivity: z.date(),
});
export type ExpiredDossier = z.infer<typeof ExpiredDossier>;

/** What deleting one dossier's metadata removed, and whom the record of it concerns. */
export const ExpiredCounts = z.strictObject({
  berichten: z.int().min(0),
  deliveries: z.int().min(0),
  events: z.int().min(0),
  termijnen: z.int().min(0),
});
export type ExpiredCounts = z.infer<typeof ExpiredCounts>;

/** The deletion of one dossier: its counts, its last activity, and its participants (the first sender first). */
export type DossierExpiry = {
  readonly counts: ExpiredCounts;
  readonly lastActivity: Date;
  readonly senderOin: string;
  readonly otherOins: readonly string[];
};

const Timestamp = z.union([z.date(), z.number()]).transform((value) => new Date(value));
const Count = z.union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)]);
const ExpiredRow = z.object({ ref: z.string(), berichten: Count, lastReceived: Timestamp, lastEvent: Timestamp.nullable() });
const OldestRow = z.object({ at: Timestamp });
const OinRow = z.object({ oin: Oin });

// A dossier is due when: every bericht of it is purged (so no delivery is queued or waiting in a postbus),
// its newest bericht and its newest event (acknowledgements, termijn signals, the purge itself) are at or
// before the cutoff, and no termijn of it is open. The purge's own event counts as activity, which only ever
// keeps a dossier longer.
const DUE = `
  FROM (SELECT dossier_referentie AS ref, COUNT(*) AS berichten, MAX(received_at) AS last_received,
               SUM(CASE WHEN purged_at IS NULL THEN 1 ELSE 0 END) AS unpurged
        FROM berichten GROUP BY dossier_referentie) d
  WHERE d.unpurged = 0 AND d.last_received <= ?
    AND NOT EXISTS (SELECT 1 FROM events e JOIN berichten b ON b.bericht_id = e.bericht_id WHERE b.dossier_referentie = d.ref AND e.at > ?)
    AND NOT EXISTS (SELECT 1 FROM termijnen t WHERE t.dossier_referentie = d.ref AND t.status = 'open')`;
const SELECT_DUE = `SELECT d.ref AS ref, d.berichten AS berichten, d.last_received AS "lastReceived",
    (SELECT MAX(e.at) FROM events e JOIN berichten b ON b.bericht_id = e.bericht_id WHERE b.dossier_referentie = d.ref) AS "lastEvent"`;

const toExpired = (row: unknown): ExpiredDossier => {
  const r = ExpiredRow.parse(row);
  const lastActivity = r.lastEvent !== null && r.lastEvent > r.lastReceived ? r.lastEvent : r.lastReceived;
  return ExpiredDossier.parse({ dossierReferentie: r.ref, berichten: r.berichten, lastActivity });
};

/** Up to `limit` dossiers whose metadata is due at `before`, oldest activity first. */
export async function listExpiredDossiers(ex: Executor, before: Date, limit: number): Promise<ExpiredDossier[]> {
  // Cheap first: while the oldest bericht is younger than the cutoff (a gateway's first years), nothing is due.
  const oldest = await ex.all('SELECT received_at AS at FROM berichten ORDER BY seq LIMIT 1', []);
  const first = oldest[0];
  if (first === undefined || parseRow((row) => OldestRow.parse(row).at, first) > before) return [];
  const rows = await ex.all(`${SELECT_DUE} ${DUE} ORDER BY d.last_received, d.ref LIMIT ?`, [before, before, limit]);
  return rows.map((row) => parseRow(toExpired, row));
}

/**
 * Deletes one dossier's metadata when it is (still) due at `before`, inside the caller's transaction (which
 * has locked the dossier). Returns what went, or undefined when it is not due (any more).
 */
export async function deleteExpiredDossier(ex: Executor, dossierReferentie: string, before: Date): Promise<DossierExpiry | undefined> {
  const due = await ex.all(`${SELECT_DUE} ${DUE} AND d.ref = ?`, [before, before, dossierReferentie]);
  const first = due[0];
  if (first === undefined) return undefined;
  const { lastActivity } = parseRow(toExpired, first);
  const oins = async (sql: string) => (await ex.all(sql, [dossierReferentie])).map((row) => parseRow((r) => OinRow.parse(r).oin, row));
  const [senderOin] = await oins('SELECT sender_oin AS oin FROM berichten WHERE dossier_referentie = ? ORDER BY seq LIMIT 1');
  if (senderOin === undefined) return undefined;
  const participants = new Set([
    ...(await oins('SELECT DISTINCT sender_oin AS oin FROM berichten WHERE dossier_referentie = ?')),
    ...(await oins('SELECT DISTINCT receiver_oin AS oin FROM deliveries WHERE dossier_referentie = ?')),
  ]);
  participants.delete(senderOin);
  const ofDossier = 'bericht_id IN (SELECT bericht_id FROM berichten WHERE dossier_referentie = ?)';
  const params: SqlValue[] = [dossierReferentie];
  const termijnen = await ex.run(`DELETE FROM termijnen WHERE ${ofDossier}`, params);
  const events = await ex.run(`DELETE FROM events WHERE ${ofDossier}`, params);
  const deliveries = await ex.run(`DELETE FROM deliveries WHERE ${ofDossier}`, params);
  await ex.run(`DELETE FROM bericht_salts WHERE ${ofDossier}`, params);
  const berichten = await ex.run('DELETE FROM berichten WHERE dossier_referentie = ?', params);
  return { counts: { berichten, deliveries, events, termijnen }, lastActivity, senderOin, otherOins: [...participants].sort() };
}
