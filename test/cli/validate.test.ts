/** `zicht validate`: findings as text or OperationOutcome, exit codes 0/1/2, no stack traces, no personal data. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OperationOutcome } from '../../src/model/outcome.js';
import { runCli } from '../helpers/cli.js';
import { invalidExamples, personalValues, validExamples } from '../helpers/examples.js';

const tmp = mkdtempSync(join(tmpdir(), 'zicht-cli-'));
const write = (name: string, content: string | Buffer): string => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};
const invalid = (rule: string): string => invalidExamples.find((f) => f.name.startsWith(rule))!.path;

describe('zicht validate', () => {
  it('exits 0 for the valid examples, checked as one trail', async () => {
    const run = await runCli('validate', ...validExamples.map((f) => f.path));
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(validExamples.length);
    expect(run.stdout).not.toContain('invalid');
  });

  it('exits 1 and prints rule id, severity, JSON path and message', async () => {
    const run = await runCli('validate', invalid('OVD-001'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(': invalid\n');
    expect(run.stdout).toMatch(/^ {2}OVD-001 error \$\.inhoud\.directbetrokkenen\[1\] Every gezaghebbende ouder/m);
  });

  it('checks a receipt against a handover given in the same call (ONT-004)', async () => {
    const handover = validExamples.find((f) => f.name === 'overdracht-na-veiligheidsbeoordeling.json')!.path;
    const alone = await runCli('validate', invalid('ONT-004'));
    expect(alone.code).toBe(0);
    const together = await runCli('validate', handover, invalid('ONT-004'));
    expect(together.code).toBe(1);
    expect(together.stdout).toContain('ONT-004 error $.verzender.oin');
  });

  it('prints an OperationOutcome with --format json', async () => {
    const run = await runCli('validate', '--format', 'json', invalid('ONT-001'));
    expect(run.code).toBe(1);
    const outcome = OperationOutcome.parse(JSON.parse(run.stdout));
    expect(outcome.issue).toHaveLength(1);
    expect(outcome.issue[0]).toMatchObject({ severity: 'error', code: 'required', details: { coding: [{ system: 'urn:zicht:spec:v1:rules', code: 'ONT-001' }] }, expression: ['$.inhoud.reden'] });
  });

  it('prints a Bundle of OperationOutcomes for several files', async () => {
    const run = await runCli('validate', '--format', 'json', validExamples[0]!.path, invalid('OVD-013'));
    const bundle = JSON.parse(run.stdout) as { resourceType: string; entry: { fullUrl: string; resource: unknown }[] };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.entry.map((e) => OperationOutcome.parse(e.resource).issue.length)).toEqual([0, 1]);
    expect(run.code).toBe(1);
  });

  it('exits 0 with warnings only', async () => {
    const b = JSON.parse(validExamples.find((f) => f.name === 'ontvangstbevestiging-ontvangen.json')!.bytes.toString('utf8')) as { inhoud: Record<string, unknown> };
    delete b.inhoud.behandelaar;
    const run = await runCli('validate', write('warning.json', JSON.stringify(b)));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ONT-007 warning $.inhoud.behandelaar');
  });

  it.each([
    ['not JSON', 'not json at all', 'BER-001'],
    ['empty', '', 'BER-001'],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'BER-001'],
    ['nested 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'BER-003'],
  ])('reports a file that is %s as a finding, exit 1', async (label, content, rule) => {
    const run = await runCli('validate', write(`${label}.json`, content));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${rule} error $`);
    expect(run.stderr).toBe('');
  });

  it('refuses a 50 MB file without reading it (BER-002), exit 1', async () => {
    const run = await runCli('validate', write('big.json', Buffer.alloc(50 * 1024 * 1024, 0x20)));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('BER-002 error $');
  });

  it.each([
    [['validate'], 'no FILE given'],
    [['validate', '--format', 'xml', 'x.json'], '--format must be text or json'],
    [['validate', '--nope', 'x.json'], 'ZICHT_USAGE'],
    [['validate', join(tmp, 'does-not-exist.json')], 'ZICHT_IO'],
    [['validate', tmp], 'ZICHT_IO'],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('exits 2 on %j without a stack trace', async (argv, message) => {
    const run = await runCli(...argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('never prints personal data, whatever the finding', async () => {
    const secrets = personalValues();
    const files = invalidExamples.map((f) => f.path);
    for (const format of ['text', 'json']) {
      const run = await runCli('validate', '--format', format, ...files);
      expect(run.code).toBe(1);
      for (const secret of secrets) expect(run.stdout + run.stderr, secret).not.toContain(secret);
    }
  });
});

describe('bin/zicht.js', () => {
  it('runs the built CLI as a process with the same exit codes', async () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'zicht.js');
    const ok = await promisify(execFile)(process.execPath, [bin, 'validate', validExamples[0]!.path]);
    expect(ok.stdout).toContain(': valid');
    await expect(promisify(execFile)(process.execPath, [bin, 'validate', invalid('OVD-013')])).rejects.toMatchObject({ code: 1 });
    await expect(promisify(execFile)(process.execPath, [bin])).rejects.toMatchObject({ code: 2 });
  });
});
