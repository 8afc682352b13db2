/**
 * docs/threat-model.md stays true as the code changes: every row of its STRIDE tables names a test or says
 * **no test** (with its reason), and every test it cites exists: the file, and an `it`/`describe` whose name
 * starts with the cited words. A renamed or deleted test fails here until the threat model follows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(ROOT, 'docs', 'threat-model.md'), 'utf8');

/** The rows of the STRIDE tables: `| letters | threat | control | test |`, header and rule lines left out. */
const rows = text
  .split('\n')
  .filter((line) => /^\| [STRIDE, ]+ \|/.test(line))
  .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| ?| ?\|$/g, '').trim()));

/** Every citation of the test column: a file and the names cited in it. */
function citations(cell: string): { file: string; names: string[] }[] {
  const parts = cell.split(/`(test\/[^`]+\.ts)`/);
  const out: { file: string; names: string[] }[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const file = parts[i] ?? '';
    const names = [...(parts[i + 1] ?? '').matchAll(/› "([^"]+)"/g)].map((m) => m[1] ?? '');
    out.push({ file, names });
  }
  return out;
}

/** The source of a test file with escaped quotes undone, as the names read. */
const sources = new Map<string, string>();
const sourceOf = (file: string) => {
  let source = sources.get(file);
  if (source === undefined) {
    source = readFileSync(join(ROOT, file), 'utf8').replace(/\\'/g, "'");
    sources.set(file, source);
  }
  return source;
};

describe('docs/threat-model.md', () => {
  it('has STRIDE rows, each naming a test or saying **no test**', () => {
    expect(rows.length).toBeGreaterThan(60);
    const bare = rows.filter((cells) => {
      const test = cells[cells.length - 1] ?? '';
      return !test.includes('**no test') && citations(test).length === 0;
    });
    expect(bare.map((cells) => cells[1])).toEqual([]);
  });

  it('cites only test files and test names that exist', () => {
    const missing: string[] = [];
    for (const cells of rows) {
      for (const { file, names } of citations(cells[cells.length - 1] ?? '')) {
        if (!existsSync(join(ROOT, file))) {
          missing.push(file);
          continue;
        }
        const source = sourceOf(file);
        for (const name of names) if (![`'${name}`, `"${name}`, `\`${name}`].some((start) => source.includes(start))) missing.push(`${file} › "${name}"`);
      }
    }
    expect(missing).toEqual([]);
  });
});
