/**
 * The gateway's store: berichten, their deliveries (the outbox) and events, in SQLite or PostgreSQL
 * behind one interface. Start with `openStore`.
 */
export { createStore, DEFAULT_STORE_URL, openStore, resolveStoreUrl, StoreOptions, type StoreLocation } from './open.js';
export type { MigrationReport, Store, StoreBackend, StoreOperations, StoreTransaction } from './store.js';
export { ContentHash, JsonText, StoredBericht } from './stored-bericht.js';
export {
  Delivery,
  DeliveryErrorCode,
  DeliveryKey,
  DeliveryMode,
  DeliveryStatus,
  DeliveryWithBericht,
  FailInput,
  MailboxQuery,
  NewDelivery,
  RetryInput,
  WorkerId,
  type MailboxPage,
} from './delivery.js';
export { EventData, EventType, NewStoreEvent, StoreEvent } from './store-event.js';
export { LEAF_FORMAT, LogCheckpoint, LogLeaf, LogNode, type LeafFilter, type PendingLeaf } from './log-leaf.js';
export { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations.js';
export { FireInput, NewTermijn, Termijn, TermijnKey, TermijnStatus } from './termijn.js';
export { defaultKekId, KekId, Keyring, loadKeyring } from './keyring.js';
export { PurgeCandidate, PurgeCutoffs, PurgeReason } from './purge.js';
