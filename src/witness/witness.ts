/**
 * A C2SP tlog-witness (https://c2sp.org/tlog-witness) for one or more logs: `add-checkpoint` takes an old
 * size, a consistency proof and a checkpoint, checks them against the latest checkpoint it cosigned for that
 * origin, and returns its cosignature/v1 (src/audit/cosignature.ts). The checks, in the specification's
 * order and with its status codes: 400 malformed body or old size past the checkpoint's; 404 unknown origin;
 * 403 no signature by a trusted log key; 409 (`text/x.tlog.size`, the witness's size) when the old size is
 * not the size it cosigned last, or an equal size has another root (a fork); 422 a consistency proof that does
 * not verify. Check and update are one step (a queue), and the new state is on disk before the answer.
 * Refusals that can prove misbehaviour (a fork, a bad proof) are kept in the state as evidence (LOG-004).
 */
import { strictBase64 } from '../audit/base64.js';
import { parseCheckpoint } from '../audit/checkpoint.js';
import { cosign, type Cosigner } from '../audit/cosignature.js';
import type { NoteVerifier } from '../audit/note-key.js';
import { openNote, parseNote } from '../audit/note.js';
import { verifyConsistency } from '../audit/verify.js';
import { AuditError } from '../errors.js';
import { MAX_REFUSED, readWitnessState, writeWitnessState, type WitnessState } from './state.js';

/** The most consistency proof lines a request may carry (C2SP tlog-witness). */
export const MAX_PROOF_LINES = 63;

/** A parsed add-checkpoint request body. */
export interface AddCheckpointRequest {
  readonly oldSize: bigint;
  readonly proof: readonly Uint8Array[];
  readonly note: string;
}

/** The witness's answer, as an HTTP status and body. */
export type AddCheckpointAnswer =
  | { readonly status: 200; readonly body: string }
  | { readonly status: 409; readonly body: string; readonly contentType: 'text/x.tlog.size' }
  | { readonly status: 400 | 403 | 404 | 422; readonly body: string };

/**
 * Parses `old <size>\n`, up to 63 base64 hash lines, an empty line, then the checkpoint note.
 *
 * @returns `undefined` for a body that breaks the format.
 */
export function parseAddCheckpoint(body: string): AddCheckpointRequest | undefined {
  const end = body.indexOf('\n\n');
  if (end < 0) return undefined;
  const [first, ...hashes] = body.slice(0, end).split('\n');
  const old = /^old (0|[1-9][0-9]{0,19})$/.exec(first ?? '')?.[1];
  if (old === undefined || hashes.length > MAX_PROOF_LINES) return undefined;
  const proof = hashes.map((line) => strictBase64(line));
  if (proof.some((p) => p?.length !== 32)) return undefined;
  return { oldSize: BigInt(old), proof: proof.filter((p): p is Buffer => p !== undefined), note: body.slice(end + 2) };
}

/** The request body of add-checkpoint. */
export function formatAddCheckpoint(oldSize: bigint | number, proof: readonly string[], note: string): string {
  return `old ${oldSize.toString()}\n${proof.map((p) => `${p}\n`).join('')}\n${note}`;
}

/** A witness. */
export interface Witness {
  addCheckpoint(body: string): Promise<AddCheckpointAnswer>;
  /** The state as on disk (for status pages and tests). */
  state(): WitnessState;
}

/** Starts a witness on a state file (created when absent, continued when present). */
export function createWitness(options: { cosigner: Cosigner; logs: readonly NoteVerifier[]; stateFile: string; now?: () => Date }): Witness {
  let state = readWitnessState(options.stateFile);
  const now = options.now ?? (() => new Date());
  let queue: Promise<unknown> = Promise.resolve();

  const refuse = (status: 409 | 422, reason: string, origin: string, request: AddCheckpointRequest): AddCheckpointAnswer => {
    const refused = [...state.refused, { at: now().toISOString(), origin, status, reason, oldSize: request.oldSize.toString(), note: request.note, proof: request.proof.map((p) => Buffer.from(p).toString('base64')) }].slice(-MAX_REFUSED);
    state = { ...state, refused };
    writeWitnessState(options.stateFile, state);
    const latest = state.logs[origin]?.size ?? '0';
    return status === 409 ? { status, body: `${latest}\n`, contentType: 'text/x.tlog.size' } : { status, body: `${reason}\n` };
  };

  function add(body: string): AddCheckpointAnswer {
    const request = parseAddCheckpoint(body);
    if (request === undefined) return { status: 400, body: 'malformed add-checkpoint body\n' };
    let text: string;
    try {
      text = parseNote(request.note).text;
    } catch {
      return { status: 400, body: 'the checkpoint is not a signed note\n' };
    }
    let checkpoint;
    try {
      checkpoint = parseCheckpoint(text);
    } catch {
      return { status: 400, body: 'the checkpoint is malformed (c2sp.org/tlog-checkpoint)\n' };
    }
    const keys = options.logs.filter((k) => k.name === checkpoint.origin);
    if (keys.length === 0) return { status: 404, body: 'unknown log origin\n' };
    try {
      openNote(request.note, keys);
    } catch {
      return { status: 403, body: 'no valid signature by a trusted key of this log\n' };
    }
    if (request.oldSize > checkpoint.size) return { status: 400, body: 'old size is larger than the checkpoint size\n' };
    const known = state.logs[checkpoint.origin];
    const knownSize = BigInt(known?.size ?? '0');
    // Not evidence: a submitter that lost track of the witness's size learns it from the answer.
    if (request.oldSize !== knownSize) return { status: 409, body: `${knownSize}\n`, contentType: 'text/x.tlog.size' };
    const root = Buffer.from(checkpoint.root).toString('base64');
    if (known !== undefined && knownSize === checkpoint.size) {
      if (known.root !== root) return refuse(409, `LOG-004: a checkpoint of size ${knownSize} with another root than the one cosigned: the log forked`, checkpoint.origin, request);
    } else if (knownSize === 0n) {
      if (request.proof.length !== 0) return { status: 400, body: 'the proof must be empty from size 0\n' };
    } else {
      try {
        verifyConsistency(knownSize, checkpoint.size, Buffer.from(known?.root ?? '', 'base64'), checkpoint.root, request.proof);
      } catch (error) {
        const code = error instanceof AuditError ? error.code : 'unknown';
        return refuse(422, `LOG-004: not consistent with the checkpoint of size ${knownSize} cosigned earlier (${code})`, checkpoint.origin, request);
      }
    }
    const timestamp = BigInt(Math.floor(now().getTime() / 1000));
    state = { ...state, logs: { ...state.logs, [checkpoint.origin]: { size: checkpoint.size.toString(), root, note: request.note } } };
    writeWitnessState(options.stateFile, state);
    return { status: 200, body: cosign(text, options.cosigner, timestamp) };
  }

  return {
    addCheckpoint(body) {
      const result = queue.then(() => add(body));
      queue = result.catch(() => undefined);
      return result;
    },
    state: () => state,
  };
}
