/**
 * Rule messages in Dutch (issue 21): every rule of the catalogue has a Dutch text in src/rules/messages-nl.ts,
 * which the console shows; no Dutch text is left for a rule that is not in the catalogue, and a Dutch text cites
 * the same other rules as the English one (a translation that drops or invents a cross-reference is caught).
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/rules/catalogue.js';
import { REGELS_NL, regelTekstNl } from '../../src/rules/messages-nl.js';

const ids = (text: string) => [...text.matchAll(/\b[A-Z]{3}-\d{3}\b/g)].map((m) => m[0]).sort();

describe('Dutch rule messages', () => {
  it('has a Dutch text for every rule in the catalogue', () => {
    const missing = catalogue.filter((rule) => regelTekstNl(rule.id) === undefined).map((rule) => rule.id);
    expect(missing).toEqual([]);
  });

  it('has no text for an id the catalogue does not know', () => {
    const known = new Set(catalogue.map((rule) => rule.id));
    expect(Object.keys(REGELS_NL).filter((id) => !known.has(id))).toEqual([]);
    expect(regelTekstNl('toString')).toBeUndefined();
  });

  it('cites the same rules as the English text, and is not the English text', () => {
    for (const rule of catalogue) {
      const nl = regelTekstNl(rule.id) ?? '';
      expect(ids(nl), rule.id).toEqual(ids(rule.text));
      expect(nl, rule.id).not.toBe(rule.text);
    }
  });
});
