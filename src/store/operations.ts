/**
 * The store's reads and writes: one class per aggregate (berichten.ts, outbox.ts, events.ts, deelnemers.ts,
 * token-ids.ts, sessions.ts, termijnen.ts, retention.ts, audit-log.ts, overview.ts), composed here into the
 * `StoreOperations` the store and its transaction handles offer. Subclasses say where a statement runs: the
 * store (autocommit, or its own transaction) or a transaction handle.
 */
import { AuditLogSql } from './audit-log.js';
import { BerichtenSql } from './berichten.js';
import { DeelnemersSql } from './deelnemers.js';
import { EventsSql } from './events.js';
import { OutboxSql } from './outbox.js';
import { OverviewSql } from './overview.js';
import { RetentionSql } from './retention.js';
import { ConsoleSessionsSql } from './sessions.js';
import { TermijnenSql } from './termijnen.js';
import { TokenIdsSql } from './token-ids.js';
import type { Keyring } from './keyring.js';
import type { Dialect, Executor } from './sql.js';
import type { FreshBericht, SqlContext } from './sql-context.js';
import type { StoreOperations } from './store.js';

/** The shared SQL of the store; see {@link StoreOperations} for what each method promises. */
export abstract class SqlOperations implements StoreOperations {
  /**
   * The berichten written in this transaction (a handle's only), with their deliveries so far: what the leaves
   * and deliveries of such a bericht need, known without reading it back.
   */
  protected readonly fresh: Map<string, FreshBericht> | undefined;
  protected readonly berichten: BerichtenSql;
  protected readonly outbox: OutboxSql;
  protected readonly events: EventsSql;
  protected readonly deelnemers: DeelnemersSql;
  protected readonly tokenIds: TokenIdsSql;
  protected readonly sessions: ConsoleSessionsSql;
  protected readonly termijnen: TermijnenSql;
  protected readonly retention: RetentionSql;
  protected readonly auditLog: AuditLogSql;
  protected readonly overview: OverviewSql;

  protected constructor(
    protected readonly dialect: Dialect,
    /** The KEKs of payloads at rest; without one, payloads are stored as they come (src/store/body-cipher.ts). */
    protected readonly keyring: Keyring | undefined,
    /** Whether to keep {@link fresh}: a transaction handle does, the store (autocommit) must not. */
    options: { trackWrites?: boolean } = {},
  ) {
    this.fresh = options.trackWrites === true ? new Map() : undefined;
    const sql: SqlContext = {
      dialect,
      keyring,
      fresh: this.fresh,
      use: (work) => this.use(work),
      atomic: (work) => this.atomic(work),
    };
    this.berichten = new BerichtenSql(sql);
    this.outbox = new OutboxSql(sql);
    this.events = new EventsSql(sql);
    this.deelnemers = new DeelnemersSql(sql);
    this.tokenIds = new TokenIdsSql(sql);
    this.sessions = new ConsoleSessionsSql(sql);
    this.termijnen = new TermijnenSql(sql);
    this.retention = new RetentionSql(sql);
    this.auditLog = new AuditLogSql(sql);
    this.overview = new OverviewSql(sql);
  }

  /** Runs `work` in autocommit mode (the store) or in the current transaction (a handle). */
  protected abstract use<T>(work: (ex: Executor) => Promise<T>): Promise<T>;
  /** Runs `work` atomically: its own transaction (the store) or the current one (a handle). */
  protected abstract atomic<T>(work: (ex: Executor) => Promise<T>): Promise<T>;

  // BerichtenSql (src/store/berichten.ts)
  insertBericht(...args: Parameters<StoreOperations['insertBericht']>): ReturnType<StoreOperations['insertBericht']> {
    return this.berichten.insertBericht(...args);
  }
  lockDossier(...args: Parameters<StoreOperations['lockDossier']>): ReturnType<StoreOperations['lockDossier']> {
    return this.berichten.lockDossier(...args);
  }
  findBericht(...args: Parameters<StoreOperations['findBericht']>): ReturnType<StoreOperations['findBericht']> {
    return this.berichten.findBericht(...args);
  }
  getBericht(...args: Parameters<StoreOperations['getBericht']>): ReturnType<StoreOperations['getBericht']> {
    return this.berichten.getBericht(...args);
  }
  listBerichtenByDossier(...args: Parameters<StoreOperations['listBerichtenByDossier']>): ReturnType<StoreOperations['listBerichtenByDossier']> {
    return this.berichten.listBerichtenByDossier(...args);
  }
  existingBerichtIds(...args: Parameters<StoreOperations['existingBerichtIds']>): ReturnType<StoreOperations['existingBerichtIds']> {
    return this.berichten.existingBerichtIds(...args);
  }

  // OutboxSql (src/store/outbox.ts)
  enqueueDelivery(...args: Parameters<StoreOperations['enqueueDelivery']>): ReturnType<StoreOperations['enqueueDelivery']> {
    return this.outbox.enqueueDelivery(...args);
  }
  listDeliveries(...args: Parameters<StoreOperations['listDeliveries']>): ReturnType<StoreOperations['listDeliveries']> {
    return this.outbox.listDeliveries(...args);
  }
  claimDue(...args: Parameters<StoreOperations['claimDue']>): ReturnType<StoreOperations['claimDue']> {
    return this.outbox.claimDue(...args);
  }
  markDelivered(...args: Parameters<StoreOperations['markDelivered']>): ReturnType<StoreOperations['markDelivered']> {
    return this.outbox.markDelivered(...args);
  }
  acknowledge(...args: Parameters<StoreOperations['acknowledge']>): ReturnType<StoreOperations['acknowledge']> {
    return this.outbox.acknowledge(...args);
  }
  scheduleRetry(...args: Parameters<StoreOperations['scheduleRetry']>): ReturnType<StoreOperations['scheduleRetry']> {
    return this.outbox.scheduleRetry(...args);
  }
  markFailed(...args: Parameters<StoreOperations['markFailed']>): ReturnType<StoreOperations['markFailed']> {
    return this.outbox.markFailed(...args);
  }
  listMailbox(...args: Parameters<StoreOperations['listMailbox']>): ReturnType<StoreOperations['listMailbox']> {
    return this.outbox.listMailbox(...args);
  }
  countQueuedByReceiver(...args: Parameters<StoreOperations['countQueuedByReceiver']>): ReturnType<StoreOperations['countQueuedByReceiver']> {
    return this.outbox.countQueuedByReceiver(...args);
  }
  listDeliveriesByStatus(...args: Parameters<StoreOperations['listDeliveriesByStatus']>): ReturnType<StoreOperations['listDeliveriesByStatus']> {
    return this.outbox.listDeliveriesByStatus(...args);
  }
  countDeliveriesByStatus(...args: Parameters<StoreOperations['countDeliveriesByStatus']>): ReturnType<StoreOperations['countDeliveriesByStatus']> {
    return this.outbox.countDeliveriesByStatus(...args);
  }
  requeueDelivery(...args: Parameters<StoreOperations['requeueDelivery']>): ReturnType<StoreOperations['requeueDelivery']> {
    return this.outbox.requeueDelivery(...args);
  }

  // EventsSql (src/store/events.ts)
  appendEvent(...args: Parameters<StoreOperations['appendEvent']>): ReturnType<StoreOperations['appendEvent']> {
    return this.events.appendEvent(...args);
  }
  listEventsOfBericht(...args: Parameters<StoreOperations['listEventsOfBericht']>): ReturnType<StoreOperations['listEventsOfBericht']> {
    return this.events.listEventsOfBericht(...args);
  }
  listEvents(...args: Parameters<StoreOperations['listEvents']>): ReturnType<StoreOperations['listEvents']> {
    return this.events.listEvents(...args);
  }
  listEventsOfDossier(...args: Parameters<StoreOperations['listEventsOfDossier']>): ReturnType<StoreOperations['listEventsOfDossier']> {
    return this.events.listEventsOfDossier(...args);
  }

  // DeelnemersSql (src/store/deelnemers.ts)
  getDeelnemerRecord(...args: Parameters<StoreOperations['getDeelnemerRecord']>): ReturnType<StoreOperations['getDeelnemerRecord']> {
    return this.deelnemers.getDeelnemerRecord(...args);
  }
  listDeelnemerRecords(...args: Parameters<StoreOperations['listDeelnemerRecords']>): ReturnType<StoreOperations['listDeelnemerRecords']> {
    return this.deelnemers.listDeelnemerRecords(...args);
  }
  putDeelnemerRecord(...args: Parameters<StoreOperations['putDeelnemerRecord']>): ReturnType<StoreOperations['putDeelnemerRecord']> {
    return this.deelnemers.putDeelnemerRecord(...args);
  }

  // TokenIdsSql (src/store/token-ids.ts)
  claimTokenId(...args: Parameters<StoreOperations['claimTokenId']>): ReturnType<StoreOperations['claimTokenId']> {
    return this.tokenIds.claimTokenId(...args);
  }
  purgeTokenIds(...args: Parameters<StoreOperations['purgeTokenIds']>): ReturnType<StoreOperations['purgeTokenIds']> {
    return this.tokenIds.purgeTokenIds(...args);
  }

  // ConsoleSessionsSql (src/store/sessions.ts)
  insertConsoleSession(...args: Parameters<StoreOperations['insertConsoleSession']>): ReturnType<StoreOperations['insertConsoleSession']> {
    return this.sessions.insertConsoleSession(...args);
  }
  getConsoleSession(...args: Parameters<StoreOperations['getConsoleSession']>): ReturnType<StoreOperations['getConsoleSession']> {
    return this.sessions.getConsoleSession(...args);
  }
  deleteConsoleSession(...args: Parameters<StoreOperations['deleteConsoleSession']>): ReturnType<StoreOperations['deleteConsoleSession']> {
    return this.sessions.deleteConsoleSession(...args);
  }

  // TermijnenSql (src/store/termijnen.ts)
  openTermijn(...args: Parameters<StoreOperations['openTermijn']>): ReturnType<StoreOperations['openTermijn']> {
    return this.termijnen.openTermijn(...args);
  }
  settleTermijn(...args: Parameters<StoreOperations['settleTermijn']>): ReturnType<StoreOperations['settleTermijn']> {
    return this.termijnen.settleTermijn(...args);
  }
  claimDueTermijnen(...args: Parameters<StoreOperations['claimDueTermijnen']>): ReturnType<StoreOperations['claimDueTermijnen']> {
    return this.termijnen.claimDueTermijnen(...args);
  }
  fireTermijn(...args: Parameters<StoreOperations['fireTermijn']>): ReturnType<StoreOperations['fireTermijn']> {
    return this.termijnen.fireTermijn(...args);
  }
  listTermijnenOfDossier(...args: Parameters<StoreOperations['listTermijnenOfDossier']>): ReturnType<StoreOperations['listTermijnenOfDossier']> {
    return this.termijnen.listTermijnenOfDossier(...args);
  }

  // RetentionSql (src/store/retention.ts)
  listPurgeable(...args: Parameters<StoreOperations['listPurgeable']>): ReturnType<StoreOperations['listPurgeable']> {
    return this.retention.listPurgeable(...args);
  }
  purgeBericht(...args: Parameters<StoreOperations['purgeBericht']>): ReturnType<StoreOperations['purgeBericht']> {
    return this.retention.purgeBericht(...args);
  }
  listExpiredDossiers(...args: Parameters<StoreOperations['listExpiredDossiers']>): ReturnType<StoreOperations['listExpiredDossiers']> {
    return this.retention.listExpiredDossiers(...args);
  }
  expireDossier(...args: Parameters<StoreOperations['expireDossier']>): ReturnType<StoreOperations['expireDossier']> {
    return this.retention.expireDossier(...args);
  }
  rewrapBodies(...args: Parameters<StoreOperations['rewrapBodies']>): ReturnType<StoreOperations['rewrapBodies']> {
    return this.retention.rewrapBodies(...args);
  }
  countBodiesByKek(...args: Parameters<StoreOperations['countBodiesByKek']>): ReturnType<StoreOperations['countBodiesByKek']> {
    return this.retention.countBodiesByKek(...args);
  }

  // AuditLogSql (src/store/audit-log.ts)
  getBerichtSalt(...args: Parameters<StoreOperations['getBerichtSalt']>): ReturnType<StoreOperations['getBerichtSalt']> {
    return this.auditLog.getBerichtSalt(...args);
  }
  lockLog(...args: Parameters<StoreOperations['lockLog']>): ReturnType<StoreOperations['lockLog']> {
    return this.auditLog.lockLog(...args);
  }
  logSize(...args: Parameters<StoreOperations['logSize']>): ReturnType<StoreOperations['logSize']> {
    return this.auditLog.logSize(...args);
  }
  listPendingLeaves(...args: Parameters<StoreOperations['listPendingLeaves']>): ReturnType<StoreOperations['listPendingLeaves']> {
    return this.auditLog.listPendingLeaves(...args);
  }
  sequenceLeaves(...args: Parameters<StoreOperations['sequenceLeaves']>): ReturnType<StoreOperations['sequenceLeaves']> {
    return this.auditLog.sequenceLeaves(...args);
  }
  readLogNodes(...args: Parameters<StoreOperations['readLogNodes']>): ReturnType<StoreOperations['readLogNodes']> {
    return this.auditLog.readLogNodes(...args);
  }
  putCheckpoint(...args: Parameters<StoreOperations['putCheckpoint']>): ReturnType<StoreOperations['putCheckpoint']> {
    return this.auditLog.putCheckpoint(...args);
  }
  setCheckpointNote(...args: Parameters<StoreOperations['setCheckpointNote']>): ReturnType<StoreOperations['setCheckpointNote']> {
    return this.auditLog.setCheckpointNote(...args);
  }
  latestCheckpoint(...args: Parameters<StoreOperations['latestCheckpoint']>): ReturnType<StoreOperations['latestCheckpoint']> {
    return this.auditLog.latestCheckpoint(...args);
  }
  listLogLeaves(...args: Parameters<StoreOperations['listLogLeaves']>): ReturnType<StoreOperations['listLogLeaves']> {
    return this.auditLog.listLogLeaves(...args);
  }

  // OverviewSql (src/store/overview.ts)
  listRecentBerichten(...args: Parameters<StoreOperations['listRecentBerichten']>): ReturnType<StoreOperations['listRecentBerichten']> {
    return this.overview.listRecentBerichten(...args);
  }
  listDossierReferenties(...args: Parameters<StoreOperations['listDossierReferenties']>): ReturnType<StoreOperations['listDossierReferenties']> {
    return this.overview.listDossierReferenties(...args);
  }
  listDossierPage(...args: Parameters<StoreOperations['listDossierPage']>): ReturnType<StoreOperations['listDossierPage']> {
    return this.overview.listDossierPage(...args);
  }
  listBerichtenOfDossiers(...args: Parameters<StoreOperations['listBerichtenOfDossiers']>): ReturnType<StoreOperations['listBerichtenOfDossiers']> {
    return this.overview.listBerichtenOfDossiers(...args);
  }
}
