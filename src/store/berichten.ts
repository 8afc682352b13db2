/**
 * The store's berichten: inserting an accepted bericht (with its audit salt and commitment) and reading them back.
 */
import { z } from 'zod';
import { Oin, Uuid } from '../model/primitives.js';
import { openBody, sealBody } from './body-cipher.js';
import type { Keyring } from './keyring.js';
import { commitTo } from './log-leaf.js';
import { BERICHT_COLUMNS, toBerichtRow } from './rows.js';
import { chunks, DossierReferentie, RefRow, SeqRow, single, type SqlContext } from './sql-context.js';
import type { StoreOperations } from './store.js';
import { StoredBericht } from './stored-bericht.js';
import { parseRow, validate } from './validate.js';

// `purgedAt` is the store's to set, never the caller's.
const NewBericht = StoredBericht.omit({ purgedAt: true });
const BerichtLookup = z.strictObject({ senderOin: Oin, berichtId: Uuid });

// Built once: a zod schema built per call costs more than a hundred parses of it (its checks are compiled on first use).
const Drawn = z.strictObject({ salt: z.string().regex(/^[0-9a-f]{64}$/), commitment: z.string().regex(/^[0-9a-f]{64}$/) });
const BerichtIds = z.array(Uuid).max(100_000);
/** A bericht row as a record, its body opened when it is encrypted at rest. */
export function berichtOf(keyring: Keyring | undefined, row: unknown): StoredBericht {
  const { bericht, sealed } = parseRow(toBerichtRow, row);
  return sealed === undefined ? bericht : { ...bericht, body: openBody(keyring, bericht.berichtId, bericht.body, sealed) };
}

/** The berichten table. See {@link StoreOperations} for what each method promises. */
export class BerichtenSql implements Pick<StoreOperations, 'insertBericht' | 'lockDossier' | 'findBericht' | 'getBericht' | 'listBerichtenByDossier' | 'existingBerichtIds'> {
  constructor(private readonly sql: SqlContext) {}

  async insertBericht(input: StoredBericht, canonical?: Uint8Array, drawn?: { salt: string; commitment: string }): Promise<StoredBericht> {
    const given = drawn === undefined ? undefined : validate(Drawn, drawn, 'commitment');
    const b = validate(NewBericht, input, 'bericht');
    return this.sql.atomic(async (ex) => {
      await this.sql.dialect.lockDossier(ex, b.dossierReferentie);
      // Encrypted at rest when a keyring is configured; the commitment below is over the plaintext.
      const stored = this.sql.keyring === undefined ? { body: b.body, kek: null, dek: null } : sealBody(this.sql.keyring, b.berichtId, b.body);
      const rows = await ex.all(
        `INSERT INTO berichten (bericht_id, sender_oin, bericht_type, dossier_referentie, volgnummer, in_antwoord_op,
           content_hash, body, received_at, receipt, traceparent, body_kek, body_dek) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
        [b.berichtId, b.senderOin, b.berichtType, b.dossierReferentie, b.volgnummer, b.inAntwoordOp ?? null, b.contentHash, stored.body, b.receivedAt, b.receipt, b.traceparent ?? null, stored.kek, stored.dek],
      );
      const seq = parseRow((row) => SeqRow.parse(row).seq, single(rows));
      // The audit log's commitment to this bericht, under a salt of its own (src/store/log-leaf.ts).
      const { salt, commitment } = given ?? commitTo(b.body, canonical === undefined ? undefined : { canonical, contentHash: b.contentHash });
      await ex.run('INSERT INTO bericht_salts (bericht_id, salt, commitment) VALUES (?, ?, ?)', [b.berichtId, salt, commitment]);
      this.sql.fresh?.set(b.berichtId, { seq, dossierReferentie: b.dossierReferentie, senderOin: b.senderOin, berichtType: b.berichtType, receivedAt: b.receivedAt, commitment, receivers: [] });
      // The row holds exactly the validated input (purgedAt is the store's, unset on insert): no need to read it back.
      return b;
    });
  }

  async lockDossier(dossierReferentie: string): Promise<void> {
    const ref = validate(DossierReferentie, dossierReferentie, 'dossier reference');
    await this.sql.atomic((ex) => this.sql.dialect.lockDossier(ex, ref));
  }

  async findBericht(senderOin: string, berichtId: string): Promise<StoredBericht | undefined> {
    const key = validate(BerichtLookup, { senderOin, berichtId }, 'bericht lookup');
    const rows = await this.sql.use((ex) =>
      ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE bericht_id = ? AND sender_oin = ?`, [key.berichtId, key.senderOin]),
    );
    return rows.length === 0 ? undefined : berichtOf(this.sql.keyring, rows[0]);
  }

  async getBericht(berichtId: string): Promise<StoredBericht | undefined> {
    const id = validate(Uuid, berichtId, 'berichtId');
    const rows = await this.sql.use((ex) => ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE bericht_id = ?`, [id]));
    return rows.length === 0 ? undefined : berichtOf(this.sql.keyring, rows[0]);
  }

  async listBerichtenByDossier(dossierReferentie: string): Promise<StoredBericht[]> {
    const ref = validate(DossierReferentie, dossierReferentie, 'dossier reference');
    const rows = await this.sql.use((ex) => ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE dossier_referentie = ? ORDER BY seq`, [ref]));
    return rows.map((row) => berichtOf(this.sql.keyring, row));
  }

  async existingBerichtIds(berichtIds: readonly string[]): Promise<Set<string>> {
    const ids = validate(BerichtIds, berichtIds, 'bericht ids');
    const found = new Set<string>();
    for (const part of chunks(ids, 300)) {
      const rows = await this.sql.use((ex) => ex.all(`SELECT bericht_id AS ref FROM berichten WHERE bericht_id IN (${part.map(() => '?').join(', ')})`, part));
      for (const row of rows) found.add(parseRow((r) => RefRow.parse(r).ref, row));
    }
    return found;
  }
}
