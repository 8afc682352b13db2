/**
 * The store's reads and writes, written once in SQL both SQLite and PostgreSQL understand. Subclasses say
 * where a statement runs: the store (autocommit, or its own transaction) or a transaction handle.
 */
import { z } from 'zod';
import { StoreError } from '../errors.js';
import { Dossier } from '../model/bericht.js';
import { Oin, Uuid } from '../model/primitives.js';
import {
  type Delivery,
  DeliveryKey,
  type DeliveryWithBericht,
  FailInput,
  type MailboxPage,
  MailboxQuery,
  NewDelivery,
  RetryInput,
  WorkerId,
} from './delivery.js';
import { BERICHT_COLUMNS, DELIVERY_COLUMNS, EVENT_COLUMNS, toBericht, toDelivery, toEvent } from './rows.js';
import type { Dialect, Executor, SqlValue } from './sql.js';
import type { StoreOperations } from './store.js';
import { NewStoreEvent, type StoreEvent } from './store-event.js';
import { StoredBericht } from './stored-bericht.js';
import { parseRow, validate } from './validate.js';

const ClaimInput = z
  .strictObject({ now: z.date(), limit: z.int().min(1).max(1000), leaseUntil: z.date(), workerId: WorkerId })
  .refine((claim) => claim.leaseUntil.getTime() > claim.now.getTime(), { path: ['leaseUntil'], message: 'Must be after now.' });
const BerichtLookup = z.strictObject({ senderOin: Oin, berichtId: Uuid });
const RecordRow = z.object({ record: z.string() });
const DepthRow = z.object({ oin: z.string(), n: z.coerce.number().int().min(0) });
const DeelnemerRecord = z.strictObject({ oin: Oin, record: z.string().min(2).max(1_000_000) });
const TokenId = z.strictObject({ iss: Oin, jti: z.string().min(1).max(200), expiresAt: z.date(), now: z.date() });
const DossierReferentie = Dossier.shape.referentie;
const KeyRow = z.object({ berichtId: z.string(), receiverOin: z.string() });
const BerichtPosition = z.object({ seq: z.union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)]), dossierReferentie: z.string() });

const KEY = 'bericht_id = ? AND receiver_oin = ?';
const LEASE_FREE_OR_MINE = '(lease_owner = ? OR lease_until IS NULL OR lease_until <= ?)';

/** The shared SQL of the store; see {@link StoreOperations} for what each method promises. */
export abstract class SqlOperations implements StoreOperations {
  protected constructor(protected readonly dialect: Dialect) {}

  /** Runs `work` in autocommit mode (the store) or in the current transaction (a handle). */
  protected abstract use<T>(work: (ex: Executor) => Promise<T>): Promise<T>;
  /** Runs `work` atomically: its own transaction (the store) or the current one (a handle). */
  protected abstract atomic<T>(work: (ex: Executor) => Promise<T>): Promise<T>;

  async insertBericht(input: StoredBericht): Promise<StoredBericht> {
    const b = validate(StoredBericht, input, 'bericht');
    return this.atomic(async (ex) => {
      await this.dialect.lockDossier(ex, b.dossierReferentie);
      const rows = await ex.all(
        `INSERT INTO berichten (bericht_id, sender_oin, bericht_type, dossier_referentie, volgnummer, in_antwoord_op,
           content_hash, body, received_at, receipt, traceparent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${BERICHT_COLUMNS}`,
        [b.berichtId, b.senderOin, b.berichtType, b.dossierReferentie, b.volgnummer, b.inAntwoordOp ?? null, b.contentHash, b.body, b.receivedAt, b.receipt, b.traceparent ?? null],
      );
      return parseRow(toBericht, single(rows));
    });
  }

  async getDeelnemerRecord(oin: string): Promise<string | undefined> {
    const key = validate(Oin, oin, 'OIN');
    const rows = await this.use((ex) => ex.all('SELECT record FROM deelnemers WHERE oin = ?', [key]));
    return rows.length === 0 ? undefined : parseRow((row) => RecordRow.parse(row).record, rows[0]);
  }

  async listDeelnemerRecords(): Promise<string[]> {
    const rows = await this.use((ex) => ex.all('SELECT record FROM deelnemers ORDER BY oin', []));
    return rows.map((row) => parseRow((r) => RecordRow.parse(r).record, row));
  }

  async putDeelnemerRecord(oin: string, record: string, replace: boolean): Promise<void> {
    const input = validate(DeelnemerRecord, { oin, record }, 'participant record');
    await this.use((ex) =>
      ex.run(
        replace ? 'INSERT INTO deelnemers (oin, record) VALUES (?, ?) ON CONFLICT (oin) DO UPDATE SET record = excluded.record' : 'INSERT INTO deelnemers (oin, record) VALUES (?, ?)',
        [input.oin, input.record],
      ),
    );
  }

  async lockDossier(dossierReferentie: string): Promise<void> {
    const ref = validate(DossierReferentie, dossierReferentie, 'dossier reference');
    await this.atomic((ex) => this.dialect.lockDossier(ex, ref));
  }

  async claimTokenId(iss: string, jti: string, expiresAt: Date, now: Date): Promise<boolean> {
    const token = validate(TokenId, { iss, jti, expiresAt, now }, 'token id');
    return this.atomic(async (ex) => {
      await ex.run('DELETE FROM token_ids WHERE iss = ? AND jti = ? AND expires_at <= ?', [token.iss, token.jti, token.now]);
      const rows = await ex.all('INSERT INTO token_ids (iss, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING iss', [token.iss, token.jti, token.expiresAt]);
      return rows.length === 1;
    });
  }

  async purgeTokenIds(now: Date): Promise<number> {
    const at = validate(z.date(), now, 'now');
    const rows = await this.use((ex) => ex.all('DELETE FROM token_ids WHERE expires_at <= ? RETURNING iss', [at]));
    return rows.length;
  }

  async findBericht(senderOin: string, berichtId: string): Promise<StoredBericht | undefined> {
    const key = validate(BerichtLookup, { senderOin, berichtId }, 'bericht lookup');
    const rows = await this.use((ex) =>
      ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE bericht_id = ? AND sender_oin = ?`, [key.berichtId, key.senderOin]),
    );
    return rows.length === 0 ? undefined : parseRow(toBericht, rows[0]);
  }

  async getBericht(berichtId: string): Promise<StoredBericht | undefined> {
    const id = validate(Uuid, berichtId, 'berichtId');
    const rows = await this.use((ex) => ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE bericht_id = ?`, [id]));
    return rows.length === 0 ? undefined : parseRow(toBericht, rows[0]);
  }

  async listBerichtenByDossier(dossierReferentie: string): Promise<StoredBericht[]> {
    const ref = validate(DossierReferentie, dossierReferentie, 'dossier reference');
    const rows = await this.use((ex) => ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE dossier_referentie = ? ORDER BY seq`, [ref]));
    return rows.map((row) => parseRow(toBericht, row));
  }

  async enqueueDelivery(input: NewDelivery): Promise<Delivery> {
    const d = validate(NewDelivery, input, 'delivery');
    return this.atomic(async (ex) => {
      const found = await ex.all('SELECT seq, dossier_referentie AS "dossierReferentie" FROM berichten WHERE bericht_id = ?', [d.berichtId]);
      if (found.length === 0) throw new StoreError('ZICHT_STORE_NOT_FOUND', { message: 'The delivery refers to a bericht that is not stored.' });
      const position = parseRow((row) => BerichtPosition.parse(row), found[0]);
      const rows = await ex.all(
        `INSERT INTO deliveries (bericht_id, receiver_oin, bericht_seq, dossier_referentie, mode, status, attempts, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, 'queued', 0, ?) RETURNING ${DELIVERY_COLUMNS}`,
        [d.berichtId, d.receiverOin, position.seq, position.dossierReferentie, d.mode, d.nextAttemptAt],
      );
      return parseRow(toDelivery, single(rows)).delivery;
    });
  }

  async listDeliveries(berichtId: string): Promise<Delivery[]> {
    const id = validate(Uuid, berichtId, 'berichtId');
    const rows = await this.use((ex) => ex.all(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE bericht_id = ? ORDER BY receiver_oin`, [id]));
    return rows.map((row) => parseRow(toDelivery, row).delivery);
  }

  async claimDue(now: Date, limit: number, leaseUntil: Date, workerId: string): Promise<DeliveryWithBericht[]> {
    const claim = validate(ClaimInput, { now, limit, leaseUntil, workerId }, 'claim');
    return this.atomic(async (ex) => {
      // An earlier bericht of the same dossier to the same receiver that is still queued blocks this one,
      // leased or not: the worker delivers a dossier's berichten to a receiver one after the other.
      const due = await ex.all(
        `SELECT c.bericht_id AS "berichtId", c.receiver_oin AS "receiverOin" FROM deliveries c
         WHERE c.status = 'queued' AND c.mode = 'push' AND c.next_attempt_at <= ?
           AND (c.lease_until IS NULL OR c.lease_until <= ?)
           AND NOT EXISTS (SELECT 1 FROM deliveries p WHERE p.receiver_oin = c.receiver_oin
             AND p.dossier_referentie = c.dossier_referentie AND p.status = 'queued' AND p.bericht_seq < c.bericht_seq)
         ORDER BY c.bericht_seq, c.receiver_oin LIMIT ? ${this.dialect.claimLock}`,
        [claim.now, claim.now, claim.limit],
      );
      if (due.length === 0) return [];
      const keys = due.map((row) => parseRow((r) => KeyRow.parse(r), row));
      const values = keys.map(() => '(?, ?)').join(', ');
      const keyParams = keys.flatMap((k): SqlValue[] => [k.berichtId, k.receiverOin]);
      await ex.run(`UPDATE deliveries SET lease_owner = ?, lease_until = ? WHERE (bericht_id, receiver_oin) IN (VALUES ${values})`, [
        claim.workerId,
        claim.leaseUntil,
        ...keyParams,
      ]);
      const rows = await ex.all(
        `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE (bericht_id, receiver_oin) IN (VALUES ${values}) ORDER BY bericht_seq, receiver_oin`,
        keyParams,
      );
      return this.withBerichten(
        ex,
        rows.map((row) => parseRow(toDelivery, row).delivery),
      );
    });
  }

  async markDelivered(key: DeliveryKey, at: Date): Promise<boolean> {
    const k = validate(DeliveryKey, key, 'delivery key');
    const when = validate(z.date(), at, 'time');
    const changed = await this.use((ex) =>
      ex.run(
        `UPDATE deliveries SET status = 'delivered', delivered_at = ?, lease_owner = NULL, lease_until = NULL
         WHERE ${KEY} AND status = 'queued'`,
        [when, k.berichtId, k.receiverOin],
      ),
    );
    return changed > 0;
  }

  async acknowledge(key: DeliveryKey, at: Date): Promise<Delivery | undefined> {
    const k = validate(DeliveryKey, key, 'delivery key');
    const when = validate(z.date(), at, 'time');
    return this.atomic(async (ex) => {
      await ex.run(
        `UPDATE deliveries SET status = 'acknowledged', acknowledged_at = ?, delivered_at = COALESCE(delivered_at, ?),
           lease_owner = NULL, lease_until = NULL
         WHERE ${KEY} AND status <> 'acknowledged'`,
        [when, when, k.berichtId, k.receiverOin],
      );
      const rows = await ex.all(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE ${KEY}`, [k.berichtId, k.receiverOin]);
      return rows.length === 0 ? undefined : parseRow(toDelivery, rows[0]).delivery;
    });
  }

  async scheduleRetry(key: DeliveryKey, retry: RetryInput): Promise<boolean> {
    const k = validate(DeliveryKey, key, 'delivery key');
    const r = validate(RetryInput, retry, 'retry');
    const changed = await this.use((ex) =>
      ex.run(
        `UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?, last_error_code = ?, lease_owner = NULL, lease_until = NULL
         WHERE ${KEY} AND status = 'queued' AND ${LEASE_FREE_OR_MINE}`,
        [r.nextAttemptAt, r.errorCode, k.berichtId, k.receiverOin, r.workerId, r.at],
      ),
    );
    return changed > 0;
  }

  async markFailed(key: DeliveryKey, fail: FailInput): Promise<boolean> {
    const k = validate(DeliveryKey, key, 'delivery key');
    const f = validate(FailInput, fail, 'dead letter');
    const changed = await this.use((ex) =>
      ex.run(
        `UPDATE deliveries SET status = 'failed', failed_at = ?, attempts = attempts + 1, last_error_code = ?,
           lease_owner = NULL, lease_until = NULL
         WHERE ${KEY} AND status = 'queued' AND ${LEASE_FREE_OR_MINE}`,
        [f.at, f.errorCode, k.berichtId, k.receiverOin, f.workerId, f.at],
      ),
    );
    return changed > 0;
  }

  async listMailbox(receiverOin: string, query: MailboxQuery): Promise<MailboxPage> {
    const oin = validate(Oin, receiverOin, 'receiver OIN');
    const q = validate(MailboxQuery, query, 'postbus query');
    // Two statements without a transaction are consistent here: a stored bericht never changes.
    return this.use(async (ex) => {
      const rows = await ex.all(
        `SELECT ${DELIVERY_COLUMNS} FROM deliveries
         WHERE receiver_oin = ? AND mode = 'pull' AND status IN ('queued', 'delivered') AND bericht_seq > ?
         ORDER BY bericht_seq LIMIT ?`,
        [oin, Number(q.after ?? '0'), q.limit + 1],
      );
      const parsed = rows.map((row) => parseRow(toDelivery, row));
      const page = parsed.slice(0, q.limit);
      const items = await this.withBerichten(
        ex,
        page.map((p) => p.delivery),
      );
      const last = page.at(-1);
      return parsed.length > q.limit && last !== undefined ? { items, next: String(last.seq) } : { items };
    });
  }

  async countQueuedByReceiver(): Promise<Map<string, number>> {
    const rows = await this.use((ex) => ex.all("SELECT receiver_oin AS oin, COUNT(*) AS n FROM deliveries WHERE status = 'queued' GROUP BY receiver_oin"));
    return new Map(rows.map((row) => parseRow((r) => { const { oin, n } = DepthRow.parse(r); return [oin, n] as const; }, row)));
  }

  async appendEvent(input: NewStoreEvent): Promise<StoreEvent> {
    const e = validate(NewStoreEvent, input, 'event');
    const rows = await this.use((ex) =>
      ex.all(
        `INSERT INTO events (type, bericht_id, oin, at, data) VALUES (?, ?, ?, ?, ?)
         RETURNING seq, type, bericht_id AS "berichtId", oin, at, data`,
        [e.type, e.berichtId, e.oin, e.at, JSON.stringify(e.data ?? {})],
      ),
    );
    return parseRow(toEvent, single(rows));
  }

  async listEventsOfBericht(berichtId: string): Promise<StoreEvent[]> {
    const id = validate(Uuid, berichtId, 'berichtId');
    const rows = await this.use((ex) => ex.all(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.bericht_id = ? ORDER BY e.seq`, [id]));
    return rows.map((row) => parseRow(toEvent, row));
  }

  async listEventsOfDossier(dossierReferentie: string): Promise<StoreEvent[]> {
    const ref = validate(DossierReferentie, dossierReferentie, 'dossier reference');
    const rows = await this.use((ex) =>
      ex.all(
        `SELECT ${EVENT_COLUMNS} FROM events e JOIN berichten b ON b.bericht_id = e.bericht_id
         WHERE b.dossier_referentie = ? ORDER BY e.seq`,
        [ref],
      ),
    );
    return rows.map((row) => parseRow(toEvent, row));
  }

  /** Pairs deliveries with their berichten, keeping the deliveries' order. */
  private async withBerichten(ex: Executor, deliveries: Delivery[]): Promise<DeliveryWithBericht[]> {
    if (deliveries.length === 0) return [];
    const ids = [...new Set(deliveries.map((d) => d.berichtId))];
    const rows = await ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE bericht_id IN (${ids.map(() => '?').join(', ')})`, ids);
    const berichten = new Map(rows.map((row) => parseRow(toBericht, row)).map((b) => [b.berichtId, b]));
    return deliveries.map((delivery) => {
      const bericht = berichten.get(delivery.berichtId);
      if (bericht === undefined) throw new StoreError('ZICHT_STORE_FAILED', { message: 'A delivery refers to a bericht that is not stored.' });
      return { delivery, bericht };
    });
  }
}

/** The one row a statement with `RETURNING` gives. */
function single(rows: unknown[]): unknown {
  if (rows.length !== 1) throw new StoreError('ZICHT_STORE_FAILED', { message: 'The database returned an unexpected number of rows.' });
  return rows[0];
}
