/**
 * Stable case ids. Each role has a block of 300 ids (gemeente CNF-1xx..3xx, gateway 4xx..6xx, vt
 * 7xx..9xx); inside a block:
 *
 * - 1..39: hand-written behaviour cases (first range);
 * - rule cases take the id of the rule they test: SIG +40, BER +50, OVD +80, VVW +130, ONT +160, RTE +190,
 *   LVC +220, VRW +250 (rule numbers 1..29). A rule case refuses the spec's invalid example of that rule or,
 *   where the example cannot be sent to the role as it stands (its trail is the system's own berichten, or the
 *   role does not receive its type), a bericht the case builds that breaks that one rule; for a warning (which
 *   never refuses) the case checks that the bericht is taken;
 * - 280..299: hand-written behaviour cases (second range, for a role whose first range is used up).
 *
 * A new rule prefix gets a block here (until then its examples have no case, which the coverage line shows).
 * An id never changes meaning and is never renumbered: vendors script against ids.
 */
import type { Role } from './case.js';

const ROLE_BASE: Readonly<Record<Role, number>> = { gemeente: 100, gateway: 400, vt: 700 };
const PREFIX_OFFSET: Readonly<Record<string, number>> = { SIG: 40, BER: 50, OVD: 80, VVW: 130, ONT: 160, RTE: 190, LVC: 220, VRW: 250 };

/** The id of a hand-written case: `n` from 1 to 39 (first range) or 280 to 299 (second range). */
export function caseId(role: Role, n: number): string {
  if (!Number.isInteger(n) || !((n >= 1 && n <= 39) || (n >= 280 && n <= 299))) throw new Error(`case number ${n} is outside 1..39 and 280..299`);
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
