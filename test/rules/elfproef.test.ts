import { describe, expect, it } from 'vitest';
import { containsBsn, isValidBsn } from '../../src/rules/elfproef.js';

// The 11-proof: 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11). 999990019 and 111222333 are RvIG test numbers.
describe('isValidBsn (OVD-013)', () => {
  it.each(['999990019', '999990020', '111222333', '123456782'])('accepts %s', (bsn) => {
    expect(isValidBsn(bsn)).toBe(true);
  });
  it.each(['999990018', '123456789', '000000000', '12345678', '1234567820', 'abcdefghi', ''])('rejects %s', (bsn) => {
    expect(isValidBsn(bsn)).toBe(false);
  });
  it('agrees with the weighted sum for every number in a range', () => {
    for (let n = 100_000_000; n < 100_002_000; n++) {
      const digits = String(n);
      const sum = digits.split('').reduce((acc, d, i) => acc + (i < 8 ? (9 - i) * Number(d) : -Number(d)), 0);
      expect(isValidBsn(digits)).toBe(sum % 11 === 0);
    }
  });
});

describe('containsBsn (BER-009)', () => {
  it.each([
    ['VT-999990019', true],
    ['999990019', true],
    ['VTZL-2026-004711', false],
    ['VT-9999900190', false],
    ['x999990018y', false],
  ])('%s → %s', (text, expected) => {
    expect(containsBsn(text)).toBe(expected);
  });
});
