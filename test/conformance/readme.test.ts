/** The case tables of conformance/README.md are the cases: a case added, renamed or re-ruled without regenerating them fails here. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCases } from '../../conformance/runner.js';
import { caseTable, withCaseTables } from '../../conformance/table.js';

const readme = readFileSync(new URL('../../conformance/README.md', import.meta.url), 'utf8');

describe('conformance/README.md case tables', () => {
  it('match the cases (regenerate: npx tsx scripts/conformance-cases.ts --write)', () => {
    expect(withCaseTables(readme)).toBe(readme);
  });

  it('list every case of every role once, with its rules', () => {
    for (const { role, cases } of allCases()) {
      const table = caseTable(role);
      for (const c of cases) {
        const row = table.split('\n').filter((line) => line.startsWith(`| ${c.id} |`));
        expect(row, `${role} ${c.id}`).toHaveLength(1);
        for (const rule of c.rules) expect(row[0]).toContain(rule);
      }
    }
  });

  it('refuses a README without the markers of a role', () => {
    expect(() => withCaseTables(readme.replace('<!-- cases:gateway -->', ''))).toThrow(/cases:gateway/);
  });
});
