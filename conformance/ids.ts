/**
 * Stable case ids. Each role has a block of 300 ids (gemeente CNF-1xx..3xx, gateway 4xx..6xx, vt
 * 7xx..9xx); inside a block, hand-written behaviour cases take the first 40, and the cases made
 * from the spec's invalid examples take the id of the rule they break: SIG +40, BER +50, OVD +80,
 * VVW +130, ONT +160, RTE +190, LVC +220, and a new rule prefix gets a block here (until then its examples
 * have no case, which the coverage line shows).
 */
import type { Role } from './case.js';

const ROLE_BASE: Readonly<Record<Role, number>> = { gemeente: 100, gateway: 400, vt: 700 };
const PREFIX_OFFSET: Readonly<Record<string, number>> = { SIG: 40, BER: 50, OVD: 80, VVW: 130, ONT: 160, RTE: 190, LVC: 220 };

/** The id of a hand-written case: `n` from 1 to 39. */
export function caseId(role: Role, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 39) throw new Error(`case number ${n} is outside 1..39`);
  return `CNF-${ROLE_BASE[role] + n}`;
}

/** The id of the case made from the invalid example of `rule`, or undefined for a prefix without a block. */
export function ruleCaseId(role: Role, rule: string): string | undefined {
  const match = /^([A-Z]{3})-(\d{3})$/.exec(rule);
  const offset = match?.[1] === undefined ? undefined : PREFIX_OFFSET[match[1]];
  const n = Number(match?.[2]);
  if (offset === undefined || n < 1 || n > 29) return undefined;
  return `CNF-${ROLE_BASE[role] + offset + n}`;
}
