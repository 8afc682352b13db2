/**
 * `zicht backup`: a consistent copy of a running gateway's SQLite database, made with SQLite's online backup API
 * (better-sqlite3 `backup`), page by page while the gateway keeps writing; the copy is a complete database, its
 * WAL included. PostgreSQL is backed up with its own tools (pg_dump, docs/operations.md).
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { IoError, UsageError } from '../errors.js';
import { sqliteHoldsSchema } from './existing.js';
import { DEFAULT_STORE_URL, resolveStoreUrl } from './open.js';

/** What a backup wrote. */
export interface BackupReport {
  readonly file: string;
  readonly pages: number;
}

/**
 * Copies the SQLite database `url` names to `out` (which must not exist) while it may be in use.
 *
 * @throws {UsageError} for a PostgreSQL URL (use pg_dump). @throws {StoreError} `ZICHT_STORE_ABSENT` when there is
 *   no Zicht database. @throws {IoError} when `out` exists or cannot be written.
 */
export async function backupSqlite(out: string, url: string = DEFAULT_STORE_URL): Promise<BackupReport> {
  const location = resolveStoreUrl(url);
  if (location.backend === 'postgres') throw new UsageError('a PostgreSQL database is backed up with pg_dump -Fc (docs/operations.md, "Backup and restore")');
  sqliteHoldsSchema(location.file, url);
  if (existsSync(out)) throw new IoError(`${out} exists; a backup never overwrites`);
  const db = new Database(location.file, { readonly: true, fileMustExist: true });
  try {
    const progress = await db.backup(out);
    return { file: out, pages: progress.totalPages };
  } catch (error) {
    throw new IoError(`cannot write the backup to ${out} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  } finally {
    db.close();
  }
}
