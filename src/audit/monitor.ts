/**
 * A monitor of a gateway's log (LOG-006): from the last checkpoint it verified (kept in a state file) to the
 * gateway's latest, it checks the log key's signature, the witnesses' cosignatures (LOG-003), consistency
 * (a fork, a rewrite, a truncation) and the inclusion promises of receipts it was given (LOG-005). Every
 * finding carries its evidence: the signed notes and the proof that contradict each other.
 */
import { AuditError } from '../errors.js';
import { checkConsistency, witnessFindings, type Finding, type WitnessPolicy } from './bundle.js';
import { openCheckpoint, type Checkpoint } from './checkpoint.js';
import type { CosignatureCheck } from './cosignature.js';
import { exportBundle, type LogSource } from './export.js';
import { leafHash, sameBytes } from './hash.js';
import type { NoteVerifier } from './note-key.js';
import { openPromise, promiseDeadline } from './promise.js';
import { verifyInclusion } from './verify.js';

/** A finding of the monitor, with the signed material that proves it. */
export interface MonitorFinding extends Omit<Finding, 'kind'> {
  readonly kind: Finding['kind'] | 'promise-broken' | 'promise-invalid';
  readonly evidence?: Readonly<Record<string, string | readonly string[]>>;
}

/** What happened to one inclusion promise. */
export type PromiseOutcome =
  | { readonly state: 'kept'; readonly index: number; readonly size: number }
  | { readonly state: 'pending'; readonly deadline: Date; readonly size: number }
  | { readonly state: 'broken'; readonly deadline: Date; readonly size: number; readonly checkpoint: string };

/**
 * Checks an inclusion promise against the log as `source` shows it (the caller's view: its own entries): kept
 * when the promised leaf is in the view with an inclusion proof that verifies against a checkpoint signed by
 * the log key; pending before the deadline; broken after it (LOG-005).
 *
 * @throws {AuditError} `ZICHT_AUDIT_PROMISE_INVALID` (or a note error) for a promise the log key did not sign;
 *   as `openCheckpoint` for a checkpoint it did not sign.
 */
export async function checkPromise(promiseNote: string, source: LogSource, trusted: NoteVerifier, now: Date): Promise<PromiseOutcome> {
  const promise = openPromise(promiseNote, [trusted]);
  const view = await exportBundle(source);
  const checkpoint = view === undefined ? undefined : openCheckpoint(view.checkpoint, [trusted], promise.origin);
  const size = Number(checkpoint?.size ?? 0n);
  const entry = view?.entries.find((e) => sameBytes(leafHash(Buffer.from(e.leaf, 'utf8')), promise.leafHash));
  if (entry !== undefined && checkpoint !== undefined) {
    verifyInclusion(BigInt(entry.index), checkpoint.size, promise.leafHash, entry.proof.map((p) => Buffer.from(p, 'base64')), checkpoint.root);
    return { state: 'kept', index: entry.index, size };
  }
  const deadline = promiseDeadline(promise);
  if (now.getTime() <= deadline.getTime()) return { state: 'pending', deadline, size };
  return { state: 'broken', deadline, size, checkpoint: view?.checkpoint ?? '' };
}

/** The outcome of one monitor run. */
export interface MonitorRun {
  readonly findings: readonly MonitorFinding[];
  readonly latest?: Checkpoint & { readonly note: string };
  readonly cosignatures?: readonly CosignatureCheck[];
  readonly promises: readonly { readonly name: string; readonly outcome?: PromiseOutcome }[];
}

/**
 * One monitor run: the latest checkpoint (`note`) against the one verified before (`previous`, or none on
 * the first run), with the consistency proof `proof(from, to)` from the gateway.
 */
export async function monitorLog(input: {
  readonly note: string;
  readonly previous?: string;
  readonly trusted: NoteVerifier;
  readonly witnesses?: WitnessPolicy;
  readonly proof: (from: number, to: number) => Promise<string[]>;
  readonly promises?: readonly { readonly name: string; readonly note: string; readonly source: LogSource }[];
  readonly now: Date;
}): Promise<MonitorRun> {
  const findings: MonitorFinding[] = [];
  let latest;
  try {
    latest = openCheckpoint(input.note, [input.trusted]);
  } catch (error) {
    return { findings: [{ kind: 'checkpoint-signature', message: `the gateway's checkpoint is not validly signed by the log key (${error instanceof AuditError ? error.code : 'unknown'})`, evidence: { checkpoint: input.note } }], promises: [] };
  }
  const witnessed = input.witnesses === undefined ? undefined : witnessFindings(input.note, input.witnesses);
  for (const f of witnessed?.findings ?? []) findings.push({ ...f, evidence: { checkpoint: input.note } });
  if (input.previous !== undefined) {
    const previous = openCheckpoint(input.previous, [input.trusted], latest.origin);
    const needsProof = previous.size > 0n && previous.size < latest.size;
    const proof = needsProof ? await input.proof(Number(previous.size), Number(latest.size)) : [];
    for (const f of checkConsistency(previous, latest, needsProof ? proof.map((p) => Buffer.from(p, 'base64')) : undefined)) {
      findings.push({ ...f, evidence: { earlier: input.previous, later: input.note, proof } });
    }
  }
  const promises: { name: string; outcome?: PromiseOutcome }[] = [];
  for (const p of input.promises ?? []) {
    try {
      const outcome = await checkPromise(p.note, p.source, input.trusted, input.now);
      promises.push({ name: p.name, outcome });
      if (outcome.state === 'broken') {
        findings.push({ kind: 'promise-broken', message: `${p.name}: the leaf promised for inclusion by ${outcome.deadline.toISOString()} is not in the log's checkpoint of size ${outcome.size} (LOG-005)`, evidence: { promise: p.note, checkpoint: outcome.checkpoint } });
      }
    } catch (error) {
      promises.push({ name: p.name });
      findings.push({ kind: 'promise-invalid', message: `${p.name}: the inclusion promise does not verify with the log key, or its leaf's proof fails (${error instanceof AuditError ? error.code : 'unknown'})`, evidence: { promise: p.note } });
    }
  }
  return { findings, latest, ...(witnessed === undefined ? {} : { cosignatures: witnessed.checks }), promises };
}
