/**
 * Storage faults at process level (issue 19, CFG-010): a real `zicht serve` process over real HTTP, its database
 * on a filesystem that fills up or goes read-only, on SQLite and PostgreSQL. Every write then answers 503 with
 * Retry-After, problem+json and the rule id, never a 500 and never a 202 for a bericht that was not stored;
 * health and reads keep answering; once the fault ends the gateway accepts again and every 202 is in the store.
 *
 * How the faults are made (as root, as CI runs):
 * - SQLite, disk full: the database on a small tmpfs, then a file that takes all its free space.
 * - SQLite, read-only: the database on an ext4 image mounted with errors=remount-ro; writing to the kernel's
 *   trigger_fs_error makes the kernel turn the mounted filesystem read-only under the running gateway, as it does
 *   on a disk error. (`mount -o remount,ro` is refused while the gateway holds the file open for writing, and
 *   file permissions do not stop root.) The kernel keeps that filesystem read-only until it is unmounted, so the
 *   fault ends as an operator ends it: stop the gateway, unmount, e2fsck, mount, start it (docs/operations.md).
 * - PostgreSQL, read-only: `ALTER DATABASE … SET default_transaction_read_only = on` on a database of the test's
 *   own, its sessions ended so that new ones take the setting (SQLSTATE 25006).
 * - PostgreSQL, disk full: the test's database in a tablespace on a small tmpfs owned by postgres, filled up;
 *   PostgreSQL cannot extend a table there (SQLSTATE 53100) and stays up (its WAL is on the data disk).
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exampleBericht } from '../../src/demo/network.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { signBericht } from '../../src/signing/sign.js';
import { gatewayFixture, OIN, type GatewayFixture } from '../helpers/gateway-process.js';
import { call, type Answer } from '../helpers/http-answer.js';
import { dropPgDatabases, freshPgDatabase, pgAdmin, pgUrlOf } from '../helpers/pg-database.js';

const exec = promisify(execFile);
let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch((error: unknown) => { console.error('cleanup step failed', error); });
  cleanup = [];
}, 60_000);
afterAll(dropPgDatabases, 60_000);

/** The 503 of CFG-010: problem+json, Retry-After, the rule id. */
function expectUnavailable(answer: Answer): void {
  expect(answer.status).toBe(503);
  expect(answer.type).toBe('application/problem+json');
  expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  expect(answer.rules).toEqual(['CFG-010']);
}

/** A running `zicht serve` and ways to talk to it as VT. */
interface Served {
  readonly fixture: GatewayFixture;
  child: ChildProcess;
  /** A new signed handover from VT with a dossier of its own. */
  handover(): Promise<{ id: string; body: string }>;
  post(bericht: { body: string }): Promise<Answer>;
  /** VT reads a bericht's status (an authenticated GET). */
  status(id: string): Promise<Answer>;
  /** Stops the process with SIGTERM; its exit code. */
  stop(): Promise<number | null>;
  /** Starts the process again on the same database. */
  restart(): Promise<void>;
}

async function serve(db: string): Promise<Served> {
  // Deliveries go nowhere reachable; they are not the point here.
  const fixture = await gatewayFixture('http://127.0.0.1:9/v1', db);
  const token = () => createBearerToken(fixture.vt, OIN.gateway);
  const served: Served = {
    fixture,
    child: await fixture.start(),
    async handover() {
      const bericht = { ...exampleBericht('overdracht-na-veiligheidsbeoordeling'), berichtId: randomUUID(), dossier: { referentie: `VTZL-2026-${String(100000 + Math.floor(Math.random() * 800000))}`, volgnummer: 1 } };
      return { id: bericht.berichtId, body: JSON.stringify(await signBericht(bericht, fixture.vt)) };
    },
    post: async (bericht) => call(`${fixture.url}/v1/berichten`, { method: 'POST', body: bericht.body, token: await token() }),
    status: async (id) => call(`${fixture.url}/v1/berichten/${id}`, { token: await token() }),
    async stop() {
      if (served.child.exitCode !== null) return served.child.exitCode;
      const exited = new Promise<number | null>((resolve) => served.child.once('exit', (code) => { resolve(code); }));
      served.child.kill('SIGTERM');
      return exited;
    },
    async restart() {
      served.child = await fixture.start();
    },
  };
  cleanup.push(async () => {
    if (served.child.exitCode === null) {
      const exited = new Promise((resolve) => served.child.once('exit', resolve));
      served.child.kill('SIGKILL');
      await exited;
    }
  });
  return served;
}

/**
 * Posts new handovers until one is refused (at most `max`): while the fault has not yet bitten (free pages in
 * a file already allocated) a write may still succeed. Every answer is 202 or the CFG-010 503; the ids that got
 * a 202 and the refused handover.
 */
async function postUntilRefused(gateway: Served, max: number): Promise<{ accepted: string[]; refused: { id: string; body: string } }> {
  const accepted: string[] = [];
  for (let i = 0; i < max; i++) {
    const bericht = await gateway.handover();
    const answer = await gateway.post(bericht);
    if (answer.status === 202) {
      accepted.push(bericht.id);
      continue;
    }
    expectUnavailable(answer);
    return { accepted, refused: bericht };
  }
  throw new Error(`no 503 after ${String(max)} handovers`);
}

/**
 * While the fault lasts: health and reads are answered, and the refused handover sent again is refused again.
 * On a full disk SQLite may take it after all (a checkpoint lets the WAL start over in space it holds already):
 * `mayTake` allows that 202, which must then be stored like any other. Whether it was taken.
 */
async function expectDegraded(gateway: Served, stored: string, refused: { id: string; body: string }, mayTake = false): Promise<boolean> {
  expect((await call(`${gateway.fixture.url}/v1/health`)).status).toBe(200);
  const read = await gateway.status(stored);
  expect(read.status, JSON.stringify(read)).toBe(200);
  const again = await gateway.post(refused);
  if (mayTake && again.status === 202) return true;
  expectUnavailable(again);
  return false;
}

/** After the fault: the refused handover is accepted now (unless it was `taken` already), and every 202 is stored. */
async function expectRecovered(gateway: Served, accepted: readonly string[], refused: { id: string; body: string }, taken = false): Promise<void> {
  if (!taken) {
    expect((await gateway.status(refused.id)).status).toBe(404);
    expect((await gateway.post(refused)).status).toBe(202);
  }
  const next = await gateway.handover();
  expect((await gateway.post(next)).status).toBe(202);
  for (const id of [...accepted, refused.id, next.id]) expect((await gateway.status(id)).status, id).toBe(200);
}

/** Mounts a tmpfs of `size` at a new directory (owned by `owner` when given); unmounted by cleanup. */
async function tmpfs(size: string, owner?: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'zicht-fault-'));
  const options = [`size=${size}`, ...(owner === undefined ? [] : [`uid=${owner}`, `gid=${owner}`, 'mode=0700'])];
  await exec('mount', ['-t', 'tmpfs', '-o', options.join(','), 'tmpfs', dir]);
  cleanup.push(async () => {
    await exec('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Writes a file in `dir` until the filesystem is full; removing it ends the fault. */
function fill(dir: string): { free: () => void } {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    // The last pages, smaller than a chunk.
    try {
      for (;;) writeSync(fd, chunk, 0, 512);
    } catch (last) {
      if ((last as NodeJS.ErrnoException).code !== 'ENOSPC') throw last;
    }
  } finally {
    closeSync(fd);
  }
  return { free: () => { rmSync(file); } };
}

describe('SQLite: the disk fills up', () => {
  it('answers 503 (CFG-010) with Retry-After, never 500 or a 202 not stored; health and reads answered; accepts once space is freed', { timeout: 120_000 }, async () => {
    const dir = await tmpfs('4m');
    const gateway = await serve(join(dir, 'zicht.db'));
    const first = await gateway.handover();
    expect((await gateway.post(first)).status).toBe(202);

    const disk = fill(dir);
    const { accepted, refused } = await postUntilRefused(gateway, 400);
    const taken = await expectDegraded(gateway, first.id, refused, true);

    disk.free();
    await expectRecovered(gateway, [first.id, ...accepted], refused, taken);
    expect(await gateway.stop()).toBe(0);
  });
});

describe('SQLite: the filesystem goes read-only under the gateway', () => {
  it('answers 503 (CFG-010) with Retry-After; health and reads answered; after the repair (stop, unmount, e2fsck, mount, start) every 202 is there and it accepts', { timeout: 120_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'zicht-ro-'));
    const image = join(work, 'fs.img');
    const dir = join(work, 'mnt');
    await exec('truncate', ['-s', '32M', image]);
    await exec('mkfs.ext4', ['-q', image]);
    await exec('mkdir', [dir]);
    const mount = () => exec('mount', ['-o', 'loop,errors=remount-ro', image, dir]);
    await mount();
    let mounted = true;
    cleanup.push(async () => {
      if (mounted) await exec('umount', [dir]);
      rmSync(work, { recursive: true, force: true });
    });
    const gateway = await serve(join(dir, 'zicht.db'));
    const first = await gateway.handover();
    expect((await gateway.post(first)).status).toBe(202);

    // The kernel turns the filesystem read-only, as on a disk error.
    const device = (await exec('findmnt', ['-n', '-o', 'SOURCE', dir])).stdout.trim().replace('/dev/', '');
    await exec('sh', ['-c', `echo zicht-fault-test > /sys/fs/ext4/${device}/trigger_fs_error`]);
    expect((await exec('findmnt', ['-n', '-o', 'OPTIONS', dir])).stdout).toMatch(/^ro,|emergency_ro/);
    const { accepted, refused } = await postUntilRefused(gateway, 5);
    expect(accepted).toEqual([]);
    await expectDegraded(gateway, first.id, refused);

    // The repair: the kernel keeps the filesystem read-only until it is unmounted.
    expect(await gateway.stop()).toBe(0);
    await exec('umount', [dir]);
    mounted = false;
    await exec('e2fsck', ['-fy', image]).catch((error: unknown) => {
      // 1: errors corrected.
      if ((error as { code?: number }).code !== 1) throw error;
    });
    await mount();
    mounted = true;
    await gateway.restart();
    await expectRecovered(gateway, [first.id], refused);
    expect(await gateway.stop()).toBe(0);
  });
});

describe('PostgreSQL: read-only', () => {
  it('default_transaction_read_only on (SQLSTATE 25006): 503 (CFG-010) with Retry-After, health and reads answered; accepts once it is off', { timeout: 120_000 }, async () => {
    const { name, url } = await freshPgDatabase('zicht_ro');
    const gateway = await serve(url);
    const first = await gateway.handover();
    expect((await gateway.post(first)).status).toBe(202);

    const endSessions = () => pgAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
    await pgAdmin(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
    cleanup.push(() => pgAdmin(`ALTER DATABASE ${name} RESET default_transaction_read_only`));
    await endSessions();
    const { accepted, refused } = await postUntilRefused(gateway, 5);
    expect(accepted).toEqual([]);
    await expectDegraded(gateway, first.id, refused);

    await pgAdmin(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
    await endSessions();
    await expectRecovered(gateway, [first.id], refused);
    expect(await gateway.stop()).toBe(0);
  });
});

describe('PostgreSQL: the disk of its tablespace fills up', () => {
  it('cannot extend a table (SQLSTATE 53100): 503 (CFG-010) with Retry-After, health and reads answered; accepts once space is freed', { timeout: 120_000 }, async () => {
    // CREATE DATABASE copies template1 (about 8 MB) into the tablespace; room for that and the schema.
    const dir = await tmpfs('40m', 'postgres');
    const tablespace = `zicht_full_${randomBytes(6).toString('hex')}`;
    const name = `zicht_full_${randomBytes(6).toString('hex')}`;
    await pgAdmin(`CREATE TABLESPACE ${tablespace} LOCATION '${dir}'`);
    cleanup.push(() => pgAdmin(`DROP TABLESPACE IF EXISTS ${tablespace}`));
    await pgAdmin(`CREATE DATABASE ${name} TABLESPACE ${tablespace}`);
    cleanup.push(() => pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const gateway = await serve(pgUrlOf(name));
    const first = await gateway.handover();
    expect((await gateway.post(first)).status).toBe(202);

    const disk = fill(dir);
    const { accepted, refused } = await postUntilRefused(gateway, 2000);
    const taken = await expectDegraded(gateway, first.id, refused, true);

    disk.free();
    await expectRecovered(gateway, [first.id, ...accepted], refused, taken);
    expect(await gateway.stop()).toBe(0);
  });
});
