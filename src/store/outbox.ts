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
/** A push delivery in flight: queued, under a running lease (the one parameter is now). */
const BUSY = "status = 'queued' AND mode = 'push' AND lease_until > ?";
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
      // Receivers whose slots are all taken (a receiver that hangs) are left out by name before anything is read per
      // delivery: their backlog costs the claim one index entry per row, not a look-up per row.
      const full =
        cap === undefined
          ? []
          : (await ex.all(`SELECT receiver_oin AS oin, COUNT(*) AS n FROM deliveries WHERE ${BUSY} GROUP BY receiver_oin`, [claim.now]))
              .map((row) => parseRow((r) => DepthRow.parse(r), row))
              .filter(({ n }) => n >= cap)
              .map(({ oin }) => oin);
      const notFull = full.length === 0 ? '' : `AND q.receiver_oin NOT IN (${full.map(() => '?').join(', ')})`;
      // The candidates, oldest first. A delivery waits while an earlier bericht of the same dossier to the same receiver
      // is still queued, leased or not (receiver.md §2): it must come first among that pair's queued deliveries. One
      // pass over the queued rows of the receivers with free slots numbers them per pair (deliveries_order is in that
      // order), whatever the planner knows of the table: as NOT EXISTS, PostgreSQL without statistics planned a scan
      // of every queued row per candidate; as a subquery per candidate, it was one probe per row.
      const queued = `WITH queued AS (
               SELECT q.bericht_id, q.receiver_oin, q.bericht_seq, q.mode, q.next_attempt_at, q.lease_until,
                 ROW_NUMBER() OVER (PARTITION BY q.receiver_oin, q.dossier_referentie ORDER BY q.bericht_seq) AS place
               FROM deliveries q WHERE q.status = 'queued' ${notFull}
             ), due AS (
               SELECT bericht_id, receiver_oin, bericht_seq, ROW_NUMBER() OVER (PARTITION BY receiver_oin ORDER BY bericht_seq) AS rn FROM queued
               WHERE place = 1 AND mode = 'push' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
             )`;
      const candidates = await ex.all(
        cap === undefined
          ? `${queued} SELECT bericht_id AS "berichtId", receiver_oin AS "receiverOin" FROM due ORDER BY bericht_seq, receiver_oin LIMIT ?`
          : // With a per-receiver bound: `busy` counts each receiver's running leases (any worker's), `rn` numbers a
            // receiver's candidates oldest first, and a receiver gets only as many as its free slots.
            `${queued}, busy AS (SELECT receiver_oin, COUNT(*) AS n FROM deliveries WHERE ${BUSY} GROUP BY receiver_oin)
             SELECT due.bericht_id AS "berichtId", due.receiver_oin AS "receiverOin" FROM due
             LEFT JOIN busy ON busy.receiver_oin = due.receiver_oin
             WHERE due.rn + COALESCE(busy.n, 0) <= ?
             ORDER BY due.bericht_seq, due.receiver_oin LIMIT ?`,
        cap === undefined ? [...full, claim.now, claim.now, 2 * claim.limit] : [...full, claim.now, claim.now, claim.now, cap, 2 * claim.limit],
      );
      if (candidates.length === 0) return [];
      // Lock the first `limit` candidates that no other claim holds (PostgreSQL skips a row another claim holds: twice
      // as many candidates as asked let a claim beside another process's, which holds the same oldest rows, take the
      // next ones; SQLite's BEGIN IMMEDIATE keeps other claimers out). Only the key is in the condition, so only the
      // primary key can serve it: a status test would let PostgreSQL scan the queued rows instead, once per candidate
      // when it underestimates them. A locked row is the newest version; one another worker leased or delivered since
      // the candidates' snapshot is left out below.
      const candidateKeys = candidates.map((row) => parseRow((r) => KeyRow.parse(r), row));
      const locked = await ex.all(
        `SELECT ${DELIVERY_COLUMNS} FROM deliveries c
         WHERE (bericht_id, receiver_oin) IN (VALUES ${candidateKeys.map(() => '(?, ?)').join(', ')})
         ORDER BY c.bericht_seq, c.receiver_oin LIMIT ? ${this.sql.dialect.claimLock}`,
        [...candidateKeys.flatMap((k): SqlValue[] => [k.berichtId, k.receiverOin]), claim.limit],
      );
      const at = claim.now.getTime();
      const claimed = locked
        .map((row) => parseRow(toDelivery, row).delivery)
        .filter((d) => d.status === 'queued' && d.nextAttemptAt.getTime() <= at && (d.leaseUntil === undefined || d.leaseUntil.getTime() <= at))
        .map((d): Delivery => ({ ...d, leaseOwner: claim.workerId, leaseUntil: new Date(claim.leaseUntil.getTime()) }));
      if (claimed.length === 0) return [];
      await ex.run(`UPDATE deliveries SET lease_owner = ?, lease_until = ? WHERE (bericht_id, receiver_oin) IN (VALUES ${claimed.map(() => '(?, ?)').join(', ')})`, [
        claim.workerId,
        claim.leaseUntil,
        ...claimed.flatMap((d): SqlValue[] => [d.berichtId, d.receiverOin]),
      ]);
      return this.withBerichten(ex, claimed);
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
