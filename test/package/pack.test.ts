/**
 * What `npm pack` ships (issue 20): the compiled library, CLI, adapters and conformance suite, the
 * spec the CLI reads at run time (examples, profiles, rule catalogue), the README; never the tests,
 * the TypeScript sources, CI scripts, benchmarks or source maps. Every `bin` and `exports` target is in
 * the package, so `npm install zicht-x.y.z.tgz && npx zicht demo --once` and `import 'zicht/client'` work
 * outside a clone. `npm run build` has run (pretest).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('the npm package', () => {
  it('ships what runs outside a clone and nothing of the development tree', async () => {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
    const files = new Set((packed?.files ?? []).map((f) => f.path));

    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; exports: Record<string, { types: string; default: string }> };
    const targets = [...Object.values(manifest.bin), ...Object.values(manifest.exports).flatMap((e) => [e.types, e.default])].map((p) => p.replace(/^\.\//, ''));
    expect(targets.length).toBeGreaterThan(4);
    for (const target of targets) expect(files, target).toContain(target);
    for (const needed of ['dist/src/cli/main.js', 'spec/v1/rules.md', 'spec/v1/profiles/zuid-limburg.json', 'spec/v1/examples/valid/overdracht-na-dienst-onderzoek.json', 'dist/conformance/runner.js', 'README.md']) {
      expect(files, needed).toContain(needed);
    }
    const stray = [...files].filter((p) => /^(test|src|scripts|bench|\.ci|node_modules)\//.test(p) || p.endsWith('.map') || /\.test\.(ts|js)$/.test(p));
    expect(stray).toEqual([]);
  });
});
