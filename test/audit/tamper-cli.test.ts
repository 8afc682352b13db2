/**
 * Tampering with the stored log, detected by `zicht audit verify` and named (issue 7): one leaf changed, one
 * dropped, two reordered, the log truncated, a fork (two checkpoints of one size with different roots), and
 * a checkpoint signed by another key. A real gateway (startGateway on localhost, its background log task)
 * on SQLite and PostgreSQL; the operator's tampering is SQL past the store; the auditor uses the CLI.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditBundle, verifyBundle } from '../../src/audit/bundle.js';
import { formatCheckpoint, parseCheckpoint } from '../../src/audit/checkpoint.js';
import { deriveLogSigner, loadLogSigner } from '../../src/audit/log-key.js';
import { noteSignerFromSeed, parseVerifierKey } from '../../src/audit/note-key.js';
import { parseNote, signNote } from '../../src/audit/note.js';
import { DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { runCli } from '../helpers/cli.js';
import { personalValuesIn } from '../helpers/examples.js';
import { BACKENDS, type StoreHarness } from '../store/backends.js';
import { createAuditNetwork } from './network.js';

const network = await createAuditNetwork();

describe.each(BACKENDS)('zicht audit verify on $name', ({ harness: makeHarness }) => {
  let harness: StoreHarness;
  let gateway: RunningGateway;
  let dir: string;
  let auditorKey: string;
  let earlier: string;
  let size: number;
  let logKey: string;

  async function checkpointOfSize(wanted: (size: number) => boolean): Promise<string> {
    for (;;) {
      const response = await fetch(`${gateway.url}/v1/log/checkpoint`);
      if (response.ok) {
        const note = await response.text();
        if (wanted(Number(parseCheckpoint(parseNote(note).text).size))) return note;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const leafCount = async (): Promise<number> => Number(((await harness.sql('SELECT COUNT(*) AS n FROM log_leaves'))[0] as { n: number | string }).n);

  beforeEach(async () => {
    harness = await makeHarness();
    dir = await mkdtemp(join(tmpdir(), 'zicht-audit-'));
    gateway = await startGateway({ registry: network.registry, persistRegistry: true, gateway: network.gateway, db: harness.url, storeOptions: harness.options, port: 0, deliver: false });
    for (let i = 0; i < 3; i += 1) {
      const template = exampleBericht('overdracht-na-dienst-onderzoek');
      const bericht = await signAs(network, 'vtZuidLimburg', { ...template, dossier: { ...template.dossier, referentie: `VTZL-2026-8${i}0000` } });
      const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
      const response = await fetch(`${gateway.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(bericht), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
      expect(response.status).toBe(202);
    }
    size = await leafCount();
    earlier = join(dir, 'earlier.txt');
    await writeFile(earlier, await checkpointOfSize((s) => s === size));
    logKey = deriveLogSigner(network.gateway).vkey;
    auditorKey = join(dir, 'auditor.jwk.json');
    await writeFile(auditorKey, JSON.stringify(network.auditorJwk));
  }, 30_000);

  afterEach(async () => {
    await gateway.close();
    await harness.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const exportBundle = async (name = 'bundle.json') => {
    const out = join(dir, name);
    const run = await runCli('audit', 'export', '--gateway', gateway.url, '--key', auditorKey, '--out', out, '--checkpoint', earlier);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return out;
  };

  it('verifies an untouched log: a leaf for every accepted bericht, registry change and key rotation; no personal data', async () => {
    const bundle = await exportBundle();
    const text = await readFile(bundle, 'utf8');
    const types = (JSON.parse(text) as { entries: { leaf: string }[] }).entries.map((e) => (JSON.parse(e.leaf) as { type: string }).type);
    expect(types.filter((t) => t === 'bericht.accepted')).toHaveLength(3);
    expect(types.filter((t) => t === 'registry.changed')).toHaveLength(5);
    expect(types.filter((t) => t === 'key.rotated')).toHaveLength(5);
    expect(personalValuesIn(text)).toEqual([]);
    const offline = await runCli('audit', 'verify', bundle, '--checkpoint', earlier, '--key', logKey);
    expect(offline.stdout).toContain(`verified: the whole log as of the signed checkpoint of size ${size}: entries 0-${size - 1} (${size} of ${size})`);
    expect(offline.code).toBe(0);
    const online = await runCli('audit', 'verify', '--gateway', gateway.url, '--checkpoint', earlier, '--key', logKey);
    expect(online.code).toBe(0);
    // Progress for large bundles: reported after every `every` entries and after the last.
    const parsed = AuditBundle.parse(JSON.parse(text));
    const reported: [number, number][] = [];
    const findings = verifyBundle(parsed, { trusted: [parseVerifierKey(parsed.verifierKey)], progress: { every: 4, report: (checked, total) => reported.push([checked, total]) } });
    expect(findings).toEqual([]);
    const total = parsed.entries.length;
    expect(reported).toEqual([...Array.from({ length: Math.floor(total / 4) }, (_, i): [number, number] => [4 * (i + 1), total]), ...(total % 4 === 0 ? [] : [[total, total] as [number, number]])]);
  });

  it('names a changed leaf', async () => {
    await harness.sql("UPDATE log_leaves SET data = REPLACE(data, '\"overdracht\"', '\"veiligheidsvoorwaarden\"') WHERE leaf_index = 11");
    const run = await runCli('audit', 'verify', await exportBundle(), '--checkpoint', earlier, '--key', logKey);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/TAMPERING entry-not-included \[entry 11\]/);
    expect(run.stdout).toContain('1 finding(s)');
  });

  it('names a dropped leaf', async () => {
    await harness.sql('DELETE FROM log_leaves WHERE leaf_index = 4');
    const run = await runCli('audit', 'verify', await exportBundle(), '--checkpoint', earlier, '--key', logKey);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/TAMPERING entry-missing \[entry 4\]/);
  });

  it('names two reordered leaves', async () => {
    await harness.sql('UPDATE log_leaves SET leaf_index = -1 WHERE leaf_index = 10');
    await harness.sql('UPDATE log_leaves SET leaf_index = 10 WHERE leaf_index = 12');
    await harness.sql('UPDATE log_leaves SET leaf_index = 12 WHERE leaf_index = -1');
    const run = await runCli('audit', 'verify', await exportBundle(), '--checkpoint', earlier, '--key', logKey);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/entry-not-included \[entry 10\]/);
    expect(run.stdout).toMatch(/entry-not-included \[entry 12\]/);
  });

  it('names a truncated log', async () => {
    const keep = 6;
    await harness.sql(`DELETE FROM log_leaves WHERE leaf_index >= ${keep}`);
    await harness.sql(`DELETE FROM log_nodes WHERE (idx + 1) * (1 << level) > ${keep}`);
    await harness.sql(`DELETE FROM log_checkpoints WHERE size > ${keep}`);
    await checkpointOfSize((s) => s === keep);
    const online = await runCli('audit', 'verify', '--gateway', gateway.url, '--checkpoint', earlier, '--key', logKey);
    expect(online.code).toBe(1);
    expect(online.stdout).toMatch(new RegExp(`TAMPERING truncated: the earlier checkpoint has size ${size}, this one ${keep}`));
    const offline = await runCli('audit', 'verify', await exportBundle(), '--checkpoint', earlier, '--key', logKey);
    expect(offline.code).toBe(1);
    expect(offline.stdout).toContain('TAMPERING truncated');
  });

  it('names a fork: the log rewritten and re-signed at the same size', async () => {
    await harness.sql("UPDATE log_leaves SET data = REPLACE(data, '\"overdracht\"', '\"veiligheidsvoorwaarden\"') WHERE leaf_index = 11");
    await harness.sql('UPDATE log_leaves SET leaf_index = NULL');
    await harness.sql('DELETE FROM log_nodes');
    await harness.sql('DELETE FROM log_checkpoints');
    await checkpointOfSize((s) => s === size);
    const online = await runCli('audit', 'verify', '--gateway', gateway.url, '--checkpoint', earlier, '--key', logKey);
    expect(online.code).toBe(1);
    expect(online.stdout).toMatch(new RegExp(`TAMPERING fork: two checkpoints of size ${size} have different roots`));
    const offline = await runCli('audit', 'verify', await exportBundle(), '--checkpoint', earlier, '--key', logKey);
    expect(offline.stdout).toContain('TAMPERING fork');
  });

  it('names a checkpoint signed by another key', async () => {
    const published = ((await (await fetch(`${gateway.url}/v1/log/key`)).json()) as { verifierKey: string }).verifierKey;
    const rows = (await harness.sql('SELECT note FROM log_checkpoints ORDER BY size DESC LIMIT 1')) as { note: string }[];
    const body = parseCheckpoint(parseNote(rows[0]!.note).text);
    const impostor = noteSignerFromSeed(body.origin, Buffer.alloc(32, 9));
    const forged = signNote(formatCheckpoint(body), impostor).replace(/'/g, "''");
    await harness.sql(`UPDATE log_checkpoints SET note = '${forged}' WHERE size = ${body.size}`);
    const run = await runCli('audit', 'verify', await exportBundle('forged.json'), '--key', published);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('TAMPERING checkpoint-signature: the checkpoint is not validly signed by the log key (ZICHT_AUDIT_NOTE_UNVERIFIED)');
  });

  it('answers usage errors with exit 2', async () => {
    expect((await runCli('audit', 'verify')).code).toBe(2);
    expect((await runCli('audit', 'export', '--out', join(dir, 'x.json'))).code).toBe(2);
    expect((await runCli('audit', 'verify', '--gateway', gateway.url)).code).toBe(2);
    expect((await runCli('audit', 'frobnicate')).code).toBe(2);
  });
});

describe('zicht audit export --db (the gateway database, SQLite)', () => {
  it('exports one dossier with the log key from --log-key, and the bundle verifies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zicht-audit-db-'));
    try {
      const keyFile = join(dir, 'log.key');
      const keygen = await runCli('audit', 'keygen', '--origin', 'zicht.test/log', '--out', keyFile);
      expect(keygen.code).toBe(0);
      const logKey = loadLogSigner(await readFile(keyFile, 'utf8'));
      expect(keygen.stdout.trim()).toBe(logKey.vkey);
      const db = join(dir, 'zicht.db');
      const gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db, port: 0, deliver: false, logKey });
      const referenties = ['VTZL-2026-700001', 'VTZL-2026-700002'];
      try {
        for (const referentie of referenties) {
          const template = exampleBericht('overdracht-na-dienst-onderzoek');
          const bericht = await signAs(network, 'vtZuidLimburg', { ...template, dossier: { ...template.dossier, referentie } });
          const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
          expect((await fetch(`${gateway.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(bericht), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } })).status).toBe(202);
        }
        for (let note = ''; !note.includes('\n2\n'); await new Promise((resolve) => setTimeout(resolve, 100))) {
          const response = await fetch(`${gateway.url}/v1/log/checkpoint`);
          note = response.ok ? await response.text() : '';
        }
      } finally {
        await gateway.close();
      }
      const out = join(dir, 'dossier.json');
      const run = await runCli('audit', 'export', '--db', db, '--log-key', keyFile, '--dossier', referenties[0]!, '--out', out);
      expect(run.code).toBe(0);
      const bundle = JSON.parse(await readFile(out, 'utf8')) as { selection: { complete: boolean }; entries: unknown[] };
      expect(bundle.entries).toHaveLength(1);
      expect(bundle.selection.complete).toBe(false);
      const verified = await runCli('audit', 'verify', out, '--key', logKey.vkey);
      expect(verified.code).toBe(3);
      expect(verified.stdout).toContain('PARTIAL: verified 1 of the 2 entries of the signed checkpoint');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
