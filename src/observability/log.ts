/**
 * The gateway's structured log (pino): JSON lines with codes, participant OINs, bericht ids, statuses and
 * timings. Never bericht content, never request bodies, never error messages from outside Zicht: the
 * people in these berichten must not end up in a log (Z-L 5.1.3; VNG §6a.3).
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type Log = Logger;

/** A log writing JSON lines to `destination` (default stderr) from `level` on (default `info`). */
export function createLog(options: { level?: string; destination?: DestinationStream } = {}): Log {
  return pino({ level: options.level ?? 'info', base: { service: 'zicht-gateway' } }, options.destination ?? pino.destination(2));
}

/** A log that writes nothing (tests, the demo's quiet mode). */
export const silentLog: Log = pino({ level: 'silent' });

/** What may be logged of an error: its class name and, for Zicht's own errors, its code; never its message. */
export function errorFields(error: unknown): { error: string; code?: string } {
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? { error: name, code } : { error: name };
}
