/**
 * Issue 16 parts 3 and 4, as attacks on `zicht audit verify` (the CLI), `verifyBundleReport` (the library) and
 * the console's in-browser check (`checkBundle`, run in Node): a forged bundle carrying a foreign key, and every
 * tampering of the unsigned `selection`. Bundles are exported from a real gateway (startGateway on localhost,
 * its background log task) on SQLite and on PostgreSQL.
 *
 * Each attack is refused with its stated code or exit, and each test also runs a mutant: the same check
 * weakened the way the code was before the fix (the bundle's own key as anchor; the unsigned selection in
 * place of the signed size; a partial result read as complete), and shows the attack gets through it, so the
 * test can fail.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditBundle, missingRanges, verifyBundle, verifyBundleReport } from '../../src/audit/bundle.js';
import { parseCheckpoint, signCheckpoint } from '../../src/audit/checkpoint.js';
import { exportBundle } from '../../src/audit/export.js';
import { httpLogSource } from '../../src/audit/http-source.js';
import { deriveLogSigner } from '../../src/audit/log-key.js';
import { noteSignerFromSeed, parseVerifierKey, type NoteVerifier } from '../../src/audit/note-key.js';
import { parseNote } from '../../src/audit/note.js';
import { resolveTrustAnchor } from '../../src/audit/trust-anchor.js';
import { checkBundle } from '../../src/console/bundle-check.js';
import { DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import { AuditError } from '../../src/errors.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { createAuditNetwork } from '../audit/network.js';
import { memoryTree } from '../audit/memory-tree.js';
import { runCli } from '../helpers/cli.js';
import { BACKENDS, type StoreHarness } from '../store/backends.js';

const network = await createAuditNetwork();

describe.each(BACKENDS)('attacks on zicht audit verify, on $name', ({ harness: makeHarness }) => {
  let harness: StoreHarness;
  let gateway: RunningGateway;
  let dir: string;
  /** The log's key as its operator gives it out of band. */
  let logKey: NoteVerifier;
  /** The auditor's complete export. */
  let genuine: AuditBundle;
  let size: number;

  const file = async (name: string, bundle: AuditBundle): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(bundle));
    return path;
  };

  beforeAll(async () => {
    harness = await makeHarness();
    dir = await mkdtemp(join(tmpdir(), 'zicht-attacks-'));
    gateway = await startGateway({ registry: network.registry, persistRegistry: true, gateway: network.gateway, db: harness.url, storeOptions: harness.options, port: 0, deliver: false });
    logKey = deriveLogSigner(network.gateway);
    for (let i = 0; i < 3; i += 1) {
      const template = exampleBericht('overdracht-na-dienst-onderzoek');
      const bericht = await signAs(network, 'vtZuidLimburg', { ...template, dossier: { ...template.dossier, referentie: `VTZL-2026-9${i}0000` } });
      const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
      const response = await fetch(`${gateway.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(bericht), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
      expect(response.status).toBe(202);
    }
    const leaves = async (): Promise<number> => Number(((await harness.sql('SELECT COUNT(*) AS n FROM log_leaves'))[0] as { n: number | string }).n);
    size = await leaves();
    for (;;) {
      const response = await fetch(`${gateway.url}/v1/log/checkpoint`);
      if (response.ok && parseCheckpoint(parseNote(await response.text()).text).size === BigInt(size)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const auditorKey = join(dir, 'auditor.jwk.json');
    await writeFile(auditorKey, JSON.stringify(network.auditorJwk));
    const out = join(dir, 'genuine.json');
    const run = await runCli('audit', 'export', '--gateway', gateway.url, '--key', auditorKey, '--out', out);
    expect(run.code).toBe(0);
    genuine = AuditBundle.parse(JSON.parse(await readFile(out, 'utf8')));
    expect(genuine.entries).toHaveLength(size);
  }, 60_000);

  afterAll(async () => {
    await gateway.close();
    await harness.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  /** The genuine bundle with one leaf altered, tree and proofs recomputed, re-signed by a foreign key it carries. */
  async function forge(): Promise<AuditBundle> {
    const leaves = genuine.entries.map((e) => e.leaf);
    leaves[1] = (leaves[1] ?? '').replace(/"at":"[^"]+"/, '"at":"2020-01-01T00:00:00.000Z"');
    const tree = memoryTree(leaves);
    const origin = parseCheckpoint(parseNote(genuine.checkpoint).text).origin;
    const foreign = noteSignerFromSeed(origin, Buffer.alloc(32, 0x42));
    return {
      ...genuine,
      verifierKey: foreign.vkey,
      checkpoint: signCheckpoint({ origin, size: BigInt(tree.size), root: tree.root, extensions: [] }, foreign),
      entries: await Promise.all(leaves.map(async (leaf, index) => ({ index, leaf, proof: await tree.inclusion(index) }))),
    };
  }

  it('verifies the genuine export only with a trust anchor: --key, a pin, or an explicit trust on first use that pins', async () => {
    const path = await file('genuine-copy.json', genuine);
    const bare = await runCli('audit', 'verify', path);
    expect(bare.code).toBe(2);
    expect(bare.stdout).not.toContain('verified');
    expect(bare.stderr).toContain('ZICHT_AUDIT_NO_TRUST_ANCHOR');
    expect(bare.stderr).toContain('--pin FILE --trust-on-first-use');
    const withKey = await runCli('audit', 'verify', path, '--key', logKey.vkey);
    expect(withKey.code).toBe(0);
    expect(withKey.stdout).toContain(`trust anchor: the log key given with --key (${logKey.vkey})`);
    expect(withKey.stdout).toContain(`verified: the whole log as of the signed checkpoint of size ${size}: entries 0-${size - 1} (${size} of ${size})`);
    const pin = join(dir, 'pinned.vkey');
    const notYet = await runCli('audit', 'verify', path, '--pin', pin);
    expect(notYet.code).toBe(2);
    expect(existsSync(pin)).toBe(false);
    const first = await runCli('audit', 'verify', path, '--pin', pin, '--trust-on-first-use');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`TRUST ON FIRST USE: pinned the key the log offered (${logKey.vkey}) to ${pin}`);
    expect((await readFile(pin, 'utf8')).trim()).toBe(logKey.vkey);
    const later = await runCli('audit', 'verify', path, '--pin', pin);
    expect(later.code).toBe(0);
    expect(later.stdout).toContain(`trust anchor: the log key pinned in ${pin}`);
    // Online against the gateway: its published key is no anchor either.
    const earlier = join(dir, 'earlier.txt');
    await writeFile(earlier, genuine.checkpoint);
    const online = await runCli('audit', 'verify', '--gateway', gateway.url, '--checkpoint', earlier);
    expect(online.code).toBe(2);
    expect(online.stderr).toContain('ZICHT_AUDIT_NO_TRUST_ANCHOR');
    expect((await runCli('audit', 'verify', '--gateway', gateway.url, '--checkpoint', earlier, '--pin', pin)).code).toBe(0);
  });

  it('refuses a forged bundle carrying a foreign key: no anchor exit 2, --key or a pin exit 1 (checkpoint-signature); the bundle-key mutant passes it', async () => {
    const forged = await forge();
    const path = await file('forged.json', forged);
    // CLI
    const bare = await runCli('audit', 'verify', path);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('ZICHT_AUDIT_NO_TRUST_ANCHOR');
    const withKey = await runCli('audit', 'verify', path, '--key', logKey.vkey);
    expect(withKey.code).toBe(1);
    expect(withKey.stdout).toContain('TAMPERING checkpoint-signature: the checkpoint is not validly signed by the log key (ZICHT_AUDIT_NOTE_UNVERIFIED)');
    const pin = join(dir, 'pin-for-forged.vkey');
    await writeFile(pin, `${logKey.vkey}\n`);
    const pinned = await runCli('audit', 'verify', path, '--pin', pin, '--trust-on-first-use');
    expect(pinned.code).toBe(1);
    expect(pinned.stdout).toContain('TAMPERING checkpoint-signature');
    expect((await readFile(pin, 'utf8')).trim()).toBe(logKey.vkey); // an existing pin is never replaced
    const conflicting = await runCli('audit', 'verify', path, '--pin', pin, '--key', forged.verifierKey);
    expect(conflicting.code).toBe(2);
    expect(conflicting.stderr).toContain('ZICHT_AUDIT_PIN_INVALID');
    // Library
    expect(() => resolveTrustAnchor({ pinFile: false, trustOnFirstUse: false, offered: forged.verifierKey })).toThrow(AuditError);
    expect(verifyBundleReport(forged, { trusted: [logKey] }).findings.map((f) => f.kind)).toEqual(['checkpoint-signature']);
    // Console
    expect((await checkBundle(JSON.stringify(forged))).findings.map((f) => f.kind)).toEqual(['no-trust-anchor']);
    expect((await checkBundle(JSON.stringify(forged), logKey.vkey)).findings.map((f) => f.kind)).toEqual(['checkpoint-signature']);
    // Mutant: the bundle's own key as anchor (the old default) lets the forgery through, in the library and the console.
    const own = parseVerifierKey(forged.verifierKey);
    expect(verifyBundleReport(forged, { trusted: [own] })).toMatchObject({ findings: [], complete: true });
    expect(await checkBundle(JSON.stringify(forged), forged.verifierKey)).toMatchObject({ ok: true, complete: true });
  });

  it('refuses a bundle whose tail was dropped and selection.end lowered (exit 1: selection-mismatch, entry-missing); the selection-end mutant passes it', async () => {
    const keep = size - 4;
    const cut: AuditBundle = { ...genuine, selection: { ...genuine.selection, end: keep }, entries: genuine.entries.slice(0, keep) };
    const run = await runCli('audit', 'verify', await file('tail.json', cut), '--key', logKey.vkey);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`TAMPERING selection-mismatch: the bundle's unsigned selection claims [0, ${keep}) but the signed checkpoint has size ${size}`);
    for (let i = keep; i < size; i += 1) expect(run.stdout).toContain(`TAMPERING entry-missing [entry ${i}]`);
    expect(run.stdout).not.toContain('verified:');
    const report = verifyBundleReport(cut, { trusted: [logKey] });
    expect(report.unverified).toEqual([{ start: keep, end: size }]);
    expect(report.complete).toBe(false);
    expect((await checkBundle(JSON.stringify(cut), logKey.vkey)).findings.map((f) => f.kind)).toEqual(['selection-mismatch', ...Array<string>(4).fill('entry-missing')]);
    // Mutant: the unsigned selection.end in place of the signed size: nothing counts as missing.
    expect(missingRanges(report.verified, cut.selection.end)).toEqual([]);
  });

  it('refuses a bundle whose head was dropped and selection.start raised (exit 1); the selection-start mutant passes it', async () => {
    const cut: AuditBundle = { ...genuine, selection: { ...genuine.selection, start: 3 }, entries: genuine.entries.slice(3) };
    const run = await runCli('audit', 'verify', await file('head.json', cut), '--key', logKey.vkey);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('TAMPERING selection-mismatch');
    for (const i of [0, 1, 2]) expect(run.stdout).toContain(`TAMPERING entry-missing [entry ${i}]`);
    const report = verifyBundleReport(cut, { trusted: [logKey] });
    expect(report.unverified).toEqual([{ start: 0, end: 3 }]);
    // Mutant: indices counted from the unsigned selection.start: the head is not missing.
    expect(missingRanges(report.verified, size).filter((r) => r.start >= cut.selection.start)).toEqual([]);
  });

  it('shows a bundle marked complete:false with entries dropped as PARTIAL (exit 3), naming the signed size and the indices not verified; the findings-only mutant calls it verified', async () => {
    const cut: AuditBundle = { ...genuine, selection: { ...genuine.selection, complete: false }, entries: genuine.entries.filter((e) => e.index !== 2 && e.index < size - 2) };
    const run = await runCli('audit', 'verify', await file('incomplete.json', cut), '--key', logKey.vkey);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`PARTIAL: verified ${size - 3} of the ${size} entries of the signed checkpoint (indices 0-1, 3-${size - 3}); not in the bundle: 2, ${size - 2}-${size - 1}. This is not a verification of the whole log`);
    expect(run.stdout).not.toContain('verified: the whole log');
    const report = verifyBundleReport(cut, { trusted: [logKey] });
    expect(report).toMatchObject({ findings: [], complete: false, unverified: [{ start: 2, end: 3 }, { start: size - 2, end: size }] });
    expect(await checkBundle(JSON.stringify(cut), logKey.vkey)).toMatchObject({ ok: true, complete: false, unverified: `2, ${size - 2}-${size - 1}` });
    // Mutant: success read from the findings alone (as before): the dropped entries pass unnoticed.
    expect(verifyBundle(cut, { trusted: [logKey] })).toEqual([]);
  });

  it('refuses a selection.end raised past the signed size, and takes the success line\'s size from the checkpoint; the selection-size mutant would print the claim', async () => {
    const claimed = size + 50;
    const raised: AuditBundle = { ...genuine, selection: { ...genuine.selection, end: claimed } };
    const run = await runCli('audit', 'verify', await file('raised.json', raised), '--key', logKey.vkey);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`TAMPERING selection-mismatch: the bundle's unsigned selection claims [0, ${claimed}) but the signed checkpoint has size ${size}`);
    const report = verifyBundleReport(raised, { trusted: [logKey] });
    expect(report.checkpoint?.size).toBe(size);
    // Mutant: without the selection check, a size taken from the selection would state a log of `claimed` entries.
    expect(report.findings.filter((f) => f.kind !== 'selection-mismatch')).toEqual([]);
    expect(raised.selection.end).not.toBe(report.checkpoint?.size);
  });

  it("verifies a participant's own view only as PARTIAL (exit 3), never as the whole log", async () => {
    const source = httpLogSource(gateway.url, { token: () => createBearerToken(network.signers.heerlen, DEMO_OIN.gateway) });
    const view = await exportBundle(source);
    if (view === undefined) throw new Error('no checkpoint');
    expect(view.selection.complete).toBe(false);
    expect(view.entries.length).toBeGreaterThan(0);
    expect(view.entries.length).toBeLessThan(size);
    const run = await runCli('audit', 'verify', await file('participant.json', view), '--key', logKey.vkey);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`PARTIAL: verified ${view.entries.length} of the ${size} entries of the signed checkpoint`);
    // Mutant: success read from the findings alone would call the view verified.
    expect(verifyBundle(view, { trusted: [logKey] })).toEqual([]);
    // The same view claiming completeness is caught as missing entries.
    const claimed = await runCli('audit', 'verify', await file('participant-claimed.json', { ...view, selection: { ...view.selection, complete: true } }), '--key', logKey.vkey);
    expect(claimed.code).toBe(1);
    expect(claimed.stdout).toContain('TAMPERING entry-missing');
  });
});
