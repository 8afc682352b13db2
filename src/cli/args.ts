/**
 * Argument parsing for subcommands uses node:util parseArgs (part of Node, so no dependency); this
 * turns its errors into UsageError.
 */
import { UsageError } from '../errors.js';

/** Runs a parseArgs call and turns its errors into UsageError. */
export function withUsageErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid arguments') : 'invalid arguments');
  }
}
