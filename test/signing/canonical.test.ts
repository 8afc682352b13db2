/**
 * RFC 8785 (JCS) conformance of canonicalJson, on the test data in test/vectors/jcs/ (see its
 * SOURCE.md): the reference implementation's 6 input/output pairs (cyberphone/json-canonicalization
 * at 19d51d7f, Apache-2.0), RFC 8785 Appendix B's number table, and the first 10,000 lines of the
 * reference es6testfile. All of them, no sample.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CanonicalError } from '../../src/errors.js';
import { canonicalBericht, canonicalBytes, canonicalJson } from '../../src/signing/canonical.js';

const VECTORS = join(import.meta.dirname, '..', 'vectors', 'jcs');
const names = readdirSync(join(VECTORS, 'input')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));

/** The double whose IEEE-754 binary64 bit pattern is `hex` (no leading zeros needed). */
function fromHex(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('RFC 8785 reference input/output pairs (input/, output/, outhex/)', () => {
  it('has all six pairs', () => {
    expect(names.sort()).toEqual(['arrays', 'french', 'structures', 'unicode', 'values', 'weird']);
  });

  it.each(names)('%s.json canonicalises to output/%s.json byte for byte', (name) => {
    const input = JSON.parse(readFileSync(join(VECTORS, 'input', `${name}.json`), 'utf8')) as unknown;
    const expected = readFileSync(join(VECTORS, 'output', `${name}.json`));
    expect(Buffer.from(canonicalBytes(input))).toEqual(expected);
  });

  it.each(names)('%s.json canonicalises to the bytes of outhex/%s.txt', (name) => {
    const input = JSON.parse(readFileSync(join(VECTORS, 'input', `${name}.json`), 'utf8')) as unknown;
    const hex = readFileSync(join(VECTORS, 'outhex', `${name}.txt`), 'utf8').split(/\s+/).filter(Boolean).join('');
    expect(Buffer.from(canonicalBytes(input)).toString('hex')).toBe(hex.toLowerCase());
  });
});

describe('RFC 8785 Appendix B number serialisation (numbers/appendix-b.json)', () => {
  const { cases: table } = JSON.parse(readFileSync(join(VECTORS, 'numbers', 'appendix-b.json'), 'utf8')) as {
    cases: { hex: string; expected: string | null; error: boolean; comment: string }[];
  };

  it('has 29 rows', () => {
    expect(table).toHaveLength(29);
  });

  it.each(table.map((row) => [row.hex, row.comment, row] as const))('%s (%s)', (hex, _comment, row) => {
    const value = { n: fromHex(hex) };
    if (row.error || row.expected === null) {
      expect(() => canonicalJson(value)).toThrow(CanonicalError);
    } else {
      expect(canonicalJson(value)).toBe(`{"n":${row.expected}}`);
    }
  });
});

describe('es6testfile, first 10,000 lines (numbers/es6testfile-first10000.txt)', () => {
  const lines = readFileSync(join(VECTORS, 'numbers', 'es6testfile-first10000.txt'), 'utf8').split('\n').filter(Boolean);

  it('has 10,000 cases and every one serialises as expected', () => {
    expect(lines).toHaveLength(10_000);
    const failures: string[] = [];
    for (const line of lines) {
      const comma = line.indexOf(',');
      const hex = line.slice(0, comma);
      const expected = line.slice(comma + 1);
      if (canonicalJson(fromHex(hex)) !== expected) failures.push(line);
    }
    expect(failures).toEqual([]);
  });
});

describe('values without a canonical form raise ZICHT_CANONICAL_INVALID, never anything else', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];

  it.each([
    ['NaN', { n: NaN }],
    ['Infinity', { n: Infinity }],
    ['a lone high surrogate in a string', { s: '\uD800' }],
    ['a lone low surrogate in a key', { '\uDC00': 1 }],
    ['a cycle', cyclic],
    ['a BigInt', { n: 1n }],
    ['undefined', undefined],
    ['nesting 100,000 deep', deep],
  ])('%s', (_name, value) => {
    try {
      canonicalJson(value);
      expect.unreachable('canonicalJson accepted a value without a canonical form');
    } catch (error) {
      expect(error).toBeInstanceOf(CanonicalError);
      expect((error as CanonicalError).code).toBe('ZICHT_CANONICAL_INVALID');
    }
  });
});

describe('canonicalBericht', () => {
  it('leaves out the signatures member and nothing else', () => {
    const withSignatures = { b: 1, signatures: [{ protected: 'x', signature: 'y' }], a: '\u00e9' };
    expect(new TextDecoder().decode(canonicalBericht(withSignatures))).toBe('{"a":"é","b":1}');
  });

  it('keeps a member named __proto__ as an ordinary member', () => {
    const value = JSON.parse('{"__proto__":{"x":1},"a":2}') as unknown;
    expect(new TextDecoder().decode(canonicalBericht(value))).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it.each([[null], [[1, 2]], ['text']])('refuses %j, which is not an object', (value) => {
    expect(() => canonicalBericht(value)).toThrow(CanonicalError);
  });
});

describe('differential: canonicalJson agrees with the canonicalize package (4.x, by an RFC 8785 co-author)', () => {
  it('on 2,000 seeded random JSON values and on every spec example', async () => {
    const { default: canonicalize } = await import('canonicalize');
    let seed = 8785;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ['a', 'é', '€', '\u0000', '\u001f', '"', '\\', '/', '\u2028', '😀', '\uFB33', 'Z', '10', '9', ''];
    const text = (): string => Array.from({ length: random(5) }, () => pieces[random(pieces.length)]).join('');
    const numbers = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 123456789012345680000, 5e-324, 1.7976931348623157e308, 333333333.3333333, -1.5e-9];
    const value = (depth: number): unknown => {
      switch (depth > 3 ? random(4) : random(6)) {
        case 0:
          return text();
        case 1:
          return random(2) === 0 ? numbers[random(numbers.length)] : (random(2_000_000) - 1_000_000) / (1 + random(1000));
        case 2:
          return [true, false, null][random(3)];
        case 3:
          return random(3) === 0 ? null : text();
        case 4:
          return Array.from({ length: random(4) }, () => value(depth + 1));
        default:
          return Object.fromEntries(Array.from({ length: random(5) }, () => [text(), value(depth + 1)]));
      }
    };
    for (let i = 0; i < 2000; i++) {
      const v = value(0);
      expect(canonicalJson(v)).toBe(canonicalize(v));
    }
    const { examples } = await import('./helpers.js');
    for (const [, bericht] of examples) expect(canonicalJson(bericht)).toBe(canonicalize(bericht));
  });
});
