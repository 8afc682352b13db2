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
import { personalValues } from '../helpers/examples.js';
import { freePort, referenceGateway } from './helpers.js';

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
    for (const value of personalValues()) {
      expect(json).not.toContain(value);
      expect(junit).not.toContain(value);
      expect(html).not.toContain(value);
    }
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
  });
});
