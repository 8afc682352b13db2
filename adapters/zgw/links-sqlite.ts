/**
 * The adapter's links in a SQLite file (better-sqlite3), so that a restart remembers which zaak each handover
 * has, the signed receipts made for it and the gemeente's last volgnummer per dossier: a handover delivered again
 * after a restart makes no second zaak and gets no second receipt (AFL-006, Q98), and the gemeente's next bericht
 * in a dossier keeps its volgnummer increasing (BER-011). WAL journal with `synchronous = FULL`: a `save` that
 * returned survives a crash or a power cut. The file is locked to the process that opened it (`locking_mode =
 * EXCLUSIVE`): a second adapter on the same file would make a second zaak for a handover the first is making, and
 * hand out the same volgnummers, so it is refused at its start. A link is stored as the JSON the adapter holds
 * (ids, URLs and the signed receipts), never content of the handover.
 */
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../../src/errors.js';
import { awaitsGateway, type ZaakLink, type ZaakLinks } from './links.js';

/** The schema version this file writes (`PRAGMA user_version`). */
const SCHEMA_VERSION = 1;

/** Links in a SQLite file, with `close` for the process's stop. */
export interface SqliteZaakLinks extends ZaakLinks {
  /** Closes the database; the links cannot be used after it. */
  close(): void;
}

const driverCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

/**
 * Opens (creating if needed) the links at `path`.
 *
 * @throws {StoreUnavailableError} when the file cannot be opened, is no SQLite database, holds other tables than
 * the adapter's (e.g. the gateway's database named by mistake) or a newer schema, or is held by another
 * connection (another adapter process: `SQLITE_BUSY`, without waiting).
 */
export function sqliteZaakLinks(path: string): SqliteZaakLinks {
  let db: Database.Database | undefined;
  try {
    // No busy timeout: the lock is held for the process's life, so waiting for it would only delay the refusal.
    db = new Database(path, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const version = db.pragma('user_version', { simple: true });
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN ('links', 'volgnummers')").all() as { name: string }[]).length;
    if ((version !== 0 && version !== SCHEMA_VERSION) || tables > 0) {
      throw new StoreUnavailableError({ message: 'The file is not a store of the ZGW adapter (other tables or a newer schema).' });
    }
    // BEGIN EXCLUSIVE takes the write lock now, whether or not the tables exist; in this locking mode it is kept
    // after COMMIT until close.
    db.exec(`
      BEGIN EXCLUSIVE;
      CREATE TABLE IF NOT EXISTS links (bericht_id TEXT PRIMARY KEY, zaak TEXT, unsent INTEGER NOT NULL, link TEXT NOT NULL) STRICT;
      CREATE INDEX IF NOT EXISTS links_zaak ON links (zaak);
      CREATE INDEX IF NOT EXISTS links_unsent ON links (unsent) WHERE unsent = 1;
      CREATE TABLE IF NOT EXISTS volgnummers (dossier TEXT PRIMARY KEY, laatste INTEGER NOT NULL) STRICT;
      PRAGMA user_version = ${String(SCHEMA_VERSION)};
      COMMIT;
    `);
  } catch (error) {
    db?.close();
    if (error instanceof StoreUnavailableError) throw error;
    // better-sqlite3 reports a missing directory as a TypeError without a code: whatever keeps it from opening, the store is out of reach.
    const code = driverCode(error);
    const message = code === 'SQLITE_BUSY'
      ? 'The ZGW adapter\'s store is in use by another process: run one adapter per store file.'
      : 'The ZGW adapter\'s store cannot be opened.';
    throw new StoreUnavailableError({ message, ...(code === undefined ? {} : { driverCode: code }) });
  }
  const byBericht = db.prepare<[string], { link: string }>('SELECT link FROM links WHERE bericht_id = ?');
  const byZaak = db.prepare<[string], { link: string }>('SELECT link FROM links WHERE zaak = ?');
  const unsent = db.prepare<[], { link: string }>('SELECT link FROM links WHERE unsent = 1 ORDER BY rowid');
  const save = db.prepare<[string, string | null, number, string]>(
    'INSERT INTO links (bericht_id, zaak, unsent, link) VALUES (?, ?, ?, ?) ON CONFLICT (bericht_id) DO UPDATE SET zaak = excluded.zaak, unsent = excluded.unsent, link = excluded.link',
  );
  // One statement, so one transaction: two callers never get the same number.
  const next = db.prepare<[string], { laatste: number }>(
    'INSERT INTO volgnummers (dossier, laatste) VALUES (?, 1) ON CONFLICT (dossier) DO UPDATE SET laatste = laatste + 1 RETURNING laatste',
  );
  // Every read parses the stored JSON: the caller gets its own object, which it changes and saves.
  const parse = (row: { link: string }): ZaakLink => JSON.parse(row.link) as ZaakLink;
  const parsed = (row: { link: string } | undefined): ZaakLink | undefined => (row === undefined ? undefined : parse(row));
  const opened = db;
  /** Runs one step on the file; whatever fails there (a full disk, an I/O error, the file closed) is the store out of reach. */
  const onFile = <T>(step: () => T): T => {
    try {
      return step();
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      const code = driverCode(error);
      throw new StoreUnavailableError({ message: 'The ZGW adapter\'s store failed.', ...(code === undefined ? {} : { driverCode: code }) });
    }
  };
  return {
    byBericht: (berichtId) => onFile(() => parsed(byBericht.get(berichtId))),
    byZaak: (zaakUrl) => onFile(() => parsed(byZaak.get(zaakUrl))),
    save(link) {
      onFile(() => save.run(link.berichtId, link.zaak ?? null, awaitsGateway(link) ? 1 : 0, JSON.stringify(link)));
    },
    unsent: () => onFile(() => unsent.all().map(parse)),
    nextVolgnummer(dossier) {
      const row = onFile(() => next.get(dossier));
      if (row === undefined) throw new StoreUnavailableError({ message: 'The volgnummer was not returned.' });
      return row.laatste;
    },
    close() {
      opened.close();
    },
  };
}
