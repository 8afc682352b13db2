/**
 * The published JSON Schemas agree with the zod model, checked with an independent validator (Ajv,
 * draft 2020-12) as a vendor would use them: every valid example passes, and every example that
 * breaks a shape rule (BER-004, BER-006, BER-007) fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { generatedSpecFiles } from '../../src/spec/files.js';
import { invalidExamples, validExamples } from '../helpers/examples.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const root = join(import.meta.dirname, '..', '..');
const berichtSchema = JSON.parse(readFileSync(join(root, 'spec/v1/schemas/Bericht.schema.json'), 'utf8')) as object;
const validate = ajv.compile(berichtSchema);

describe('spec/v1/schemas/Bericht.schema.json', () => {
  it('is what the model generates (no drift)', () => {
    for (const [path, content] of generatedSpecFiles()) expect(readFileSync(join(root, path), 'utf8'), path).toBe(content);
  });

  it.each(validExamples.map((f) => [f.name, f] as const))('accepts valid example %s', (_name, file) => {
    expect(validate(JSON.parse(file.bytes.toString('utf8'))), JSON.stringify(validate.errors)).toBe(true);
  });

  const shapeExamples = invalidExamples.filter((f) => /^BER-00[67]/.test(f.name));
  it.each(shapeExamples.map((f) => [f.name, f] as const))('refuses shape-breaking example %s', (_name, file) => {
    expect(validate(JSON.parse(file.bytes.toString('utf8')))).toBe(false);
  });
});
