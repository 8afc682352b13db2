/**
 * Exporting an audit bundle from a log source: the gateway's HTTP API (with the caller's view: all entries
 * for an auditor, its own for a participant) or the gateway's database directly (all entries).
 */
import { IoError } from '../errors.js';
import type { Store } from '../store/store.js';
import { AuditBundle, BUNDLE_FORMAT } from './bundle.js';
import type { Checkpoint } from './checkpoint.js';
import { consistencyProof, logEntries, MAX_ENTRIES_RANGE, type LogEntries } from './log-view.js';

/** Where the log is read from. */
export interface LogSource {
  /** The log's verifier key as published. */
  verifierKey(): Promise<string>;
  /** A page of entries (with the checkpoint they prove against), or `undefined` without a checkpoint. */
  entries(start: number, end: number): Promise<LogEntries | undefined>;
  /** A consistency proof (base64 hashes). */
  consistency(from: number, to: number): Promise<string[]>;
  /** Whether the source shows every entry (an auditor, or the database). */
  readonly complete: boolean;
}

/** The log in a gateway's database; `verifierKey` is the log key's published form. */
export function storeLogSource(store: Store, verifierKey: string): LogSource {
  return {
    verifierKey: () => Promise.resolve(verifierKey),
    entries: (start, end) => logEntries(store, BigInt(start), BigInt(end), { oin: '', all: true }),
    consistency: (from, to) => consistencyProof(store, BigInt(from), BigInt(to)),
    complete: true,
  };
}

/** Which entries to export. */
export interface Selection {
  /** Only the entries of these berichten (a dossier's, looked up by the caller). */
  readonly berichtIds?: ReadonlySet<string>;
  readonly dossier?: string;
  /** Only entries with `at` in [from, to). */
  readonly from?: Date;
  readonly to?: Date;
}

/**
 * Reads every entry the source shows, page by page, keeps the selected ones and returns the bundle. With
 * `earlier`, the bundle also holds the consistency proof from its size.
 *
 * @returns `undefined` when the log has no checkpoint yet.
 * @throws {IoError} when a new checkpoint came in during every one of `attempts` tries.
 */
export async function exportBundle(source: LogSource, selection: Selection = {}, earlier?: Checkpoint, attempts = 5): Promise<AuditBundle | undefined> {
  const first = await source.entries(0, 0);
  if (first === undefined) return undefined;
  const size = first.size;
  const entries: AuditBundle['entries'] = [];
  for (let start = 0; start < size; start += MAX_ENTRIES_RANGE) {
    const page = await source.entries(start, Math.min(size, start + MAX_ENTRIES_RANGE));
    // Every page must prove against the same checkpoint: when a new one came in between, start again.
    if (page?.checkpoint !== first.checkpoint) {
      if (attempts <= 1) throw new IoError('the log kept growing during the export; try again');
      return exportBundle(source, selection, earlier, attempts - 1);
    }
    for (const entry of page.entries) if (selected(entry.leaf, selection)) entries.push({ index: entry.index, leaf: entry.leaf, proof: [...entry.proof] });
  }
  const filtered = selection.berichtIds !== undefined || selection.from !== undefined || selection.to !== undefined;
  const from = earlier === undefined ? undefined : Number(earlier.size);
  return {
    format: BUNDLE_FORMAT,
    verifierKey: await source.verifierKey(),
    checkpoint: first.checkpoint,
    selection: {
      complete: source.complete && !filtered,
      start: 0,
      end: size,
      ...(selection.dossier === undefined ? {} : { dossier: selection.dossier }),
      ...(selection.from === undefined ? {} : { from: selection.from.toISOString() }),
      ...(selection.to === undefined ? {} : { to: selection.to.toISOString() }),
    },
    entries,
    ...(from !== undefined && from > 0 && from < size ? { consistency: { from, proof: await source.consistency(from, size) } } : {}),
  };
}

function selected(leaf: string, selection: Selection): boolean {
  const parsed = JSON.parse(leaf) as { berichtId?: unknown; at?: unknown };
  if (selection.berichtIds !== undefined && (typeof parsed.berichtId !== 'string' || !selection.berichtIds.has(parsed.berichtId))) return false;
  const at = typeof parsed.at === 'string' ? Date.parse(parsed.at) : Number.NaN;
  if (selection.from !== undefined && !(at >= selection.from.getTime())) return false;
  if (selection.to !== undefined && !(at < selection.to.getTime())) return false;
  return true;
}
