/**
 * Applying the versioned migrations (src/store/migrations.ts). Runs in the caller's transaction: either the
 * schema reaches the latest version or nothing changes.
 */
import { z } from 'zod';
import { StoreError } from '../errors.js';
import { LATEST_VERSION, MIGRATIONS } from './migrations.js';
import type { Dialect, Executor } from './sql.js';
import type { MigrationReport } from './store.js';
import { parseRow } from './validate.js';

const VersionRow = z.object({ version: z.union([z.number(), z.string().regex(/^\d{1,9}$/).transform(Number)]) });

/** Applies every migration not yet recorded in `zicht_migrations`, inside the caller's transaction. */
export async function runMigrations(ex: Executor, dialect: Dialect): Promise<MigrationReport> {
  await dialect.prepareMigration(ex);
  await ex.run('CREATE TABLE IF NOT EXISTS zicht_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const rows = await ex.all('SELECT version FROM zicht_migrations ORDER BY version');
  const done = new Set(rows.map((row) => parseRow((r) => VersionRow.parse(r).version, row)));
  const from = Math.max(0, ...done);
  if (from > LATEST_VERSION) {
    throw new StoreError('ZICHT_STORE_MIGRATION', {
      message: `The database schema is at version ${from}; this version of Zicht knows up to ${LATEST_VERSION}.`,
    });
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    try {
      for (const statement of migration.statements[dialect.backend]) await ex.run(statement);
    } catch (error) {
      if (error instanceof StoreError && error.code === 'ZICHT_STORE_UNAVAILABLE') throw error;
      throw new StoreError('ZICHT_STORE_MIGRATION', {
        message: `Migration ${migration.version} failed.`,
        ...(error instanceof StoreError && error.driverCode !== undefined ? { driverCode: error.driverCode } : {}),
      });
    }
    await ex.run('INSERT INTO zicht_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, new Date().toISOString()]);
    applied.push(migration.version);
  }
  return { from, to: Math.max(from, ...applied), applied };
}
