/**
 * WAL checkpoints off the event loop (src/store/sqlite-checkpointer.ts): with `checkpointEveryMs` a worker
 * thread copies committed berichten from the WAL into the database file; without it, a few commits stay in
 * the WAL until SQLite's own checkpoint (after 1,000 pages). Seen by opening a copy of the database file
 * alone, without its WAL.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { bericht } from './fixtures.js';

/** The berichten in the database file itself, as a copy without the WAL shows them. */
function idsInFile(file: string): string[] {
  const copy = `${file}.copy`;
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    // Without a checkpoint not even the migrations' tables are in the file yet.
    if (db.prepare("SELECT name FROM sqlite_master WHERE name = 'berichten'").get() === undefined) return [];
    return (db.prepare('SELECT bericht_id AS id FROM berichten ORDER BY seq').all() as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

describe('SQLite WAL checkpoints in a worker thread', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it.each([
    { checkpointEveryMs: 50, inFile: true },
    { checkpointEveryMs: undefined, inFile: false },
  ])('checkpointEveryMs $checkpointEveryMs: committed berichten are in the database file: $inFile', async ({ checkpointEveryMs, inFile }) => {
    const file = join(mkdtempSync(join(tmpdir(), 'zicht-ckpt-')), 'zicht.db');
    store = await openStore(file, checkpointEveryMs === undefined ? {} : { checkpointEveryMs });
    const written = [bericht(), bericht(), bericht()];
    for (const b of written) await store.insertBericht(b);
    if (inFile) {
      // The worker copies them within a few of its 50 ms rounds; a loaded machine may need longer, never forever.
      await vi.waitFor(() => {
        expect(idsInFile(file)).toEqual(written.map((b) => b.berichtId));
      }, { timeout: 15_000, interval: 50 });
    } else {
      // Many rounds of the worker that is not there: still nothing in the file.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(idsInFile(file)).toEqual([]);
    }
    // Committed either way: the store (file and WAL) has them all.
    for (const b of written) expect(await store.getBericht(b.berichtId)).toBeDefined();
  });
});
