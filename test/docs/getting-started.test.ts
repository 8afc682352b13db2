/**
 * docs/getting-started.md, followed literally (issue 20): a vendor's system outside the repo joins the sandbox,
 * sends and receives a handover, and passes `zicht conformance`, as role gemeente and as role vt. The fenced
 * blocks of the guide are run in order in an empty folder that has only the packed package (`npm pack`):
 *
 * - a ```sh block runs with bash (-euo pipefail) in the folder and must exit 0;
 * - a ```sh block tagged `terminal=NAME` keeps running: it is started in its own process group, the test waits
 *   until it prints "ready", and a later block for the same terminal first stops it (SIGINT, as Ctrl-C);
 * - a ```js block tagged `file=NAME` is written to that file;
 * - the block tagged `install` is the one substitution: instead of `npm install ./zicht-*.tgz` (which would
 *   fetch and build every dependency from the registry), the tarball is unpacked into node_modules/zicht, each
 *   dependency the package declares is linked from this clone's node_modules (only those: an import of anything
 *   undeclared fails), and the `zicht` bin is linked as npm links it.
 *
 * The guide uses fixed ports (8700-8702, the suite's 8790), as a vendor would; no other test uses them.
 * `npm run build` has run (pretest): the package is packed from dist/.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { personalValuesIn } from '../helpers/examples.js';

const root = join(import.meta.dirname, '..', '..');
const guide = readFileSync(join(root, 'docs', 'getting-started.md'), 'utf8');

interface Block {
  readonly lang: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly body: string;
  readonly line: number;
}

/** The fenced blocks of a markdown text, with the words after the language as tags (`a=b`, or a bare word). */
function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const pattern = /^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(pattern)) {
    const tags = Object.fromEntries((match[2] ?? '').trim().split(/\s+/).filter(Boolean).map((t) => { const [k, v] = t.split('='); return [k ?? t, v ?? 'true']; }));
    blocks.push({ lang: match[1] ?? '', tags, body: match[3] ?? '', line: markdown.slice(0, match.index).split('\n').length });
  }
  return blocks;
}

const folder = mkdtempSync(join(tmpdir(), 'zicht-getting-started-'));
const terminals = new Map<string, { child: ChildProcess; output: () => string }>();
const transcript: string[] = [];

async function stop(name: string): Promise<void> {
  const running = terminals.get(name);
  if (running === undefined) return;
  terminals.delete(name);
  if (running.child.exitCode !== null || running.child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => running.child.once('exit', () => { resolve(); }));
  process.kill(-running.child.pid, 'SIGINT');
  const killer = setTimeout(() => { if (running.child.pid !== undefined) process.kill(-running.child.pid, 'SIGKILL'); }, 10_000);
  await exited;
  clearTimeout(killer);
}

afterAll(async () => {
  for (const name of [...terminals.keys()]) await stop(name);
  rmSync(folder, { recursive: true, force: true });
});

/** The install step, offline: the packed tarball unpacked as npm would, its declared dependencies linked from this clone. */
async function installPacked(): Promise<void> {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', folder], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  const target = join(folder, 'node_modules', 'zicht');
  mkdirSync(target, { recursive: true });
  await promisify(execFile)('tar', ['xzf', join(folder, packed?.filename ?? 'missing.tgz'), '-C', target, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; bin: Record<string, string> };
  for (const dependency of Object.keys(manifest.dependencies)) {
    const link = join(folder, 'node_modules', dependency);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(join(root, 'node_modules', dependency)), link);
  }
  mkdirSync(join(folder, 'node_modules', '.bin'), { recursive: true });
  for (const [name, path] of Object.entries(manifest.bin)) symlinkSync(join('..', 'zicht', path), join(folder, 'node_modules', '.bin', name));
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'my-vt-or-gemeente-system', private: true, type: 'module' }));
}

/** The environment of the vendor's shell: no trace of this clone or of the test runner. */
function shellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  return env;
}

async function runBlock(block: Block): Promise<void> {
  const where = `docs/getting-started.md:${block.line}`;
  if (block.lang === 'js') {
    const file = block.tags.file;
    if (file === undefined) return;
    writeFileSync(join(folder, file), block.body);
    return;
  }
  if (block.lang !== 'sh') return;
  if (block.tags.install !== undefined) {
    await installPacked();
    return;
  }
  const terminal = block.tags.terminal;
  if (terminal !== undefined) {
    await stop(terminal);
    const child = spawn('bash', ['-euo', 'pipefail', '-c', block.body], { cwd: folder, env: shellEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    terminals.set(terminal, { child, output: () => output });
    for (let i = 0; !/ready/i.test(output); i++) {
      if (child.exitCode !== null || i > 1200) throw new Error(`${where}: the ${terminal} terminal did not get ready:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    transcript.push(output);
    return;
  }
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', block.body], { cwd: folder, env: shellEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, 180_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
  transcript.push(result.output);
  if (result.code !== 0) {
    const logs = [...terminals.entries()].map(([name, t]) => `--- terminal ${name}:\n${t.output().slice(-4000)}`).join('\n');
    throw new Error(`${where} exited ${String(result.code)}:\n${result.output.slice(-6000)}\n${logs}`);
  }
}

describe('docs/getting-started.md', () => {
  const blocks = fencedBlocks(guide);

  it('has the steps the test runs: an install, both sections, two conformance runs', () => {
    expect(blocks.filter((b) => b.lang === 'sh' && b.tags.install !== undefined)).toHaveLength(1);
    const conformance = blocks.filter((b) => b.lang === 'sh' && /npx zicht conformance --role (gemeente|vt)/.test(b.body));
    expect(conformance.map((b) => /--role (\w+)/.exec(b.body)?.[1])).toEqual(['gemeente', 'vt']);
    for (const file of ['gemeente.mjs', 'vt.mjs', 'send.mjs']) expect(blocks.some((b) => b.lang === 'js' && b.tags.file === file), file).toBe(true);
    expect(guide).toContain('## 3. Connect a gemeente system');
    expect(guide).toContain('## 4. Connect a VT system');
  });

  it('followed literally in a folder with only the packed package: both systems join, exchange handovers and pass conformance', { timeout: 900_000 }, async () => {
    for (const block of blocks) await runBlock(block);
    const all = [...transcript, ...[...terminals.values()].map((t) => t.output())].join('\n');
    // Both conformance runs end green and ran cases of their role.
    expect(all).toMatch(/\n(\d+) pass, 0 fail, \d+ skip, 0 error\./);
    expect([...all.matchAll(/\n(\d+) pass, 0 fail, \d+ skip, 0 error\./g)]).toHaveLength(2);
    expect(all).toMatch(/pass {2}CNF-101 /);
    expect(all).toMatch(/pass {2}CNF-701 /);
    // The vendor's VT got both demo gemeenten's receipts; its gemeente took two handovers of the demo VT.
    expect(readFileSync(join(folder, 'report-gemeente', 'report.json'), 'utf8')).toContain('"CNF-101"');
    const receipts = (await promisify(execFile)('ls', [join(folder, 'receipts')])).stdout.trim().split('\n');
    expect(receipts.length).toBeGreaterThanOrEqual(2);
    const inbox = (await promisify(execFile)('ls', [join(folder, 'inbox')])).stdout.trim().split('\n');
    expect(inbox.length).toBeGreaterThanOrEqual(2);
    // The second update replaces the first (versie 3, inAntwoordOp the first update), not the handover again (Q33).
    const second = /sent veiligheidsvoorwaarden \S+ \(versie 3, replacing (\S+)\)/.exec(all);
    expect(second, 'a second update, versie 3').not.toBeNull();
    expect(all).toContain(`sent veiligheidsvoorwaarden ${second?.[1] ?? ''} (versie 2, replacing `);
    // What the commands printed (sandbox, systems, suite) holds no personal data of the examples.
    expect(personalValuesIn(all)).toEqual([]);
  });
});
