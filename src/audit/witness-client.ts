/**
 * The gateway's side of C2SP tlog-witness: every new checkpoint is submitted to the configured witnesses
 * (`add-checkpoint` with a consistency proof from the size each witness cosigned last), their cosignatures
 * are checked and added to the stored note, so `GET /v1/log/checkpoint` serves the cosigned checkpoint. A
 * 409 teaches the witness's size (a restarted gateway, a new witness) and the request is made again once.
 */
import { IoError } from '../errors.js';
import type { Store } from '../store/store.js';
import { checkCosignatures, withSignatureLines, type CosignerVerifier } from './cosignature.js';
import { consistencyProof } from './log-view.js';
import { startRounds, type LogTask } from './sequencer.js';
import { formatAddCheckpoint } from '../witness/witness.js';

/** A witness the gateway submits to: its submission prefix and its cosigner key. */
export interface WitnessEndpoint {
  readonly url: string;
  readonly key: CosignerVerifier;
}

/** Why a witness did not cosign: its HTTP status and the first line of its answer. */
export class WitnessRefusal extends IoError {
  constructor(readonly status: number, detail: string) {
    super(`the witness answered ${status}: ${detail}`);
  }
}

/**
 * Asks one witness to cosign the checkpoint `note` of `size`; `known` holds the size each witness cosigned
 * last (learnt from its answers). Returns the witness's cosignature lines, checked with its key.
 *
 * @throws {WitnessRefusal} when the witness refuses; {@link IoError} when it cannot be reached or answers
 *   lines that are not a valid cosignature of its key.
 */
export async function requestCosignature(
  endpoint: WitnessEndpoint,
  note: string,
  size: bigint,
  proof: (from: bigint, to: bigint) => Promise<string[]>,
  known: Map<string, bigint>,
): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    const old = known.get(endpoint.url) ?? 0n;
    const body = formatAddCheckpoint(old, old > 0n && old < size ? await proof(old, size) : [], note);
    let response: Response;
    try {
      response = await fetch(`${endpoint.url.replace(/\/+$/, '')}/add-checkpoint`, { method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    } catch (error) {
      throw new IoError(`cannot reach the witness (${error instanceof Error ? error.name : 'unknown error'})`, { cause: error });
    }
    const text = await response.text();
    if (response.status === 409 && response.headers.get('content-type')?.startsWith('text/x.tlog.size') === true && attempt === 0) {
      const theirs = /^(0|[1-9][0-9]{0,19})\n$/.exec(text)?.[1];
      if (theirs !== undefined && BigInt(theirs) !== old && BigInt(theirs) <= size) {
        known.set(endpoint.url, BigInt(theirs));
        continue;
      }
    }
    if (response.status !== 200) throw new WitnessRefusal(response.status, text.split('\n')[0] ?? '');
    const [check] = checkCosignatures(withSignatureLines(note, text), [endpoint.key]);
    if (check?.state !== 'valid') throw new IoError('the witness answered no valid cosignature by its key');
    known.set(endpoint.url, size);
    return text;
  }
}

/** A running witness task: `tick` asks every witness without a valid cosignature on the latest checkpoint now. */
export type WitnessTask = LogTask;

/**
 * Submits the latest checkpoint to every witness that has not cosigned it, every `intervalMs` (default 500
 * ms), and stores the cosignatures with it. A refusal (a witness that saw another fork: LOG-004) is reported
 * to `onError` and asked again next round; it never blocks the gateway.
 */
export function startWitnessTask(store: Store, witnesses: readonly WitnessEndpoint[], options: { intervalMs?: number; onError?: (error: unknown, witness?: WitnessEndpoint) => void } = {}): WitnessTask {
  const known = new Map<string, bigint>();
  const proof = async (from: bigint, to: bigint) => consistencyProof(store, from, to);
  const once = async (): Promise<void> => {
    const latest = await store.latestCheckpoint();
    if (latest === undefined) return;
    const missing = witnesses.filter((w) => checkCosignatures(latest.note, [w.key])[0]?.state !== 'valid');
    let lines = '';
    for (const witness of missing) {
      try {
        lines += await requestCosignature(witness, latest.note, BigInt(latest.size), proof, known);
      } catch (error) {
        options.onError?.(error, witness);
      }
    }
    if (lines === '') return;
    // Merge into the note as stored now (another round or gateway may have added lines meanwhile).
    const current = await store.latestCheckpoint();
    const base = current?.size === latest.size ? current.note : latest.note;
    await store.setCheckpointNote(latest.size, withSignatureLines(base, lines));
  };
  return startRounds(once, { ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }), onError: (error) => options.onError?.(error) });
}
