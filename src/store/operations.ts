/**
 * The store's reads and writes, written once in SQL both SQLite and PostgreSQL understand. Subclasses say
 * where a statement runs: the store (autocommit, or its own transaction) or a transaction handle.
 */
import { z } from 'zod';
import { StoreError } from '../errors.js';
import { BERICHT_TYPES, Dossier } from '../model/bericht.js';
import { Oin, Uuid } from '../model/primitives.js';
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
  WorkerId,
} from './delivery.js';
import { BERICHT_COLUMNS, DELIVERY_COLUMNS, EVENT_COLUMNS, TERMIJN_COLUMNS, toBerichtRow, toDelivery, toEvent, toTermijn } from './rows.js';
import { FireInput, NewTermijn, type Termijn, TermijnKey } from './termijn.js';
import { PurgeCandidate, PurgeCutoffs } from './purge.js';
import { openBody, rewrapKey, sealBody } from './body-cipher.js';
import type { Keyring } from './keyring.js';
import type { Dialect, Executor, SqlValue } from './sql.js';
import type { BerichtenQuery, StoreOperations } from './store.js';
import { NewStoreEvent, type StoreEvent } from './store-event.js';
import { JsonText, StoredBericht } from './stored-bericht.js';
import { deleteExpiredDossier, type ExpiredCounts, type ExpiredDossier, listExpiredDossiers } from './expire.js';
import { berichtLeaf, commitTo, expiryLeaf, keyState, LogCheckpoint, LogNode, registryLeaf, type LeafFilter, type LogLeaf, type PendingLeaf } from './log-leaf.js';
import { parseRow, validate } from './validate.js';
import { DossierListQuery, type DossierListRow, selectBerichtenOfDossiers, selectDossierPage } from './dossier-list.js';
import { deleteConsoleSession, insertConsoleSession, selectConsoleSession, StoredConsoleSession } from './console-session.js';

const ClaimInput = z
  .strictObject({ now: z.date(), limit: z.int().min(1).max(1000), leaseUntil: z.date(), workerId: WorkerId })
  .refine((claim) => claim.leaseUntil.getTime() > claim.now.getTime(), { path: ['leaseUntil'], message: 'Must be after now.' });
// `purgedAt` is the store's to set, never the caller's.
const NewBericht = StoredBericht.omit({ purgedAt: true });
const BerichtLookup = z.strictObject({ senderOin: Oin, berichtId: Uuid });
const RecordRow = z.object({ record: z.string() });
const DepthRow = z.object({ oin: z.string(), n: z.coerce.number().int().min(0) });
const DeelnemerRecord = z.strictObject({ oin: Oin, record: z.string().min(2).max(1_000_000) });
const TokenId = z.strictObject({ iss: Oin, jti: z.string().min(1).max(200), expiresAt: z.date(), now: z.date() });
const DossierReferentie = Dossier.shape.referentie;
const Overview = z.strictObject({ oin: Oin.optional(), limit: z.int().min(1).max(1000) });
const BerichtenOverview = Overview.extend({
  berichtType: z.enum(BERICHT_TYPES).optional(),
  status: DeliveryStatusSchema.optional(),
  van: z.date().optional(),
  tot: z.date().optional(),
  voor: z.int().min(1).optional(),
});
const StatusCountRow = z.object({ status: DeliveryStatusSchema, n: z.coerce.number().int().min(0) });
const RefRow = z.object({ ref: z.string() });
const KeyRow = z.object({ berichtId: z.string(), receiverOin: z.string() });
const ClaimedTermijnRow = z.object({ berichtId: z.string(), soort: z.string(), moetHandelen: z.string(), maand: z.union([z.number(), z.string().regex(/^\d{1,2}$/).transform(Number)]) });
const BerichtPosition = z.object({ seq: z.union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)]), dossierReferentie: z.string() });

const Timestamp = z.union([z.date(), z.number()]).transform((value) => new Date(value));
const Count = z.union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)]);
// A bericht stored before migration 4 has no salt, so its later leaves commit to nothing (null).
const LeafSource = z.object({ senderOin: z.string(), berichtType: z.string(), receivedAt: Timestamp, commitment: z.string().nullable() });
const OinRow = z.object({ oin: z.string() });
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
const SaltRow = z.object({ salt: z.string(), commitment: z.string() });
const MaxRow = z.object({ n: Count.nullable() });
const PendingRow = z.object({ id: Count, data: z.string() });
const NodeRow = z.object({ level: Count, idx: Count, hash: z.string() });
const CheckpointRow = z.object({ size: Count, root: z.string(), note: z.string(), at: Timestamp });
const LEAF_COLUMNS = 'leaf_index AS "index", data, sender_oin AS "senderOin", receiver_oins AS "receiverOins", at';
const LeafRow = z.object({ index: Count, data: z.string(), senderOin: z.string(), receiverOins: z.string(), at: Timestamp });
const toLeaf = (row: unknown): LogLeaf => {
  const r = LeafRow.parse(row);
  return { ...r, receiverOins: r.receiverOins.split(',').filter((oin) => oin !== '') };
};

const SeqRow = z.object({ seq: Count });

/** A bericht written in the current transaction: its place, what its leaves say of it, its receivers so far. */
type FreshBericht = {
  readonly seq: number;
  readonly dossierReferentie: string;
  readonly senderOin: string;
  readonly berichtType: string;
  readonly receivedAt: Date;
  readonly commitment: string;
  readonly receivers: string[];
};

/** The order of `ORDER BY receiver_oin` for OINs (ASCII digits): by UTF-16 code units. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const KEY = 'bericht_id = ? AND receiver_oin = ?';
const TERMIJN_KEY = 'bericht_id = ? AND soort = ? AND moet_handelen = ? AND maand = ?';
const termijnKey = (k: TermijnKey): SqlValue[] => [k.berichtId, k.soort, k.moetHandelen, k.maand];
const Settle = z.strictObject({ status: z.enum(['gehaald', 'vervallen']), at: z.date() });
const LEASE_FREE_OR_MINE = '(lease_owner = ? OR lease_until IS NULL OR lease_until <= ?)';

/** The shared SQL of the store; see {@link StoreOperations} for what each method promises. */
export abstract class SqlOperations implements StoreOperations {
  protected constructor(
    protected readonly dialect: Dialect,
    /** The KEKs of payloads at rest; without one, payloads are stored as they come (src/store/body-cipher.ts). */
    protected readonly keyring: Keyring | undefined,
    /** Whether to keep {@link fresh}: a transaction handle does, the store (autocommit) must not. */
    options: { trackWrites?: boolean } = {},
  ) {
    this.fresh = options.trackWrites === true ? new Map() : undefined;
  }

  /**
   * The berichten written in this transaction (a handle's only), with their deliveries so far: what the leaves
   * and deliveries of such a bericht need, known without reading it back.
   */
  protected readonly fresh: Map<string, FreshBericht> | undefined;

  /** Where a stored bericht stands in the accept order, for its deliveries. */
  private async positionOf(ex: Executor, berichtId: string): Promise<{ seq: number; dossierReferentie: string }> {
    const found = await ex.all('SELECT seq, dossier_referentie AS "dossierReferentie" FROM berichten WHERE bericht_id = ?', [berichtId]);
    if (found.length === 0) throw new StoreError('ZICHT_STORE_NOT_FOUND', { message: 'The delivery refers to a bericht that is not stored.' });
    return parseRow((row) => BerichtPosition.parse(row), found[0]);
  }

  /** Runs `work` in autocommit mode (the store) or in the current transaction (a handle). */
  protected abstract use<T>(work: (ex: Executor) => Promise<T>): Promise<T>;
  /** Runs `work` atomically: its own transaction (the store) or the current one (a handle). */
  protected abstract atomic<T>(work: (ex: Executor) => Promise<T>): Promise<T>;

  /** A bericht row as a record. */
  protected berichtOf(row: unknown): StoredBericht {
    const { bericht, sealed } = parseRow(toBerichtRow, row);
    return sealed === undefined ? bericht : { ...bericht, body: openBody(this.keyring, bericht.berichtId, bericht.body, sealed) };
  }

  async insertBericht(input: StoredBericht, canonical?: Uint8Array, drawn?: { salt: string; commitment: string }): Promise<StoredBericht> {
    const given = drawn === undefined ? undefined : validate(z.strictObject({ salt: z.string().regex(/^[0-9a-f]{64}$/), commitment: z.string().regex(/^[0-9a-f]{64}$/) }), drawn, 'commitment');
    const b = validate(NewBericht, input, 'bericht');
    return this.atomic(async (ex) => {
      await this.dialect.lockDossier(ex, b.dossierReferentie);
      // Encrypted at rest when a keyring is configured; the commitment below is over the plaintext.
      const stored = this.keyring === undefined ? { body: b.body, kek: null, dek: null } : sealBody(this.keyring, b.berichtId, b.body);
      const rows = await ex.all(
        `INSERT INTO berichten (bericht_id, sender_oin, bericht_type, dossier_referentie, volgnummer, in_antwoord_op,
           content_hash, body, received_at, receipt, traceparent, body_kek, body_dek) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
        [b.berichtId, b.senderOin, b.berichtType, b.dossierReferentie, b.volgnummer, b.inAntwoordOp ?? null, b.contentHash, stored.body, b.receivedAt, b.receipt, b.traceparent ?? null, stored.kek, stored.dek],
      );
      const seq = parseRow((row) => SeqRow.parse(row).seq, single(rows));
      // The audit log's commitment to this bericht, under a salt of its own (src/store/log-leaf.ts).
      const { salt, commitment } = given ?? commitTo(b.body, canonical === undefined ? undefined : { canonical, contentHash: b.contentHash });
      await ex.run('INSERT INTO bericht_salts (bericht_id, salt, commitment) VALUES (?, ?, ?)', [b.berichtId, salt, commitment]);
      this.fresh?.set(b.berichtId, { seq, dossierReferentie: b.dossierReferentie, senderOin: b.senderOin, berichtType: b.berichtType, receivedAt: b.receivedAt, commitment, receivers: [] });
      // The row holds exactly the validated input (purgedAt is the store's, unset on insert): no need to read it back.
      return b;
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
    await this.atomic(async (ex) => {
      const before = await ex.all('SELECT record FROM deelnemers WHERE oin = ?', [input.oin]);
      const previous = before.length === 0 ? undefined : parseRow((row) => RecordRow.parse(row).record, before[0]);
      await ex.run(
        replace ? 'INSERT INTO deelnemers (oin, record) VALUES (?, ?) ON CONFLICT (oin) DO UPDATE SET record = excluded.record' : 'INSERT INTO deelnemers (oin, record) VALUES (?, ?)',
        [input.oin, input.record],
      );
      if (previous === input.record) return;
      // Every change of the registry is a leaf of the audit log; a change of keys also a key rotation.
      const at = new Date();
      const keys = keyState(input.record);
      await insertLeaf(ex, { senderOin: input.oin, receiverOins: [], at, data: registryLeaf('registry.changed', input.oin, at, input.record, keys) });
      if (keys.join() !== keyState(previous).join()) {
        await insertLeaf(ex, { senderOin: input.oin, receiverOins: [], at, data: registryLeaf('key.rotated', input.oin, at, input.record, keys) });
      }
    });
  }

  async lockDossier(dossierReferentie: string): Promise<void> {
    const ref = validate(DossierReferentie, dossierReferentie, 'dossier reference');
    await this.atomic((ex) => this.dialect.lockDossier(ex, ref));
  }

  async claimTokenId(iss: string, jti: string, expiresAt: Date, now: Date): Promise<boolean> {
    const token = validate(TokenId, { iss, jti, expiresAt, now }, 'token id');
    // One statement: a new id is inserted, an expired one taken over; an id still valid is left alone (no row).
    const rows = await this.use((ex) =>
      ex.all(
        'INSERT INTO token_ids (iss, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT (iss, jti) DO UPDATE SET expires_at = excluded.expires_at WHERE token_ids.expires_at <= ? RETURNING iss',
        [token.iss, token.jti, token.expiresAt, token.now],
      ),
    );
    return rows.length === 1;
  }

  async purgeTokenIds(now: Date): Promise<number> {
    const at = validate(z.date(), now, 'now');
    const rows = await this.use((ex) => ex.all('DELETE FROM token_ids WHERE expires_at <= ? RETURNING iss', [at]));
    return rows.length;
  }

  async insertConsoleSession(session: StoredConsoleSession, now: Date): Promise<void> {
    const input = validate(StoredConsoleSession, session, 'console session');
    const at = validate(z.date(), now, 'now');
    await this.atomic((ex) => insertConsoleSession(ex, input, at));
  }

  async getConsoleSession(idHash: string, now: Date): Promise<StoredConsoleSession | undefined> {
    const hash = validate(StoredConsoleSession.shape.idHash, idHash, 'session id hash');
    const at = validate(z.date(), now, 'now');
    return this.use((ex) => selectConsoleSession(ex, hash, at));
  }

  async deleteConsoleSession(idHash: string): Promise<void> {
    const hash = validate(StoredConsoleSession.shape.idHash, idHash, 'session id hash');
    await this.use((ex) => deleteConsoleSession(ex, hash));
  }

  async findBericht(senderOin: string, berichtId: string): Promise<StoredBericht | undefined> {
    const key = validate(BerichtLookup, { senderOin, berichtId }, 'bericht lookup');
    const rows = await this.use((ex) =>
      ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE bericht_id = ? AND sender_oin = ?`, [key.berichtId, key.senderOin]),
    );
    return rows.length === 0 ? undefined : this.berichtOf(rows[0]);
  }

  async getBericht(berichtId: string): Promise<StoredBericht | undefined> {
    const id = validate(Uuid, berichtId, 'berichtId');
    const rows = await this.use((ex) => ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE bericht_id = ?`, [id]));
    return rows.length === 0 ? undefined : this.berichtOf(rows[0]);
  }

  async listBerichtenByDossier(dossierReferentie: string): Promise<StoredBericht[]> {
    const ref = validate(DossierReferentie, dossierReferentie, 'dossier reference');
    const rows = await this.use((ex) => ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE dossier_referentie = ? ORDER BY seq`, [ref]));
    return rows.map((row) => this.berichtOf(row));
  }

  async enqueueDelivery(input: NewDelivery): Promise<Delivery> {
    const d = validate(NewDelivery, input, 'delivery');
    return this.atomic(async (ex) => {
      const fresh = this.fresh?.get(d.berichtId);
      const position = fresh ?? (await this.positionOf(ex, d.berichtId));
      const rows = await ex.all(
        `INSERT INTO deliveries (bericht_id, receiver_oin, bericht_seq, dossier_referentie, mode, status, attempts, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, 'queued', 0, ?) RETURNING ${DELIVERY_COLUMNS}`,
        [d.berichtId, d.receiverOin, position.seq, position.dossierReferentie, d.mode, d.nextAttemptAt],
      );
      const delivery = parseRow(toDelivery, single(rows)).delivery;
      fresh?.receivers.push(delivery.receiverOin);
      return delivery;
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
    const when = validate(z.date(), at, 'time');
    return this.atomic(async (ex) => {
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
    return this.atomic(async (ex) => {
      const rows = await ex.all(
        `INSERT INTO events (type, bericht_id, oin, at, data) VALUES (?, ?, ?, ?, ?)
         RETURNING seq, type, bericht_id AS "berichtId", oin, at, data`,
        [e.type, e.berichtId, e.oin, e.at, JSON.stringify(e.data ?? {})],
      );
      const event = parseRow(toEvent, single(rows));
      // The event's leaf of the audit log, in the same transaction: no event without its leaf. A bericht
      // this transaction wrote is known as written, with every delivery it has (they need the bericht first).
      const fresh = this.fresh?.get(e.berichtId);
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
    const rows = await this.use((ex) => ex.all(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.bericht_id = ? ORDER BY e.seq`, [id]));
    return rows.map((row) => parseRow(toEvent, row));
  }

  async listEvents(afterSeq: number, limit: number): Promise<StoreEvent[]> {
    const page = validate(z.strictObject({ afterSeq: z.int().min(0), limit: z.int().min(1).max(100_000) }), { afterSeq, limit }, 'event page');
    const rows = await this.use((ex) => ex.all(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.seq > ? ORDER BY e.seq LIMIT ?`, [page.afterSeq, page.limit]));
    return rows.map((row) => parseRow(toEvent, row));
  }

  async existingBerichtIds(berichtIds: readonly string[]): Promise<Set<string>> {
    const ids = validate(z.array(Uuid).max(100_000), berichtIds, 'bericht ids');
    const found = new Set<string>();
    for (const part of chunks(ids, 300)) {
      const rows = await this.use((ex) => ex.all(`SELECT bericht_id AS ref FROM berichten WHERE bericht_id IN (${part.map(() => '?').join(', ')})`, part));
      for (const row of rows) found.add(parseRow((r) => RefRow.parse(r).ref, row));
    }
    return found;
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

  // The lifecycle's timers.

  async openTermijn(termijn: NewTermijn): Promise<boolean> {
    const t = validate(NewTermijn, termijn, 'timer');
    const rows = await this.use((ex) =>
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
    const changed = await this.use((ex) =>
      ex.run(`UPDATE termijnen SET status = ?, settled_at = ?, lease_owner = NULL, lease_until = NULL WHERE ${TERMIJN_KEY} AND status = 'open'`, [s.status, s.at, ...termijnKey(k)]),
    );
    return changed > 0;
  }

  async claimDueTermijnen(now: Date, limit: number, leaseUntil: Date, workerId: string): Promise<Termijn[]> {
    const claim = validate(ClaimInput, { now, limit, leaseUntil, workerId }, 'claim');
    return this.atomic(async (ex) => {
      const due = await ex.all(
        `SELECT c.bericht_id AS "berichtId", c.soort, c.moet_handelen AS "moetHandelen", c.maand FROM termijnen c
         WHERE c.status = 'open' AND c.due_at <= ? AND (c.lease_until IS NULL OR c.lease_until <= ?)
         ORDER BY c.due_at, c.bericht_id, c.soort, c.moet_handelen, c.maand LIMIT ? ${this.dialect.claimLock}`,
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
    const changed = await this.use((ex) =>
      ex.run(
        `UPDATE termijnen SET status = 'verlopen', settled_at = ?, signaal_id = ?, lease_owner = NULL, lease_until = NULL
         WHERE ${TERMIJN_KEY} AND status = 'open' AND ${LEASE_FREE_OR_MINE}`,
        [f.at, f.signaalId, ...termijnKey(k), f.workerId, f.at],
      ),
    );
    return changed > 0;
  }

  // The overview reads of the console and the metrics, and the operator's retry of a dead letter.

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
    return this.use(async (ex) => {
      const rows = await ex.all(
        `SELECT b.seq AS "seq", ${BERICHT_COLUMNS} FROM berichten b ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY b.seq DESC LIMIT ?`,
        [...params, q.limit],
      );
      const berichten = rows.map((row) => ({ bericht: this.berichtOf(row), seq: SeqRow.parse(row).seq }));
      if (berichten.length === 0) return [];
      const ids = berichten.map((b) => b.bericht.berichtId);
      const deliveryRows = await ex.all(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE bericht_id IN (${ids.map(() => '?').join(', ')}) ORDER BY receiver_oin`, ids);
      const deliveries = deliveryRows.map((row) => parseRow(toDelivery, row).delivery);
      return berichten.map(({ bericht, seq }) => ({ bericht, seq, deliveries: deliveries.filter((d) => d.berichtId === bericht.berichtId) }));
    });
  }

  async listDeliveriesByStatus(status: DeliveryStatus, limit: number): Promise<Delivery[]> {
    const q = validate(z.strictObject({ status: DeliveryStatusSchema, limit: z.int().min(1).max(1000) }), { status, limit }, 'status query');
    const rows = await this.use((ex) => ex.all(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE status = ? ORDER BY bericht_seq DESC, receiver_oin LIMIT ?`, [q.status, q.limit]));
    return rows.map((row) => parseRow(toDelivery, row).delivery);
  }

  async countDeliveriesByStatus(): Promise<Map<DeliveryStatus, number>> {
    const rows = await this.use((ex) => ex.all('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status', []));
    return new Map(rows.map((row) => parseRow((r) => { const { status, n } = StatusCountRow.parse(r); return [status, n] as const; }, row)));
  }

  async listDossierPage(query: DossierListQuery): Promise<DossierListRow[]> {
    const q = validate(DossierListQuery, query, 'dossier list query');
    return this.use((ex) => selectDossierPage(ex, q));
  }

  async listBerichtenOfDossiers(refs: readonly string[]): Promise<StoredBericht[]> {
    const list = validate(z.array(DossierReferentie).max(1000), refs, 'dossier references');
    const rows = await this.use((ex) => selectBerichtenOfDossiers(ex, list));
    return rows.map((row) => this.berichtOf(row));
  }

  async listDossierReferenties(query: { oin?: string; limit: number }): Promise<string[]> {
    const q = validate(Overview, query, 'overview query');
    const rows = await this.use((ex) =>
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

  async requeueDelivery(key: DeliveryKey, at: Date): Promise<boolean> {
    const k = validate(DeliveryKey, key, 'delivery key');
    const when = validate(z.date(), at, 'time');
    const changed = await this.use((ex) =>
      ex.run(
        `UPDATE deliveries SET status = 'queued', attempts = 0, next_attempt_at = ?, failed_at = NULL, lease_owner = NULL, lease_until = NULL
         WHERE ${KEY} AND status = 'failed'`,
        [when, k.berichtId, k.receiverOin],
      ),
    );
    return changed > 0;
  }

  async listTermijnenOfDossier(dossierReferentie: string): Promise<Termijn[]> {
    const ref = validate(DossierReferentie, dossierReferentie, 'dossier reference');
    const rows = await this.use((ex) => ex.all(`SELECT ${TERMIJN_COLUMNS} FROM termijnen WHERE dossier_referentie = ? ORDER BY due_at, bericht_id, soort, moet_handelen, maand`, [ref]));
    return rows.map((row) => parseRow(toTermijn, row));
  }

  // Retention (src/retention/): which payloads are due, and purging one.

  async listPurgeable(cutoffs: PurgeCutoffs, limit: number): Promise<PurgeCandidate[]> {
    const c = validate(PurgeCutoffs, cutoffs, 'purge cutoffs');
    const n = validate(z.int().min(1).max(10_000), limit, 'limit');
    // A delivery holds its bericht's payload until it settled before its cutoff. A pull delivery read but
    // not acknowledged still sits in the receiver's postbus, so it holds the payload until acknowledged.
    const rows = await this.use((ex) =>
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
    const input = validate(z.strictObject({ berichtId: Uuid, residue: JsonText, at: z.date() }), { berichtId, residue, at }, 'purge');
    return this.atomic(async (ex) => {
      // The wrapped data key goes with the payload: what is left of an encrypted body is unreadable.
      const changed = await ex.run('UPDATE berichten SET body = ?, body_kek = NULL, body_dek = NULL, purged_at = ? WHERE bericht_id = ? AND purged_at IS NULL', [
        input.residue,
        input.at,
        input.berichtId,
      ]);
      // Without its salt the commitment in the audit log can no longer be opened; the log still verifies.
      await ex.run('DELETE FROM bericht_salts WHERE bericht_id = ?', [input.berichtId]);
      this.fresh?.delete(input.berichtId);
      return changed > 0;
    });
  }

  async listExpiredDossiers(before: Date, limit: number): Promise<ExpiredDossier[]> {
    const input = validate(z.strictObject({ before: z.date(), limit: z.int().min(1).max(10_000) }), { before, limit }, 'expiry');
    return this.use((ex) => listExpiredDossiers(ex, input.before, input.limit));
  }

  async expireDossier(dossierReferentie: string, before: Date, at: Date): Promise<ExpiredCounts | undefined> {
    const input = validate(z.strictObject({ ref: DossierReferentie, before: z.date(), at: z.date() }), { ref: dossierReferentie, before, at }, 'expiry');
    return this.atomic(async (ex) => {
      await this.dialect.lockDossier(ex, input.ref);
      const expiry = await deleteExpiredDossier(ex, input.ref, input.before);
      if (expiry === undefined) return undefined;
      // The record of the deletion is a leaf of the audit log, in the same transaction: no deletion without it.
      await insertLeaf(ex, { senderOin: expiry.senderOin, receiverOins: expiry.otherOins, at: input.at, data: expiryLeaf({ at: input.at, lastActivity: expiry.lastActivity, removed: expiry.counts }) });
      return expiry.counts;
    });
  }

  async rewrapBodies(limit: number): Promise<number> {
    const n = validate(z.int().min(1).max(10_000), limit, 'limit');
    const keyring = this.keyring;
    if (keyring === undefined) throw new StoreError('ZICHT_STORE_KEY_MISSING', { message: 'No keyring is configured.' });
    const current = keyring.currentId;
    return this.atomic(async (ex) => {
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
    const rows = await this.use((ex) => ex.all("SELECT COALESCE(body_kek, '') AS kek, COUNT(*) AS n FROM berichten WHERE purged_at IS NULL GROUP BY body_kek"));
    return new Map(rows.map((row) => parseRow((r) => { const { kek, n } = KekCountRow.parse(r); return [kek, n] as const; }, row)));
  }

  // The audit log (src/audit/): the sequencer's reads and writes, checkpoints, leaves for readers, salts.

  async getBerichtSalt(berichtId: string): Promise<{ salt: string; commitment: string } | undefined> {
    const id = validate(Uuid, berichtId, 'berichtId');
    const rows = await this.use((ex) => ex.all('SELECT salt, commitment FROM bericht_salts WHERE bericht_id = ?', [id]));
    return rows.length === 0 ? undefined : parseRow((row) => SaltRow.parse(row), rows[0]);
  }

  async lockLog(): Promise<void> {
    await this.atomic((ex) => this.dialect.lockLog(ex));
  }

  async logSize(): Promise<number> {
    // MAX, not COUNT: one index lookup instead of a scan; leaves are numbered 0, 1, 2, … without gaps.
    const rows = await this.use((ex) => ex.all('SELECT MAX(leaf_index) AS n FROM log_leaves', []));
    const last = parseRow((row) => MaxRow.parse(row).n, single(rows));
    return last === null ? 0 : last + 1;
  }

  async listPendingLeaves(limit: number): Promise<PendingLeaf[]> {
    const n = validate(z.int().min(1).max(100_000), limit, 'limit');
    const rows = await this.use((ex) => ex.all('SELECT id, data FROM log_leaves WHERE leaf_index IS NULL ORDER BY id LIMIT ?', [n]));
    return rows.map((row) => parseRow((r) => PendingRow.parse(r), row));
  }

  async sequenceLeaves(assignments: readonly { id: number; index: number }[], nodes: readonly LogNode[]): Promise<void> {
    // Checked by hand rather than with zod: a batch holds thousands of rows and this is the sequencer's hot path.
    const numbered = checkedRows(assignments, (a) => Number.isSafeInteger(a.id) && a.id >= 1 && Number.isSafeInteger(a.index) && a.index >= 0, 'leaf indices');
    const written = checkedRows(nodes, (n) => Number.isInteger(n.level) && n.level >= 0 && n.level <= 63 && Number.isSafeInteger(n.index) && n.index >= 0 && HEX_HASH.test(n.hash), 'tree nodes');
    await this.atomic(async (ex) => {
      for (const part of chunks(numbered, 300)) {
        const changed = await ex.run(
          `UPDATE log_leaves SET leaf_index = v.column2 FROM (VALUES ${part.map(() => '(CAST(? AS BIGINT), CAST(? AS BIGINT))').join(', ')}) AS v
           WHERE log_leaves.id = v.column1 AND log_leaves.leaf_index IS NULL`,
          part.flatMap((a) => [a.id, a.index]),
        );
        if (changed !== part.length) throw new StoreError('ZICHT_STORE_CONFLICT', { message: 'A leaf was sequenced already.' });
      }
      for (const part of chunks(written, 300)) {
        await ex.run(`INSERT INTO log_nodes (level, idx, hash) VALUES ${part.map(() => '(?, ?, ?)').join(', ')}`, part.flatMap((n) => [n.level, n.index, n.hash]));
      }
    });
  }

  async readLogNodes(ids: readonly { level: number; index: number }[]): Promise<string[]> {
    const wanted = validate(z.array(LogNode.omit({ hash: true })).max(4096), ids, 'node ids');
    if (wanted.length === 0) return [];
    const rows = await this.use((ex) =>
      ex.all(
        `SELECT level, idx, hash FROM log_nodes WHERE (level, idx) IN (VALUES ${wanted.map(() => '(CAST(? AS INTEGER), CAST(? AS BIGINT))').join(', ')})`,
        wanted.flatMap((id) => [id.level, id.index]),
      ),
    );
    const found = new Map(rows.map((row) => parseRow((r) => NodeRow.parse(r), row)).map((n) => [`${n.level}/${n.idx}`, n.hash]));
    return wanted.map((id) => {
      const hash = found.get(`${id.level}/${id.index}`);
      if (hash === undefined) throw new StoreError('ZICHT_STORE_NOT_FOUND', { message: 'A node of the audit log tree is not stored.' });
      return hash;
    });
  }

  async putCheckpoint(checkpoint: LogCheckpoint): Promise<void> {
    const c = validate(LogCheckpoint, checkpoint, 'checkpoint');
    await this.use((ex) => ex.run('INSERT INTO log_checkpoints (size, root, note, at) VALUES (?, ?, ?, ?)', [c.size, c.root, c.note, c.at]));
  }

  async setCheckpointNote(size: number, note: string): Promise<void> {
    const c = validate(LogCheckpoint.pick({ size: true, note: true }), { size, note }, 'checkpoint note');
    await this.use((ex) => ex.run('UPDATE log_checkpoints SET note = ? WHERE size = ?', [c.note, c.size]));
  }

  async latestCheckpoint(): Promise<LogCheckpoint | undefined> {
    const rows = await this.use((ex) => ex.all('SELECT size, root, note, at FROM log_checkpoints ORDER BY size DESC LIMIT 1', []));
    return rows.length === 0 ? undefined : parseRow((row) => CheckpointRow.parse(row), rows[0]);
  }

  async listLogLeaves(start: number, end: number, filter: LeafFilter = {}): Promise<LogLeaf[]> {
    const range = validate(z.strictObject({ start: z.int().min(0), end: z.int().min(0), oin: Oin.optional() }), { start, end, ...filter }, 'leaf range');
    const rows = await this.use((ex) =>
      range.oin === undefined
        ? ex.all(`SELECT ${LEAF_COLUMNS} FROM log_leaves WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index`, [range.start, range.end])
        : ex.all(
            `SELECT ${LEAF_COLUMNS} FROM log_leaves WHERE leaf_index >= ? AND leaf_index < ? AND (sender_oin = ? OR receiver_oins LIKE ?) ORDER BY leaf_index`,
            [range.start, range.end, range.oin, `%,${range.oin},%`],
          ),
    );
    return rows.map((row) => parseRow((r) => toLeaf(r), row));
  }

  /** Pairs deliveries with their berichten, keeping the deliveries' order. */
  private async withBerichten(ex: Executor, deliveries: Delivery[]): Promise<DeliveryWithBericht[]> {
    if (deliveries.length === 0) return [];
    const ids = [...new Set(deliveries.map((d) => d.berichtId))];
    const rows = await ex.all(`SELECT ${BERICHT_COLUMNS} FROM berichten WHERE bericht_id IN (${ids.map(() => '?').join(', ')})`, ids);
    const berichten = new Map(rows.map((row) => this.berichtOf(row)).map((b) => [b.berichtId, b]));
    return deliveries.map((delivery) => {
      const bericht = berichten.get(delivery.berichtId);
      if (bericht === undefined) throw new StoreError('ZICHT_STORE_FAILED', { message: 'A delivery refers to a bericht that is not stored.' });
      return { delivery, bericht };
    });
  }
}

/** Writes a leaf of the audit log, not yet sequenced. */
async function insertLeaf(ex: Executor, leaf: { senderOin: string; receiverOins: readonly string[]; at: Date; data: string }): Promise<void> {
  await ex.run('INSERT INTO log_leaves (sender_oin, receiver_oins, at, data) VALUES (?, ?, ?, ?)', [leaf.senderOin, `,${leaf.receiverOins.join(',')},`, leaf.at, leaf.data]);
}

const HEX_HASH = /^[0-9a-f]{64}$/;

/** The rows when every one passes `ok`; else `ZICHT_STORE_INVALID`. */
function checkedRows<T>(rows: readonly T[], ok: (row: T) => boolean, what: string): readonly T[] {
  if (!rows.every(ok)) throw new StoreError('ZICHT_STORE_INVALID', { message: `The ${what} do not match their schema.` });
  return rows;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The one row a statement with `RETURNING` gives. */
function single(rows: unknown[]): unknown {
  if (rows.length !== 1) throw new StoreError('ZICHT_STORE_FAILED', { message: 'The database returned an unexpected number of rows.' });
  return rows[0];
}
