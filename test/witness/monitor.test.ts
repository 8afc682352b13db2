/**
 * Issue 23: `zicht audit monitor` (cron) and `zicht audit prove` against a real gateway with a witness, on
 * SQLite and PostgreSQL. A log rewritten at the same size (a fork) is an alert with both signed checkpoints as
 * evidence and a missing cosignature (the witness refused the fork); a receipt's inclusion promise is kept,
 * then broken by the rewrite, and the monitor and `prove` name it. Each test runs a mutant that lets it pass:
 * a monitor without its state, without --witness, without --receipt.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../src/audit/checkpoint.js';
import { checkCosignatures, cosignerOf } from '../../src/audit/cosignature.js';
import { deriveLogSigner } from '../../src/audit/log-key.js';
import { noteSignerFromSeed } from '../../src/audit/note-key.js';
import { parseNote } from '../../src/audit/note.js';
import { openPromise } from '../../src/audit/promise.js';
import { DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import { Transportbevestiging } from '../../src/model/transportbevestiging.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { startWitnessServer, type RunningWitness } from '../../src/witness/server.js';
import { createWitness } from '../../src/witness/witness.js';
import { createAuditNetwork } from '../audit/network.js';
import { runCli } from '../helpers/cli.js';
import { BACKENDS, type StoreHarness } from '../store/backends.js';

const network = await createAuditNetwork();
const logKey = deriveLogSigner(network.gateway);
const cosigner = cosignerOf(noteSignerFromSeed('vng.example/witness', Buffer.alloc(32, 0x21)));

describe.each(BACKENDS)('zicht audit monitor and prove on $name', ({ harness: makeHarness }) => {
  let harness: StoreHarness;
  let dir: string;
  let witness: RunningWitness;
  let gateway: RunningGateway;
  let auth: string;

  async function send(referentie: string): Promise<Transportbevestiging> {
    const template = exampleBericht('overdracht-na-dienst-onderzoek');
    const bericht = await signAs(network, 'vtZuidLimburg', { ...template, dossier: { ...template.dossier, referentie } });
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    const response = await fetch(`${gateway.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(bericht), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(response.status).toBe(202);
    return Transportbevestiging.parse(await response.json());
  }

  /** Waits for a checkpoint of every leaf, cosigned when `cosigned`. */
  async function settled(cosigned: boolean): Promise<string> {
    for (;;) {
      const response = await fetch(`${gateway.url}/v1/log/checkpoint`);
      if (response.ok) {
        const note = await response.text();
        const size = Number(parseCheckpoint(parseNote(note).text).size);
        const done = size === (await gateway.store.logSize()) && (await gateway.store.listPendingLeaves(1)).length === 0;
        if (done && (!cosigned || checkCosignatures(note, [cosigner])[0]?.state === 'valid')) return note;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The operator rewrites the log at the same size: one leaf changed, the tree rebuilt and re-signed. */
  async function rewrite(index: number): Promise<void> {
    await harness.sql(`UPDATE log_leaves SET data = REPLACE(data, '"at":"', '"at":"1') WHERE leaf_index = ${index}`);
    await harness.sql('UPDATE log_leaves SET leaf_index = NULL');
    await harness.sql('DELETE FROM log_nodes');
    await harness.sql('DELETE FROM log_checkpoints');
  }

  beforeEach(async () => {
    harness = await makeHarness();
    dir = await mkdtemp(join(tmpdir(), 'zicht-monitor-'));
    witness = await startWitnessServer(createWitness({ cosigner, logs: [logKey], stateFile: join(dir, 'witness.json') }), cosigner, { port: 0 });
    gateway = await startGateway({ registry: network.registry, persistRegistry: true, gateway: network.gateway, db: harness.url, storeOptions: harness.options, port: 0, deliver: false, witnesses: [{ url: witness.url, key: cosigner }], maxMergeDelay: 1 });
    auth = join(dir, 'auditor.jwk.json');
    await writeFile(auth, JSON.stringify(network.auditorJwk));
  }, 30_000);

  afterEach(async () => {
    await gateway.close();
    await witness.close();
    await harness.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('advances on a consistent, cosigned log; alerts on a fork with both checkpoints as evidence and the missing cosignature; state-less and witness-less mutants pass the fork', async () => {
    await send('VTZL-2026-710001');
    await settled(true);
    const state = join(dir, 'monitor.json');
    const monitor = (...extra: string[]) => runCli('audit', 'monitor', '--gateway', gateway.url, '--state', state, ...extra);
    expect((await monitor('--witness', cosigner.vkey)).code).toBe(2); // first run: no key, nothing judged (LOG-001)
    expect(existsSync(state)).toBe(false);
    const first = await monitor('--key', logKey.vkey, '--witness', cosigner.vkey);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('(first run: kept as the base of the next)');
    await send('VTZL-2026-710002');
    const before = await settled(true);
    const second = await monitor('--witness', cosigner.vkey);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('consistent with the one verified before, cosigned by 1 or more of 1 witness(es)');
    const size = Number(parseCheckpoint(parseNote(before).text).size);
    await rewrite(size - 1);
    const forked = await settled(false);
    expect(parseNote(forked).text).not.toBe(parseNote(before).text);
    const alert = await monitor('--witness', cosigner.vkey);
    expect(alert.code).toBe(1);
    expect(alert.stdout).toContain(`ALERT fork: two checkpoints of size ${size} have different roots`);
    expect(alert.stdout).toContain('ALERT cosignature-quorum');
    expect(alert.stdout).toContain('  evidence earlier:');
    expect(alert.stdout).toContain(`    ${parseNote(before).text.split('\n')[2]}`);
    expect(alert.stdout).toContain(`    ${parseNote(forked).text.split('\n')[2]}`);
    // The state keeps the checkpoint verified last: the next run alerts again.
    expect(JSON.parse(await readFile(state, 'utf8'))).toMatchObject({ checkpoint: before });
    expect((await monitor('--witness', cosigner.vkey)).code).toBe(1);
    // Mutants: a monitor without its state, and one without witnesses, see nothing wrong.
    expect((await runCli('audit', 'monitor', '--gateway', gateway.url, '--state', join(dir, 'fresh.json'), '--key', logKey.vkey)).code).toBe(0);
  });

  it('proves a receipt\'s inclusion promise kept; a rewrite breaks it and prove and the monitor name it (exit 1, the signed promise as evidence); the receipt-less mutant passes', async () => {
    const receipt = await send('VTZL-2026-720001');
    expect(receipt.logbelofte).toBeDefined();
    const promise = openPromise(receipt.logbelofte?.belofte ?? '', [logKey]);
    expect(Buffer.from(promise.leafHash).toString('base64')).toBe(receipt.logbelofte?.bladhash);
    expect(promise.maxMergeDelay).toBe(1);
    const file = join(dir, 'receipt.json');
    await writeFile(file, JSON.stringify(receipt));
    await settled(true);
    const kept = await runCli('audit', 'prove', '--gateway', gateway.url, '--receipt', file, '--auth', auth, '--key', logKey.vkey);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(/kept: the promised leaf is entry \d+ of the log, proven against the signed checkpoint of size \d+/);
    const index = Number(/entry (\d+)/.exec(kept.stdout)?.[1]);
    await rewrite(index);
    await settled(false);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the promised delay of 1 s
    const broken = await runCli('audit', 'prove', '--gateway', gateway.url, '--receipt', file, '--auth', auth, '--key', logKey.vkey);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('ALERT promise-broken');
    expect(broken.stdout).toContain('zicht-inclusion-promise/v1');
    const state = join(dir, 'monitor.json');
    const alert = await runCli('audit', 'monitor', '--gateway', gateway.url, '--state', state, '--key', logKey.vkey, '--receipt', file, '--auth', auth);
    expect(alert.code).toBe(1);
    expect(alert.stdout).toContain(`ALERT promise-broken: ${file}: the leaf promised for inclusion by`);
    // Mutant: the same monitor without the receipt sees a well-signed log.
    expect((await runCli('audit', 'monitor', '--gateway', gateway.url, '--state', join(dir, 'other.json'), '--key', logKey.vkey)).code).toBe(0);
  });
});
