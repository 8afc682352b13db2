/**
 * `zicht serve` and payloads at rest (issue 11: payloads at rest are encrypted). Without a keyring the
 * gateway does not start; `--insecure-plaintext` starts it unencrypted, by name and with a warning; with
 * `--kek-file` a posted bericht's personal data is not in the database's files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exampleBericht } from '../../src/demo/network.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { signBericht } from '../../src/signing/sign.js';
import { runCli } from '../helpers/cli.js';
import { gatewayFixture, OIN, type GatewayFixture } from '../helpers/gateway-process.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'zicht.js');
// Personal data of the example: the victim's family name and BSN.
const PERSONAL = ['Pietersen', '999990019'];

let children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children = [];
  vi.unstubAllEnvs();
});

async function post(fixture: GatewayFixture): Promise<number> {
  const response = await request(`${fixture.url}/v1/berichten`, {
    method: 'POST',
    body: JSON.stringify(await signBericht(exampleBericht('overdracht-na-veiligheidsbeoordeling'), fixture.vt)),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(fixture.vt, OIN.gateway)}` },
  });
  await response.body.text();
  return response.statusCode;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The database file and its WAL, as bytes an operator could read. */
const databaseBytes = (db: string) => Buffer.concat([db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f))).toString('latin1');

describe('zicht serve: payloads at rest', () => {
  it('refuses to start without a keyring (exit 2), naming --kek-file and --insecure-plaintext, and opens no database', async () => {
    vi.stubEnv('ZICHT_KEK_FILE', '');
    vi.stubEnv('ZICHT_KEK', '');
    const fixture = await gatewayFixture('http://127.0.0.1:9/');
    const db = join(fixture.dir, 'never.db');
    const run = await runCli('serve', '--port', '0', '--db', db, '--registry', join(fixture.dir, 'registry.json'), '--key', join(fixture.dir, 'gateway.jwk.json'), '--allow-private-endpoints');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no keyring for the payloads at rest');
    expect(run.stderr).toContain('--kek-file');
    expect(run.stderr).toContain('--insecure-plaintext');
    expect(existsSync(db)).toBe(false);
    const both = await runCli('serve', '--port', '0', '--db', db, '--registry', join(fixture.dir, 'registry.json'), '--key', join(fixture.dir, 'gateway.jwk.json'), '--kek-file', fixture.kekFile, '--insecure-plaintext', '--allow-private-endpoints');
    expect(both.code).toBe(2);
    expect(existsSync(db)).toBe(false);
  });

  it('with --kek-file, a posted bericht\'s personal data is not in the database file or its WAL', async () => {
    const fixture = await gatewayFixture('http://127.0.0.1:9/');
    const child = await fixture.start();
    children.push(child);
    expect(await post(fixture)).toBe(202);
    await stop(child);
    const bytes = databaseBytes(join(fixture.dir, 'zicht.db'));
    expect(bytes).toContain('VTZL-2026-004711'); // the metadata is there, so the search reads the right file
    for (const value of PERSONAL) expect(bytes).not.toContain(value);
  });

  it('starts with --insecure-plaintext only by name, warning at start, and then stores the payload as it came', async () => {
    const fixture = await gatewayFixture('http://127.0.0.1:9/');
    const db = join(fixture.dir, 'plain.db');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', String(fixture.port), '--db', db, '--registry', join(fixture.dir, 'registry.json'), '--key', join(fixture.dir, 'gateway.jwk.json'), '--allow-private-endpoints', '--insecure-plaintext'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ZICHT_KEK_FILE: '', ZICHT_KEK: '' },
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('listening')) resolve(); });
      child.once('exit', (code) => { reject(new Error(`exited with ${String(code)}: ${stderr}`)); });
    });
    expect(stderr).toContain('WARNING: --insecure-plaintext: payloads are stored UNENCRYPTED');
    expect(await post(fixture)).toBe(202);
    await stop(child);
    expect(databaseBytes(db)).toContain('Pietersen');
  });
});
