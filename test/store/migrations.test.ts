/** Versioned migrations: applied once, a no-op on restart, refused when the database is newer. */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { LATEST_VERSION, MIGRATIONS } from '../../src/store/migrations.js';
import { BACKENDS, useStore } from './backends.js';
import { bericht } from './fixtures.js';

describe.each(BACKENDS)('migrations on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('a second run applies nothing and keeps the data', async () => {
    const stored = await ctx.store.insertBericht(bericht());
    expect(await ctx.store.migrate()).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION, applied: [] });
    const reopened = await ctx.harness.open();
    expect(await reopened.migrate()).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION, applied: [] });
    expect(await reopened.getBericht(stored.berichtId)).toEqual(stored);
  });

  it('records every version once in zicht_migrations', async () => {
    const rows = await ctx.harness.sql('SELECT version FROM zicht_migrations ORDER BY version');
    expect(rows.map((row) => Number((row as { version: unknown }).version))).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('stores migrating at the same time on one fresh database take turns', async () => {
    // The harness's store already migrated; start from an empty database of its own instead.
    const fresh = await harness();
    try {
      const [a, b] = [fresh.create(), fresh.create()];
      const reports = await Promise.all([a.migrate(), b.migrate()]);
      expect(reports.map((r) => r.applied.length).sort()).toEqual([0, MIGRATIONS.length]);
      expect(reports.every((r) => r.to === LATEST_VERSION)).toBe(true);
      await a.insertBericht(bericht());
    } finally {
      await fresh.cleanup();
    }
  });

  it('refuses a database whose schema is newer than this code', async () => {
    await ctx.harness.sql(`INSERT INTO zicht_migrations (version, name, applied_at) VALUES (${LATEST_VERSION + 1}, 'future', '2030-01-01')`);
    await expect(ctx.store.migrate()).rejects.toMatchObject({ code: 'ZICHT_STORE_MIGRATION' });
    const opening = ctx.harness.open();
    await expect(opening).rejects.toBeInstanceOf(StoreError);
    await expect(opening).rejects.toMatchObject({ code: 'ZICHT_STORE_MIGRATION' });
  });
});
