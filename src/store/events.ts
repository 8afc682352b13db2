/**
 * The events of berichten, each written with its leaf of the audit log in the same transaction.
 */
import { z } from 'zod';
import { Uuid } from '../model/primitives.js';
import { berichtLeaf } from './log-leaf.js';
import { EVENT_COLUMNS, toEvent } from './rows.js';
import { DossierReferentie, insertLeaf, SeqRow, single, type SqlContext, Timestamp } from './sql-context.js';
import type { StoreOperations } from './store.js';
import { type EventData, NewStoreEvent, type StoreEvent } from './store-event.js';
import { parseRow, validate } from './validate.js';

// A bericht stored before migration 4 has no salt, so its later leaves commit to nothing (null).
const LeafSource = z.object({ senderOin: z.string(), berichtType: z.string(), receivedAt: Timestamp, commitment: z.string().nullable() });
const OinRow = z.object({ oin: z.string() });

const EventPage = z.strictObject({ afterSeq: z.int().min(0), limit: z.int().min(1).max(100_000) });
/** The order of `ORDER BY receiver_oin` for OINs (ASCII digits): by UTF-16 code units. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The events table. See {@link StoreOperations} for what each method promises. */
export class EventsSql implements Pick<StoreOperations, 'appendEvent' | 'listEventsOfBericht' | 'listEvents' | 'listEventsOfDossier'> {
  constructor(private readonly sql: SqlContext) {}

  async appendEvent(input: NewStoreEvent): Promise<StoreEvent> {
    const e = validate(NewStoreEvent, input, 'event');
    return this.sql.atomic(async (ex) => {
      const text = JSON.stringify(e.data ?? {});
      const rows = await ex.all('INSERT INTO events (type, bericht_id, oin, at, data) VALUES (?, ?, ?, ?, ?) RETURNING seq', [e.type, e.berichtId, e.oin, e.at, text]);
      // The row holds exactly the validated input: only its place in the append order is read back. The data
      // as a reader of the row gets it (JSON text read back), without running the row schema over it again.
      const event: StoreEvent = { seq: parseRow((row) => SeqRow.parse(row).seq, single(rows)), type: e.type, berichtId: e.berichtId, oin: e.oin, at: new Date(e.at.getTime()), data: JSON.parse(text) as EventData };
      // The event's leaf of the audit log, in the same transaction: no event without its leaf. A bericht
      // this transaction wrote is known as written, with every delivery it has (they need the bericht first).
      const fresh = this.sql.fresh?.get(e.berichtId);
      const about =
        fresh ??
        parseRow((row) => LeafSource.parse(row), single(
          await ex.all(
            `SELECT b.sender_oin AS "senderOin", b.bericht_type AS "berichtType", b.received_at AS "receivedAt", s.commitment
             FROM berichten b LEFT JOIN bericht_salts s ON s.bericht_id = b.bericht_id WHERE b.bericht_id = ?`,
            [e.berichtId],
          ),
        ));
      // An event of the sender concerns every receiver; an event of a receiver concerns that receiver.
      const receiverOins =
        e.oin !== about.senderOin
          ? [e.oin]
          : fresh !== undefined
            ? [...fresh.receivers].sort(byCodeUnits)
            : (await ex.all('SELECT receiver_oin AS oin FROM deliveries WHERE bericht_id = ? ORDER BY receiver_oin', [e.berichtId])).map((row) => parseRow((r) => OinRow.parse(r).oin, row));
      const data = berichtLeaf({ type: e.type, at: e.at, berichtId: e.berichtId, berichtType: about.berichtType, senderOin: about.senderOin, receiverOins, receivedAt: about.receivedAt, commitment: about.commitment, data: event.data });
      await insertLeaf(ex, { senderOin: about.senderOin, receiverOins, at: e.at, data });
      return event;
    });
  }

  async listEventsOfBericht(berichtId: string): Promise<StoreEvent[]> {
    const id = validate(Uuid, berichtId, 'berichtId');
    const rows = await this.sql.use((ex) => ex.all(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.bericht_id = ? ORDER BY e.seq`, [id]));
    return rows.map((row) => parseRow(toEvent, row));
  }

  async listEvents(afterSeq: number, limit: number): Promise<StoreEvent[]> {
    const page = validate(EventPage, { afterSeq, limit }, 'event page');
    const rows = await this.sql.use((ex) => ex.all(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.seq > ? ORDER BY e.seq LIMIT ?`, [page.afterSeq, page.limit]));
    return rows.map((row) => parseRow(toEvent, row));
  }

  async listEventsOfDossier(dossierReferentie: string): Promise<StoreEvent[]> {
    const ref = validate(DossierReferentie, dossierReferentie, 'dossier reference');
    const rows = await this.sql.use((ex) =>
      ex.all(
        `SELECT ${EVENT_COLUMNS} FROM events e JOIN berichten b ON b.bericht_id = e.bericht_id
         WHERE b.dossier_referentie = ? ORDER BY e.seq`,
        [ref],
      ),
    );
    return rows.map((row) => parseRow(toEvent, row));
  }
}
