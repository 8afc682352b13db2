/**
 * The spec's examples are the standard's own test cases: every valid example passes with no
 * finding at all, and every invalid example fails with exactly the rule its name starts with.
 */
import { describe, expect, it } from 'vitest';
import { trailOf } from '../../src/rules/context.js';
import { validateBericht } from '../../src/rules/validate.js';
import type { Bericht } from '../../src/model/bericht.js';
import { invalidExamples, validExamples } from '../helpers/examples.js';

const trail = trailOf(validExamples.map((f) => validateBericht(f.bytes).value).filter((v): v is Bericht => v !== undefined));

describe('valid examples', () => {
  it('cover every bericht type (the lifecycle ones too) and both overdracht moments', () => {
    const values = validExamples.map((f) => validateBericht(f.bytes).value);
    const kinds = new Set(values.map((v) => (v?.berichtType === 'overdracht' ? `overdracht/${v.inhoud.moment}` : v?.berichtType)));
    expect([...kinds].sort()).toEqual(['afsluiting', 'contact-gestart', 'escalatie', 'escalatie-antwoord', 'monitoring', 'ontvangstbevestiging', 'overdracht/na-dienst', 'overdracht/na-veiligheidsbeoordeling', 'termijnsignaal', 'veiligheidsvoorwaarden']);
  });

  it.each(validExamples.map((f) => [f.name, f] as const))('%s passes without findings, alone and with the trail', (_name, file) => {
    const alone = validateBericht(file.bytes);
    expect(alone.issues).toEqual([]);
    expect(alone.ok).toBe(true);
    const withTrail = validateBericht(file.bytes, { context: trail });
    expect(withTrail.issues).toEqual([]);
  });
});

describe('invalid examples', () => {
  it.each(invalidExamples.map((f) => [f.name, f] as const))('%s fails with exactly the rule in its name', (name, file) => {
    const ruleId = name.slice(0, 7);
    const result = validateBericht(file.bytes, { context: trail });
    expect(result.ok).toBe(false);
    const errorRules = new Set(result.issues.filter((i) => i.severity === 'error').map((i) => i.rule));
    expect([...errorRules]).toEqual([ruleId]);
  });
});
