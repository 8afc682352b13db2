/**
 * The outbox: the deliveries of stored berichten, one per receiver, from queued to delivered, acknowledged or failed.
 */
import { z } from 'zod';
import { StoreError } from '../errors.js';
import { Oin, Uuid } from '../model/primitives.js';
import { berichtOf } from './berichten.js';
import {
  type Delivery,
  type DeliveryStatus,
  DeliveryKey,
  DeliveryStatus as DeliveryStatusSchema,
  type DeliveryWithBericht,
  FailInput,
  type MailboxPage,
  MailboxQuery,
  NewDelivery,
  RetryInput,
} from './delivery.js';
import { BERICHT_COLUMNS, DELIVERY_COLUMNS, toDelivery } from './rows.js';
import type { Executor, SqlValue } from './sql.js';
import { ClaimInput, Count, LEASE_FREE_OR_MINE, type SqlContext } from './sql-context.js';
import type { StoreOperations } from './store.js';
import { parseRow, validate } from './validate.js';

const DepthRow = z.object({ oin: z.string(), n: z.coerce.number().int().min(0) });
const StatusCountRow = z.object({ status: DeliveryStatusSchema, n: z.coerce.number().int().min(0) });
const KeyRow = z.object({ berichtId: z.string(), receiverOin: z.string() });
const BerichtPosition = z.object({ seq: Count, dossierReferentie: z.string() });
const KEY = 'bericht_id = ? AND receiver_oin = ?';
/** Most deliveries to one receiver under a running lease after a claim (the delivery worker's slots). */
const PerReceiver = z.int().min(1).max(1000);

const Instant = z.date();
const StatusQuery = z.strictObject({ status: DeliveryStatusSchema, limit: z.int().min(1).max(1000) });
/** The deliveries table. See {@link StoreOperations} for what each method promises. */
export class OutboxSql implements Pick<StoreOperations, 'enqueueDelivery' | 'listDeliveries' | 'claimDue' | 'markDelivered' | 'acknowledge' | 'scheduleRetry' | 'markFailed' | 'listMailbox' | 'countQueuedByReceiver' | 'listDeliveriesByStatus' | 'countDeliveriesByStatus' | 'requeueDelivery'> {
  constructor(private readonly sql: SqlContext) {}

  async enqueueDelivery(input: NewDelivery): Promise<Delivery> {
    const d = validate(NewDelivery, input, 'delivery');
    return this.sql.atomic(async (ex) => {
      const fresh = this.sql.fresh?.get(d.berichtId);
      const position = fresh ?? (await this.positionOf(ex, d.berichtId));
      await ex.run(
        `INSERT INTO deliveries (bericht_id, receiver_oin, bericht_seq, dossier_referentie, mode, status, attempts, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, 'queued', 0, ?)`,
        [d.berichtId, d.receiverOin, position.seq, position.dossierReferentie, d.mode, d.nextAttemptAt],
      );
      // The row holds exactly the validated input and the defaults written above: no need to read it back.
      const delivery: Delivery = { berichtId: d.berichtId, receiverOin: d.receiverOin, mode: d.mode, status: 'queued', attempts: 0, nextAttemptAt: new Date(d.nextAttemptAt.getTime()) };
      fresh?.receivers.push(delivery.receiverOin);
      return delivery;
    });
  }

  async listDeliveries(berichtId: string): Promise<Delivery[]> {
    const id = validate(Uuid, berichtId, 'berichtId');
    const rows = await this.sql.use((ex) => ex.all(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE bericht_id = ? ORDER BY receiver_oin`, [id]));
    return rows.map((row) => parseRow(toDelivery, row).delivery);
  }

  async claimDue(now: Date, limit: number, leaseUntil: Date, workerId: string, perReceiver?: number): Promise<DeliveryWithBericht[]> {
    const claim = validate(ClaimInput, { now, limit, leaseUntil, workerId }, 'claim');
    const cap = perReceiver === undefined ? undefined : validate(PerReceiver, perReceiver, 'perReceiver');
    return this.sql.atomic(async (ex) => {
      // An earlier bericht of the same dossier to the same receiver that is still queued blocks this one,
      // leased or not: the worker delivers a dossier's berichten to a receiver one after the other.
      const due = await ex.all(
        cap === undefined
          ? `SELECT c.bericht_id AS "berichtId", c.receiver_oin AS "receiverOin" FROM deliveries c
             WHERE c.status = 'queued' AND c.mode = 'push' AND c.next_attempt_at <= ?
               AND (c.lease_until IS NULL OR c.lease_until <= ?)
               AND NOT EXISTS (SELECT 1 FROM deliveries p WHERE p.receiver_oin = c.receiver_oin
                 AND p.dossier_referentie = c.dossier_referentie AND p.status = 'queued' AND p.bericht_seq < c.bericht_seq)
             ORDER BY c.bericht_seq, c.receiver_oin LIMIT ? ${this.sql.dialect.claimLock}`
          : // With a per-receiver bound: `busy` counts each receiver's running leases (any worker's), `due` numbers
            // its due deliveries oldest first, and a receiver gets only as many as its free slots. The due
            // conditions are repeated on `c` so that PostgreSQL checks them again on a row another worker leased
            // between this statement's snapshot and its row lock.
            `WITH busy AS (
               SELECT receiver_oin, COUNT(*) AS n FROM deliveries
               WHERE status = 'queued' AND mode = 'push' AND lease_until > ? GROUP BY receiver_oin
             ), due AS (
               SELECT d.bericht_id, d.receiver_oin, ROW_NUMBER() OVER (PARTITION BY d.receiver_oin ORDER BY d.bericht_seq) AS rn
               FROM deliveries d
               WHERE d.status = 'queued' AND d.mode = 'push' AND d.next_attempt_at <= ?
                 AND (d.lease_until IS NULL OR d.lease_until <= ?)
                 AND NOT EXISTS (SELECT 1 FROM deliveries p WHERE p.receiver_oin = d.receiver_oin
                   AND p.dossier_referentie = d.dossier_referentie AND p.status = 'queued' AND p.bericht_seq < d.bericht_seq)
             )
             SELECT c.bericht_id AS "berichtId", c.receiver_oin AS "receiverOin" FROM deliveries c
             JOIN due ON due.bericht_id = c.bericht_id AND due.receiver_oin = c.receiver_oin
             LEFT JOIN busy ON busy.receiver_oin = c.receiver_oin
             WHERE due.rn + COALESCE(busy.n, 0) <= ?
               AND c.status = 'queued' AND c.next_attempt_at <= ? AND (c.lease_until IS NULL OR c.lease_until <= ?)
             ORDER BY c.bericht_seq, c.receiver_oin LIMIT ? ${this.sql.dialect.claimLock}`,
        cap === undefined ? [claim.now, claim.now, claim.limit] : [claim.now, claim.now, claim.now, cap, claim.now, claim.now, claim.limit],
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
    const when = validate(Instant, at, 'time');
    const changed = await this.sql.use((ex) =>
      ex.run(
        // A delivery that succeeded has no last error any more: the status no longer reports an attempt that failed before.
        `UPDATE deliveries SET status = 'delivered', delivered_at = ?, last_error_code = NULL, lease_owner = NULL, lease_until = NULL
         WHERE ${KEY} AND status = 'queued'`,
        [when, k.berichtId, k.receiverOin],
      ),
    );
    return changed > 0;
  }

  async acknowledge(key: DeliveryKey, at: Date): Promise<Delivery | undefined> {
    const k = validate(DeliveryKey, key, 'delivery key');
    const when = validate(Instant, at, 'time');
    return this.sql.atomic(async (ex) => {
      await ex.run(
        `UPDATE deliveries SET status = 'acknowledged', acknowledged_at = ?, delivered_at = COALESCE(delivered_at, ?),
           last_error_code = NULL, lease_owner = NULL, lease_until = NULL
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
    const changed = await this.sql.use((ex) =>
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
    const changed = await this.sql.use((ex) =>
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
    return this.sql.use(async (ex) => {
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
    const rows = await this.sql.use((ex) => ex.all("SELECT receiver_oin AS oin, COUNT(*) AS n FROM deliveries WHERE status = 'queued' GROUP BY receiver_oin"));
    return new Map(rows.map((row) => parseRow((r) => { const { oin, n } = DepthRow.parse(r); return [oin, n] as const; }, row)));
  }

  async listDeliveriesByStatus(status: DeliveryStatus, limit: number): Promise<Delivery[]> {
    const q = validate(StatusQuery, { status, limit }, 'status query');
    const rows = await this.sql.use((ex) => ex.all(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE status = ? ORDER BY bericht_seq DESC, receiver_oin LIMIT ?`, [q.status, q.limit]));
    return rows.map((row) => parseRow(toDelivery, row).delivery);
  }

  async countDeliveriesByStatus(): Promise<Map<DeliveryStatus, number>> {
    const rows = await this.sql.use((ex) => ex.all('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status', []));
    return new Map(rows.map((row) => parseRow((r) => { const { status, n } = StatusCountRow.parse(r); return [status, n] as const; }, row)));
  }

  async requeueDelivery(key: DeliveryKey, at: Date): Promise<boolean> {
    const k = validate(DeliveryKey, key, 'delivery key');
    const when = validate(Instant, at, 'time');
    const changed = await this.sql.use((ex) =>
      ex.run(
        `UPDATE deliveries SET status = 'queued', attempts = 0, next_attempt_at = ?, failed_at = NULL, lease_owner = NULL, lease_until = NULL
         WHERE ${KEY} AND status = 'failed'`,
        [when, k.berichtId, k.receiverOin],
      ),
    );
    return changed > 0;
  }

  /** Where a stored bericht stands in the accept order, for its deliveries. */
  private async positionOf(ex: Executor, berichtId: string): Promise<{ seq: number; dossierReferentie: string }> {
    const found = await ex.all('SELECT seq, dossier_referentie AS "dossierReferentie" FROM berichten WHERE bericht_id = ?', [berichtId]);
    if (found.length === 0) throw new StoreError('ZICHT_STORE_NOT_FOUND', { message: 'The delivery refers to a bericht that is not stored.' });
    return parseRow((row) => BerichtPosition.parse(row), found[0]);
  }

  /** Pairs deliveries with their berichten, keeping the deliveries' order. */
  private async withBerichten(ex: Executor, deliveries: Delivery[]): Promise<DeliveryWithBericht[]> {
    if (deliveries.length === 0) return [];
    const ids = [...new Set(deliveries.map((d) => d.berichtId))];
    const rows = await ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE bericht_id IN (${ids.map(() => '?').join(', ')})`, ids);
    const berichten = new Map(rows.map((row) => berichtOf(this.sql.keyring, row)).map((b) => [b.berichtId, b]));
    return deliveries.map((delivery) => {
      const bericht = berichten.get(delivery.berichtId);
      if (bericht === undefined) throw new StoreError('ZICHT_STORE_FAILED', { message: 'A delivery refers to a bericht that is not stored.' });
      return { delivery, bericht };
    });
  }
}
