/** Warning rules: reported with their id and path, and the bericht stays valid. */
import { describe, expect, it } from 'vitest';
import { trailOf } from '../../src/rules/context.js';
import { validateValue } from '../../src/rules/validate.js';
import { warningCases } from '../helpers/warning-cases.js';

describe('warning rules', () => {
  it.each(warningCases.map((c) => [c.rule, c] as const))('%s is a warning at its path and does not reject', (rule, c) => {
    const result = validateValue(c.make(), c.trail ? { context: trailOf(c.trail()) } : {});
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([expect.objectContaining({ rule, severity: 'warning', path: c.path })]);
  });
});
