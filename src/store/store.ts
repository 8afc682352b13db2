/**
 * The gateway's persistence behind one interface, with two implementations that behave the same:
 * SQLite (src/store/sqlite.ts) and PostgreSQL (src/store/postgres.ts). Open one with `openStore`.
 */
import type { Delivery, DeliveryKey, DeliveryStatus, DeliveryWithBericht, FailInput, MailboxPage, MailboxQuery, NewDelivery, RetryInput } from './delivery.js';
import type { NewStoreEvent, StoreEvent } from './store-event.js';
import type { StoredBericht } from './stored-bericht.js';
import type { StoredConsoleSession } from './console-session.js';
import type { FireInput, NewTermijn, Termijn, TermijnKey } from './termijn.js';
import type { LeafFilter, LogCheckpoint, LogLeaf, LogNode, PendingLeaf } from './log-leaf.js';
import type { PurgeCandidate, PurgeCutoffs } from './purge.js';
import type { ExpiredCounts, ExpiredDossier } from './expire.js';
import type { DossierListQuery, DossierListRow } from './dossier-list.js';

/** Which database a store runs on. */
export type StoreBackend = 'sqlite' | 'postgres';

/**
 * The reads and writes of the store, available on the store itself (each call its own transaction) and on
 * the handle of `Store.transaction` (all calls in that transaction). Every method validates its input and
 * throws `StoreError` with code `ZICHT_STORE_INVALID` for a value that does not match its schema, and
 * `StoreUnavailableError` when the database cannot be reached.
 */
/** A query of the berichten overview (the console's list): every member narrows it. */
export interface BerichtenQuery {
  readonly oin?: string;
  readonly limit: number;
  readonly berichtType?: StoredBericht['berichtType'];
  readonly status?: DeliveryStatus;
  readonly van?: Date;
  readonly tot?: Date;
  readonly voor?: number;
}

export interface StoreOperations {
  /**
   * Stores an accepted bericht. `canonical`, when the caller has it, is the body's RFC 8785 form without
   * signatures (whose SHA-256 is `contentHash`): the audit commitment then needs no second canonicalisation.
   * `commitment`, when given, is the salt and commitment the caller drew with `commitTo` (src/store/log-leaf.ts)
   * to know the bericht's leaf before it is written (the inclusion promise of the receipt, LOG-005).
   *
   * @throws {StoreConflictError} when a bericht with this `berichtId` is stored already, by this sender or
   *   another: nothing is written. Under concurrency exactly one of two identical inserts wins.
   */
  insertBericht(bericht: StoredBericht, canonical?: Uint8Array, commitment?: { salt: string; commitment: string }): Promise<StoredBericht>;
  /** The participant record (registry JSON text) of this OIN, or `undefined`. */
  getDeelnemerRecord(oin: string): Promise<string | undefined>;
  /** Every participant record, in OIN order. */
  listDeelnemerRecords(): Promise<string[]>;
  /**
   * Stores a participant record: inserted, or replaced when `replace` is true.
   *
   * @throws {StoreConflictError} when the OIN is registered and `replace` is false.
   */
  putDeelnemerRecord(oin: string, record: string, replace: boolean): Promise<void>;
  /**
   * Serialises writers of one dossier until the end of the current transaction (PostgreSQL: an advisory
   * transaction lock; SQLite: every write transaction is serialised already). Take it before reading the
   * dossier's trail that a write depends on, so that the check and the write see the same trail.
   */
  lockDossier(dossierReferentie: string): Promise<void>;
  /**
   * Records a bearer token's `jti` for its issuer until `expiresAt`; false when that jti was recorded
   * before and has not expired at `now` (a replay). Shared by every gateway on the database.
   */
  claimTokenId(iss: string, jti: string, expiresAt: Date, now: Date): Promise<boolean>;
  /** Forgets token ids that expired at or before `now`; returns how many. */
  purgeTokenIds(now: Date): Promise<number>;
  /** Stores a new console session (src/store/console-session.ts) and deletes expired ones. */
  insertConsoleSession(session: StoredConsoleSession, now: Date): Promise<void>;
  /** The console session with this id hash, unless it expired at `now`. */
  getConsoleSession(idHash: string, now: Date): Promise<StoredConsoleSession | undefined>;
  /** Ends a console session. */
  deleteConsoleSession(idHash: string): Promise<void>;
  /** The bericht with this id sent by this sender (the idempotency lookup), or `undefined`. */
  findBericht(senderOin: string, berichtId: string): Promise<StoredBericht | undefined>;
  /** The bericht with this id, whoever sent it, or `undefined`. */
  getBericht(berichtId: string): Promise<StoredBericht | undefined>;
  /** The berichten of a dossier (case) in the order the gateway accepted them: the validator's trail. */
  listBerichtenByDossier(dossierReferentie: string): Promise<StoredBericht[]>;

  /**
   * Puts a delivery of a stored bericht to one receiver in the outbox, `queued` with 0 attempts.
   *
   * @throws {StoreError} `ZICHT_STORE_NOT_FOUND` when the bericht is not stored.
   * @throws {StoreConflictError} when this bericht already has a delivery to this receiver.
   */
  enqueueDelivery(delivery: NewDelivery): Promise<Delivery>;
  /** The deliveries of a bericht, one per receiver, in receiver OIN order: the status per receiver. */
  listDeliveries(berichtId: string): Promise<Delivery[]>;
  /**
   * Claims up to `limit` due push deliveries for worker `workerId` and leases them until `leaseUntil`, in the
   * order the gateway accepted their berichten. Due means: `queued`, push, `nextAttemptAt <= now`, no lease
   * running at `now`, and no earlier-accepted bericht of the same dossier to the same receiver still `queued`
   * (an update never overtakes its handover). Workers sharing one database never get the same delivery while
   * its lease runs (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: `BEGIN IMMEDIATE`). A lease that runs
   * out (a crashed worker) makes the delivery claimable again. With `perReceiver`, no receiver gets more than that
   * many deliveries under a running lease (any worker's, these included), so one receiver cannot take every slot.
   */
  claimDue(now: Date, limit: number, leaseUntil: Date, workerId: string, perReceiver?: number): Promise<DeliveryWithBericht[]>;
  /** `queued` → `delivered` at `at`, releasing the lease. Returns false (and changes nothing) when not `queued`. */
  markDelivered(key: DeliveryKey, at: Date): Promise<boolean>;
  /**
   * Records the receiver's acknowledgement (its ontvangstbevestiging, or a postbus ack): the delivery becomes
   * `acknowledged` from any state, keeping the first `acknowledgedAt`; `deliveredAt` is set if it was not.
   * Idempotent. Returns the delivery after the change, or `undefined` when this receiver has no delivery of
   * this bericht (so a receiver can only acknowledge its own).
   */
  acknowledge(key: DeliveryKey, at: Date): Promise<Delivery | undefined>;
  /**
   * A failed attempt to be tried again: attempts + 1, the error code, the next attempt time, lease released.
   * Returns false (and changes nothing) when the delivery is not `queued` or another worker's lease runs at `at`.
   */
  scheduleRetry(key: DeliveryKey, retry: RetryInput): Promise<boolean>;
  /**
   * Dead letter: `queued` → `failed` with attempts + 1 and the error code. Returns false (and changes nothing)
   * when the delivery is not `queued` or another worker's lease runs at `at`. The caller appends the event.
   */
  markFailed(key: DeliveryKey, fail: FailInput): Promise<boolean>;
  /**
   * The postbus (mailbox) of a pull receiver: its pull deliveries that are `queued` or `delivered` but not yet
   * acknowledged, oldest first, one page at a time. Marking an item delivered keeps it in the postbus until
   * it is acknowledged, so a receiver that crashes after reading gets it again.
   */
  listMailbox(receiverOin: string, query: MailboxQuery): Promise<MailboxPage>;
  /** Per receiver, how many of its deliveries are `queued` (not yet delivered): the outbox depth. Receivers with none are left out. */
  countQueuedByReceiver(): Promise<Map<string, number>>;

  /**
   * Appends an event.
   *
   * @throws {StoreError} `ZICHT_STORE_NOT_FOUND` when its bericht is not stored.
   */
  appendEvent(event: NewStoreEvent): Promise<StoreEvent>;
  /** The events of a bericht in append order. */
  listEventsOfBericht(berichtId: string): Promise<StoreEvent[]>;
  /** Up to `limit` events after `afterSeq`, in append order: every event, for the check of the store against the audit log. */
  listEvents(afterSeq: number, limit: number): Promise<StoreEvent[]>;
  /** Which of `berichtIds` are stored (purged or not), without reading a payload. */
  existingBerichtIds(berichtIds: readonly string[]): Promise<Set<string>>;
  /** The events of all berichten of a dossier in append order. */
  listEventsOfDossier(dossierReferentie: string): Promise<StoreEvent[]>;

  // The lifecycle's timers (src/store/termijn.ts, src/lifecycle/termijnen.ts).

  /** Opens a timer, `open` and unleased; false (and nothing changes) when a timer with this key exists, in any state. */
  openTermijn(termijn: NewTermijn): Promise<boolean>;
  /** `open` → `gehaald` (met) or `vervallen` (the dossier closed first) at `at`; false when the timer is not open. */
  settleTermijn(key: TermijnKey, status: 'gehaald' | 'vervallen', at: Date): Promise<boolean>;
  /**
   * Claims up to `limit` due timers for worker `workerId` and leases them until `leaseUntil`, earliest due first.
   * Due means: `open`, `dueAt <= now`, no lease running at `now`. Like {@link claimDue}, workers sharing one
   * database never get the same timer while its lease runs, and a lease that runs out frees it again.
   */
  claimDueTermijnen(now: Date, limit: number, leaseUntil: Date, workerId: string): Promise<Termijn[]>;
  /**
   * `open` → `verlopen` (fired), recording the termijnsignaal sent; false (and nothing changes) when it is no
   * longer open or another worker's lease runs at `at`. Call it in the transaction that writes the event and
   * the signal, so that a timer fires exactly once.
   */
  fireTermijn(key: TermijnKey, fire: FireInput): Promise<boolean>;
  /** The timers of a dossier, by due time. */
  listTermijnenOfDossier(dossierReferentie: string): Promise<Termijn[]>;

  // Retention and encryption at rest (src/retention/, src/store/purge.ts, src/store/body-cipher.ts).

  /**
   * Up to `limit` berichten whose payload is due for purging under `cutoffs`, in accept order: metadata only.
   * See {@link PurgeCutoffs} for when a delivery releases its bericht.
   */
  listPurgeable(cutoffs: PurgeCutoffs, limit: number): Promise<PurgeCandidate[]>;
  /**
   * Purges a bericht's payload: `body` becomes `residue` (its metadata, src/retention/residue.ts), its
   * encrypted body's wrapped key and its audit salt are deleted, `purgedAt` is set. The caller appends the
   * `bericht.purged` event first, in the same transaction, so that its leaf still names the commitment.
   * Returns false (and changes nothing) when the bericht is unknown or purged already.
   */
  purgeBericht(berichtId: string, residue: string, at: Date): Promise<boolean>;
  /**
   * Up to `limit` dossiers whose metadata is due for deletion at `before` (the end of the audit period):
   * every payload purged, no open termijn, the newest bericht and event at or before `before`. Metadata only.
   */
  listExpiredDossiers(before: Date, limit: number): Promise<ExpiredDossier[]>;
  /**
   * Deletes a dossier's metadata whole (berichten, deliveries, events, termijnen) when it is still due at
   * `before`, writing a `dossier.expired` leaf with the counts in the same transaction. The audit log keeps
   * its earlier leaves. Returns the counts, or undefined (nothing changed) when the dossier is not due.
   */
  expireDossier(dossierReferentie: string, before: Date, at: Date): Promise<ExpiredCounts | undefined>;

  /**
   * Payloads at rest are encrypted when the store has a keyring (`StoreOptions.keyring`): `insertBericht`
   * seals the body, every read opens it, so callers see plaintext. This re-wraps up to `limit` unpurged
   * payloads not under the keyring's current KEK (their data keys re-wrapped; a plaintext body from before
   * encryption is sealed), and returns how many it changed: 0 when all are under the current KEK.
   *
   * @throws {StoreError} `ZICHT_STORE_KEY_MISSING` without a keyring, or when a row names a KEK the keyring lacks.
   */
  rewrapBodies(limit: number): Promise<number>;
  /** How many unpurged payloads are under each KEK id (`''`: stored unencrypted): when an old KEK reaches 0 it can be retired. */
  countBodiesByKek(): Promise<Map<string, number>>;

  // The overview reads of the console and the metrics (src/console/, src/observability/metrics.ts), and the
  // operator's one write: a dead letter back into the outbox.

  /**
   * The latest `limit` berichten (newest first) with their deliveries (in receiver OIN order): all of them, or
   * only those `oin` sent or receives; optionally only of one type, with a delivery in one status, received in
   * [`van`, `tot`), and before the cursor `voor` (the `seq` of the last row of the previous page).
   */
  listRecentBerichten(query: BerichtenQuery): Promise<{ bericht: StoredBericht; deliveries: Delivery[]; seq: number }[]>;
  /** The deliveries in `status` (e.g. `failed`: the dead letters), newest bericht first, at most `limit`. */
  listDeliveriesByStatus(status: DeliveryStatus, limit: number): Promise<Delivery[]>;
  /** How many deliveries are in each status (statuses without any are left out). */
  countDeliveriesByStatus(): Promise<Map<DeliveryStatus, number>>;
  /** The dossier references (newest first, at most `limit`): all, or those whose berichten `oin` sent or receives. */
  listDossierReferenties(query: { oin?: string; limit: number }): Promise<string[]>;
  /** One page of the console's dossiers overview, newest activity first (src/store/dossier-list.ts). */
  listDossierPage(query: DossierListQuery): Promise<DossierListRow[]>;
  /** Every bericht of these dossiers in accept order, in one query (the page of the dossiers overview). */
  listBerichtenOfDossiers(refs: readonly string[]): Promise<StoredBericht[]>;
  /**
   * An operator's retry of a dead letter: `failed` → `queued` with 0 attempts, due at `at`. Returns false (and
   * changes nothing) when the delivery is not `failed`. The caller appends the event.
   */
  requeueDelivery(key: DeliveryKey, at: Date): Promise<boolean>;

  // The audit log (src/audit/). `insertBericht` also keeps the bericht's salt and commitment, and
  // `appendEvent` and `putDeelnemerRecord` also write the leaf of what they record, in their transaction.

  /** The salt and commitment of a bericht's leaves (to open the commitment in a dispute), or `undefined`. */
  getBerichtSalt(berichtId: string): Promise<{ salt: string; commitment: string } | undefined>;
  /** Makes sequencers of the log take turns until the end of the current transaction. */
  lockLog(): Promise<void>;
  /** How many leaves are sequenced: the size of the log's tree. */
  logSize(): Promise<number>;
  /** Up to `limit` leaves not yet sequenced, in the order they were written. */
  listPendingLeaves(limit: number): Promise<PendingLeaf[]>;
  /**
   * Numbers pending leaves and stores the tree nodes they completed. Call under {@link lockLog}.
   *
   * @throws {StoreConflictError} when a leaf was numbered already (nothing is written).
   */
  sequenceLeaves(assignments: readonly { id: number; index: number }[], nodes: readonly LogNode[]): Promise<void>;
  /**
   * The hashes (hex) of stored tree nodes, in the order asked.
   *
   * @throws {StoreError} `ZICHT_STORE_NOT_FOUND` when one is not stored.
   */
  readLogNodes(ids: readonly { level: number; index: number }[]): Promise<string[]>;
  /**
   * Stores a signed checkpoint.
   *
   * @throws {StoreConflictError} when a checkpoint of this size is stored already.
   */
  putCheckpoint(checkpoint: LogCheckpoint): Promise<void>;
  /** The checkpoint of the largest tree, or `undefined`. */
  latestCheckpoint(): Promise<LogCheckpoint | undefined>;
  /**
   * Replaces a stored checkpoint's note by the same note with more signature lines: the witnesses'
   * cosignatures (src/audit/witness-client.ts). The caller keeps the text and the log's signature as they are.
   */
  setCheckpointNote(size: number, note: string): Promise<void>;
  /** The sequenced leaves with index in `[start, end)`, all or those concerning `filter.oin` (as sender or receiver). */
  listLogLeaves(start: number, end: number, filter?: LeafFilter): Promise<LogLeaf[]>;
}

/**
 * The handle passed to a `Store.transaction` callback. Use it only inside the callback: after the
 * transaction ends every call throws `ZICHT_STORE_MISUSE`. A failed statement dooms the transaction on both
 * backends: later calls throw `ZICHT_STORE_MISUSE` and the transaction rolls back with the first error.
 */
export type StoreTransaction = StoreOperations;

/** Which migrations `Store.migrate` ran. */
export type MigrationReport = {
  /** The schema version before. */
  from: number;
  /** The schema version after: the latest this code knows. */
  to: number;
  /** The versions applied by this call, in order; empty when the schema was up to date. */
  applied: number[];
};

/** The gateway's store. */
export interface Store extends StoreOperations {
  readonly backend: StoreBackend;
  /**
   * Runs `fn` in one transaction and commits when it resolves; when it rejects (or a statement in it failed)
   * nothing is written and the error is rethrown. Everything of one accepted bericht (the bericht, its
   * deliveries, its events) goes in one transaction. Inside `fn` use only `tx`: calling the store itself
   * throws `ZICHT_STORE_MISUSE` (on SQLite it would wait for itself). On SQLite the transaction holds the
   * database's write lock until it ends, so keep `fn` short and free of network calls.
   */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /**
   * Brings the schema to the latest version: creates the `zicht_migrations` table and applies every
   * migration not yet recorded there, all in one transaction. Running it again is a no-op; gateways starting
   * together on one PostgreSQL database take turns.
   *
   * @throws {StoreError} `ZICHT_STORE_MIGRATION` when the database has a version this code does not know.
   */
  migrate(): Promise<MigrationReport>;
  /**
   * Makes deleted and overwritten content (purged payloads) unrecoverable from the database's files as far
   * as the backend allows: SQLite (with `secure_delete` on, freed space is zeroed) checkpoints its WAL and
   * truncates it; PostgreSQL vacuums the tables that held payloads so dead row versions are freed. Runs
   * outside a transaction; the purge calls it after a round. Never called inside `transaction`.
   */
  reclaim(): Promise<void>;
  /** Whether the database answers a trivial query now (for `/v1/ready`). Never throws. */
  ping(): Promise<boolean>;
  /** Waits for running work and closes the database; afterwards calls throw `StoreUnavailableError` and `ping` is false. Idempotent. */
  close(): Promise<void>;
}
