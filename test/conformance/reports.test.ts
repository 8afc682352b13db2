/**
 * The reports and the command: `zicht conformance --role gateway` against Zicht's gateway writes
 * JSON, JUnit and HTML reports with personal data masked and every case linked to its rules; the
 * expected-failures file is honoured and a listed case that passes fails the run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { personalValuesIn } from '../helpers/examples.js';
import { freePort, HEERLEN, referenceGateway, referenceGemeente, referenceVt } from './helpers.js';

describe('zicht conformance (role gateway, against Zicht\'s gateway)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zicht-cnf-report-'));
  let ref: Awaited<ReturnType<typeof referenceGateway>>;
  let port = 0;
  let keyFile = '';
  beforeAll(async () => {
    port = await freePort();
    ref = await referenceGateway(port);
    keyFile = join(dir, 'tester.jwk');
    writeFileSync(keyFile, JSON.stringify(ref.network.privateJwk));
  });
  afterAll(async () => {
    await ref.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...extra: string[]) =>
    runCli('conformance', '--role', 'gateway', '--target', ref.gateway.url, '--key', keyFile, '--listen', `127.0.0.1:${port}`, '--gateway-oin', ref.signer.oin, '--timeout', '5', ...extra);

  it('exits 0 and writes masked, linked reports', async () => {
    const out = join(dir, 'report');
    const { code, stdout } = await run('--report', out);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/Coverage: \d+\/\d+ error rules have a case/);
    const json = readFileSync(join(out, 'report.json'), 'utf8');
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const text of [json, junit, html]) expect(personalValuesIn(text)).toEqual([]);
    const report = JSON.parse(json) as { results: { id: string; outcome: string; exchanges: unknown[]; links: { rule: { href: string } }[] }[] };
    expect(report.results.every((r) => r.outcome === 'pass')).toBe(true);
    expect(report.results.some((r) => r.exchanges.length > 0)).toBe(true);
    const ovd001 = report.results.find((r) => r.id === 'CNF-481');
    expect(ovd001?.links[0]?.rule.href).toMatch(/spec\/v1\/rules\.md#ovd-001$/);
    expect(html).toContain('rules.md#ovd-001');
    expect(html).toContain('README.md#1-sources');
    expect(junit).toMatch(/<testcase classname="zicht.conformance.gateway" name="CNF-481 /);
  });

  it('exits 1 when an expected failure passes, and says so', async () => {
    const list = join(dir, 'expected.txt');
    writeFileSync(list, '# known gaps\nCNF-481  # OVD-001 not yet enforced\n');
    const { code, stdout } = await run('--expected-failures', list);
    expect(code).toBe(1);
    expect(stdout).toContain('Expected failures that pass (remove them from the list): CNF-481');
  });

  it('exits 2 when the suite cannot run', async () => {
    expect((await runCli('conformance', '--role', 'gemeente', '--target', 'http://127.0.0.1:9/v1')).code).toBe(2);
    expect((await runCli('conformance', '--role', 'nobody', '--target', 'http://127.0.0.1:9')).code).toBe(2);
    expect((await runCli('conformance', '--role', 'vt', '--target', 'http://127.0.0.1:9/v1')).code).toBe(2);
    expect((await runCli('conformance', '--role', 'vt', '--mode', 'postbus')).code).toBe(2);
    expect((await runCli('conformance', '--role', 'gemeente', '--mode', 'pull')).code).toBe(2);
    // --sut-rol: a role a gemeente system can be registered with, and only for role gemeente.
    for (const [role, rol] of [['gemeente', 'vt'], ['gemeente', 'Gemeente'], ['vt', 'gemeente']]) {
      const refused = await runCli('conformance', '--role', role ?? '', '--target', 'http://127.0.0.1:9/v1', '--sut-rol', rol ?? '');
      expect(refused.code, `${role ?? ''} ${rol ?? ''}`).toBe(2);
      expect(refused.stderr).toContain('--sut-rol');
    }
  });
});

describe('zicht conformance --role vt (against the reference VT system, triggered by --trigger-url)', () => {
  it('prompts for each scenario, triggers it through the hook, exits 0 and writes the reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zicht-cnf-vt-'));
    const port = await freePort();
    const ref = await referenceVt();
    ref.setGateway(`http://127.0.0.1:${port}`);
    try {
      const jwks = join(dir, 'vt.jwks.json');
      writeFileSync(jwks, JSON.stringify(ref.jwks));
      const out = join(dir, 'report');
      const { code, stdout, stderr } = await runCli('conformance', '--role', 'vt', '--target', ref.vt.url, '--sut-jwks', jwks, '--listen', `127.0.0.1:${port}`, '--trigger-url', ref.vt.triggerUrl, '--timeout', '10', '--report', out);
      expect(code, stdout).toBe(0);
      expect(stderr).toContain('CNF-701: trigger scenario "overdracht" in your system now');
      // Every error rule without a case is named, so a vendor sees what the suite does not check yet.
      const coverage = /Coverage: (\d+)\/(\d+) error rules have a case(?: \(none yet: ([A-Z0-9, -]+)\))?\./.exec(stdout);
      expect(coverage, stdout).not.toBeNull();
      const [, covered, all, missing] = coverage ?? [];
      expect((missing ?? '').split(', ').filter(Boolean).length).toBe(Number(all) - Number(covered));
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(personalValuesIn(html)).toEqual([]);
      expect(html).toContain('CNF-729');
    } finally {
      await ref.vt.idle();
      await ref.vt.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('zicht conformance --role gemeente (against the reference gemeente system, its decisions asked through --trigger-url)', () => {
  it('asks the hook for each decision, exits 0, and counts the rules of a later receipt; without the hook it says the decision cases are skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zicht-cnf-gm-'));
    const port = await freePort();
    const ref = await referenceGemeente();
    ref.setGateway(`http://127.0.0.1:${port}`);
    try {
      const jwks = join(dir, 'gm.jwks.json');
      writeFileSync(jwks, JSON.stringify(ref.jwks));
      const args = ['conformance', '--role', 'gemeente', '--target', ref.receiver.url, '--oin', HEERLEN.oin, '--gemeentecode', HEERLEN.gemeentecode, '--sut-jwks', jwks, '--listen', `127.0.0.1:${port}`, '--timeout', '10'];
      const { code, stdout, stderr } = await runCli(...args, '--trigger-url', ref.receiver.triggerUrl ?? '');
      expect(code, stdout).toBe(0);
      expect(stderr).toContain('CNF-383: the hook is asked for scenario "niet-geaccepteerd" on handover');
      // The system sent its receipts: no diagnosis of a silent system (test/conformance/diagnosis.test.ts).
      expect(stdout).not.toContain('sent the suite nothing');
      for (const id of ['CNF-383', 'CNF-384', 'CNF-385', 'CNF-386', 'CNF-387', 'CNF-388']) expect(stdout).toContain(`pass  ${id} `);
      const none = /\(none yet: ([A-Z0-9, -]+)\)/.exec(stdout)?.[1] ?? '';
      for (const rule of ['ONT-001', 'ONT-008', 'ONT-009', 'VRW-001', 'VRW-002']) expect(none).not.toContain(rule);
      const without = await runCli(...args);
      expect(without.stderr).toContain('No --trigger-url or --trigger-command: the cases of a person\'s decision on a handover (geaccepteerd, niet-geaccepteerd) are skipped.');
      expect(without.stdout).toContain('skip  CNF-384 ');
      expect(/\(none yet: ([A-Z0-9, -]+)\)/.exec(without.stdout)?.[1]).toContain('ONT-009');
    } finally {
      await ref.receiver.idle();
      await ref.receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
