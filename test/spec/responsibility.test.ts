/**
 * spec/v1/responsibility.md, the decision table of who holds zicht op veiligheid (issue 17): linked from the
 * spec's README, a section per published profile, and each profile's transfer rules quoted as the profile
 * quotes them, so the table and the profiles the ledger runs on cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfielen } from '../../src/profiles/load.js';
import { catalogue } from '../../src/rules/catalogue.js';

const root = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(root, 'spec/v1/responsibility.md'), 'utf8');
const flat = text.replace(/\s+/g, ' ');
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('spec/v1/responsibility.md', () => {
  it('is linked from spec/v1/README.md and names the rules it relies on', () => {
    expect(readFileSync(join(root, 'spec/v1/README.md'), 'utf8')).toContain('(responsibility.md)');
    for (const id of ['ONT-009', 'VRW-001', 'VRW-002', 'VRW-003']) {
      expect(catalogue.some((r) => r.id === id), id).toBe(true);
      expect(text, id).toContain(id);
    }
  });

  it.each([...loadProfielen().values()].map((p) => [p.id, p] as const))('has a table for %s that quotes its transfer rules', (id, profiel) => {
    expect(text).toContain(`### 4.`);
    expect(text).toContain(`\`${id}\``);
    for (const regel of [profiel.overgang.naVeiligheidsbeoordeling, profiel.overgang.naDienst, profiel.overgang.triagetafel, profiel.overgang.meerdereGemeenten]) {
      const longest = regel.bron.citaat.split('[...]').map(norm).sort((a, b) => b.length - a.length)[0] ?? '';
      expect(flat, `${id}: ${longest.slice(0, 60)}`).toContain(longest.replace(/[;,]$/, ''));
    }
  });
});
