/**
 * What the gateway shows of its audit log: the latest signed checkpoint, proofs against it, and entries
 * (leaves with their inclusion proofs). A participant sees the entries that concern its own OIN (as sender
 * or receiver); an auditor sees all. Hashes are standard base64, as in checkpoints.
 */
import { AuditError } from '../errors.js';
import type { StoreOperations } from '../store/store.js';
import { consistencyPlan, inclusionPlan, proofHashes } from './proof.js';
import { storeIndex, storeNodeReader } from './store-reader.js';

/** One entry of the log with its inclusion proof in the tree of the checkpoint it came with. */
export interface LogEntry {
  readonly index: number;
  /** The leaf: RFC 8785 JSON text whose UTF-8 bytes are hashed (src/store/log-leaf.ts). */
  readonly leaf: string;
  readonly proof: readonly string[];
}

/** A page of entries with the checkpoint their proofs lead to. */
export interface LogEntries {
  /** The signed checkpoint note. */
  readonly checkpoint: string;
  readonly size: number;
  /** `all` for an auditor (every entry of the range), `participant` for the entries of the caller's OIN. */
  readonly view: 'all' | 'participant';
  readonly entries: readonly LogEntry[];
}

/** The most entries one page spans. */
export const MAX_ENTRIES_RANGE = 1_000;

type LogStore = Pick<StoreOperations, 'readLogNodes' | 'logSize' | 'latestCheckpoint' | 'listLogLeaves'>;

const b64 = (hash: Uint8Array): string => Buffer.from(hash).toString('base64');

async function sizeKnown(store: LogStore, size: bigint): Promise<void> {
  if (size > BigInt(await store.logSize())) throw new AuditError('ZICHT_AUDIT_RANGE_INVALID', 'The tree size is larger than the log.');
}

/**
 * The inclusion proof of leaf `index` in the tree of `size` leaves.
 *
 * @throws {AuditError} `ZICHT_AUDIT_RANGE_INVALID` unless index < size <= the log's size.
 */
export async function inclusionProof(store: LogStore, index: bigint, size: bigint): Promise<string[]> {
  const plan = inclusionPlan(index, size);
  await sizeKnown(store, size);
  return (await proofHashes(plan, storeNodeReader(store))).map(b64);
}

/**
 * The consistency proof between the trees of `from` and `to` leaves.
 *
 * @throws {AuditError} `ZICHT_AUDIT_RANGE_INVALID` unless 0 < from <= to <= the log's size.
 */
export async function consistencyProof(store: LogStore, from: bigint, to: bigint): Promise<string[]> {
  const plan = consistencyPlan(from, to);
  await sizeKnown(store, to);
  return (await proofHashes(plan, storeNodeReader(store))).map(b64);
}

/**
 * The entries with index in `[start, end)` that `viewer` may see (all when `viewer.all`), each with its
 * inclusion proof in the tree of the latest checkpoint; `end` is cut to that tree's size. `undefined`
 * while there is no checkpoint yet.
 *
 * @throws {AuditError} `ZICHT_AUDIT_RANGE_INVALID` when start > end or the range spans more than {@link MAX_ENTRIES_RANGE}.
 */
export async function logEntries(store: LogStore, start: bigint, end: bigint, viewer: { readonly oin: string; readonly all: boolean }): Promise<LogEntries | undefined> {
  if (start > end || end - start > BigInt(MAX_ENTRIES_RANGE)) throw new AuditError('ZICHT_AUDIT_RANGE_INVALID');
  const checkpoint = await store.latestCheckpoint();
  if (checkpoint === undefined) return undefined;
  const size = BigInt(checkpoint.size);
  const last = end < size ? end : size;
  const leaves = start >= last ? [] : await store.listLogLeaves(storeIndex(start), storeIndex(last), viewer.all ? {} : { oin: viewer.oin });
  const read = storeNodeReader(store);
  const entries: LogEntry[] = [];
  for (const leaf of leaves) {
    const index = leaf.index ?? -1;
    entries.push({ index, leaf: leaf.data, proof: (await proofHashes(inclusionPlan(BigInt(index), size), read)).map(b64) });
  }
  return { checkpoint: checkpoint.note, size: checkpoint.size, view: viewer.all ? 'all' : 'participant', entries };
}
