/**
 * What a `zicht` subcommand is. Commands are thin: they parse their arguments (node:util
 * parseArgs), call library functions, print, and return an exit code.
 */

/** Where a command writes. Tests pass collectors; the bin passes process.stdout and stderr. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit codes shared by every command (documented in README.md). */
export const EXIT = {
  /** Done; for validate and verify: valid (warnings allowed). */
  ok: 0,
  /** Findings: invalid bericht, failed verification. */
  findings: 1,
  /** Usage or I/O error: nothing was judged. */
  usage: 2,
  /** `zicht audit verify`: what was in the bundle verified, but it is not the whole log (LOG-002). */
  partial: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A subcommand of `zicht`. */
export interface Command {
  readonly name: string;
  /** One line for `zicht help`. */
  readonly summary: string;
  /** The usage text printed by `zicht help NAME` and on a usage error. */
  readonly usage: string;
  run(args: readonly string[], io: Io): Promise<ExitCode>;
}
