/**
 * The case tables of conformance/README.md, made from the cases themselves: one table per role
 * (id, level, what it checks, rules), between `<!-- cases:ROLE -->` and `<!-- /cases:ROLE -->`.
 * `scripts/conformance-cases.ts --write` rewrites them; test/conformance/readme.test.ts fails when
 * the README differs from what the cases say.
 */
import type { Role } from './case.js';
import { allCases } from './runner.js';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The markdown table of `role`'s cases, in the order they run. */
export function caseTable(role: Role): string {
  const cases = allCases().find((r) => r.role === role)?.cases ?? [];
  const rows = cases.map((c) => `| ${c.id} | ${c.level} | ${cell(c.title)} | ${c.rules.length === 0 ? 'behaviour of the exchange (no rule id yet)' : c.rules.join(', ')} |`);
  return ['| case | level | checks | rules |', '|---|---|---|---|', ...rows].join('\n');
}

const ROLES: readonly Role[] = ['gemeente', 'vt', 'gateway'];

/**
 * `readme` with every role's table between its markers replaced by the table the cases make.
 *
 * @throws {Error} when a role's markers are missing.
 */
export function withCaseTables(readme: string): string {
  let text = readme;
  for (const role of ROLES) {
    const open = `<!-- cases:${role} -->`;
    const close = `<!-- /cases:${role} -->`;
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start < 0 || end < start) throw new Error(`conformance/README.md has no ${open} … ${close} block`);
    text = `${text.slice(0, start + open.length)}\n${caseTable(role)}\n${text.slice(end)}`;
  }
  return text;
}
