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

  it('in a run, a skipped case covers nothing', () => {
    const ran = coverage('gemeente', [{ rules: ['ENC-004'], outcome: 'skip' }, { rules: ['BER-015'], outcome: 'fail' }]);
    expect(ran.covered).toEqual(['BER-015']);
  });
});
