/** Every signature, key and canonicalisation error code maps to a SIG rule of the catalogue. */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type CanonicalErrorCode, type KeyErrorCode, type SignatureErrorCode } from '../../src/errors.js';
import { ruleById } from '../../src/rules/catalogue.js';
import { signatureRuleFor } from '../../src/rules/gateway.js';

const codes = Object.keys(ERROR_CODES).filter((code): code is SignatureErrorCode | KeyErrorCode | CanonicalErrorCode =>
  /^ZICHT_(SIGNATURE|KEY|CANONICAL)_/.test(code),
);

describe('signatureRuleFor', () => {
  it('covers the signature, key and canonical error codes', () => {
    expect(codes.length).toBeGreaterThan(10);
  });

  it.each(codes)('%s cites a SIG rule of the catalogue', (code) => {
    const rule = ruleById(signatureRuleFor(code));
    expect(rule.id).toMatch(/^SIG-\d{3}$/);
    expect(rule.stage).toBe('signature');
  });

  it.each([
    ['ZICHT_SIGNATURE_ALG_NONE', 'SIG-002'],
    ['ZICHT_KEY_REVOKED', 'SIG-003'],
    ['ZICHT_SIGNATURE_OIN_MISMATCH', 'SIG-004'],
    ['ZICHT_SIGNATURE_INVALID', 'SIG-005'],
    ['ZICHT_SIGNATURE_NOT_CANONICAL', 'SIG-005'],
    ['ZICHT_SIGNATURE_HEADER_DUPLICATE_MEMBER', 'SIG-006'],
    ['ZICHT_SIGNATURE_IAT_FUTURE', 'SIG-007'],
    ['ZICHT_SIGNATURE_IAT_STALE', 'SIG-008'],
  ] as const)('%s → %s', (code, rule) => {
    expect(signatureRuleFor(code)).toBe(rule);
  });
});
