/**
 * The inclusion promise (LOG-005, spec/v1/log.md "Inclusion promise"): with every accepted bericht the gateway
 * promises, signed with its log key, that the bericht's `bericht.accepted` leaf will be in the log within the
 * log's maximum merge delay, as Certificate Transparency's signed certificate timestamp does (RFC 6962 section
 * 3). It is a signed note (c2sp.org/signed-note) by the log key whose text is
 *
 *     zicht-inclusion-promise/v1
 *     <log origin>
 *     <leaf hash: SHA-256(0x00 || leaf), standard base64>
 *     <received at: POSIX seconds>
 *     <maximum merge delay: seconds>
 *
 * The first line separates it from a checkpoint (whose first line is the origin). A promise that is past its
 * delay while a checkpoint the log signed does not hold the leaf is broken: named evidence against the log.
 */
import { AuditError } from '../errors.js';
import { strictBase64 } from './base64.js';
import type { NoteSigner, NoteVerifier } from './note-key.js';
import { openNote, signNote } from './note.js';

/** The first line of a promise. */
export const PROMISE_HEADER = 'zicht-inclusion-promise/v1';

/** The default maximum merge delay, in seconds: the gateway checkpoints every second; a day leaves room for outages. */
export const DEFAULT_MAX_MERGE_DELAY = 86_400;

/** A promise, as read from its signed note. */
export interface InclusionPromise {
  readonly origin: string;
  readonly leafHash: Uint8Array;
  /** When the gateway received the bericht (POSIX seconds). */
  readonly at: bigint;
  /** Seconds after `at` by which the leaf is in the log. */
  readonly maxMergeDelay: number;
}

/** The promise's signed note. */
export function signPromise(promise: InclusionPromise, signer: NoteSigner): string {
  return signNote(`${PROMISE_HEADER}\n${promise.origin}\n${Buffer.from(promise.leafHash).toString('base64')}\n${promise.at.toString()}\n${promise.maxMergeDelay.toString()}\n`, signer);
}

/**
 * Verifies a promise with the log's key(s) and reads it.
 *
 * @throws {AuditError} as `openNote`; `ZICHT_AUDIT_PROMISE_INVALID` for a text that is not a promise of that log.
 */
export function openPromise(note: string, trusted: readonly NoteVerifier[]): InclusionPromise {
  const { text } = openNote(note, trusted);
  const [header, origin, hash, at, delay, ...rest] = text.slice(0, -1).split('\n');
  const leafHash = hash === undefined ? undefined : strictBase64(hash);
  if (header !== PROMISE_HEADER || origin === undefined || leafHash?.length !== 32 || at === undefined || delay === undefined || rest.length > 0 || !/^(0|[1-9][0-9]{0,15})$/.test(at) || !/^[1-9][0-9]{0,9}$/.test(delay)) {
    throw new AuditError('ZICHT_AUDIT_PROMISE_INVALID');
  }
  if (!trusted.some((k) => k.name === origin)) throw new AuditError('ZICHT_AUDIT_PROMISE_INVALID');
  return { origin, leafHash, at: BigInt(at), maxMergeDelay: Number(delay) };
}

/** The instant by which the promised leaf must be in the log. */
export function promiseDeadline(promise: InclusionPromise): Date {
  return new Date((Number(promise.at) + promise.maxMergeDelay) * 1000);
}
