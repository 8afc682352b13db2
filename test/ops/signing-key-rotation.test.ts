/**
 * docs/operations.md "Key and KEK rotation", the gateway's signing key, as written (issue 19: each procedure
 * exercised by a test): `zicht keys generate` adds a key, its public key goes into the gateway's entry in
 * registry.json beside the old one, `key` in zicht.json points at the new private key, restart. Berichten
 * countersigned before and after the rotation both verify offline with that registry (`zicht verify
 * --require-countersignature`); with the old key dropped from the registry, too early, the older one no
 * longer does, which is why the page says to keep it.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleBericht } from '../../src/demo/network.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { signBericht } from '../../src/signing/sign.js';
import { createSigner, type Signer } from '../../src/signing/signer.js';
import { runCli } from '../helpers/cli.js';
import { freePort, OIN } from '../helpers/gateway-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'zicht.js');
const DOC = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.reverse()) step();
  cleanup = [];
});

interface Entry { oin: string; sleutels: { kid: string; jwk: Record<string, unknown> }[] }
interface RegistryFile { deelnemers: Entry[] }

async function serve(dir: string, port: number): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', join(dir, 'zicht.json'), '--port', String(port)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanup.push(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('listening')) resolve(); });
    child.once('exit', (code) => { reject(new Error(`zicht serve exited with ${String(code)}: ${stderr}`)); });
  });
  return {
    url: `http://127.0.0.1:${String(port)}`,
    stop: () => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code); }));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function handover(url: string, vt: Signer): Promise<string> {
  const bericht = { ...exampleBericht('overdracht-na-veiligheidsbeoordeling'), berichtId: randomUUID(), dossier: { referentie: `VTZL-2026-${String(300000 + Math.floor(Math.random() * 600000))}`, volgnummer: 1 } };
  const response = await request(`${url}/v1/berichten`, { method: 'POST', body: JSON.stringify(await signBericht(bericht, vt)), headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(vt, OIN.gateway)}` } });
  expect(response.statusCode, await response.body.text()).toBe(202);
  return bericht.berichtId;
}

/** The countersignature's kid: the last signature's protected header. */
function countersignedBy(bericht: { signatures?: { protected: string }[] }): string | undefined {
  const last = bericht.signatures?.at(-1);
  return last === undefined ? undefined : decodeProtectedHeader({ protected: last.protected, payload: '', signature: '' }).kid;
}

describe('docs/operations.md: rotating the gateway\'s signing key, as written', () => {
  it('berichten countersigned before and after the rotation verify with the registry that keeps both keys; without the old key the older one does not', { timeout: 180_000 }, async () => {
    // The procedure is on the page (a rename there should fail here, not rot).
    expect(DOC).toMatch(/`npx zicht keys generate --oin OIN --out DIR` adds a key; add its public key to the\s+gateway's entry in `registry.json` \(keep the old one/);
    expect(DOC).toMatch(/point `key` at the new private key, restart/);

    const dir = join(mkdtempSync(join(tmpdir(), 'zicht-rotate-')), 'zicht');
    expect((await runCli('init', dir, '--oin', OIN.gateway)).code).toBe(0);
    const [vtKey, teamKey] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    const registryPath = join(dir, 'registry.json');
    const registry = JSON.parse(readFileSync(registryPath, 'utf8')) as RegistryFile;
    registry.deelnemers.push(
      { oin: OIN.vt, rol: 'vt', naam: 'Veilig Thuis Zuid-Limburg', vtRegio: 'zuid-limburg', status: 'actief', sleutels: [{ kid: vtKey.kid, jwk: vtKey.publicJwk }] } as Entry,
      { oin: OIN.maastricht, rol: 'lokaal-team', naam: 'Lokaal team Maastricht', gemeentecodes: ['GM0935'], status: 'actief', sleutels: [{ kid: teamKey.kid, jwk: teamKey.publicJwk }] } as Entry,
    );
    writeFileSync(registryPath, JSON.stringify(registry));
    const vt = await createSigner({ privateJwk: vtKey.privateJwk, oin: OIN.vt });
    const team = await createSigner({ privateJwk: teamKey.privateJwk, oin: OIN.maastricht });
    const oldKid = (JSON.parse(readFileSync(join(dir, 'gateway.jwk.json'), 'utf8')) as { kid: string }).kid;
    const port = await freePort();

    let gateway = await serve(dir, port);
    const before = await handover(gateway.url, vt);
    expect(await gateway.stop()).toBe(0);

    // The rotation, step by step as the page gives it.
    expect((await runCli('keys', 'generate', '--oin', OIN.gateway, '--out', join(dir, 'keys'))).code).toBe(0);
    const privateFile = readdirSync(join(dir, 'keys')).find((name) => name.endsWith('.private.jwk.json'));
    if (privateFile === undefined) throw new Error('keys generate wrote no private key');
    const { keys } = JSON.parse(readFileSync(join(dir, 'keys', `${OIN.gateway}.jwks.json`), 'utf8')) as { keys: ({ kid: string } & Record<string, unknown>)[] };
    const added = keys[0];
    if (added === undefined) throw new Error('keys generate wrote an empty JWKS');
    const gatewayEntry = registry.deelnemers.find((d) => d.oin === OIN.gateway);
    gatewayEntry?.sleutels.push({ kid: added.kid, jwk: added });
    writeFileSync(registryPath, JSON.stringify(registry));
    const config = JSON.parse(readFileSync(join(dir, 'zicht.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'zicht.json'), JSON.stringify({ ...config, key: join('keys', privateFile) }));

    gateway = await serve(dir, port);
    const after = await handover(gateway.url, vt);
    // The lokaal team reads both from its postbus, countersigned.
    const page = await request(`${gateway.url}/v1/postbus?limit=10`, { headers: { authorization: `Bearer ${await createBearerToken(team, OIN.gateway)}` } });
    expect(page.statusCode).toBe(200);
    const { berichten } = (await page.body.json()) as { berichten: ({ berichtId: string; signatures?: { protected: string }[] })[] };
    expect(await gateway.stop()).toBe(0);

    const files = [before, after].map((id) => {
      const bericht = berichten.find((b) => b.berichtId === id);
      if (bericht === undefined) throw new Error(`bericht ${id} not in the postbus`);
      const file = join(dir, `${id}.json`);
      writeFileSync(file, JSON.stringify(bericht));
      return { id, file, kid: countersignedBy(bericht) };
    });
    expect(files.map((f) => f.kid)).toEqual([oldKid, added.kid]);
    expect(added.kid).not.toBe(oldKid);

    const verify = (registryFile: string, ...which: { file: string }[]) => runCli('verify', ...which.map((f) => f.file), '--registry', registryFile, '--require-countersignature');
    const both = await verify(registryPath, ...files);
    expect(both.code, both.stdout).toBe(0);

    // The old key dropped too early: what the old key countersigned can no longer be checked; the newer one still can.
    const early = join(dir, 'registry-without-old-key.json');
    const withoutOld = { ...registry, deelnemers: registry.deelnemers.map((d) => (d.oin === OIN.gateway ? { ...d, sleutels: d.sleutels.filter((k) => k.kid !== oldKid) } : d)) };
    writeFileSync(early, JSON.stringify(withoutOld));
    const [older, newer] = files as [(typeof files)[0], (typeof files)[0]];
    expect((await verify(early, older)).code).toBe(1);
    const stillValid = await verify(early, newer);
    expect(stillValid.code, stillValid.stdout).toBe(0);
  });
});
