/**
 * Issue 23: a split view. One gateway (one log key, one origin) shows one log to one participant and another
 * log to another: here two gateway processes with the same key on two databases (SQLite, then PostgreSQL),
 * both configured with the same witness (`zicht witness`, C2SP tlog-witness over real HTTP). The witness
 * cosigns the first fork and refuses the second (422, kept as evidence); verification with a quorum refuses
 * the uncosigned fork while the log key alone accepts both (the mutant: no witness policy). A witness
 * restarted mid-stream on its state file keeps refusing the fork; one that lost its state would cosign it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Script } from 'node:vm';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consistencyProof } from '../../src/audit/log-view.js';
import { checkCosignatures, cosignerOf } from '../../src/audit/cosignature.js';
import { deriveLogSigner } from '../../src/audit/log-key.js';
import { noteSignerFromSeed } from '../../src/audit/note-key.js';
import { parseNote } from '../../src/audit/note.js';
import { parseCheckpoint, signCheckpoint } from '../../src/audit/checkpoint.js';
import { checkBundle } from '../../src/console/bundle-check.js';
import { auditlogScript } from '../../src/console/client.js';
import { DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { startWitnessServer, type RunningWitness } from '../../src/witness/server.js';
import { createWitness, formatAddCheckpoint, type Witness } from '../../src/witness/witness.js';
import { createAuditNetwork } from '../audit/network.js';
import { runCli } from '../helpers/cli.js';
import { BACKENDS, type StoreHarness } from '../store/backends.js';

const network = await createAuditNetwork();
const logKey = deriveLogSigner(network.gateway);
const cosigner = cosignerOf(noteSignerFromSeed('inspectie.example/witness', Buffer.alloc(32, 0x17)));

async function send(gateway: RunningGateway, referentie: string): Promise<void> {
  const template = exampleBericht('overdracht-na-dienst-onderzoek');
  const bericht = await signAs(network, 'vtZuidLimburg', { ...template, dossier: { ...template.dossier, referentie } });
  const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
  const response = await fetch(`${gateway.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(bericht), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
  expect(response.status).toBe(202);
}

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('timed out');
}

/** The gateway's checkpoint once it covers every leaf (and, with `cosigned`, carries the witness's cosignature). */
async function settled(gateway: RunningGateway, cosigned: boolean): Promise<string> {
  return until(async () => {
    const response = await fetch(`${gateway.url}/v1/log/checkpoint`);
    if (!response.ok) return undefined;
    const note = await response.text();
    const size = Number(parseCheckpoint(parseNote(note).text).size);
    if (size !== (await gateway.store.logSize()) || (await gateway.store.listPendingLeaves(1)).length > 0) return undefined;
    return !cosigned || checkCosignatures(note, [cosigner])[0]?.state === 'valid' ? note : undefined;
  });
}

describe.each(BACKENDS)('a split view on $name', ({ harness: makeHarness }) => {
  let dir: string;
  let harnesses: StoreHarness[];
  let witness: Witness;
  let server: RunningWitness;
  let forkA: RunningGateway;
  let forkB: RunningGateway;
  let noteA: string;
  let noteB: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zicht-split-'));
    harnesses = [await makeHarness(), await makeHarness()];
    witness = createWitness({ cosigner, logs: [logKey], stateFile: join(dir, 'witness.json') });
    server = await startWitnessServer(witness, cosigner, { port: 0 });
    const start = (h: StoreHarness) => startGateway({ registry: network.registry, persistRegistry: true, gateway: network.gateway, db: h.url, storeOptions: h.options, port: 0, deliver: false, witnesses: [{ url: server.url, key: cosigner }] });
    forkA = await start(harnesses[0]!);
    await send(forkA, 'VTZL-2026-610001');
    noteA = await settled(forkA, true);
    forkB = await start(harnesses[1]!);
    await send(forkB, 'VTZL-2026-620001');
    await send(forkB, 'VTZL-2026-620002');
    noteB = await settled(forkB, false);
    await until(() => Promise.resolve(witness.state().refused.length > 0 ? true : undefined));
  }, 90_000);

  afterAll(async () => {
    await forkA.close();
    await forkB.close();
    await server.close();
    for (const h of harnesses) await h.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('the witness cosigns the first fork and refuses the second (422), keeping it as evidence', () => {
    const sizeA = parseCheckpoint(parseNote(noteA).text).size;
    const sizeB = parseCheckpoint(parseNote(noteB).text).size;
    expect(sizeB).toBeGreaterThan(sizeA);
    expect(checkCosignatures(noteA, [cosigner])[0]?.state).toBe('valid');
    expect(checkCosignatures(noteB, [cosigner])[0]?.state).toBe('absent');
    const [evidence] = witness.state().refused;
    expect(evidence).toMatchObject({ origin: logKey.name, status: 422, oldSize: sizeA.toString() });
    expect(evidence?.reason).toContain('LOG-004');
    expect(parseNote(evidence?.note ?? '').text).toBe(parseNote(noteB).text);
    expect(witness.state().logs[logKey.name]?.size).toBe(sizeA.toString());
  });

  it('verification with a quorum refuses the uncosigned fork (exit 1, cosignature-quorum); with the log key alone (the mutant) both forks verify', async () => {
    const auditorKey = join(dir, 'auditor.jwk.json');
    await writeFile(auditorKey, JSON.stringify(network.auditorJwk));
    const bundles: string[] = [];
    for (const [name, gateway] of [['a', forkA], ['b', forkB]] as const) {
      const out = join(dir, `fork-${name}.json`);
      const run = await runCli('audit', 'export', '--gateway', gateway.url, '--key', auditorKey, '--out', out);
      expect(run.code).toBe(0);
      bundles.push(out);
    }
    const [a = '', b = ''] = bundles;
    const quorumA = await runCli('audit', 'verify', a, '--key', logKey.vkey, '--witness', cosigner.vkey, '--quorum', '1');
    expect(quorumA.code).toBe(0);
    expect(quorumA.stdout).toContain(`witness ${cosigner.name}: cosigned at`);
    expect(quorumA.stdout).toContain('cosigned by 1 or more of 1 witness(es)');
    const quorumB = await runCli('audit', 'verify', b, '--key', logKey.vkey, '--witness', cosigner.vkey, '--quorum', '1');
    expect(quorumB.code).toBe(1);
    expect(quorumB.stdout).toContain(`witness ${cosigner.name}: no cosignature`);
    expect(quorumB.stdout).toContain('TAMPERING cosignature-quorum: the checkpoint has 0 valid cosignature(s) of the 1 witness(es) given, 1 required (LOG-003)');
    // Online, against an earlier checkpoint the participant kept: the same.
    const earlier = join(dir, 'earlier-b.txt');
    await writeFile(earlier, noteB);
    expect((await runCli('audit', 'verify', '--gateway', forkB.url, '--checkpoint', earlier, '--key', logKey.vkey, '--witness', cosigner.vkey)).code).toBe(1);
    // The console's in-browser check (run in Node) shows the cosignatures and holds the quorum too.
    const inBrowserA = await checkBundle(await readFile(a, 'utf8'), logKey.vkey, [cosigner.vkey], 1);
    expect(inBrowserA).toMatchObject({ ok: true, complete: true, cosignatures: [{ witness: cosigner.name, state: 'valid' }] });
    const inBrowserB = await checkBundle(await readFile(b, 'utf8'), logKey.vkey, [cosigner.vkey], 1);
    expect(inBrowserB.ok).toBe(false);
    expect(inBrowserB.cosignatures).toEqual([{ witness: cosigner.name, state: 'absent' }]);
    expect(inBrowserB.findings.map((f) => f.kind)).toEqual(['cosignature-quorum']);
    expect(await checkBundle(await readFile(b, 'utf8'), logKey.vkey)).toMatchObject({ ok: true }); // mutant: no witness keys
    expect(() => new Script(auditlogScript())).not.toThrow(); // the page's script compiles
    // Mutant: no witness policy, the log key alone: each participant's fork verifies.
    for (const bundle of bundles) expect((await runCli('audit', 'verify', bundle, '--key', logKey.vkey)).code).toBe(0);
    // A cosignature of another witness key does not count.
    const stranger = cosignerOf(noteSignerFromSeed(cosigner.name, Buffer.alloc(32, 0x18)));
    expect((await runCli('audit', 'verify', a, '--key', logKey.vkey, '--witness', stranger.vkey)).code).toBe(1);
  });

  it('a witness restarted on its state file keeps refusing the fork and cosigns the true log\'s growth; one without its state (the mutant) cosigns the fork', async () => {
    const stateFile = join(dir, 'restart.json');
    const first = createWitness({ cosigner, logs: [logKey], stateFile });
    expect((await first.addCheckpoint(formatAddCheckpoint(0, [], noteA))).status).toBe(200);
    const restarted = createWitness({ cosigner, logs: [logKey], stateFile });
    const sizeA = parseCheckpoint(parseNote(noteA).text).size;
    const sizeB = parseCheckpoint(parseNote(noteB).text).size;
    expect(await restarted.addCheckpoint(formatAddCheckpoint(0, [], noteB))).toEqual({ status: 409, body: `${sizeA}\n`, contentType: 'text/x.tlog.size' });
    const forged = await consistencyProof(forkB.store, sizeA, sizeB);
    expect((await restarted.addCheckpoint(formatAddCheckpoint(sizeA, forged, noteB))).status).toBe(422);
    // The true log grows: the restarted witness cosigns its next checkpoint with a proof from what it saw.
    await send(forkA, 'VTZL-2026-610002');
    const grown = await settled(forkA, false);
    const sizeGrown = parseCheckpoint(parseNote(grown).text).size;
    const proof = await consistencyProof(forkA.store, sizeA, sizeGrown);
    const answer = await restarted.addCheckpoint(formatAddCheckpoint(sizeA, proof, grown));
    expect(answer.status).toBe(200);
    expect(restarted.state().logs[logKey.name]?.size).toBe(sizeGrown.toString());
    // Mutant: a witness that lost its state takes the fork as a first sighting and cosigns it.
    const amnesiac = createWitness({ cosigner, logs: [logKey], stateFile: join(dir, 'lost.json') });
    expect((await amnesiac.addCheckpoint(formatAddCheckpoint(0, [], noteB))).status).toBe(200);
  });

  it('answers the other statuses of C2SP tlog-witness: 400, 403, 404', async () => {
    const post = (body: string) => fetch(`${server.url}/add-checkpoint`, { method: 'POST', body });
    expect((await post('not a request')).status).toBe(400);
    const foreign = noteSignerFromSeed(logKey.name, Buffer.alloc(32, 0x33));
    const body = parseCheckpoint(parseNote(noteA).text);
    expect((await post(formatAddCheckpoint(0, [], signCheckpoint(body, foreign)))).status).toBe(403);
    const otherLog = noteSignerFromSeed('zicht.gateway/00000009999999999999', Buffer.alloc(32, 0x34));
    expect((await post(formatAddCheckpoint(0, [], signCheckpoint({ ...body, origin: otherLog.name }, otherLog)))).status).toBe(404);
    expect((await post(formatAddCheckpoint(body.size + 1n, [], noteA))).status).toBe(400);
  });
});
