/** Opening a store: the URL chooses the backend; SQLite runs in WAL mode with synchronous=FULL. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { openStore, resolveStoreUrl } from '../../src/store/open.js';
import { BACKENDS, PG_URL, schemaExists, useStore } from './backends.js';
import { bericht } from './fixtures.js';

describe('resolveStoreUrl', () => {
  it.each([
    [undefined, { backend: 'sqlite', file: './zicht.db' }],
    ['./data/gateway.db', { backend: 'sqlite', file: './data/gateway.db' }],
    ['/var/lib/zicht/zicht.db', { backend: 'sqlite', file: '/var/lib/zicht/zicht.db' }],
    ['file:relative.db', { backend: 'sqlite', file: 'relative.db' }],
    ['file:///var/lib/zicht/zicht.db', { backend: 'sqlite', file: '/var/lib/zicht/zicht.db' }],
    [':memory:', { backend: 'sqlite', file: ':memory:' }],
    ['postgres://root@127.0.0.1:5432/test', { backend: 'postgres', url: 'postgres://root@127.0.0.1:5432/test' }],
    ['postgresql://u:p@db/zicht', { backend: 'postgres', url: 'postgresql://u:p@db/zicht' }],
  ])('%s', (url, location) => {
    expect(resolveStoreUrl(url)).toEqual(location);
  });

  it.each(['mysql://root@localhost/zicht', 'https://example.org/db', ''])('refuses %j with ZICHT_STORE_URL_INVALID', (url) => {
    const error = (() => {
      try {
        resolveStoreUrl(url);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'ZICHT_STORE_URL_INVALID' });
  });
});

describe('the SQLite file', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('is in WAL mode, synchronous=FULL, with foreign keys on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zicht-store-'));
    dirs.push(dir);
    const file = join(dir, 'zicht.db');
    const store = await openStore(pathToFileURL(file).href);
    try {
      expect(store.backend).toBe('sqlite');
      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        db.close();
      }
      // synchronous and foreign_keys are per connection: check what the store's connection does.
      await expect(store.enqueueDelivery({ berichtId: '6f1d3c2a-0000-4000-8000-000000000000', receiverOin: '00000001001234567000', mode: 'push', nextAttemptAt: new Date() })).rejects.toMatchObject({ code: 'ZICHT_STORE_NOT_FOUND' });
    } finally {
      await store.close();
    }
  });

  it('keeps committed berichten through close and reopen of the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zicht-store-'));
    dirs.push(dir);
    const file = join(dir, 'zicht.db');
    const first = await openStore(file);
    const stored = await first.insertBericht(bericht());
    await first.close();
    const second = await openStore(`file:${file}`);
    try {
      expect(await second.getBericht(stored.berichtId)).toEqual(stored);
      expect((await second.migrate()).applied).toEqual([]);
    } finally {
      await second.close();
    }
  });
});

describe.each(BACKENDS.filter((b) => b.name === 'postgres'))('the PostgreSQL test schema ($name)', ({ harness }) => {
  const ctx = useStore(harness);

  it('holds the tables, and the default schema does not', async () => {
    expect(ctx.store.backend).toBe('postgres');
    const schema = ctx.harness.options.schema!;
    const rows = await ctx.harness.sql(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'berichten' AND table_schema = '${schema}'`);
    expect(rows).toHaveLength(1);
    expect(await schemaExists(schema)).toBe(true);
  });

  it('is created by migrate when missing, and refused when not a plain identifier', async () => {
    const schema = `zicht_test_${Date.now().toString(36)}_new`;
    const store = await openStore(PG_URL, { schema });
    try {
      expect(await schemaExists(schema)).toBe(true);
      await store.insertBericht(bericht());
    } finally {
      await store.close();
      await ctx.harness.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
    expect(await schemaExists(schema)).toBe(false);
    await expect(openStore(PG_URL, { schema: 'x"; DROP TABLE berichten; --' })).rejects.toMatchObject({ code: 'ZICHT_STORE_INVALID' });
  });
});
