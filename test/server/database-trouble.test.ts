/**
 * Database trouble is a 503, never a 500 (issue 19, CFG-010): every way the database can be unavailable answers
 * 503 with Retry-After, problem+json and the rule id, nothing stored, and the bericht is accepted once the
 * database is back. PostgreSQL refusing connections (SQLSTATE 55000, ALLOW_CONNECTIONS false) answered 500
 * before; on SQLite a write lock held by another process froze the whole event loop (health included) for the
 * lock time-out, because SQLite's busy wait ran synchronously.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork } from '../../src/demo/network.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { Keyring } from '../../src/store/keyring.js';
import { call, type Answer } from '../helpers/http-answer.js';
import { dropPgDatabases, freshPgDatabase, pgAdmin } from '../helpers/pg-database.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** A new handover from VT, signed, with its own dossier. */
async function handover(network: DemoNetwork): Promise<{ id: string; body: string }> {
  const bericht = { ...exampleBericht('overdracht-na-dienst-onderzoek'), berichtId: randomUUID(), dossier: { referentie: `VTZL-2026-${String(400000 + Math.floor(Math.random() * 500000))}`, volgnummer: 1 } };
  return { id: bericht.berichtId, body: JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht)) };
}

const token = (network: DemoNetwork) => createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);

async function post(gateway: RunningGateway, network: DemoNetwork, bericht: { body: string }): Promise<Answer> {
  return call(`${gateway.url}/v1/berichten`, { method: 'POST', body: bericht.body, token: await token(network) });
}

async function status(gateway: RunningGateway, network: DemoNetwork, id: string): Promise<Answer> {
  return call(`${gateway.url}/v1/berichten/${id}`, { token: await token(network) });
}

/** The 503 of CFG-010: problem+json, Retry-After, the rule id. */
function expectUnavailable(answer: Answer): void {
  expect(answer.status).toBe(503);
  expect(answer.type).toBe('application/problem+json');
  expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  expect(answer.rules).toEqual(['CFG-010']);
}

async function start(db: string, network: DemoNetwork, timeoutMs: number): Promise<RunningGateway> {
  const gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db, port: 0, deliver: false, console: false, retention: false, keyring: Keyring.generate('k'), storeOptions: { timeoutMs } });
  cleanup.push(() => gateway.close());
  return gateway;
}

describe('SQLite: another process holds the write lock', () => {
  /** A second process that takes the write lock of `file` and holds it until told to let go. */
  async function holdLock(file: string): Promise<{ release: () => Promise<void> }> {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const child: ChildProcess = spawn(
      process.execPath,
      ['-e', `const D = require(${JSON.stringify(driver)}); const db = new D(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n'); process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); });`],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    cleanup.push(() => { child.kill('SIGKILL'); });
    const said = (word: string) => new Promise<void>((resolve) => { child.stdout?.on('data', (chunk: Buffer) => { if (chunk.toString().includes(word)) resolve(); }); });
    await said('locked');
    return {
      release: async () => {
        const released = said('released');
        child.stdin?.write('go\n');
        await released;
      },
    };
  }

  it('answers 503 (CFG-010) past the lock time-out, keeps answering health and reads meanwhile, and accepts once the lock is gone', { timeout: 60_000 }, async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'zicht-lock-')), 'zicht.db');
    const network = await createDemoNetwork();
    const gateway = await start(db, network, 2000);
    const first = await handover(network);
    expect((await post(gateway, network, first)).status).toBe(202);

    // The log's first checkpoint (written by the gateway's log task), to read while the lock is held.
    while ((await call(`${gateway.url}/v1/log/checkpoint`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));

    const lock = await holdLock(db);
    const second = await handover(network);
    const order: string[] = [];
    const postToken = await token(network);
    const posting = call(`${gateway.url}/v1/berichten`, { method: 'POST', body: second.body, token: postToken }).then((answer) => { order.push('post'); return answer; });
    // A pause, not a measurement: the post is waiting for the lock by now. A synchronous busy wait would hold the
    // event loop until the post's 503, so health and the read could only be answered after it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const health = call(`${gateway.url}/v1/health`).then((answer) => { order.push('health'); return answer; });
    // Reads go on: the log's checkpoint, readiness (a SELECT), and VT reading a bericht's status with a bearer
    // token, whose jti the store cannot record while the lock is held (CFG-020: the read is answered on this
    // process's record; the store's record follows).
    const read = call(`${gateway.url}/v1/log/checkpoint`).then((answer) => { order.push('read'); return answer; });
    const ready = call(`${gateway.url}/v1/ready`).then((answer) => { order.push('ready'); return answer; });
    const readToken = await token(network);
    const authenticatedRead = call(`${gateway.url}/v1/berichten/${first.id}`, { token: readToken }).then((answer) => { order.push('authenticated read'); return answer; });
    expect((await health).status).toBe(200);
    expect((await read).status).toBe(200);
    expect((await ready).status).toBe(200);
    expect((await authenticatedRead).status).toBe(200);
    // The same token again, still under the lock: a replay, refused by this process at once.
    expect((await call(`${gateway.url}/v1/berichten/${first.id}`, { token: readToken })).status).toBe(401);
    const refused = await posting;
    expectUnavailable(refused);
    expect(order.indexOf('post')).toBe(4);
    await lock.release();
    // Once the lock is gone, the read's jti reaches the store (where every process on the database sees it).
    const jti = (JSON.parse(Buffer.from(readToken.split('.')[1] ?? '', 'base64url').toString()) as { jti: string }).jti;
    const recorded = () => {
      const db2 = new Database(db, { readonly: true });
      try {
        return db2.prepare('SELECT count(*) AS n FROM token_ids WHERE jti = ?').get(jti) as { n: number };
      } finally {
        db2.close();
      }
    };
    const deadline = Date.now() + 20_000;
    while (recorded().n === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorded().n).toBe(1);
    // Nothing of the refused bericht was stored, its token's jti included (CFG-020): sent again with the same
    // token, it is accepted.
    expect((await status(gateway, network, second.id)).status).toBe(404);
    expect((await call(`${gateway.url}/v1/berichten`, { method: 'POST', body: second.body, token: postToken })).status).toBe(202);
    expect((await status(gateway, network, second.id)).status).toBe(200);
  });

  it('waits for a lock held shorter than the time-out and then accepts (no 503 for a short wait)', { timeout: 60_000 }, async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'zicht-lock-')), 'zicht.db');
    const network = await createDemoNetwork();
    const gateway = await start(db, network, 20_000);
    const lock = await holdLock(db);
    const bericht = await handover(network);
    const posting = post(gateway, network, bericht);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await call(`${gateway.url}/v1/health`)).status).toBe(200);
    await lock.release();
    expect((await posting).status).toBe(202);
  });
});

describe('PostgreSQL unavailable', () => {
  afterAll(dropPgDatabases, 60_000);
  const admin = pgAdmin;
  const freshDatabase = () => freshPgDatabase('zicht_fault');
  const terminate = (name: string) => admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);

  it('refusing connections (ALLOW_CONNECTIONS false, SQLSTATE 55000): 503 with CFG-010 for writes and reads, health up; accepted once it is back', { timeout: 60_000 }, async () => {
    const { name, url } = await freshDatabase();
    const network = await createDemoNetwork();
    const gateway = await start(url, network, 2000);
    const first = await handover(network);
    expect((await post(gateway, network, first)).status).toBe(202);

    await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    cleanup.push(() => admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`));
    await terminate(name);
    const second = await handover(network);
    for (let i = 0; i < 5; i++) expectUnavailable(await post(gateway, network, second));
    expectUnavailable(await status(gateway, network, first.id));
    expect((await call(`${gateway.url}/v1/ready`)).status).toBe(503);
    expect((await call(`${gateway.url}/v1/health`)).status).toBe(200);

    await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    expect((await post(gateway, network, second)).status).toBe(202);
    expect((await status(gateway, network, second.id)).status).toBe(200);
  });

  it('read-only (default_transaction_read_only, SQLSTATE 25006): writes 503 with CFG-010, reads still answered', { timeout: 60_000 }, async () => {
    const { name, url } = await freshDatabase();
    const network = await createDemoNetwork();
    const gateway = await start(url, network, 2000);
    const first = await handover(network);
    expect((await post(gateway, network, first)).status).toBe(202);

    await admin(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
    await terminate(name);
    const second = await handover(network);
    expectUnavailable(await post(gateway, network, second));
    await admin(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
    await terminate(name);
    expect((await post(gateway, network, second)).status).toBe(202);
  });

  it('a table locked by another session past the time-out (lock_timeout, SQLSTATE 55P03): 503 with CFG-010, health up; accepted once the lock is gone', { timeout: 60_000 }, async () => {
    const { url } = await freshDatabase();
    const network = await createDemoNetwork();
    const gateway = await start(url, network, 1500);
    expect((await post(gateway, network, await handover(network))).status).toBe(202);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    cleanup.push(() => holder.end());
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE berichten IN ACCESS EXCLUSIVE MODE');
    const second = await handover(network);
    const posting = post(gateway, network, second);
    expect((await call(`${gateway.url}/v1/health`)).status).toBe(200);
    expectUnavailable(await posting);
    await holder.query('COMMIT');
    expect((await post(gateway, network, second)).status).toBe(202);
  });

  it('connections terminated under load: every answer 202 or 503, never 500, and every 202 stored', { timeout: 90_000 }, async () => {
    const { name, url } = await freshDatabase();
    const network = await createDemoNetwork();
    const gateway = await start(url, network, 2000);
    const answers: { id: string; status: number }[] = [];
    let running = true;
    const senders = Array.from({ length: 4 }, async () => {
      while (running) {
        const bericht = await handover(network);
        answers.push({ id: bericht.id, status: (await post(gateway, network, bericht)).status });
      }
    });
    for (let i = 0; i < 10; i++) {
      await terminate(name);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    running = false;
    await Promise.all(senders);
    expect(answers.length).toBeGreaterThan(10);
    expect(answers.filter((a) => a.status !== 202 && a.status !== 503)).toEqual([]);
    for (const answer of answers.filter((a) => a.status === 202)) expect((await status(gateway, network, answer.id)).status).toBe(200);
  });
});
