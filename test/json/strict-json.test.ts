/**
 * The one strict JSON reader (src/json/strict-json.ts): duplicate member names at any depth are refused with
 * their path (RFC 8259 §4, RFC 7493 §2.3, BER-017), names compared after unescaping; every other text reads
 * as JSON.parse reads it. The fast path (counting) and the slow path (naming the duplicate) are both hit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonError } from '../../src/errors.js';
import { parseStrictJson } from '../../src/json/strict-json.js';
import { validateBericht } from '../../src/rules/validate.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strictReaderAgreesWithJsonParse, strictReaderOnDuplicates, validatorOnDuplicates } from '../fuzz/properties.js';
import { validExamples } from '../helpers/examples.js';

function refusal(text: string): JsonError {
  try {
    parseStrictJson(text);
  } catch (error) {
    if (error instanceof JsonError) return error;
    throw error;
  }
  throw new Error('the text was read');
}

describe('parseStrictJson: duplicate member names (BER-017)', () => {
  it.each([
    ['at the top level', '{"a":1,"b":2,"a":3}', ['a']],
    ['nested', '{"x":{"y":[1,{"z":true,"z":false}]}}', ['x', 'y', 1, 'z']],
    ['"a" and "\\u0061" are one name', '{"a":1,"\\u0061":2}', ['a']],
    ['an escaped colon in a name', '{"a\\u003ab":1,"a:b":2}', ['a:b']],
    ['a string that starts with a colon does not hide one (a quoted colon that is no member)', '{"s":":","s":1}', ['s']],
    ['an escaped quote before a colon does not hide one', '{"s":"x\\": y","t":{"u":1,"u":2}}', ['t', 'u']],
    ['colons in values and names do not hide one', '{"t":"09:00:00","k:v":"a:b:c","t":"10:00"}', ['t']],
    ['the second of two objects in an array', '[{"a":1},{"b":1,"b":2}]', [1, 'b']],
    ['__proto__ twice', '{"__proto__":{},"__proto__":{"isAdmin":true}}', ['__proto__']],
    ['the first duplicate in text order', '{"p":{"q":1,"q":2},"p":3}', ['p', 'q']],
    ['whitespace between a name and its colon', '{ "a" : 1 , "a"\n:\t2 }', ['a']],
  ])('%s', (_name, text, path) => {
    const error = refusal(text);
    expect(error.code).toBe('ZICHT_JSON_DUPLICATE_MEMBER');
    expect(error.path).toEqual(path);
  });

  it('the message names the path with data-like names masked, never the values', () => {
    const error = refusal('{"inhoud":{"Jansen 12345":"BSN 999990019","Jansen 12345":"x"}}');
    expect(error.message).toContain("$.inhoud['?'] (BER-017)");
    expect(error.message).not.toContain('Jansen');
    expect(error.message).not.toContain('999990019');
  });

  it('reads the same values as JSON.parse when no name repeats: the valid examples, escapes, colons and scalars', () => {
    for (const file of validExamples) {
      const text = file.bytes.toString('utf8');
      expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    }
    for (const text of ['{"a\\u003ab":1,"a:c":2}', '{"s":":x","t":" :","u":"\\": \\"\\" :"}', '[":", {"a": ":"}]', '{"a":{"a":{"a":1}}}', '[{"a":1},{"a":2}]', '"x:y"', '42', 'null', '{}', '[]', '{"":1,"\\u0000":2}']) {
      expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    }
  });

  it('reads any depth JSON.parse reads without exhausting the stack, and finds a duplicate deep down', () => {
    const deep = (inner: string, levels: number) => '{"a":'.repeat(levels) + inner + '}'.repeat(levels);
    expect(() => parseStrictJson(deep('1', 100_000))).not.toThrow();
    expect(() => parseStrictJson('['.repeat(100_000) + ']'.repeat(100_000))).not.toThrow();
    expect(() => parseStrictJson(deep('{"b":1,"b":2}', 1_000))).toThrow(expect.objectContaining({ code: 'ZICHT_JSON_DUPLICATE_MEMBER' }) as Error);
  });

  it('refuses text that is not JSON with ZICHT_JSON_INVALID, quoting nothing', () => {
    const error = refusal('{"geheim": Kanariezzz}');
    expect(error.code).toBe('ZICHT_JSON_INVALID');
    expect(error.message).not.toContain('Kanarie');
  });

  it('a duplicate at any depth of any JSON value is refused at its path (property)', () => {
    fc.assert(strictReaderOnDuplicates, { numRuns: 500 });
  });

  it('reads what JSON.parse reads otherwise, throwing only JsonError (property)', () => {
    fc.assert(strictReaderAgreesWithJsonParse, { numRuns: 500 });
  });
});

describe('the invalid example of BER-017', () => {
  it('names the sender twice, once escaped: refused with BER-017 at $.verzender.oin, neither OIN read', () => {
    const bytes = readFileSync(join(import.meta.dirname, '..', '..', 'spec', 'v1', 'examples', 'invalid', 'BER-017-dubbele-naam.json'));
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ verzender: { oin: '00000004000000010002' } }); // what a lax reader takes
    const result = validateBericht(bytes);
    expect(result.ok).toBe(false);
    expect(result.value).toBeUndefined();
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'BER-017', path: '$.verzender.oin' })]);
  });

  it('every valid example with a name repeated anywhere gives BER-017 alone and echoes no planted canary (property)', () => {
    fc.assert(validatorOnDuplicates, { numRuns: 300 });
  });
});
