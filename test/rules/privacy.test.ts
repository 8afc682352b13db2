/**
 * No finding ever echoes personal data. Every personal value of the examples (names, BSNs,
 * streets, phone numbers, e-mail addresses, birth dates, postcodes) is put in every place of every
 * example, as a value and as a member name, and no issue, message or OperationOutcome may contain it.
 */
import { describe, expect, it } from 'vitest';
import { toOperationOutcome } from '../../src/rules/issue.js';
import { validateBericht } from '../../src/rules/validate.js';
import { personalValues, validExamples } from '../helpers/examples.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value in a JSON document. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...paths(item, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function withValueAt(doc: Json, path: (string | number)[], replace: (old: Json) => Json): Json {
  if (path.length === 0) return replace(doc);
  const [head, ...rest] = path;
  if (Array.isArray(doc)) return doc.map((item, i) => (i === head ? withValueAt(item, rest, replace) : item));
  if (typeof doc === 'object' && doc !== null && typeof head === 'string') return { ...doc, [head]: withValueAt(doc[head] ?? null, rest, replace) };
  return doc;
}

const secrets = personalValues();

function leaks(input: string): string[] {
  const result = validateBericht(input);
  const output = JSON.stringify(result.issues) + JSON.stringify(toOperationOutcome(result.issues));
  return secrets.filter((secret) => output.includes(secret));
}

describe('no personal data in findings', () => {
  it('knows the personal values of the examples', () => {
    expect(secrets).toEqual(expect.arrayContaining(['Pietersen', '999990019', 'Kapoenstraat', 'sanne.willems@mail.example']));
  });

  it.each(validExamples.map((f) => [f.name, f] as const))('%s: a personal value in any place, as value or member name, is never echoed', (_name, file) => {
    const doc = JSON.parse(file.bytes.toString('utf8')) as Json;
    let findings = 0;
    for (const path of paths(doc)) {
      for (const secret of [secrets[0]!, '999990019', '999990018', 'sanne.willems@mail.example']) {
        const variants: Json[] = [
          withValueAt(doc, path, () => secret),
          withValueAt(doc, path, () => ({ [secret]: secret })),
          withValueAt(doc, path, () => [secret, Number.isNaN(Number(secret)) ? 0 : Number(secret)]),
          withValueAt(doc, path, (old) => (typeof old === 'object' && old !== null && !Array.isArray(old) ? { ...old, [secret]: secret } : old)),
        ];
        for (const variant of variants) {
          const json = JSON.stringify(variant);
          expect(leaks(json), path.join('.')).toEqual([]);
          if (!validateBericht(json).ok) findings++;
        }
      }
    }
    // The mutations must actually produce findings, or the test proves nothing.
    expect(findings).toBeGreaterThan(paths(doc).length);
  });

  it('does not echo a BSN used as the dossier reference (BER-009)', () => {
    const doc = JSON.parse(validExamples[0]!.bytes.toString('utf8')) as { dossier: { referentie: string } };
    doc.dossier.referentie = 'VT-999990019';
    const result = validateBericht(JSON.stringify(doc));
    expect(result.issues.map((i) => i.rule)).toEqual(['BER-009']);
    expect(JSON.stringify(result)).toContain('999990019'); // the parsed value itself is returned to the caller…
    expect(JSON.stringify(result.issues)).not.toContain('999990019'); // …but never in the findings
  });
});
