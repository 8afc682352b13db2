/**
 * Validation throughput (schema and every rule) of the spec examples, as a ratio to JSON.parse of
 * the same bytes in the same run. Target: >= 0.5x for validation of the parsed value.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validateBericht, validateValue } from '../src/rules/validate.js';
import { compare, type Figure } from './harness.js';

const dir = join(import.meta.dirname, '..', 'spec', 'v1', 'examples', 'valid');
const texts = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
const buffers = texts.map((t) => Buffer.from(t));
const values = texts.map((t) => JSON.parse(t) as unknown);

/** Runs the validation figures. */
export async function benchValidate(rounds: number): Promise<Figure[]> {
  let i = 0;
  const next = (): number => (i = (i + 1) % texts.length);
  const options = { rounds, roundMs: 300 };
  const parse = { label: 'JSON.parse(text)', op: () => JSON.parse(texts[next()]!) as unknown };
  return [
    await compare('validation (schema + rules) vs JSON.parse', { label: 'validateValue(parsed)', op: () => validateValue(values[next()]) }, parse, { ...options, target: 0.5 }),
    await compare('validateBericht from bytes vs JSON.parse', { label: 'validateBericht(bytes)', op: () => validateBericht(buffers[next()]!) }, parse, options),
  ];
}
