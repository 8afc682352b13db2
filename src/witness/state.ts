/**
 * A witness's durable state (C2SP tlog-witness: "The witness MUST persist the new checkpoint before
 * responding"): per log origin the size and root of the latest checkpoint it cosigned, and the refused
 * submissions it keeps as evidence of log misbehaviour. One JSON file, replaced atomically: written to a
 * temporary file, fsync'd, renamed over the old one, and the directory fsync'd, so a crash leaves the old
 * state or the new one, never a mix. A witness restarted on the same file continues where it stopped.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { IoError } from '../errors.js';

/** The latest cosigned checkpoint of one log. */
export const WitnessedLog = z.strictObject({ size: z.string().regex(/^(0|[1-9][0-9]*)$/), root: z.string(), note: z.string() });
export type WitnessedLog = z.infer<typeof WitnessedLog>;

/** A submission the witness refused for a reason that may be proof of misbehaviour (a fork, a bad proof). */
export const RefusedSubmission = z.strictObject({ at: z.string(), origin: z.string(), status: z.int(), reason: z.string(), oldSize: z.string(), note: z.string(), proof: z.array(z.string()) });
export type RefusedSubmission = z.infer<typeof RefusedSubmission>;

export const WitnessState = z.strictObject({ format: z.literal('zicht-witness-state/1'), logs: z.record(z.string(), WitnessedLog), refused: z.array(RefusedSubmission) });
export type WitnessState = z.infer<typeof WitnessState>;

/** At most this many refused submissions are kept (the latest). */
export const MAX_REFUSED = 100;

/** Reads the state file; a missing file is the empty state. @throws {IoError} for a file that is not a witness state. */
export function readWitnessState(path: string): WitnessState {
  if (!existsSync(path)) return { format: 'zicht-witness-state/1', logs: {}, refused: [] };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new IoError(`${path} is not a witness state file (zicht-witness-state/1)`, { cause: error });
  }
  const parsed = WitnessState.safeParse(json);
  if (!parsed.success) throw new IoError(`${path} is not a witness state file (zicht-witness-state/1)`);
  return parsed.data;
}

/** Replaces the state file atomically and durably. */
export function writeWitnessState(path: string, state: WitnessState): void {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(WitnessState.parse(state), null, 1)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
