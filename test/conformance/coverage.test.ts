/** Coverage is honest: a rule counts for a role only when a case of that role tests it, and in a run only when that case ran. */
import { describe, expect, it } from 'vitest';
import { coverage } from '../../conformance/runner.js';
import { gatewayCases } from '../../conformance/roles/gateway.js';
import { gemeenteCases } from '../../conformance/roles/gemeente.js';
import { vtCases } from '../../conformance/roles/vt.js';

describe('coverage', () => {
  it.each([
    ['gemeente', gemeenteCases()],
    ['vt', vtCases()],
    ['gateway', gatewayCases()],
  ] as const)('role %s counts exactly the error rules its own cases cite', (role, cases) => {
    const cited = new Set(cases.flatMap((c) => c.rules));
    const report = coverage(role);
    expect(report.role).toBe(role);
    expect(report.covered.every((r) => cited.has(r))).toBe(true);
    expect(report.covered.length + report.uncovered.length).toBe(report.errorRules);
    // every rule of the catalogue a case cites is counted (rules outside the catalogue are not error rules)
    expect([...cited].filter((r) => report.uncovered.includes(r))).toEqual([]);
  });

  it('a rule only another role tests is not covered for this role', () => {
    const gateway = new Set(gatewayCases().flatMap((c) => c.rules));
    const vt = coverage('vt');
    const onlyGateway = [...gateway].filter((r) => !vtCases().some((c) => c.rules.includes(r)));
    expect(onlyGateway.length).toBeGreaterThan(0);
    for (const rule of onlyGateway) expect(vt.covered).not.toContain(rule);
    expect(coverage().covered.length).toBeGreaterThan(vt.covered.length);
  });

  it('the trail and lifecycle rules count for a receiving role only where a case of that role tests them (issue 18)', () => {
    const gemeente = coverage('gemeente');
    const vt = coverage('vt');
    for (const rule of ['BER-013', 'BER-016', 'LVC-001', 'LVC-002', 'LVC-003', 'LVC-004', 'LVC-006', 'LVC-007', 'LVC-008', 'LVC-009']) {
      expect(gemeente.covered, `gemeente ${rule}`).toContain(rule);
      expect(vt.covered, `vt ${rule}`).toContain(rule);
    }
  });

  it('the rules of a later receipt count for role vt, which receives it, and for role gemeente, which sends it when its hook asks (CNF-383..386)', () => {
    const gemeente = coverage('gemeente');
    const vt = coverage('vt');
    for (const rule of ['ONT-001', 'ONT-008', 'ONT-009', 'VRW-001', 'VRW-002']) {
      expect(vt.covered, `vt ${rule}`).toContain(rule);
      expect(gemeente.covered, `gemeente ${rule}`).toContain(rule);
    }
  });

  it('the input, schema, content and signature-time rules a receiver checks count for role vt\'s endpoint as for a gemeente; ONT-013 only for a gemeente (a VT run\'s handover has no receiver in cc)', () => {
    const gemeente = coverage('gemeente');
    const vt = coverage('vt');
    const receiverRules = ['BER-001', 'BER-002', 'BER-003', 'BER-004', 'BER-005', 'BER-006', 'BER-007', 'BER-008', 'BER-009', 'BER-010', 'BER-011', 'BER-012', 'BER-014', 'BER-017', 'SIG-006', 'SIG-007', 'SIG-008', 'AFL-003', 'AFL-006'];
    for (const rule of receiverRules) {
      expect(gemeente.covered, `gemeente ${rule}`).toContain(rule);
      expect(vt.covered, `vt ${rule}`).toContain(rule);
    }
    for (const rule of ['ONT-003', 'ONT-004', 'ONT-005', 'ONT-006']) expect(vtCases().some((c) => c.rules.length === 1 && c.rules[0] === rule), `a vt case that tests ${rule} alone`).toBe(true);
    expect(vt.uncovered).toContain('ONT-013');
  });

  it('in a run, a skipped case covers nothing', () => {
    const ran = coverage('gemeente', [{ rules: ['ENC-004'], outcome: 'skip' }, { rules: ['BER-015'], outcome: 'fail' }]);
    expect(ran.covered).toEqual(['BER-015']);
  });
});
