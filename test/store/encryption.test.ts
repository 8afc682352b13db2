/**
 * Encryption at rest on SQLite and PostgreSQL (issue 11): with a keyring the payload is AES-256-GCM
 * ciphertext in the database (no table holds the plaintext) and plaintext to every caller; a KEK rotation
 * without downtime (old payloads readable under the old KEK while new ones use the new, then re-wrapped,
 * then the old KEK retired); tampering or a missing KEK fails with stable codes; keys are never shown.
 */
import { statSync } from 'node:fs';
import { inspect } from 'node:util';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION } from '../../src/retention/policy.js';
import { purgePayloads } from '../../src/retention/purge.js';
import { Keyring, loadKeyring } from '../../src/store/keyring.js';
import { rewrapAll } from '../../src/store/rewrap.js';
import { runCli } from '../helpers/cli.js';
import { example, personalValuesIn } from '../helpers/examples.js';
import { BACKENDS, useStore, type StoreHarness } from './backends.js';
import { at, bericht, delivery, GEMEENTE_A } from './fixtures.js';

const SECRET = 'CANARY-geheim-adres-9b41';
const body = () => {
  const b = example('overdracht-na-dienst-onderzoek');
  return JSON.stringify({ ...b, extra: SECRET });
};

async function tableText(harness: StoreHarness): Promise<string> {
  return JSON.stringify(await harness.sql('SELECT body, body_kek, body_dek FROM berichten'));
}

describe.each(BACKENDS)('encryption at rest on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('stores ciphertext under the current KEK and gives callers the plaintext on every read', async () => {
    const keyring = Keyring.generate('kek-a');
    const store = await ctx.harness.open({ keyring });
    const b = bericht({ body: body() });
    const inserted = await store.insertBericht(b);
    expect(inserted.body).toBe(b.body);
    expect((await store.getBericht(b.berichtId))?.body).toBe(b.body);
    expect((await store.listBerichtenByDossier(b.dossierReferentie))[0]?.body).toBe(b.body);
    await store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_A));
    expect((await store.claimDue(at(0), 10, at(60), 'w1'))[0]?.bericht.body).toBe(b.body);
    // The commitment is over the plaintext, as without encryption.
    expect(await store.getBerichtSalt(b.berichtId)).toBeDefined();
    const raw = await tableText(ctx.harness);
    expect(raw).not.toContain(SECRET);
    expect(personalValuesIn(raw)).toEqual([]);
    expect(raw).toContain('kek-a');
    expect(await store.countBodiesByKek()).toEqual(new Map([['kek-a', 1]]));
  });

  it('refuses to read an encrypted payload without its KEK (ZICHT_STORE_KEY_MISSING), and a tampered one (ZICHT_STORE_DECRYPT_FAILED)', async () => {
    const store = await ctx.harness.open({ keyring: Keyring.generate('kek-a') });
    const b = await store.insertBericht(bericht({ body: body() }));
    await expect(ctx.store.getBericht(b.berichtId)).rejects.toMatchObject({ code: 'ZICHT_STORE_KEY_MISSING' });
    const other = await ctx.harness.open({ keyring: Keyring.generate('kek-a') });
    await expect(other.getBericht(b.berichtId)).rejects.toMatchObject({ code: 'ZICHT_STORE_DECRYPT_FAILED' });
    // A body moved to another row does not open there: the ciphertext is bound to its bericht id.
    const c = await store.insertBericht(bericht({ body: body() }));
    await ctx.harness.sql(`UPDATE berichten SET body = (SELECT body FROM berichten WHERE bericht_id = '${b.berichtId}') WHERE bericht_id = '${c.berichtId}'`);
    await expect(store.getBericht(c.berichtId)).rejects.toMatchObject({ code: 'ZICHT_STORE_DECRYPT_FAILED' });
  });

  it('rotates the KEK without downtime: old payloads read under the old KEK, new ones sealed under the new, then all re-wrapped and the old KEK retired', async () => {
    const keyring = Keyring.generate('kek-old');
    const store = await ctx.harness.open({ keyring });
    const before = await store.insertBericht(bericht({ body: body() }));
    // Stage the new KEK on every gateway first (not current), then make it current.
    const staged = Keyring.parse(keyring.exportText()).withNewKey('kek-new', false);
    keyring.reload(staged);
    const secondKeyring = Keyring.parse(staged.exportText());
    const current = Keyring.parse(staged.exportText().replace('"current": "kek-old"', '"current": "kek-new"'));
    keyring.reload(current);
    const after = await store.insertBericht(bericht({ body: body() }));
    // A second gateway on the database, still on the staged keyring (both KEKs, the old one current): it
    // reads what the first wrote under either, so the gateways can be reloaded one by one.
    const reader = await ctx.harness.open({ keyring: secondKeyring });
    expect((await reader.getBericht(after.berichtId))?.body).toBe(after.body);
    expect((await reader.getBericht(before.berichtId))?.body).toBe(before.body);
    expect(await store.countBodiesByKek()).toEqual(new Map([['kek-old', 1], ['kek-new', 1]]));
    expect(await rewrapAll(store, 1)).toBe(1);
    expect(await store.countBodiesByKek()).toEqual(new Map([['kek-new', 2]]));
    // Retire the old KEK: everything still reads.
    const retired = Keyring.parse(JSON.stringify({ current: 'kek-new', keys: { 'kek-new': (JSON.parse(current.exportText()) as { keys: Record<string, string> }).keys['kek-new'] } }));
    const last = await ctx.harness.open({ keyring: retired });
    expect((await last.getBericht(before.berichtId))?.body).toBe(before.body);
    expect((await last.getBericht(after.berichtId))?.body).toBe(after.body);
  });

  it('seals payloads stored before encryption was on, and a purge removes the wrapped key with the payload', async () => {
    const plain = await ctx.store.insertBericht(bericht({ body: body() }));
    expect(await ctx.store.countBodiesByKek()).toEqual(new Map([['', 1]]));
    const store = await ctx.harness.open({ keyring: Keyring.generate('kek-a') });
    expect(await rewrapAll(store)).toBe(1);
    expect(await tableText(ctx.harness)).not.toContain(SECRET);
    expect((await store.getBericht(plain.berichtId))?.body).toBe(plain.body);
    await store.enqueueDelivery(delivery(plain.berichtId, GEMEENTE_A));
    await store.acknowledge({ berichtId: plain.berichtId, receiverOin: GEMEENTE_A }, at(0));
    expect((await purgePayloads(store, { policy: DEFAULT_RETENTION, now: at(100 * 3600) })).purged).toBe(1);
    const rows = (await ctx.harness.sql('SELECT body_kek, body_dek FROM berichten')) as { body_kek: unknown; body_dek: unknown }[];
    expect(rows).toEqual([{ body_kek: null, body_dek: null }]);
    // The residue reads without a key; a re-wrap leaves purged rows alone.
    expect((await ctx.store.getBericht(plain.berichtId))?.purgedAt).toBeDefined();
    expect(await rewrapAll(store)).toBe(0);
  });
});

describe('the keyring', () => {
  it('never shows its keys: not in JSON, inspect or errors', () => {
    const keyring = Keyring.generate('kek-a');
    const key = (JSON.parse(keyring.exportText()) as { keys: Record<string, string> }).keys['kek-a'] ?? '';
    expect(key).toHaveLength(44);
    expect(JSON.stringify(keyring)).not.toContain(key);
    expect(inspect(keyring)).not.toContain(key);
    expect(JSON.stringify({ wrapped: keyring })).toBe('{"wrapped":{"current":"kek-a","ids":["kek-a"]}}');
    const failure = (text: string): unknown => {
      try {
        Keyring.parse(text);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(failure(JSON.stringify({ current: 'x', keys: { y: key } }))).toMatchObject({ code: 'ZICHT_STORE_KEY_INVALID' });
    const malformed = failure(JSON.stringify({ current: 'x', keys: { x: key.slice(1) } }));
    expect(malformed).toMatchObject({ code: 'ZICHT_STORE_KEY_INVALID' });
    expect((malformed as Error).message).not.toContain(key.slice(1));
  });

  it('comes from --kek-file, else $ZICHT_KEK_FILE, else $ZICHT_KEK; none: undefined', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zicht-kek-'));
    try {
      const file = join(dir, 'kek.json');
      await writeFile(file, Keyring.generate('from-file').exportText());
      expect(loadKeyring(file, {})?.currentId).toBe('from-file');
      expect(loadKeyring(undefined, { ZICHT_KEK_FILE: file })?.currentId).toBe('from-file');
      expect(loadKeyring(undefined, { ZICHT_KEK: Keyring.generate('from-env').exportText() })?.currentId).toBe('from-env');
      expect(loadKeyring(undefined, {})).toBeUndefined();
      let missing: unknown;
      try {
        loadKeyring(join(dir, 'missing.json'), {});
      } catch (error) {
        missing = error;
      }
      expect(missing).toMatchObject({ code: 'ZICHT_STORE_KEY_INVALID' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('zicht kek', () => {
  it('generate (mode 0600), add --current, status and rewrap: a rotation from the command line, keys never printed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zicht-kek-cli-'));
    try {
      const file = join(dir, 'kek.json');
      const db = join(dir, 'zicht.db');
      expect((await runCli('kek', 'generate', '--out', file, '--id', 'kek-1')).code).toBe(0);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect((await runCli('kek', 'generate', '--out', file)).code).toBe(2);
      const { openStore } = await import('../../src/store/open.js');
      const store = await openStore(db, { keyring: Keyring.parse(await readFile(file, 'utf8')) });
      await store.insertBericht(bericht({ body: body() }));
      await store.close();
      const added = await runCli('kek', 'add', '--file', file, '--id', 'kek-2', '--current');
      expect(added.stdout).toContain('current: kek-2');
      expect((await runCli('kek', 'status', '--db', db)).stdout).toBe('kek-1 1\n');
      const rewrap = await runCli('kek', 'rewrap', '--db', db, '--kek-file', file);
      expect(rewrap.stdout).toContain('1 payload(s) re-wrapped under KEK kek-2');
      expect((await runCli('kek', 'status', '--db', db)).stdout).toBe('kek-2 1\n');
      const keys = Object.values((JSON.parse(await readFile(file, 'utf8')) as { keys: Record<string, string> }).keys);
      for (const run of [added, rewrap]) for (const key of keys) expect(run.stdout + run.stderr).not.toContain(key);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
