/**
 * Backups (issue 19): `zicht backup` copies a running gateway's SQLite database with SQLite's online backup and
 * dumps a PostgreSQL database with pg_dump -Fc (also run by hand as docs/operations.md says), restored with
 * pg_restore. On each restored copy `zicht audit check-store` matches and an export verifies with `zicht audit
 * verify`, and every bericht accepted before the backup is in it.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { generateLogKey, loadLogSigner, logOrigin } from '../../src/audit/log-key.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork } from '../../src/demo/network.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { Keyring } from '../../src/store/keyring.js';
import { openStore } from '../../src/store/open.js';
import { until } from '../console/network.js';
import { runCli } from '../helpers/cli.js';
import { dropPgDatabases, freshPgDatabase } from '../helpers/pg-database.js';

const run = promisify(execFile);
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** A running gateway with `count` accepted handovers; its log key file (for audit export), the ids. */
async function busyGateway(db: string, count: number): Promise<{ gateway: RunningGateway; network: DemoNetwork; keyring: Keyring; keyFile: string; vkey: string; ids: string[] }> {
  const network: DemoNetwork = await createDemoNetwork();
  const keyring = Keyring.generate('k');
  const logKeyText = generateLogKey(logOrigin(DEMO_OIN.gateway));
  const gateway = await startGateway({ registry: network.registry, persistRegistry: true, gateway: network.gateway, db, port: 0, deliver: false, retention: false, keyring, logKey: loadLogSigner(logKeyText) });
  cleanup.push(() => gateway.close());
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const bericht = { ...exampleBericht('overdracht-na-dienst-onderzoek'), berichtId: randomUUID(), dossier: { referentie: `VTZL-2026-${String(500000 + i)}`, volgnummer: 1 } };
    const response = await request(`${gateway.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht)), headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway)}` } });
    await response.body.dump();
    expect(response.statusCode).toBe(202);
    ids.push(bericht.berichtId);
  }
  // A backup is proven against a checkpoint that covers every leaf: wait for the log task to sign one.
  await until(async () => {
    const size = await gateway.store.logSize();
    return size > 0 && (await gateway.store.latestCheckpoint())?.size === size && (await gateway.store.listPendingLeaves(1)).length === 0;
  });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'zicht-bk-key-')), 'log.key');
  writeFileSync(keyFile, `${logKeyText}\n`);
  return { gateway, network, keyring, keyFile, vkey: loadLogSigner(logKeyText).vkey, ids };
}

/** The restored copy passes check-store, an export of it verifies, and it holds every bericht in `ids`. */
async function expectProven(db: string, keyring: Keyring, keyFile: string, vkey: string, ids: readonly string[]): Promise<void> {
  const check = await runCli('audit', 'check-store', '--db', db);
  expect(check.stderr).toBe('');
  expect(check.code).toBe(0);
  expect(check.stdout).toContain('matches the audit log');
  const bundle = join(mkdtempSync(join(tmpdir(), 'zicht-bk-bundle-')), 'bundle.json');
  const exported = await runCli('audit', 'export', '--db', db, '--log-key', keyFile, '--out', bundle);
  expect(exported.code, exported.stderr).toBe(0);
  // The log key from outside the bundle (LOG-001): the one the gateway was started with.
  const verified = await runCli('audit', 'verify', bundle, '--key', vkey);
  expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  expect(verified.stdout).toContain('verified');
  const store = await openStore(db, { keyring });
  try {
    for (const id of ids) expect(await store.getBericht(id), id).toBeDefined();
  } finally {
    await store.close();
  }
}

describe('zicht backup (SQLite)', () => {
  it('copies a running gateway\'s database; the copy passes check-store and audit verify and holds every accepted bericht', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zicht-bk-'));
    const db = join(dir, 'zicht.db');
    const { keyring, keyFile, vkey, ids } = await busyGateway(db, 12);
    const copy = join(dir, 'backup.db');
    const backup = await runCli('backup', '--db', db, '--out', copy);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^backed up \d+ page\(s\) to /);
    await expectProven(copy, keyring, keyFile, vkey, ids);
  });

  it('restores as docs/operations.md says: gateway stopped, the copy in the database\'s place without -wal and -shm, started: it answers for every bericht and takes new ones', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zicht-bk-'));
    const db = join(dir, 'zicht.db');
    const { gateway, network, keyring, ids } = await busyGateway(db, 5);
    const copy = join(dir, 'backup.db');
    expect((await runCli('backup', '--db', db, '--out', copy)).code).toBe(0);
    // Accepted after the backup: not in the copy, so the restore is seen to take the copy.
    const later = { ...exampleBericht('overdracht-na-dienst-onderzoek'), berichtId: randomUUID(), dossier: { referentie: 'VTZL-2026-599999', volgnummer: 1 } };
    const post = (url: string, bericht: typeof later) =>
      signAs(network, 'vtZuidLimburg', bericht).then(async (signed) => request(`${url}/v1/berichten`, { method: 'POST', body: JSON.stringify(signed), headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway)}` } }));
    const accepted = await post(gateway.url, later);
    await accepted.body.dump();
    expect(accepted.statusCode).toBe(202);
    await gateway.close();
    for (const suffix of ['-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    copyFileSync(copy, db);
    const restored = await startGateway({ registry: network.registry, persistRegistry: true, gateway: network.gateway, db, port: 0, deliver: false, retention: false, keyring });
    cleanup.push(() => restored.close());
    const status = async (id: string) => {
      const response = await request(`${restored.url}/v1/berichten/${id}`, { headers: { authorization: `Bearer ${await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway)}` } });
      await response.body.dump();
      return response.statusCode;
    };
    for (const id of ids) expect(await status(id), id).toBe(200);
    expect(await status(later.berichtId)).toBe(404);
    const again = await post(restored.url, { ...later, berichtId: randomUUID(), dossier: { referentie: 'VTZL-2026-599998', volgnummer: 1 } });
    await again.body.dump();
    expect(again.statusCode).toBe(202);
  });

  it('refuses to overwrite and a database that is not there: exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zicht-bk-'));
    const db = join(dir, 'zicht.db');
    await (await openStore(db)).close();
    const taken = join(dir, 'taken.db');
    writeFileSync(taken, 'keep me');
    const over = await runCli('backup', '--db', db, '--out', taken);
    expect(over.code).toBe(2);
    expect(readFileSync(taken, 'utf8')).toBe('keep me');
    const missing = await runCli('backup', '--db', join(dir, 'typo.db'), '--out', join(dir, 'out.db'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ZICHT_STORE_ABSENT');
    expect(existsSync(join(dir, 'out.db'))).toBe(false);
  });
});

describe('PostgreSQL: pg_dump and pg_restore as docs/operations.md says', () => {
  afterAll(dropPgDatabases, 60_000);

  it('a dump of a running gateway\'s database, restored into a new one, passes check-store and audit verify', { timeout: 90_000 }, async () => {
    const { url: live } = await freshPgDatabase('zicht_live');
    const { keyring, keyFile, vkey, ids } = await busyGateway(live, 8);
    const dump = join(mkdtempSync(join(tmpdir(), 'zicht-pgdump-')), 'zicht.dump');
    await run('pg_dump', ['-Fc', '--no-owner', '-f', dump, live]);
    const { url: restored } = await freshPgDatabase('zicht_restored');
    await run('pg_restore', ['--no-owner', '-d', restored, dump]);
    await expectProven(restored, keyring, keyFile, vkey, ids);
  });

  it('zicht backup runs pg_dump on a running gateway\'s database; restored with pg_restore it passes check-store and audit verify', { timeout: 90_000 }, async () => {
    const { url: live } = await freshPgDatabase('zicht_live');
    const { keyring, keyFile, vkey, ids } = await busyGateway(live, 8);
    const dump = join(mkdtempSync(join(tmpdir(), 'zicht-pgdump-')), 'zicht.dump');
    const backup = await runCli('backup', '--db', live, '--out', dump);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^backed up with pg_dump \(\d+ bytes, custom format\) to /);
    const { url: restored } = await freshPgDatabase('zicht_restored');
    await run('pg_restore', ['--no-owner', '-d', restored, dump]);
    await expectProven(restored, keyring, keyFile, vkey, ids);
    // Never overwrites.
    const again = await runCli('backup', '--db', live, '--out', dump);
    expect(again.code).toBe(2);
  });

  it('zicht backup refuses a PostgreSQL database without a Zicht schema (exit 2, ZICHT_STORE_ABSENT) and writes no file', async () => {
    const { url: empty } = await freshPgDatabase('zicht_empty');
    const out = join(mkdtempSync(join(tmpdir(), 'zicht-pgdump-')), 'zicht.dump');
    const refused = await runCli('backup', '--db', empty, '--out', out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('ZICHT_STORE_ABSENT');
    expect(existsSync(out)).toBe(false);
  });
});
