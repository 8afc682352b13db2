/** The spec's examples, loaded once for the tests. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bericht } from '../../src/model/bericht.js';

export const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', 'spec', 'v1', 'examples');

export interface ExampleFile {
  readonly name: string;
  readonly path: string;
  readonly bytes: Buffer;
}

function load(kind: 'valid' | 'invalid'): ExampleFile[] {
  const dir = join(EXAMPLES_DIR, kind);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, path: join(dir, name), bytes: readFileSync(join(dir, name)) }));
}

export const validExamples = load('valid');
export const invalidExamples = load('invalid');

/** A fresh, mutable copy of a valid example, parsed. */
export function example(name: string): Bericht & Record<string, unknown> {
  const file = validExamples.find((f) => f.name === `${name}.json`);
  if (!file) throw new Error(`no valid example ${name}`);
  return JSON.parse(file.bytes.toString('utf8')) as Bericht & Record<string, unknown>;
}

/**
 * Every personal value in the valid examples (names, BSNs, streets, phone numbers, e-mail
 * addresses, birth dates), for tests that check nothing echoes them.
 */
export function personalValues(): string[] {
  const values = new Set<string>();
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (['voornamen', 'geslachtsnaam', 'bsn', 'straat', 'telefoon', 'email', 'geboortedatum', 'postcode'].includes(key)) values.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, key);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(v, k);
    }
  };
  for (const file of validExamples) visit(JSON.parse(file.bytes.toString('utf8')), '');
  return [...values];
}

/**
 * The values among `values` (by default every personal value of the examples) that occur in
 * `text` as themselves: not as part of a longer run of letters and digits. A base64 proof, a
 * JWE or a hash holds "Dijk" by chance now and then ("…XKxo8WDijk="); a leaked name or BSN is
 * set off by a quote, a space or punctuation.
 */
export function personalValuesIn(text: string, values: readonly string[] = personalValues()): string[] {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return values.filter((value) => {
    const before = /^[A-Za-z0-9]/.test(value) ? '(?<![A-Za-z0-9])' : '';
    const after = /[A-Za-z0-9]$/.test(value) ? '(?![A-Za-z0-9])' : '';
    return new RegExp(before + escape(value) + after).test(text);
  });
}
