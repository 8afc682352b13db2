/**
 * `zicht backup`: a consistent copy of a running gateway's database. SQLite: SQLite's online backup API
 * (better-sqlite3 `backup`), page by page while the gateway keeps writing; the copy is a complete database, its
 * WAL included. PostgreSQL: `pg_dump -Fc --no-owner` (one consistent snapshot while the gateway runs), restored
 * with `pg_restore` (docs/operations.md). Neither migrates or otherwise changes the database: a backup made before
 * an upgrade is of the old schema.
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { IoError } from '../errors.js';
import { postgresHoldsSchema, shownStoreUrl, sqliteHoldsSchema } from './existing.js';
import { DEFAULT_STORE_URL, resolveStoreUrl } from './open.js';

/** What a backup wrote: SQLite pages, or the bytes of a pg_dump archive. */
export type BackupReport = { readonly backend: 'sqlite'; readonly file: string; readonly pages: number } | { readonly backend: 'postgres'; readonly file: string; readonly bytes: number };

/**
 * Copies the database `url` names to `out` (which must not exist) while it may be in use.
 *
 * @throws {StoreError} `ZICHT_STORE_ABSENT` when there is no Zicht database, `ZICHT_STORE_UNAVAILABLE` when a
 *   PostgreSQL database cannot be reached. @throws {IoError} when `out` exists or cannot be written, or pg_dump is
 *   missing or fails.
 */
export async function backupDatabase(out: string, url: string = DEFAULT_STORE_URL): Promise<BackupReport> {
  const location = resolveStoreUrl(url);
  if (location.backend === 'postgres') {
    await postgresHoldsSchema(location, url, {});
    if (existsSync(out)) throw new IoError(`${out} exists; a backup never overwrites`);
    await pgDump(out, location.url);
    return { backend: 'postgres', file: out, bytes: statSync(out).size };
  }
  sqliteHoldsSchema(location.file, url);
  if (existsSync(out)) throw new IoError(`${out} exists; a backup never overwrites`);
  const db = new Database(location.file, { readonly: true, fileMustExist: true });
  try {
    const progress = await db.backup(out);
    return { backend: 'sqlite', file: out, pages: progress.totalPages };
  } catch (error) {
    throw new IoError(`cannot write the backup to ${out} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  } finally {
    db.close();
  }
}

/** Runs pg_dump -Fc into `out`; the password goes in PGPASSWORD, not on the command line where `ps` shows it. */
function pgDump(out: string, url: string): Promise<void> {
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  return new Promise((resolve, reject) => {
    execFile(
      'pg_dump',
      ['--format=custom', '--no-owner', `--file=${out}`, `--dbname=${target.href}`],
      { env: { ...process.env, ...(password === '' ? {} : { PGPASSWORD: password }) }, maxBuffer: 1 << 20 },
      (error) => {
        if (error === null) {
          resolve();
          return;
        }
        rmSync(out, { force: true });
        const code = (error as NodeJS.ErrnoException).code;
        reject(
          code === 'ENOENT'
            ? new IoError('pg_dump is not installed (the PostgreSQL client tools, e.g. the Debian package postgresql-client); a PostgreSQL database is backed up with it')
            : new IoError(`pg_dump could not back up ${shownStoreUrl(url)} (exit ${String(error.code ?? 'unknown')})`, { cause: error }),
        );
      },
    );
  });
}
