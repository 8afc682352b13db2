/**
 * `zicht init` and `zicht serve --config` (issue 19): from an empty folder to a gateway serving its participants
 * in two commands; every refusal of the configuration names the entry, the field and the rule (CFG-001..005).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { exampleBericht } from '../../src/demo/network.js';
import { parseRegistry, RegistryFile } from '../../src/registry/file.js';
import { GatewayConfig, loadGatewayConfig, refusePrivateEndpoints } from '../../src/server/config.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { signBericht } from '../../src/signing/sign.js';
import { createSigner } from '../../src/signing/signer.js';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/gateway-process.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'zicht.js');
const GATEWAY = '00000009000000000001';
const VT = '00000004000000010001';
const MAASTRICHT = '00000001000000009350';

async function initialised(): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'zicht-init-')), 'gateway');
  const run = await runCli('init', dir, '--oin', GATEWAY);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return dir;
}

type Registry = { zichtRegistry: 1; deelnemers: Record<string, unknown>[] };
const readRegistry = (dir: string) => JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as Registry;
const writeRegistry = (dir: string, registry: Registry) => { writeFileSync(join(dir, 'registry.json'), JSON.stringify(registry)); };
const writeConfig = (dir: string, change: (config: Record<string, unknown>) => void) => {
  const config = JSON.parse(readFileSync(join(dir, 'zicht.json'), 'utf8')) as Record<string, unknown>;
  change(config);
  writeFileSync(join(dir, 'zicht.json'), JSON.stringify(config));
};

describe('zicht init', () => {
  it('writes the keys (mode 0600), a keyring, a registry holding the gateway, examples, zicht.json and the database', async () => {
    const dir = await initialised();
    for (const secret of ['gateway.jwk.json', 'log.key', 'kek.json']) expect(statSync(join(dir, secret)).mode & 0o777, secret).toBe(0o600);
    const registry = await parseRegistry(readRegistry(dir));
    const self = await registry.get(GATEWAY);
    expect(self?.rol).toBe('gateway');
    const key = JSON.parse(readFileSync(join(dir, 'gateway.jwk.json'), 'utf8')) as { oin: string; d?: string };
    expect(key.oin).toBe(GATEWAY);
    expect(self?.sleutels[0]?.kid).toBe((await createSigner({ privateJwk: key, oin: GATEWAY })).kid);
    expect(JSON.stringify(self)).not.toContain(key.d);
    const config = loadGatewayConfig(join(dir, 'zicht.json'));
    expect(config.registry).toBe(join(dir, 'registry.json'));
    expect(config.allowPrivateEndpoints).toBe(false);
    // The database exists with its schema: commands that refuse a missing one accept it.
    const check = await runCli('audit', 'check-store', '--db', join(dir, 'zicht.db'));
    expect(check.code).toBe(0);
  });

  it('writes commented examples that, without their comments, are a valid registry of every role but the gateway', async () => {
    const dir = await initialised();
    const text = readFileSync(join(dir, 'registry.examples.jsonc'), 'utf8');
    expect(text).toMatch(/^\/\/ /m);
    const json = text.split('\n').filter((line) => !line.trim().startsWith('//')).join('\n');
    const examples = await parseRegistry(JSON.parse(json));
    expect((await examples.list()).map((d) => d.rol).sort()).toEqual(['auditor', 'lokaal-team', 'operator', 'vt']);
  });

  it('never overwrites: a folder holding its files is refused (exit 2) and left as it was', async () => {
    const dir = await initialised();
    const before = readFileSync(join(dir, 'gateway.jwk.json'), 'utf8');
    const again = await runCli('init', dir, '--oin', GATEWAY);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('never overwrites');
    expect(readFileSync(join(dir, 'gateway.jwk.json'), 'utf8')).toBe(before);
    expect((await runCli('init', dir)).code).toBe(2);
  });

  it('publishes the formats as JSON Schema generated from the model, and docs/configuration.md names every member', () => {
    const root = join(import.meta.dirname, '..', '..');
    const doc = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
    for (const member of Object.keys(GatewayConfig.shape)) expect(doc, member).toContain(`\`${member}\``);
    for (const member of Object.keys(RegistryFile.shape)) expect(doc, member).toContain(`\`${member}\``);
    for (const name of ['GatewayConfig', 'RegistryFile']) expect(JSON.parse(readFileSync(join(root, 'spec', 'v1', 'schemas', `${name}.schema.json`), 'utf8'))).toMatchObject({ title: name });
    for (const rule of ['CFG-001', 'CFG-002', 'CFG-003', 'CFG-004', 'CFG-005', 'CFG-010']) expect(doc).toContain(rule);
  });
});

describe('from zicht init to a gateway serving its participants, in two commands', () => {
  it('init, then serve --config (a flag overriding the port): VT hands over, the lokaal team reads it from its postbus, SIGTERM exits 0', { timeout: 60_000 }, async () => {
    const dir = await initialised();
    const [vtKey, teamKey] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    const registry = readRegistry(dir);
    registry.deelnemers.push(
      { oin: VT, rol: 'vt', naam: 'Veilig Thuis Zuid-Limburg', vtRegio: 'zuid-limburg', status: 'actief', sleutels: [{ kid: vtKey.kid, jwk: vtKey.publicJwk }] },
      { oin: MAASTRICHT, rol: 'lokaal-team', naam: 'Lokaal team Maastricht', gemeentecodes: ['GM0935'], status: 'actief', sleutels: [{ kid: teamKey.kid, jwk: teamKey.publicJwk }] },
    );
    writeRegistry(dir, registry);
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve', '--config', join(dir, 'zicht.json'), '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ZICHT_KEK_FILE: '', ZICHT_KEK: '', DATABASE_URL: '' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code); }));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('listening')) resolve(); });
        void exited.then((code) => { reject(new Error(`serve exited ${String(code)}: ${stderr}`)); });
      });
      const url = `http://127.0.0.1:${port}`;
      const vt = await createSigner({ privateJwk: vtKey.privateJwk, oin: VT });
      const team = await createSigner({ privateJwk: teamKey.privateJwk, oin: MAASTRICHT });
      const bericht = exampleBericht('overdracht-na-veiligheidsbeoordeling');
      const posted = await request(`${url}/v1/berichten`, { method: 'POST', body: JSON.stringify(await signBericht(bericht, vt)), headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(vt, GATEWAY)}` } });
      expect(posted.statusCode, await posted.body.text()).toBe(202);
      const postbus = await request(`${url}/v1/postbus`, { headers: { authorization: `Bearer ${await createBearerToken(team, GATEWAY)}` } });
      const page = (await postbus.body.json()) as { berichten: { berichtId: string }[] };
      expect(page.berichten.map((b) => b.berichtId)).toContain(bericht.berichtId);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('refusals name the entry, the field and the rule', () => {
  it('CFG-001: a registry entry that does not match the schema', async () => {
    const dir = await initialised();
    const registry = readRegistry(dir);
    registry.deelnemers.push({ oin: MAASTRICHT, rol: 'lokaal-team', naam: 'Lokaal team Maastricht', gemeentecodes: ['GM0935'], status: 'actief', afleveradressen: [{ url: 'not a url', kanaal: 'zicht-v1' }] });
    writeRegistry(dir, registry);
    const run = await runCli('serve', '--config', join(dir, 'zicht.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`deelnemers[1] (OIN ${MAASTRICHT})`);
    expect(run.stderr).toContain('afleveradressen[0].url');
    expect(run.stderr).toContain('CFG-001');
  });

  it('CFG-002: the registry lacks the gateway\'s own key', async () => {
    const dir = await initialised();
    const registry = readRegistry(dir);
    const other = await generateSigningKey();
    registry.deelnemers[0] = { ...registry.deelnemers[0], sleutels: [{ kid: other.kid, jwk: other.publicJwk }] };
    writeRegistry(dir, registry);
    const run = await runCli('serve', '--config', join(dir, 'zicht.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`participant ${GATEWAY}: sleutels`);
    expect(run.stderr).toContain('CFG-002');
  });

  it('CFG-003: an unknown member, a port out of range', async () => {
    const dir = await initialised();
    writeConfig(dir, (config) => { config.prot = 8080; config.port = 70_000; });
    const run = await runCli('serve', '--config', join(dir, 'zicht.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(join(dir, 'zicht.json'));
    expect(run.stderr).toContain('prot');
    expect(run.stderr).toMatch(/port: /);
    expect(run.stderr).toContain('CFG-003');
  });

  it('CFG-004: a private endpoint without --allow-private-endpoints is refused at start, naming the flag; the flag or the member allows it', async () => {
    const dir = await initialised();
    const registry = readRegistry(dir);
    const team = await generateSigningKey();
    registry.deelnemers.push({ oin: MAASTRICHT, rol: 'lokaal-team', naam: 'Lokaal team Maastricht', gemeentecodes: ['GM0935'], status: 'actief', sleutels: [{ kid: team.kid, jwk: team.publicJwk }], afleveradressen: [{ url: 'http://127.0.0.1:9/v1', kanaal: 'zicht-v1' }] });
    writeRegistry(dir, registry);
    const run = await runCli('serve', '--config', join(dir, 'zicht.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`participant ${MAASTRICHT}: afleveradressen[0].url: 127.0.0.1`);
    expect(run.stderr).toContain('--allow-private-endpoints');
    expect(run.stderr).toContain('CFG-004');
    const deelnemers = await (await parseRegistry(registry)).list();
    expect(() => { refusePrivateEndpoints(deelnemers, true); }).not.toThrow();
    for (const url of ['http://localhost:8080/v1', 'https://10.1.2.3/v1', 'https://[::1]/v1', 'https://192.168.0.10/v1', 'https://169.254.1.1/v1']) {
      expect(() => { refusePrivateEndpoints([{ oin: MAASTRICHT, afleveradressen: [{ url, kanaal: 'zicht-v1' }] }], false); }, url).toThrow(/CFG-004/);
    }
    expect(() => { refusePrivateEndpoints([{ oin: MAASTRICHT, afleveradressen: [{ url: 'https://teams.maastricht.example.nl/v1', kanaal: 'zicht-v1' }] }], false); }).not.toThrow();
  });

  it('CFG-005: a file the configuration names cannot be read', async () => {
    const dir = await initialised();
    writeConfig(dir, (config) => { config.key = 'missing.jwk.json'; });
    const run = await runCli('serve', '--config', join(dir, 'zicht.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`key: cannot read ${join(dir, 'missing.jwk.json')} (ENOENT)`);
    expect(run.stderr).toContain('CFG-005');
  });
});
