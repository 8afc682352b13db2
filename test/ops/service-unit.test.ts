/**
 * docs/operations.md as written (issue 19: each procedure exercised by a test): the systemd unit's
 * `Environment=` (read with systemd's quoting: an unquoted line with two flags loses the second), `ExecStart=`,
 * `ExecReload=` and `KillSignal=` run against a folder `zicht init` made, and the KEK rotation's commands from the
 * same page: `kek add` then the reload, new payloads sealed under the new KEK, the old ones re-wrapped in the
 * background until `kek status` names only the new one; the stop exits 0.
 */
import { spawn, execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleBericht } from '../../src/demo/network.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { signBericht } from '../../src/signing/sign.js';
import { createSigner } from '../../src/signing/signer.js';
import { freePort, OIN } from '../helpers/gateway-process.js';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'zicht.js');
const DOC = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.reverse()) step();
  cleanup = [];
});

/** The unit file in the page's ```ini block: each key's value. */
function unit(): Map<string, string> {
  const block = /```ini\n([\s\S]*?)```/.exec(DOC)?.[1];
  if (block === undefined) throw new Error('docs/operations.md has no ```ini block');
  const entries = new Map<string, string>();
  for (const line of block.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) entries.set(match[1], match[2]);
  }
  return entries;
}

/** systemd's reading of an `Environment=` value: assignments separated by spaces, each possibly in double quotes. */
function systemdEnvironment(value: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const word of value.match(/"[^"]*"|\S+/g) ?? []) {
    const assignment = word.startsWith('"') ? word.slice(1, -1) : word;
    const at = assignment.indexOf('=');
    // systemd ignores a word that is no assignment.
    if (at > 0) env[assignment.slice(0, at)] = assignment.slice(at + 1);
  }
  return env;
}

/** A command the page shows in backticks, starting with `prefix`. */
function documented(prefix: string): string {
  const found = [...DOC.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '').find((c) => c.startsWith(prefix));
  if (found === undefined) throw new Error(`docs/operations.md shows no \`${prefix}…\``);
  return found;
}

/** Runs a documented `npx zicht …` command line with this checkout's bin, in `cwd`, through sh as an operator would. */
async function operator(command: string, cwd: string): Promise<string> {
  const { stdout } = await exec('sh', ['-c', command.replace(/^npx zicht /, `node ${BIN} `)], { cwd });
  return stdout;
}

describe('docs/operations.md: the service unit and the KEK rotation, as written', () => {
  it('the unit\'s heap flags, start, reload and stop; kek add, reload, re-wrap until kek status names only the new KEK; exit 0', { timeout: 180_000 }, async () => {
    const entries = unit();
    const env = systemdEnvironment(entries.get('Environment') ?? '');
    expect(env.NODE_OPTIONS?.split(' ').sort()).toEqual(['--max-old-space-size=128', '--max-semi-space-size=4']);
    expect(entries.get('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(entries.get('KillSignal')).toBe('SIGTERM');

    // The folder of the unit's WorkingDirectory, made as the page's first procedure says.
    const dir = join(mkdtempSync(join(tmpdir(), 'zicht-unit-')), 'zicht');
    expect((await exec(process.execPath, [BIN, 'init', dir, '--oin', OIN.gateway])).stdout).toContain('made gateway');
    // Participants added to registry.json: VT and a lokaal team that reads its postbus.
    const [vtKey, teamKey] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    const registryFile = join(dir, 'registry.json');
    const registry = JSON.parse(readFileSync(registryFile, 'utf8')) as { deelnemers: unknown[] };
    registry.deelnemers.push(
      { oin: OIN.vt, rol: 'vt', naam: 'Veilig Thuis Zuid-Limburg', vtRegio: 'zuid-limburg', status: 'actief', sleutels: [{ kid: vtKey.kid, jwk: vtKey.publicJwk }] },
      { oin: OIN.maastricht, rol: 'lokaal-team', naam: 'Lokaal team Maastricht', gemeentecodes: ['GM0935'], status: 'actief', sleutels: [{ kid: teamKey.kid, jwk: teamKey.publicJwk }] },
    );
    writeFileSync(registryFile, JSON.stringify(registry));
    const vt = await createSigner({ privateJwk: vtKey.privateJwk, oin: OIN.vt });

    // ExecStart with this checkout's bin for /usr/bin/npx zicht, this folder for /etc/zicht, free ports.
    const execStart = (entries.get('ExecStart') ?? '').split(' ');
    expect(execStart.slice(0, 3)).toEqual(['/usr/bin/npx', 'zicht', 'serve']);
    const [port, metricsPort] = [await freePort(), await freePort()];
    const args = execStart.slice(3).map((arg) => arg.replace('/etc/zicht', dir).replace(/^9464$/, String(metricsPort)));
    expect(args).toContain(String(metricsPort));
    const child = spawn(process.execPath, [BIN, 'serve', ...args, '--port', String(port)], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup.push(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('listening')) resolve(); });
      child.once('exit', (code) => { reject(new Error(`zicht serve exited with ${String(code)}: ${stderr}`)); });
    });
    const url = `http://127.0.0.1:${String(port)}`;
    const handover = async () => {
      const bericht = { ...exampleBericht('overdracht-na-veiligheidsbeoordeling'), berichtId: randomUUID(), dossier: { referentie: `VTZL-2026-${String(300000 + Math.floor(Math.random() * 600000))}`, volgnummer: 1 } };
      const response = await request(`${url}/v1/berichten`, { method: 'POST', body: JSON.stringify(await signBericht(bericht, vt)), headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(vt, OIN.gateway)}` } });
      expect(response.statusCode, await response.body.text()).toBe(202);
    };
    await handover();
    const metrics = await request(`http://127.0.0.1:${String(metricsPort)}/metrics`);
    expect(metrics.statusCode).toBe(200);
    expect(await metrics.body.text()).toMatch(/^zicht_\w+/m);

    // The KEK rotation as the page gives it.
    const oldKek = (JSON.parse(readFileSync(join(dir, 'kek.json'), 'utf8')) as { current: string }).current;
    expect((await operator(documented('npx zicht kek status --db'), dir)).trim()).toBe(`${oldKek} 1`);
    await operator(documented('npx zicht kek add'), dir);
    const newKek = (JSON.parse(readFileSync(join(dir, 'kek.json'), 'utf8')) as { current: string }).current;
    expect(newKek).not.toBe(oldKek);
    // ExecReload.
    child.kill('SIGHUP');
    const deadline = Date.now() + 30_000;
    while (!stderr.includes(`keyring reloaded: current KEK ${newKek}`) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stderr).toContain(`keyring reloaded: current KEK ${newKek}`);
    await handover();
    // Re-wrapped in the background (a round a minute): in the end every payload is under the new KEK.
    let status = '';
    const rewrapped = Date.now() + 90_000;
    while (Date.now() < rewrapped) {
      status = (await operator(documented('npx zicht kek status --db'), dir)).trim();
      if (status === `${newKek} 2`) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(`${newKek} 2`);
    expect((await request(`${url}/v1/health`)).statusCode).toBe(200);

    // KillSignal.
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code); }));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
