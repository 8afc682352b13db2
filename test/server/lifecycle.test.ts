/**
 * A clean lifecycle (issue 19). `zicht serve` stopped with SIGTERM or SIGINT under load exits 0 on SQLite and
 * PostgreSQL, every 202 it gave stored (it exited 13 on SQLite: the store's close awaited an unreferenced
 * checkpointer thread and the event loop emptied first). `RunningGateway.close()` ends in a script with
 * nothing else keeping Node alive. A port in use is one line and exit 2 for serve, demo and conformance
 * --listen. Every command answers --help; `zicht --version` prints the version.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { exampleBericht } from '../../src/demo/network.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { signBericht } from '../../src/signing/sign.js';
import { Keyring } from '../../src/store/keyring.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../helpers/cli.js';
import { gatewayFixture, OIN, type GatewayFixture } from '../helpers/gateway-process.js';
import { dropPgDatabases, freshPgDatabase } from '../helpers/pg-database.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'zicht.js');

let children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children = [];
});

afterAll(dropPgDatabases, 60_000);

/** A fresh database of the backend: a SQLite file, or a PostgreSQL database of its own. */
async function freshDb(backend: 'sqlite' | 'postgres'): Promise<string> {
  if (backend === 'sqlite') return join(mkdtempSync(join(tmpdir(), 'zicht-life-')), 'zicht.db');
  return (await freshPgDatabase('zicht_life')).url;
}

/** Posts a fresh signed bericht; its id when the gateway answered 202, `undefined` for anything else. */
async function postOne(fixture: GatewayFixture): Promise<string | undefined> {
  const bericht = { ...exampleBericht('overdracht-na-veiligheidsbeoordeling'), berichtId: randomUUID(), dossier: { referentie: `VTZL-2026-${String(300000 + Math.floor(Math.random() * 600000))}`, volgnummer: 1 } };
  const body = JSON.stringify(await signBericht(bericht, fixture.vt));
  const response = await request(`${fixture.url}/v1/berichten`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(fixture.vt, OIN.gateway)}` },
  });
  await response.body.dump();
  return response.statusCode === 202 ? bericht.berichtId : undefined;
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => { resolve({ code, signal }); });
  });
}

describe.each(['sqlite', 'postgres'] as const)('zicht serve on %s', (backend) => {
  it('stopped under load 20 times (SIGTERM and SIGINT in turn): exit 0 every time, every 202 stored', { timeout: 240_000 }, async () => {
    const db = await freshDb(backend);
    const fixture = await gatewayFixture('http://127.0.0.1:9/', db);
    const accepted: string[] = [];
    const codes: (number | null)[] = [];
    for (let round = 0; round < 20; round++) {
      const child = await fixture.start();
      children.push(child);
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = exitOf(child);
      let running = true;
      let acceptedThisRound = 0;
      // Six senders keep requests in flight until the gateway stops answering.
      const senders = Array.from({ length: 6 }, async () => {
        while (running) {
          try {
            const id = await postOne(fixture);
            if (id !== undefined) {
              accepted.push(id);
              acceptedThisRound++;
            }
          } catch {
            running = false; // connection refused or cut: the gateway is going away
          }
        }
      });
      // Stop once the load is on (a few berichten accepted this round), not after a fixed time.
      while (acceptedThisRound < 3) await new Promise((resolve) => setTimeout(resolve, 5));
      child.kill(round % 2 === 0 ? 'SIGTERM' : 'SIGINT');
      const { code, signal } = await exited;
      running = false;
      await Promise.all(senders);
      codes.push(code);
      expect(signal, stderr).toBeNull();
      expect(code, stderr).toBe(0);
      expect(stderr).toContain('stopped');
      expect(stderr).not.toMatch(/internal error|Error:/);
    }
    expect(codes).toEqual(Array.from({ length: 20 }, () => 0));
    // Every 202 is a stored bericht: read them back past the gateway.
    const store = await openStore(db, { keyring: Keyring.parse(readFileSync(fixture.kekFile, 'utf8')) });
    try {
      const missing: string[] = [];
      for (const id of accepted) if ((await store.getBericht(id)) === undefined) missing.push(id);
      expect(missing).toEqual([]);
      expect(accepted.length).toBeGreaterThanOrEqual(60);
    } finally {
      await store.close();
    }
  });

  it('RunningGateway.close() finishes in a script with nothing else keeping Node alive', { timeout: 60_000 }, async () => {
    const db = await freshDb(backend);
    const dir = mkdtempSync(join(tmpdir(), 'zicht-script-'));
    const script = join(dir, 'script.mjs');
    const dist = (path: string) => JSON.stringify(join(ROOT, 'dist', 'src', path));
    writeFileSync(
      script,
      `import { startGateway } from ${dist('server/gateway.js')};
import { createDemoNetwork } from ${dist('demo/network.js')};
import { Keyring } from ${dist('store/keyring.js')};
const network = await createDemoNetwork({});
const gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: ${JSON.stringify(db)}, port: 0, keyring: Keyring.generate('k') });
const health = await fetch(gateway.url + '/v1/health');
console.log('health', health.status);
await gateway.close();
console.log('closed');
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const { code } = await exitOf(child);
    expect(err).toBe('');
    expect(out).toBe('health 200\nclosed\n');
    expect(code).toBe(0);
  });
});

describe('a port in use', () => {
  let blocker: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => { if (blocker) blocker.close(() => { resolve(); }); else resolve(); });
    blocker = undefined;
  });
  const occupy = () =>
    new Promise<number>((resolve) => {
      blocker = createServer();
      blocker.listen(0, '127.0.0.1', () => {
        const address = blocker?.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  const run = (args: readonly string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('exit', (code) => { resolve({ code, stdout, stderr }); });
    });
  const expectOneLine = (result: { code: number | null; stderr: string }, port: number) => {
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(result.stderr).toContain('the port is in use');
    expect(result.stderr).toContain('(EADDRINUSE)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  };

  it('zicht serve: one line, exit 2, and the database closed again', async () => {
    const port = await occupy();
    const fixture = await gatewayFixture('http://127.0.0.1:9/');
    const result = await run(['serve', '--port', String(port), '--db', join(fixture.dir, 'zicht.db'), '--registry', join(fixture.dir, 'registry.json'), '--key', join(fixture.dir, 'gateway.jwk.json'), '--kek-file', fixture.kekFile, '--allow-private-endpoints']);
    expectOneLine(result, port);
    expect(result.stdout).toBe('');
  });

  it('zicht demo --port: one line, exit 2', async () => {
    const port = await occupy();
    expectOneLine(await run(['demo', '--once', '--port', String(port)]), port);
  });

  it('zicht conformance --listen: one line, exit 2', async () => {
    const port = await occupy();
    expectOneLine(await run(['conformance', '--role', 'gateway', '--target', 'http://127.0.0.1:9', '--listen', `127.0.0.1:${port}`]), port);
  });
});

describe('--help and --version', () => {
  it.each(commands.map((c) => c.name))('zicht %s --help prints its usage and exits 0', async (name) => {
    const command = commands.find((c) => c.name === name);
    const run = await runCli(name, '--help');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(command?.usage);
    expect(run.stdout).toContain(`zicht ${name}`);
    expect((await runCli(name, '-h')).stdout).toBe(command?.usage);
  });

  it('zicht --version prints the version of package.json, from the built bin too', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = await runCli('--version');
    expect(run).toEqual({ code: 0, stdout: `zicht ${version}\n`, stderr: '' });
    const child = spawn(process.execPath, [BIN, '--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    expect((await exitOf(child)).code).toBe(0);
    expect(out).toBe(`zicht ${version}\n`);
  });
});
