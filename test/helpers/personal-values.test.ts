/**
 * The personal-data check the other suites use: it must find a leaked name or BSN wherever it is
 * set off as itself, and must not fail a run because a base64 proof spelled a name by chance
 * (CI failed once on "…XKxo8WDijk=" in an audit bundle, 2026-12-06).
 */
import { describe, expect, it } from 'vitest';
import { personalValues, personalValuesIn } from './examples.js';

describe('personalValuesIn', () => {
  const name = personalValues().find((v) => /^[A-Z][a-z]+$/.test(v));
  const bsn = personalValues().find((v) => /^\d{9}$/.test(v));

  it('finds a value quoted, spaced, in a path or in an error text', () => {
    expect(name).toBeDefined();
    expect(bsn).toBeDefined();
    for (const text of [`{"geslachtsnaam":"${name}"}`, `meneer ${name}.`, `/dossiers/${bsn}/x`, `bsn=${bsn}`, `${bsn}`]) {
      expect(personalValuesIn(text).length, text).toBeGreaterThan(0);
    }
  });

  it('passes a value that is only part of a longer run of letters and digits', () => {
    expect(personalValuesIn(`"sgesjzkHzrfT59F/wR27dxqvam5Xg9jLXTWKJ3WX${name}=", "a1${bsn}0"`)).toEqual([]);
  });

  it('bounds only the ends that are a letter or digit', () => {
    expect(personalValuesIn('x+31 6 x', ['+31 6'])).toEqual(['+31 6']);
    expect(personalValuesIn('x+31 6x', ['+31 6'])).toEqual([]);
  });
});
