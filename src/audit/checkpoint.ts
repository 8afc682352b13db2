/**
 * C2SP tlog-checkpoints (https://c2sp.org/tlog-checkpoint): the body of a signed note with the log's origin,
 * the tree size in decimal and the root hash in standard base64, then optional extension lines. Read
 * strictly as SOURCE.md quirk 15 describes.
 */
import { AuditError } from '../errors.js';
import { strictBase64 } from './base64.js';
import { HASH_SIZE, type Hash } from './hash.js';
import type { NoteSigner, NoteVerifier } from './note-key.js';
import { hasControl, openNote, signNote } from './note.js';
import { MAX_U64 } from './size.js';

/** A checkpoint: a commitment to the tree of `size` leaves with root `root`. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: bigint;
  readonly root: Hash;
  readonly extensions: readonly string[];
}

const malformed = (): never => {
  throw new AuditError('ZICHT_AUDIT_CHECKPOINT_MALFORMED');
};

/**
 * Parses a checkpoint body (the text of its note).
 *
 * @throws {AuditError} `ZICHT_AUDIT_CHECKPOINT_MALFORMED` when it breaks the format.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) malformed();
  const [origin, sizeText, rootText, ...extensions] = text.slice(0, -1).split('\n');
  if (origin === undefined || origin === '' || sizeText === undefined || rootText === undefined) return malformed();
  if (!/^(0|[1-9][0-9]{0,19})$/.test(sizeText) || BigInt(sizeText) > MAX_U64) malformed();
  const root = strictBase64(rootText);
  if (root?.length !== HASH_SIZE || extensions.some((line) => line === '') || hasControl(text)) return malformed();
  return { origin, size: BigInt(sizeText), root, extensions };
}

/** The body of a checkpoint. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const lines = [checkpoint.origin, checkpoint.size.toString(), Buffer.from(checkpoint.root).toString('base64'), ...checkpoint.extensions];
  return `${lines.join('\n')}\n`;
}

/** A signed checkpoint note. */
export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  return signNote(formatCheckpoint(checkpoint), signer);
}

/**
 * Verifies a signed checkpoint note with the log's key(s) and parses its body. The origin need not equal the
 * key name (SOURCE.md quirk 10); pass `origin` to check it against the log the caller expects.
 *
 * @throws {AuditError} as {@link openNote} and {@link parseCheckpoint}; `ZICHT_AUDIT_ORIGIN_MISMATCH` for another origin.
 */
export function openCheckpoint(note: string | Uint8Array, trusted: readonly NoteVerifier[], origin?: string): Checkpoint & { readonly note: string; readonly verifiedBy: readonly string[] } {
  const opened = openNote(note, trusted);
  const checkpoint = parseCheckpoint(opened.text);
  if (origin !== undefined && checkpoint.origin !== origin) throw new AuditError('ZICHT_AUDIT_ORIGIN_MISMATCH');
  return { ...checkpoint, note: typeof note === 'string' ? note : Buffer.from(note).toString('utf8'), verifiedBy: opened.verifiedBy };
}
