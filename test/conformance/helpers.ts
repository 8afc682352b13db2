/** Starting the systems the suite is proven against: the reference gemeente system and Zicht's own gateway, as real servers. */
import type { Bericht } from '../../src/model/bericht.js';
import { cosignerOf } from '../../src/audit/cosignature.js';
import { deriveLogSigner } from '../../src/audit/log-key.js';
import { noteSignerFromSeed } from '../../src/audit/note-key.js';
import { startWitnessServer } from '../../src/witness/server.js';
import { createWitness } from '../../src/witness/witness.js';
import { generateEncryptionKey, type EncryptionKeyKind } from '../../src/delivery/decrypt.js';
import type { Versleutelingssleutel } from '../../src/registry/versleutelingssleutel.js';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { startReferenceReceiver, type ReferenceDefect, type ReferenceReceiver } from '../../src/demo/reference-receiver.js';
import { startReferenceVt, type ReferenceVt, type ReferenceVtDefect } from '../../src/demo/reference-vt.js';
import { InMemoryDeelnemerRepository } from '../../src/registry/in-memory.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { ListenError } from '../../src/errors.js';
import { createSigner, type Signer } from '../../src/signing/signer.js';
import { suiteNetwork, suiteRegistry, type SuiteNetwork } from '../../conformance/network.js';
import { urlTrigger, type Trigger } from '../../conformance/trigger.js';

export const HEERLEN = { oin: '00000001000000009170', gemeentecode: 'GM0917' };
export const VT_ZUID_LIMBURG = '00000004000000010001';

/** A free TCP port on localhost. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => { resolve(port); });
    });
  });
}

/**
 * Runs `run` with a port that was free a moment before. The port is closed again before `run` listens on it, so
 * another process (or a server of the test listening on port 0) can take it in between: when `run` fails because the
 * port is in use (EADDRINUSE), it runs again with another port, at most three times in all; every other failure is
 * the test's.
 */
export async function onFreePort<T>(run: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await run(port);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof ListenError && error.systemCode === 'EADDRINUSE')) throw error;
    }
  }
}

/**
 * The reference gemeente system (Heerlen), with an optional defect, whose gateway is the suite; its encryption key is
 * ECDH-ES P-256 unless `options.encryption` says otherwise. `trigger` is the hook of its decision trigger (`POST /trigger`).
 */
export async function referenceGemeente(defect?: ReferenceDefect, mode: 'push' | 'postbus' = 'push', options: { keyCacheSeconds?: number; limitKeyFetches?: boolean; encryption?: EncryptionKeyKind; rol?: 'gemeente' | 'lokaal-team' } = {}): Promise<{ receiver: ReferenceReceiver; signer: Signer; jwks: JSONWebKeySet; versleutelingssleutels: Versleutelingssleutel[]; setGateway: (url: string) => void; trigger: Trigger }> {
  const signer = await createSigner({ privateJwk: (await generateSigningKey('ES256')).privateJwk, oin: HEERLEN.oin });
  const encryption = await generateEncryptionKey(options.encryption ?? 'ECDH-ES P-256');
  let gatewayUrl = '';
  const receiver = await startReferenceReceiver({
    signer,
    rol: options.rol ?? 'lokaal-team',
    gemeentecodes: [HEERLEN.gemeentecode],
    gatewayUrl: () => gatewayUrl,
    gatewayOin: '00000009000000000001',
    sendReceipts: true,
    retryDelaysMs: [50, 100, 200],
    behandelaar: { team: 'Lokaal team Heerlen (reference)', email: 'lokaalteam@heerlen.example' },
    decisionTrigger: true,
    ...(mode === 'postbus' ? { postbus: { intervalMs: 30 } } : {}),
    decryptionKeys: [encryption.key],
    ...(options.keyCacheSeconds === undefined ? {} : { keyCacheSeconds: options.keyCacheSeconds }),
    ...(options.limitKeyFetches === undefined ? {} : { limitKeyFetches: options.limitKeyFetches }),
    ...(defect === undefined ? {} : { defect }),
  });
  if (receiver.triggerUrl === undefined) throw new Error('the reference gemeente serves its decision trigger');
  return { receiver, signer, jwks: { keys: [{ ...signer.publicJwk, kid: signer.kid }] }, versleutelingssleutels: [encryption.sleutel], setGateway: (url) => { gatewayUrl = url; }, trigger: urlTrigger(receiver.triggerUrl) };
}

/**
 * Zicht's own gateway, with the suite's parties registered (pushes to the suite listening on `port`);
 * the parties in `dead` get a push address where nothing listens (a defect for the delivery cases).
 */
export async function referenceGateway(port: number, dead: readonly string[] = [], options: { witness?: boolean } = {}): Promise<{ gateway: RunningGateway; network: SuiteNetwork; signer: Signer; close: () => Promise<void> }> {
  const network = await suiteNetwork();
  const signer = await createSigner({ privateJwk: (await generateSigningKey('ES256')).privateJwk, oin: '00000009000000000001' });
  const registry = await InMemoryDeelnemerRepository.of([
    { oin: signer.oin, rol: 'gateway', naam: 'Zicht gateway (reference)', status: 'actief', sleutels: [{ kid: signer.kid, jwk: signer.publicJwk }] },
    ...suiteRegistry(network, `http://127.0.0.1:${port}`).map((d) => (dead.includes(d.oin) ? { ...d, afleveradressen: [{ url: 'http://127.0.0.1:9/v1', kanaal: 'zicht-v1' as const }] } : d)),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'zicht-cnf-'));
  // A witness cosigns its checkpoints (CNF-438, spec/v1/log.md LOG-003).
  const cosigner = cosignerOf(noteSignerFromSeed('conformance.example/witness', Buffer.alloc(32, 0x44)));
  const witness = options.witness === false ? undefined : await startWitnessServer(createWitness({ cosigner, logs: [deriveLogSigner(signer)], stateFile: join(dir, 'witness.json') }), cosigner, { port: 0 });
  const gateway = await startGateway({ registry, gateway: signer, db: join(dir, 'gateway.db'), port: 0, allowPrivateEndpoints: true, witnesses: witness === undefined ? [] : [{ url: witness.url, key: cosigner }] });
  return {
    gateway,
    network,
    signer,
    close: async () => {
      await gateway.close();
      await witness?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The reference VT system (Veilig Thuis Zuid-Limburg), with an optional defect, whose gateway is the suite; it retries quickly. */
export async function referenceVt(defect?: ReferenceVtDefect, template?: () => Bericht): Promise<{ vt: ReferenceVt; jwks: JSONWebKeySet; setGateway: (url: string) => void }> {
  const signer = await createSigner({ privateJwk: (await generateSigningKey('ES256')).privateJwk, oin: VT_ZUID_LIMBURG });
  let gatewayUrl = '';
  const vt = await startReferenceVt({ signer, gatewayUrl: () => gatewayUrl, gatewayOin: '00000009000000000001', retryDelaysMs: [50, 100, 200], ...(defect === undefined ? {} : { defect }), ...(template === undefined ? {} : { template }) });
  return { vt, jwks: { keys: [{ ...signer.publicJwk, kid: signer.kid }] }, setGateway: (url) => { gatewayUrl = url; } };
}
