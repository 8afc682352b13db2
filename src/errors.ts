/**
 * Zicht's error classes. Every error has a stable `code` that callers and tests switch on; the
 * message is for people and never carries personal data from a bericht.
 */

/** Every error code Zicht raises, listed once. */
export const ERROR_CODES = {
  ZICHT_USAGE: 'The command line is not understood.',
  ZICHT_IO: 'A file could not be read or written.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base class of every error Zicht raises on purpose. */
export class ZichtError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string = ERROR_CODES[code], options?: ErrorOptions) {
    super(message, options);
    this.name = 'ZichtError';
    this.code = code;
  }
}

/** The command line is wrong: unknown command or option, missing argument. Exit code 2. */
export class UsageError extends ZichtError {
  constructor(message: string) {
    super('ZICHT_USAGE', message);
    this.name = 'UsageError';
  }
}

/** A file could not be read or written. Exit code 2. */
export class IoError extends ZichtError {
  constructor(message: string, options?: ErrorOptions) {
    super('ZICHT_IO', message, options);
    this.name = 'IoError';
  }
}
