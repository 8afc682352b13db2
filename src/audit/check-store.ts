/**
 * The store checked against its audit log: detection of edits that bypass the store. The store writes a
 * leaf with every event and every registry change in the same transaction (src/store/log-leaf.ts), so the
 * log says what the `events` and `deelnemers` tables must hold. An operator who edits those tables with SQL
 * writes no leaf; this check compares the tables with the log and names every difference:
 *
 * - a participant's registry record whose SHA-256 is not the one of its last `registry.changed` leaf
 *   (edited), a record without any leaf (inserted), a leaf's participant without a record (deleted);
 * - an event without a leaf of the same type, time, bericht and data (inserted or edited), and a leaf of a
 *   stored bericht without its event (deleted or edited). Leaves of berichten no longer stored (dossiers
 *   deleted after the audit period, src/retention/expire.ts) have no events, rightly.
 *
 * The log itself is proven by `zicht audit verify` (signed checkpoints, inclusion and consistency proofs):
 * together they show that the tables are what the log says and the log is what was signed.
 */
import { createHash } from 'node:crypto';
import { IoError } from '../errors.js';
import { canonicalJson } from '../signing/canonical.js';
import type { Store } from '../store/store.js';

/** What differs between a table and the log. */
export type StoreFindingKind = 'registry-changed' | 'registry-unlogged' | 'registry-removed' | 'event-unlogged' | 'event-missing';

/** One difference, naming OINs, event numbers, bericht ids and types only. */
export interface StoreFinding {
  readonly kind: StoreFindingKind;
  readonly message: string;
}

/** What the check read and found. */
export interface StoreCheck {
  readonly findings: readonly StoreFinding[];
  readonly participants: number;
  readonly events: number;
  readonly leaves: number;
}

const REGISTRY_TYPES = new Set(['registry.changed']);
const PAGE = 10_000;
const MAX_PENDING = 100_000;
/** Leaves this young may belong to events written after the events were read: not judged this time. */
const RECENT_MS = 60_000;

type Leaf = { type?: unknown; participant?: unknown; record?: unknown; berichtId?: unknown; at?: unknown; data?: unknown };

const eventKey = (type: string, at: string, berichtId: string, data: unknown) => `${type}\u0000${at}\u0000${berichtId}\u0000${canonicalJson(data)}`;

function oinOf(record: string): string {
  try {
    const parsed = JSON.parse(record) as { oin?: unknown };
    return typeof parsed.oin === 'string' ? parsed.oin : '(a record without an OIN)';
  } catch {
    return '(a record that is not JSON)';
  }
}

/**
 * Compares the `deelnemers` and `events` tables with the audit log's leaves (sequenced and pending).
 *
 * On a running gateway a deletion of an event in the last minute, or a record changed during the check, is
 * judged at the next check. `now` is the clock (tests pass their own).
 *
 * @throws {IoError} when more than 100,000 leaves wait for the sequencer (check again later).
 * @throws {StoreUnavailableError} when the database cannot be reached.
 */
export async function checkStore(store: Store, now: () => Date = () => new Date()): Promise<StoreCheck> {
  const findings: StoreFinding[] = [];
  // On a running gateway the tables and the log grow while they are read. Read the events and the registry
  // first: every event or record read then has its leaf committed (same transaction) before the log is read.
  const started = now();
  const eventKeys: { key: string; seq: number; type: string; berichtId: string }[] = [];
  for (let after = 0; ; ) {
    const page = await store.listEvents(after, PAGE);
    for (const event of page) eventKeys.push({ key: eventKey(event.type, event.at.toISOString(), event.berichtId, event.data), seq: event.seq, type: event.type, berichtId: event.berichtId });
    const last = page.at(-1);
    if (last === undefined || page.length < PAGE) break;
    after = last.seq;
  }
  const recordsBefore = await store.listDeelnemerRecords();

  const lastRecord = new Map<string, string>(); // participant → SHA-256 of its record in its last registry leaf
  const logged = new Map<string, { berichtId: string; type: string; at: string; count: number }>();
  let leaves = 0;
  const take = (text: string) => {
    leaves += 1;
    const leaf = JSON.parse(text) as Leaf;
    if (typeof leaf.type !== 'string') return;
    if (REGISTRY_TYPES.has(leaf.type) && typeof leaf.participant === 'string' && typeof leaf.record === 'string') {
      lastRecord.set(leaf.participant, leaf.record);
    } else if (typeof leaf.berichtId === 'string' && typeof leaf.at === 'string') {
      const key = eventKey(leaf.type, leaf.at, leaf.berichtId, leaf.data ?? {});
      const seen = logged.get(key);
      logged.set(key, { berichtId: leaf.berichtId, type: leaf.type, at: leaf.at, count: (seen?.count ?? 0) + 1 });
    }
  };
  // Sequenced leaves in log order, then those the sequencer has not numbered yet (they come after).
  const size = await store.logSize();
  for (let start = 0; start < size; start += PAGE) for (const leaf of await store.listLogLeaves(start, Math.min(size, start + PAGE))) take(leaf.data);
  const pending = await store.listPendingLeaves(MAX_PENDING);
  // Leaves past the first MAX_PENDING unsequenced ones would be unread, and their events reported as unlogged.
  if (pending.length === MAX_PENDING) throw new IoError(`more than ${String(MAX_PENDING)} leaves wait for the sequencer; check again when it has caught up`);
  for (const leaf of pending) take(leaf.data);

  // A record changed while the log was read is judged at the next check; one unchanged across it must be the
  // one its participant's last leaf names.
  const recordsAfter = new Set(await store.listDeelnemerRecords());
  const present = new Set<string>();
  for (const record of recordsBefore) {
    const oin = oinOf(record);
    present.add(oin);
    if (!recordsAfter.has(record)) continue;
    const expected = lastRecord.get(oin);
    const actual = createHash('sha256').update(record, 'utf8').digest('hex');
    if (expected === undefined) findings.push({ kind: 'registry-unlogged', message: `participant ${oin} is in the registry table without a registry leaf: added past the store` });
    else if (expected !== actual) findings.push({ kind: 'registry-changed', message: `participant ${oin}: the registry record is not the one its last registry leaf names: changed past the store` });
  }
  for (const oin of lastRecord.keys()) {
    if (!present.has(oin)) findings.push({ kind: 'registry-removed', message: `participant ${oin} has registry leaves but no record in the registry table: deleted past the store` });
  }

  for (const event of eventKeys) {
    const seen = logged.get(event.key);
    if (seen === undefined || seen.count === 0) findings.push({ kind: 'event-unlogged', message: `event ${event.seq} (${event.type} of bericht ${event.berichtId}) has no leaf with its type, time and data: added or changed past the store` });
    else seen.count -= 1;
  }
  // A leaf without its event: the event was deleted or changed, unless its bericht is gone (a dossier deleted
  // after the audit period) or the event came after the events were read (a leaf of the last minute).
  const recent = new Date(started.getTime() - RECENT_MS).toISOString();
  const unmatched = [...logged.values()].filter((entry) => entry.count > 0 && entry.at < recent);
  const stored = await store.existingBerichtIds([...new Set(unmatched.map((entry) => entry.berichtId))]);
  for (const entry of unmatched) {
    if (stored.has(entry.berichtId)) findings.push({ kind: 'event-missing', message: `a leaf of ${entry.type} of bericht ${entry.berichtId} has no event: deleted or changed past the store` });
  }
  return { findings, participants: recordsBefore.length, events: eventKeys.length, leaves };
}
