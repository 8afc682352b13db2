/**
 * A gateway as a child process (`node bin/zicht.js serve`), with a registry file and key files, for
 * tests where the process is the point: killing it with SIGKILL and starting it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '../../src/signing/generate.js';
import { Keyring } from '../../src/store/keyring.js';
import { createSigner, type Signer } from '../../src/signing/signer.js';

export const OIN = { gateway: '00000009000000000001', vt: '00000004000000010001', maastricht: '00000001000000009350' } as const;

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'zicht.js');

export interface GatewayFixture {
  readonly dir: string;
  readonly port: number;
  readonly url: string;
  readonly vt: Signer;
  readonly gateway: Signer;
  /** The keyring file (a fresh KEK) the gateway encrypts payloads at rest with. */
  readonly kekFile: string;
  /** Starts `zicht serve` (with `extra` arguments and `env` added to the environment); resolves once it listens. */
  start(extra?: readonly string[], env?: Readonly<Record<string, string>>): Promise<ChildProcess>;
}

/** A port nothing listens on now (for a process to listen on next). */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => { resolve(port); });
    });
  });
}

/** Writes a registry (gateway, VT Zuid-Limburg, lokaal team Maastricht pushing to `receiverUrl`), the gateway key and a keyring. */
export async function gatewayFixture(receiverUrl: string, db?: string): Promise<GatewayFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'zicht-gw-'));
  const [gatewayKey, vtKey, maastrichtKey] = await Promise.all([generateSigningKey(), generateSigningKey(), generateSigningKey()]);
  const sleutel = (key: typeof gatewayKey) => [{ kid: key.kid, jwk: key.publicJwk }];
  writeFileSync(
    join(dir, 'registry.json'),
    JSON.stringify({
      zichtRegistry: 1,
      deelnemers: [
        { oin: OIN.gateway, rol: 'gateway', naam: 'Gateway', status: 'actief', sleutels: sleutel(gatewayKey) },
        { oin: OIN.vt, rol: 'vt', naam: 'Veilig Thuis Zuid-Limburg', vtRegio: 'zuid-limburg', status: 'actief', sleutels: sleutel(vtKey) },
        { oin: OIN.maastricht, rol: 'lokaal-team', naam: 'Lokaal team Maastricht', gemeentecodes: ['GM0935'], status: 'actief', sleutels: sleutel(maastrichtKey), afleveradressen: [{ url: receiverUrl, kanaal: 'zicht-v1' }] },
      ],
    }),
  );
  writeFileSync(join(dir, 'gateway.jwk.json'), JSON.stringify({ ...gatewayKey.privateJwk, oin: OIN.gateway }), { mode: 0o600 });
  const kekFile = join(dir, 'kek.json');
  writeFileSync(kekFile, Keyring.generate('kek-test').exportText(), { mode: 0o600 });
  const port = await freePort();
  const vt = await createSigner({ privateJwk: vtKey.privateJwk, oin: OIN.vt });
  const gateway = await createSigner({ privateJwk: gatewayKey.privateJwk, oin: OIN.gateway });
  return {
    dir,
    port,
    url: `http://127.0.0.1:${port}`,
    vt,
    gateway,
    kekFile,
    start: (extra = [], env = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db ?? join(dir, 'zicht.db'), '--registry', join(dir, 'registry.json'), '--key', join(dir, 'gateway.jwk.json'), '--kek-file', kekFile, '--allow-private-endpoints', ...extra], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, ...env },
        });
        let err = '';
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('listening')) resolve(child);
        });
        child.once('exit', (code) => { reject(new Error(`zicht serve exited with ${String(code)}: ${err}`)); });
      }),
  };
}
