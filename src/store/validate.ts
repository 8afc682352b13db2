/**
 * Input validation for the store: every value is checked against its zod schema before it reaches SQL.
 * The error names the paths that failed, never the values.
 */
import type { z } from 'zod';
import { StoreError } from '../errors.js';

/** Parses `value` with `schema`, or throws `StoreError` `ZICHT_STORE_INVALID` naming the failing paths. */
export function validate<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const paths = [...new Set(result.error.issues.map((issue) => (issue.path.length === 0 ? '(value)' : issue.path.map(String).join('.'))))];
  throw new StoreError('ZICHT_STORE_INVALID', { message: `Invalid ${what}: ${paths.join(', ')}.` });
}

/** Parses rows the database returned; a row of another shape means schema drift, reported without its values. */
export function parseRow<T>(parse: (row: unknown) => T, row: unknown): T {
  try {
    return parse(row);
  } catch {
    throw new StoreError('ZICHT_STORE_FAILED', { message: 'The database returned a row of an unexpected shape.' });
  }
}
