/**
 * The dossiers overview of the console (issue 21): one page of dossiers, newest activity first, filtered in SQL
 * and paged by keyset (the `seq` of a dossier's newest bericht), and the berichten of that page's dossiers in one
 * query. Two statements a page, whatever the number of dossiers in the store: no query per dossier.
 */
import { z } from 'zod';
import { Dossier } from '../model/bericht.js';
import { Oin } from '../model/primitives.js';
import { BERICHT_COLUMNS } from './rows.js';
import type { Executor, SqlValue } from './sql.js';
import { parseRow } from './validate.js';

/** What a page of the dossiers overview asks for; every member but `limit` narrows it. */
export const DossierListQuery = z.strictObject({
  /** Only dossiers this participant sent or received a bericht in (a participant's own view). */
  oin: Oin.optional(),
  /** Only dossiers with a bericht delivered to this participant (a gemeente or its team). */
  ontvanger: Oin.optional(),
  /** Part of the reference, case-insensitive. */
  zoek: z.string().min(1).max(64).optional(),
  /** `lopend`: no afsluiting stored; `afgesloten`: one is. */
  stand: z.enum(['lopend', 'afgesloten']).optional(),
  /** Only dossiers whose newest bericht came before this `seq` (the next page). */
  voor: z.int().min(1).optional(),
  limit: z.int().min(1).max(1000),
});
export type DossierListQuery = z.infer<typeof DossierListQuery>;

/** One dossier of a page: its reference and the `seq` of its newest bericht (the key of the next page). */
export interface DossierListRow {
  readonly referentie: string;
  readonly laatste: number;
}

const Count = z.union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)]);
const PageRow = z.object({ ref: Dossier.shape.referentie, last: Count });

/** `%` and `_` and the escape itself taken literally in a LIKE pattern (escape character `\`). */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of the overview (see {@link DossierListQuery}), newest activity first. */
export async function selectDossierPage(ex: Executor, q: DossierListQuery): Promise<DossierListRow[]> {
  const where: string[] = [];
  const having: string[] = [];
  const params: SqlValue[] = [];
  if (q.oin !== undefined) {
    where.push('b.dossier_referentie IN (SELECT dossier_referentie FROM berichten WHERE sender_oin = ? UNION SELECT dossier_referentie FROM deliveries WHERE receiver_oin = ?)');
    params.push(q.oin, q.oin);
  }
  if (q.ontvanger !== undefined) {
    where.push('b.dossier_referentie IN (SELECT dossier_referentie FROM deliveries WHERE receiver_oin = ?)');
    params.push(q.ontvanger);
  }
  if (q.zoek !== undefined) {
    where.push("UPPER(b.dossier_referentie) LIKE ? ESCAPE '\\'");
    params.push(`%${likeLiteral(q.zoek.toUpperCase())}%`);
  }
  if (q.stand !== undefined) having.push(`SUM(CASE WHEN b.bericht_type = 'afsluiting' THEN 1 ELSE 0 END) ${q.stand === 'afgesloten' ? '>' : '='} 0`);
  if (q.voor !== undefined) {
    having.push('MAX(b.seq) < ?');
    params.push(q.voor);
  }
  params.push(q.limit);
  const rows = await ex.all(
    `SELECT b.dossier_referentie AS ref, MAX(b.seq) AS last FROM berichten b
     ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
     GROUP BY b.dossier_referentie ${having.length === 0 ? '' : `HAVING ${having.join(' AND ')}`}
     ORDER BY last DESC LIMIT ?`,
    params,
  );
  return rows.map((row) => parseRow((r) => {
    const p = PageRow.parse(r);
    return { referentie: p.ref, laatste: p.last };
  }, row));
}

/** The rows of every bericht of these dossiers, in accept order (the caller opens each, as for one dossier). */
export async function selectBerichtenOfDossiers(ex: Executor, refs: readonly string[]): Promise<unknown[]> {
  if (refs.length === 0) return [];
  return ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE dossier_referentie IN (${refs.map(() => '?').join(', ')}) ORDER BY seq`, refs);
}
