/**
 * scripts/audit.sh decides from `npm audit --json` whether CI passes: findings at high fail, an advisory
 * endpoint that cannot be asked passes with a loud notice, anything else is a broken check. Run against a
 * fake `npm` first on PATH, which prints what a real one prints in each case.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'audit.sh');

const report = (counts: Record<string, number>, vulnerabilities: Record<string, { severity: string }> = {}) =>
  JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts } } });

const endpoint405 = JSON.stringify({
  message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  method: 'POST',
  uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  statusCode: 405,
  body: '',
});

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A repository layout with the script, a lockfile (unless told not to) and a fake npm that prints `stdout`, `stderr` and exits `rc`. */
function run(fake: { stdout: string; stderr?: string; rc: number }, options: { lockfile?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'zicht-audit-'));
  dirs.push(root);
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'bin'));
  copyFileSync(SCRIPT, join(root, 'scripts', 'audit.sh'));
  if (options.lockfile !== false) writeFileSync(join(root, 'package-lock.json'), '{}');
  writeFileSync(join(root, 'out.json'), fake.stdout);
  writeFileSync(join(root, 'err.txt'), fake.stderr ?? '');
  const npm = join(root, 'bin', 'npm');
  writeFileSync(npm, `#!/bin/sh\necho "$@" > "${root}/args"\ncat "${root}/out.json"\ncat "${root}/err.txt" >&2\nexit ${fake.rc}\n`);
  chmodSync(npm, 0o755);
  const result = spawnSync('bash', [join(root, 'scripts', 'audit.sh')], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}` },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, root };
}

describe('scripts/audit.sh', () => {
  it('passes a clean report, auditing every dependency at high', () => {
    const result = run({ stdout: report({ low: 2 }), rc: 0 });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('audit: clean at high (0 critical, 0 high, 0 moderate, 2 low)');
    expect(readFileSync(join(result.root, 'args'), 'utf8').trim()).toBe('audit --audit-level=high --json');
  });

  it.each([
    ['high', { high: 1 }, 'undici (high)'],
    ['critical', { critical: 1 }, 'undici (critical)'],
  ])('fails on a %s finding (exit 1), naming the package', (severity, counts, named) => {
    const result = run({ stdout: report(counts, { undici: { severity } }), stderr: '', rc: 1 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('audit: FAILED');
    expect(result.stderr).toContain(named);
  });

  it('passes moderate findings (below the level)', () => {
    const result = run({ stdout: report({ moderate: 3 }, { hono: { severity: 'moderate' } }), rc: 0 });
    expect(result.status).toBe(0);
  });

  it('does not fail when the advisory endpoint answers 405, and says loudly that nothing was audited', () => {
    const result = run({ stdout: endpoint405, stderr: 'npm warn audit 405 Method Not Allowed\nnpm error audit endpoint returned an error\n', rc: 1 });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('audit: NOT CHECKED');
    expect(result.stderr).toContain('HTTP 405');
    expect(result.stderr).toContain('were NOT audited');
  });

  it('does not fail when the registry cannot be reached at all (a network error)', () => {
    const result = run({ stdout: JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'request to https://registry.npmjs.org failed' } }), rc: 1 });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('audit: NOT CHECKED');
    expect(result.stderr).toContain('ENOTFOUND');
  });

  it('fails as a broken check (exit 2) when npm fails without a report, or the lockfile is missing', () => {
    const broken = run({ stdout: '', stderr: 'npm error code ELOCKVERIFY\n', rc: 1 });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('ELOCKVERIFY');
    const noLockfile = run({ stdout: report({}), rc: 0 }, { lockfile: false });
    expect(noLockfile.status).toBe(2);
    expect(noLockfile.stderr).toContain('package-lock.json is missing');
  });
});
