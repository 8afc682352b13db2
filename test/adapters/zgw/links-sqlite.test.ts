/**
 * The ZGW adapter's links in SQLite (adapters/zgw/links-sqlite.ts): what is saved comes back as saved, also after
 * the file is opened again (a restart), so a redelivered handover finds its zaak and signed receipt (AFL-006,
 * Q98) and the gemeente's volgnummers per dossier keep increasing (BER-011). A file that is no store of the
 * adapter, cannot be opened or is held by another process, is refused with `ZICHT_STORE_UNAVAILABLE`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteZaakLinks, type SqliteZaakLinks } from '../../../adapters/zgw/links-sqlite.js';
import { updateLink, type ZaakLink } from '../../../adapters/zgw/links.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs } from '../../../src/demo/network.js';
import { StoreUnavailableError } from '../../../src/errors.js';
import type { Bericht } from '../../../src/model/bericht.js';

const network = await createDemoNetwork();

let dir: string;
let file: string;
const opened: SqliteZaakLinks[] = [];
const open = (path = file): SqliteZaakLinks => {
  const links = sqliteZaakLinks(path);
  opened.push(links);
  return links;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-zgw-links-'));
  file = join(dir, 'zgw-links.sqlite');
});
afterEach(() => {
  for (const links of opened.splice(0)) {
    try {
      links.close();
    } catch {
      // closed by the test already
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const link = (berichtId: string): ZaakLink => ({
  berichtId,
  dossier: 'VT-ZL-2025-000123',
  vtOin: DEMO_OIN.vtZuidLimburg,
  ontvangenOp: '2025-03-01T10:00:00.000Z',
  teams: [DEMO_OIN.heerlen, DEMO_OIN.kerkrade],
  rollen: 0,
  compleet: false,
  geaccepteerd: false,
});

/** A signed bericht as the adapter keeps one in a link. */
const signed = (): Promise<Bericht> => {
  const bericht = exampleBericht('ontvangstbevestiging-ontvangen');
  return signAs(network, 'heerlen', { ...bericht, verzender: { ...bericht.verzender, oin: DEMO_OIN.heerlen } });
};

describe('sqliteZaakLinks', () => {
  it('gives back what was saved, by berichtId and by zaak, as the caller\'s own copy', () => {
    const links = open();
    const saved = { ...link('b-1'), zaak: 'https://openzaak.example/zaken/api/v1/zaken/1' };
    links.save(saved);
    expect(links.byBericht('b-1')).toEqual(saved);
    expect(links.byZaak(saved.zaak)).toEqual(saved);
    expect(links.byBericht('b-2')).toBeUndefined();
    expect(links.byZaak('https://openzaak.example/zaken/api/v1/zaken/2')).toBeUndefined();
    // A copy changed without save changes nothing stored.
    const copy = links.byBericht('b-1');
    if (copy === undefined) throw new Error('no link');
    copy.rollen = 7;
    expect(links.byBericht('b-1')?.rollen).toBe(0);
  });

  it('keeps a change that is saved, and the zaak found by its URL once it is set', () => {
    const links = open();
    links.save(link('b-1'));
    const held = links.byBericht('b-1');
    if (held === undefined) throw new Error('no link');
    updateLink(links, held, (l) => { l.zaak = 'https://openzaak.example/zaken/api/v1/zaken/9'; });
    updateLink(links, held, (l) => { l.rollen += 1; });
    expect(links.byZaak('https://openzaak.example/zaken/api/v1/zaken/9')).toMatchObject({ berichtId: 'b-1', rollen: 1 });
  });

  it('after a restart (the file opened again) has the links, the signed receipts byte for byte, and continues the volgnummers', async () => {
    const first = open();
    const ontvangen = await signed();
    first.save({ ...link('b-1'), zaak: 'https://openzaak.example/zaken/api/v1/zaken/1', rollen: 3, compleet: true, ontvangen, ontvangenVerzonden: false });
    expect([first.nextVolgnummer('VT-ZL-2025-000123'), first.nextVolgnummer('VT-ZL-2025-000123'), first.nextVolgnummer('VT-ZL-2025-000999')]).toEqual([1, 2, 1]);
    first.close();

    const second = open();
    const back = second.byBericht('b-1');
    expect(back).toMatchObject({ zaak: 'https://openzaak.example/zaken/api/v1/zaken/1', rollen: 3, compleet: true, ontvangenVerzonden: false });
    expect(JSON.stringify(back?.ontvangen)).toBe(JSON.stringify(ontvangen));
    expect(second.byZaak('https://openzaak.example/zaken/api/v1/zaken/1')?.berichtId).toBe('b-1');
    expect(second.nextVolgnummer('VT-ZL-2025-000123')).toBe(3);
    expect(second.nextVolgnummer('VT-ZL-2025-000999')).toBe(2);
    // Q98: the receipt the gateway has not accepted is found to be sent again, until it is.
    expect(second.unsent().map((l) => l.berichtId)).toEqual(['b-1']);
    if (back === undefined) throw new Error('no link');
    updateLink(second, back, (l) => { l.ontvangenVerzonden = true; });
    expect(second.unsent()).toEqual([]);
  });

  it('writes with the WAL journal: a save that returned is in the file once the process lets go of it', () => {
    const links = open();
    links.save(link('b-1'));
    links.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT bericht_id FROM links').all()).toEqual([{ bericht_id: 'b-1' }]);
    } finally {
      db.close();
    }
  });

  it('is held by one process at a time: a second opening is refused, not a second writer of the same links', () => {
    const first = open();
    first.save(link('b-1'));
    // Also a plain reader: a second adapter's first step would be to read a link the first is changing.
    const reader = new Database(file, { readonly: true, timeout: 0 });
    try {
      expect(() => reader.prepare('SELECT bericht_id FROM links').all()).toThrow(/locked|busy/i);
    } finally {
      reader.close();
    }
    let refusal: unknown;
    try {
      open();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StoreUnavailableError);
    expect(refusal).toMatchObject({ driverCode: 'SQLITE_BUSY', message: expect.stringContaining('another process') as unknown });
    // Closing lets go: the next process finds what the first saved.
    first.close();
    expect(open().byBericht('b-1')?.berichtId).toBe('b-1');
  });

  it.each([
    ['a folder that does not exist', () => join(dir, 'nergens', 'zgw-links.sqlite')],
    ['a file that is no SQLite database', () => {
      const path = join(dir, 'tekst.sqlite');
      writeFileSync(path, 'Dit is geen SQLite-database maar een tekst die lang genoeg is om een kop te hebben.\n'.repeat(10));
      return path;
    }],
    ['another database (e.g. the gateway\'s)', () => {
      const path = join(dir, 'zicht.db');
      const db = new Database(path);
      db.exec('CREATE TABLE berichten (id TEXT)');
      db.close();
      return path;
    }],
  ])('refuses %s with ZICHT_STORE_UNAVAILABLE', (_name, path) => {
    expect(() => open(path())).toThrow(StoreUnavailableError);
  });
});
