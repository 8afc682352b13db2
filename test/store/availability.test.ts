/**
 * An unreachable or closed database: `ping` says false and every operation throws StoreUnavailableError
 * (the HTTP layer's 503), without SQL, URLs or data in the message.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/errors.js';
import { createStore, openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { BACKENDS, PG_URL, useStore } from './backends.js';
import { bericht } from './fixtures.js';

function expectClean(error: unknown): void {
  expect(error).toBeInstanceOf(StoreUnavailableError);
  expect(error).toMatchObject({ code: 'ZICHT_STORE_UNAVAILABLE' });
  const text = `${String(error)} ${error instanceof Error ? String(error.cause) : ''}`;
  expect(text).not.toMatch(/select|insert|postgres:|127\.0\.0\.1|root|VTZL/i);
}

describe.each(BACKENDS)('a closed store on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('answers ping with false and operations with StoreUnavailableError', async () => {
    expect(await ctx.store.ping()).toBe(true);
    await ctx.store.close();
    await ctx.store.close();
    expect(await ctx.store.ping()).toBe(false);
    expectClean(await ctx.store.insertBericht(bericht()).catch((e: unknown) => e));
    expectClean(await ctx.store.transaction(() => Promise.resolve(1)).catch((e: unknown) => e));
  });

  it('keeps its data across close and reopen', async () => {
    const stored = await ctx.store.insertBericht(bericht());
    await ctx.store.close();
    const reopened = await ctx.harness.open();
    expect(await reopened.getBericht(stored.berichtId)).toEqual(stored);
  });
});

describe('PostgreSQL out of reach', () => {
  // Port 1 on the loopback: nothing listens there, so connecting fails at once.
  const down = PG_URL.replace(/:(\d+)\//, ':1/');
  const stores: Store[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it('uses a URL that differs from the real one', () => {
    expect(down).not.toBe(PG_URL);
  });

  it('ping is false and operations throw StoreUnavailableError', async () => {
    const store = createStore(down, { timeoutMs: 2000 });
    stores.push(store);
    expect(await store.ping()).toBe(false);
    expectClean(await store.getBericht('6f1d3c2a-0000-4000-8000-000000000000').catch((e: unknown) => e));
    expectClean(await store.insertBericht(bericht()).catch((e: unknown) => e));
    expectClean(await store.transaction(() => Promise.resolve(1)).catch((e: unknown) => e));
    const error = await store.claimDue(new Date(0), 1, new Date(1), 'w').catch((e: unknown) => e);
    expectClean(error);
    expect(error).toMatchObject({ driverCode: 'ECONNREFUSED' });
  });

  it('openStore rejects with StoreUnavailableError', async () => {
    expectClean(await openStore(down, { timeoutMs: 2000 }).catch((e: unknown) => e));
  });
});

describe('SQLite out of reach', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('cannot open a file in a missing directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zicht-store-'));
    dirs.push(dir);
    expectClean(await openStore(join(dir, 'missing', 'zicht.db')).catch((e: unknown) => e));
  });

  it('gives up with StoreUnavailableError when another process holds the write lock past the timeout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zicht-store-'));
    dirs.push(dir);
    const file = join(dir, 'zicht.db');
    const store = await openStore(file, { timeoutMs: 50 });
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const error = await store.insertBericht(bericht()).catch((e: unknown) => e);
      expectClean(error);
      expect(error).toMatchObject({ driverCode: 'SQLITE_BUSY' });
      other.exec('ROLLBACK');
      await store.insertBericht(bericht());
    } finally {
      other.close();
      await store.close();
    }
  });
});
