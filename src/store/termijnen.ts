/**
 * The lifecycle's timers (src/store/termijn.ts, src/lifecycle/termijnen.ts).
 */
import { z } from 'zod';
import { TERMIJN_COLUMNS, toTermijn } from './rows.js';
import type { SqlValue } from './sql.js';
import { ClaimInput, DossierReferentie, LEASE_FREE_OR_MINE, single, type SqlContext } from './sql-context.js';
import type { StoreOperations } from './store.js';
import { FireInput, NewTermijn, type Termijn, TermijnKey } from './termijn.js';
import { parseRow, validate } from './validate.js';

const ClaimedTermijnRow = z.object({ berichtId: z.string(), soort: z.string(), moetHandelen: z.string(), maand: z.union([z.number(), z.string().regex(/^\d{1,2}$/).transform(Number)]) });
const TERMIJN_KEY = 'bericht_id = ? AND soort = ? AND moet_handelen = ? AND maand = ?';
const termijnKey = (k: TermijnKey): SqlValue[] => [k.berichtId, k.soort, k.moetHandelen, k.maand];
const Settle = z.strictObject({ status: z.enum(['gehaald', 'vervallen']), at: z.date() });

/** The termijnen table. See {@link StoreOperations} for what each method promises. */
export class TermijnenSql implements Pick<StoreOperations, 'openTermijn' | 'settleTermijn' | 'claimDueTermijnen' | 'fireTermijn' | 'listTermijnenOfDossier'> {
  constructor(private readonly sql: SqlContext) {}

  async openTermijn(termijn: NewTermijn): Promise<boolean> {
    const t = validate(NewTermijn, termijn, 'timer');
    const rows = await this.sql.use((ex) =>
      ex.all(
        `INSERT INTO termijnen (bericht_id, soort, moet_handelen, maand, dossier_referentie, profiel, regel, due_at, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open') ON CONFLICT DO NOTHING RETURNING bericht_id`,
        [...termijnKey(t), t.dossierReferentie, t.profiel, t.regel, t.dueAt],
      ),
    );
    return rows.length === 1;
  }

  async settleTermijn(key: TermijnKey, status: 'gehaald' | 'vervallen', at: Date): Promise<boolean> {
    const k = validate(TermijnKey, key, 'timer key');
    const s = validate(Settle, { status, at }, 'settlement');
    const changed = await this.sql.use((ex) =>
      ex.run(`UPDATE termijnen SET status = ?, settled_at = ?, lease_owner = NULL, lease_until = NULL WHERE ${TERMIJN_KEY} AND status = 'open'`, [s.status, s.at, ...termijnKey(k)]),
    );
    return changed > 0;
  }

  async claimDueTermijnen(now: Date, limit: number, leaseUntil: Date, workerId: string): Promise<Termijn[]> {
    const claim = validate(ClaimInput, { now, limit, leaseUntil, workerId }, 'claim');
    return this.sql.atomic(async (ex) => {
      const due = await ex.all(
        `SELECT c.bericht_id AS "berichtId", c.soort, c.moet_handelen AS "moetHandelen", c.maand FROM termijnen c
         WHERE c.status = 'open' AND c.due_at <= ? AND (c.lease_until IS NULL OR c.lease_until <= ?)
         ORDER BY c.due_at, c.bericht_id, c.soort, c.moet_handelen, c.maand LIMIT ? ${this.sql.dialect.claimLock}`,
        [claim.now, claim.now, claim.limit],
      );
      const claimed: Termijn[] = [];
      for (const row of due) {
        const key = parseRow((r) => TermijnKey.parse(ClaimedTermijnRow.parse(r)), row);
        const rows = await ex.all(`UPDATE termijnen SET lease_owner = ?, lease_until = ? WHERE ${TERMIJN_KEY} RETURNING ${TERMIJN_COLUMNS}`, [claim.workerId, claim.leaseUntil, ...termijnKey(key)]);
        claimed.push(parseRow(toTermijn, single(rows)));
      }
      return claimed;
    });
  }

  async fireTermijn(key: TermijnKey, fire: FireInput): Promise<boolean> {
    const k = validate(TermijnKey, key, 'timer key');
    const f = validate(FireInput, fire, 'firing');
    const changed = await this.sql.use((ex) =>
      ex.run(
        `UPDATE termijnen SET status = 'verlopen', settled_at = ?, signaal_id = ?, lease_owner = NULL, lease_until = NULL
         WHERE ${TERMIJN_KEY} AND status = 'open' AND ${LEASE_FREE_OR_MINE}`,
        [f.at, f.signaalId, ...termijnKey(k), f.workerId, f.at],
      ),
    );
    return changed > 0;
  }

  async listTermijnenOfDossier(dossierReferentie: string): Promise<Termijn[]> {
    const ref = validate(DossierReferentie, dossierReferentie, 'dossier reference');
    const rows = await this.sql.use((ex) => ex.all(`SELECT ${TERMIJN_COLUMNS} FROM termijnen WHERE dossier_referentie = ? ORDER BY due_at, bericht_id, soort, moet_handelen, maand`, [ref]));
    return rows.map((row) => parseRow(toTermijn, row));
  }
}
