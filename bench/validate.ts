/**
 * Validation throughput (schema and every rule) of the spec examples, as a ratio to JSON.parse of
 * the same bytes in the same run. Target: >= 0.5x for validation of the parsed value, and >= 0.5x for
 * validation from bytes, the strict reader included (issue 22), against JSON.parse of the same bytes.
 * The strict reader (src/json/strict-json.ts, BER-017) beside JSON.parse on a 5 KB bericht (the largest
 * example, signed and countersigned, indented): target >= 0.8x (issue 16).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseStrictJson } from '../src/json/strict-json.js';
import { validateBericht, validateValue } from '../src/rules/validate.js';
import { countersignBericht } from '../src/signing/countersign.js';
import { generateSigningKey } from '../src/signing/generate.js';
import { signBericht } from '../src/signing/sign.js';
import { createSigner } from '../src/signing/signer.js';
import { compare, type Figure } from './harness.js';

const dir = join(import.meta.dirname, '..', 'spec', 'v1', 'examples', 'valid');
const texts = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
const buffers = texts.map((t) => Buffer.from(t));
const values = texts.map((t) => JSON.parse(t) as unknown);

/** The 5 KB fixture: the largest example, signed and countersigned, as a sender's system would send it (indented). */
async function fiveKilobytes(): Promise<string> {
  const bericht = JSON.parse(readFileSync(join(dir, 'overdracht-na-dienst-onderzoek.json'), 'utf8')) as { verzender: { oin: string } };
  const sender = await generateSigningKey('ES256');
  const gateway = await generateSigningKey('ES256');
  const signed = await signBericht(bericht, await createSigner({ privateJwk: sender.privateJwk, oin: bericht.verzender.oin }));
  const countersigned = await countersignBericht(signed, await createSigner({ privateJwk: gateway.privateJwk, oin: '00000009000000000001' }), new Date());
  return JSON.stringify(countersigned, null, 2);
}

/** Runs the validation figures. */
export async function benchValidate(rounds: number): Promise<Figure[]> {
  const fixture = await fiveKilobytes();
  const kb = (Buffer.byteLength(fixture) / 1000).toFixed(1);
  let i = 0;
  const next = (): number => (i = (i + 1) % texts.length);
  // Synchronous work in this process: timed by its CPU time, so that other processes on a shared machine do not
  // add noise to one side of a round (bench/harness.ts).
  const options = { rounds, roundMs: 300, clock: 'cpu' as const };
  const parse = { label: 'JSON.parse(text)', op: () => JSON.parse(texts[next()]!) as unknown };
  return [
    await compare(`strict reader (duplicate names refused) vs JSON.parse, ${kb} KB bericht`, { label: 'parseStrictJson(text)', op: () => parseStrictJson(fixture) }, { label: 'JSON.parse(text)', op: () => JSON.parse(fixture) as unknown }, { ...options, target: 0.8 }),
    await compare('validation (schema + rules) vs JSON.parse', { label: 'validateValue(parsed)', op: () => validateValue(values[next()]) }, parse, { ...options, target: 0.5 }),
    await compare(
      'validation from bytes (UTF-8, strict reader, schema + rules) vs JSON.parse of the same bytes',
      { label: 'validateBericht(bytes)', op: () => validateBericht(buffers[next()]!) },
      { label: 'JSON.parse(bytes.toString())', op: () => JSON.parse(buffers[next()]!.toString('utf8')) as unknown },
      { ...options, target: 0.5 },
    ),
  ];
}
