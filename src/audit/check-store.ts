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

/** Compares the `deelnemers` and `events` tables with the audit log's leaves (sequenced and pending). */
export async function checkStore(store: Store): Promise<StoreCheck> {
  const findings: StoreFinding[] = [];
  const lastRecord = new Map<string, string>(); // participant → SHA-256 of its record in its last registry leaf
  const logged = new Map<string, { berichtId: string; type: string; count: number }>();
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
      logged.set(key, { berichtId: leaf.berichtId, type: leaf.type, count: (seen?.count ?? 0) + 1 });
    }
  };
  // Sequenced leaves in log order, then those the sequencer has not numbered yet (they come after).
  const size = await store.logSize();
  for (let start = 0; start < size; start += PAGE) for (const leaf of await store.listLogLeaves(start, Math.min(size, start + PAGE))) take(leaf.data);
  for (const leaf of await store.listPendingLeaves(100_000)) take(leaf.data);

  const records = await store.listDeelnemerRecords();
  const present = new Set<string>();
  for (const record of records) {
    const oin = oinOf(record);
    present.add(oin);
    const expected = lastRecord.get(oin);
    const actual = createHash('sha256').update(record, 'utf8').digest('hex');
    if (expected === undefined) findings.push({ kind: 'registry-unlogged', message: `participant ${oin} is in the registry table without a registry leaf: added past the store` });
    else if (expected !== actual) findings.push({ kind: 'registry-changed', message: `participant ${oin}: the registry record is not the one its last registry leaf names: changed past the store` });
  }
  for (const oin of lastRecord.keys()) {
    if (!present.has(oin)) findings.push({ kind: 'registry-removed', message: `participant ${oin} has registry leaves but no record in the registry table: deleted past the store` });
  }

  let events = 0;
  for (let after = 0; ; ) {
    const page = await store.listEvents(after, PAGE);
    for (const event of page) {
      events += 1;
      const key = eventKey(event.type, event.at.toISOString(), event.berichtId, event.data);
      const seen = logged.get(key);
      if (seen === undefined || seen.count === 0) findings.push({ kind: 'event-unlogged', message: `event ${event.seq} (${event.type} of bericht ${event.berichtId}) has no leaf with its type, time and data: added or changed past the store` });
      else seen.count -= 1;
    }
    const last = page.at(-1);
    if (last === undefined || page.length < PAGE) break;
    after = last.seq;
  }
  const unmatched = [...logged.values()].filter((entry) => entry.count > 0);
  const stored = await store.existingBerichtIds([...new Set(unmatched.map((entry) => entry.berichtId))]);
  for (const entry of unmatched) {
    if (stored.has(entry.berichtId)) findings.push({ kind: 'event-missing', message: `a leaf of ${entry.type} of bericht ${entry.berichtId} has no event: deleted or changed past the store` });
  }
  return { findings, participants: records.length, events, leaves };
}
