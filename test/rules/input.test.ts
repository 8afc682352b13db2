/**
 * Bad input gets a clear issue with a rule id and never a crash: not JSON, not UTF-8, empty, a
 * byte order mark, 50 MB, nesting 100,000 deep, __proto__ and constructor keys, unknown members,
 * an unknown spec version, unpaired surrogates.
 */
import { describe, expect, it } from 'vitest';
import { MAX_BERICHT_BYTES } from '../../src/rules/bericht.js';
import { validateBericht, validateValue } from '../../src/rules/validate.js';
import { example } from '../helpers/examples.js';

const rulesOf = (input: Uint8Array | string): string[] => validateBericht(input).issues.map((i) => i.rule);
const text = (value: unknown): string => JSON.stringify(value);

describe('reading the input (BER-001, BER-002, BER-003)', () => {
  it.each([
    ['not JSON', '{"specVersie": "1.0",'],
    ['JSON with trailing garbage', '{} x'],
    ['empty', ''],
    ['only whitespace', ' \n\t '],
  ])('%s → BER-001', (_label, input) => {
    expect(rulesOf(input)).toEqual(['BER-001']);
    expect(rulesOf(Buffer.from(input))).toEqual(['BER-001']);
  });

  it('refuses bytes that are not UTF-8 (BER-001)', () => {
    const bytes = Buffer.concat([Buffer.from('{"specVersie":"1.0","x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const result = validateBericht(bytes);
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'BER-001', message: 'The bericht is not valid UTF-8.' })]);
  });

  it('refuses a byte order mark, as bytes and as text (BER-001)', () => {
    const json = text(example('overdracht-na-veiligheidsbeoordeling'));
    expect(rulesOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]))).toEqual(['BER-001']);
    expect(rulesOf(`\uFEFF${json}`)).toEqual(['BER-001']);
  });

  it('refuses an unpaired surrogate escape, in a value or a member name (BER-001, RFC 7493 §2.1)', () => {
    const b = example('overdracht-na-veiligheidsbeoordeling');
    const json = text(b).replace('"Politie meldt', '"\\ud800Politie meldt');
    expect(rulesOf(json)).toEqual(['BER-001']);
    expect(rulesOf('{"\\udc00":1}')).toEqual(['BER-001']);
    // A correctly paired escape (U+1F600) is fine as far as reading goes.
    expect(rulesOf(text(b).replace('"Politie meldt', '"\\ud83d\\ude00 Politie meldt'))).toEqual([]);
  });

  it('refuses 50 MB without parsing it (BER-002)', () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    expect(rulesOf(big)).toEqual(['BER-002']);
    expect(rulesOf(' '.repeat(MAX_BERICHT_BYTES + 1))).toEqual(['BER-002']);
  });

  it('counts bytes, not characters, for text (BER-002)', () => {
    // 400,000 three-byte characters: 1.2 MB in UTF-8 though only 400,000 UTF-16 code units.
    expect(rulesOf(`"${'€'.repeat(400_000)}"`)).toEqual(['BER-002']);
  });

  it('accepts a bericht of exactly the limit as far as size goes', () => {
    const json = text(example('overdracht-na-veiligheidsbeoordeling'));
    const padded = json + ' '.repeat(MAX_BERICHT_BYTES - Buffer.byteLength(json));
    expect(Buffer.byteLength(padded)).toBe(MAX_BERICHT_BYTES);
    expect(validateBericht(padded).ok).toBe(true);
  });

  it.each([
    ['arrays', (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`],
    ['objects', (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`],
  ])('refuses %s nested 100,000 deep without a crash (BER-003)', (_label, make) => {
    const deep = make(100_000);
    expect(rulesOf(deep)).toEqual(['BER-003']);
    expect(rulesOf(`{"specVersie":"1.0","inhoud":${deep}}`)).toEqual(['BER-003']);
  });
});

describe('schema (BER-004, BER-005, BER-006, BER-007)', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses a member named %s (BER-004)', (key) => {
    const json = text(example('ontvangstbevestiging-ontvangen')).replace('"inhoud":{', `"inhoud":{"${key}":{"polluted":true},`);
    const result = validateBericht(json);
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'BER-004', path: `$.inhoud.${key}` })]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an unknown member, naming it by position since its name could be data (BER-007)', () => {
    const b = example('ontvangstbevestiging-ontvangen');
    const result = validateValue({ ...b, Pietersen: 'hoog' });
    const position = Object.keys(b).length + 1;
    expect(result.issues).toEqual([
      { rule: 'BER-007', severity: 'error', path: "$['?']", message: `Member number ${position} of this object is not defined by the schema.` },
    ]);
  });

  it('names an unknown member that the standard uses elsewhere: a member in the wrong place (BER-007)', () => {
    const b = example('ontvangstbevestiging-ontvangen');
    const result = validateValue({ ...b, inhoud: { ...b.inhoud, moment: 'na-dienst' } });
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'BER-007', path: '$.inhoud.moment' })]);
  });

  it.each(['2.0', '1.1', '0.9', ''])('refuses spec version %j (BER-005)', (versie) => {
    const result = validateValue({ ...example('ontvangstbevestiging-ontvangen'), specVersie: versie });
    expect(result.issues.map((i) => i.rule)).toEqual(['BER-005']);
  });

  it.each([
    ['a missing member', (b: Record<string, unknown>) => delete b.verzondenOp, '$.verzondenOp', 'A required member is missing.'],
    ['a wrong type', (b: Record<string, unknown>) => (b.dossier = 'VTZL-1'), '$.dossier', 'Expected object.'],
    ['a datetime without offset', (b: Record<string, unknown>) => (b.verzondenOp = '2026-03-09T08:45:00'), '$.verzondenOp', 'Must be an RFC 3339 date-time with offset.'],
    ['an unknown berichtType', (b: Record<string, unknown>) => (b.berichtType = 'melding'), '$.berichtType', 'Must be one of: "overdracht", "veiligheidsvoorwaarden", "ontvangstbevestiging", "contact-gestart", "monitoring", "afsluiting", "escalatie", "escalatie-antwoord", "termijnsignaal".'],
    ['an OIN of 19 digits', (b: Record<string, unknown>) => (b.verzender = { oin: '0000000100000000935', rol: 'lokaal-team' }), '$.verzender.oin', 'Does not match the pattern /^\\d{20}$/.'],
  ])('reports %s as BER-006 with its path', (_label, mutate, path, message) => {
    const b = example('ontvangstbevestiging-ontvangen');
    mutate(b);
    expect(validateValue(b).issues).toEqual([{ rule: 'BER-006', severity: 'error', path, message }]);
  });

  it.each([null, 42, 'text', [], true])('refuses a root that is not an object: %j', (value) => {
    const result = validateValue(value);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.rule)).toEqual(['BER-006']);
  });
});
