/**
 * validateBericht: the one validation every consumer uses (CLI, gateway, conformance suite).
 * Bytes → JSON (BER-001..003) → spec version (BER-005) → schema (BER-004, BER-006, BER-007) →
 * every checked rule for the bericht type, with the dossier's trail when one is given.
 */
import { Bericht, SPEC_VERSIES } from '../model/bericht.js';
import type { Issue } from '../model/outcome.js';
import { checksFor } from './catalogue.js';
import { noTrail, type ValidationContext } from './context.js';
import { exceedsMaxDepth, readJson } from './input.js';
import { issueFor } from './issue.js';
import type { Report } from './rule.js';
import { fromZodIssues } from './schema-issues.js';

/** The outcome of validation: `ok` when no issue is an error; `value` is the typed bericht when the schema accepted it. */
export interface ValidationResult {
  readonly ok: boolean;
  readonly value?: Bericht;
  readonly issues: readonly Issue[];
}

/** Options of validation. */
export interface ValidateOptions {
  /** Earlier berichten of the dossier, for the trail rules (BER-011, BER-013, VVW-004, VVW-006, ONT-004, ONT-006); without it they find nothing to compare with. */
  readonly context?: ValidationContext;
}

/**
 * Validates a bericht given as raw JSON (bytes or text) against the schema and every rule of the
 * catalogue. Never throws for bad input; every problem is an issue with a rule id.
 */
export function validateBericht(input: Uint8Array | string, options: ValidateOptions = {}): ValidationResult {
  const read = readJson(input);
  if (!read.ok) return { ok: false, issues: read.issues };
  return validateValue(read.value, options);
}

/** Validates an already parsed JSON value (as `JSON.parse` returns it). */
export function validateValue(value: unknown, options: ValidateOptions = {}): ValidationResult {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'specVersie' in value) {
    const versie = value.specVersie;
    if (typeof versie === 'string' && !(SPEC_VERSIES as readonly string[]).includes(versie)) {
      return { ok: false, issues: [issueFor('BER-005', ['specVersie'], `This spec version is not supported; supported: ${SPEC_VERSIES.join(', ')}.`)] };
    }
  }
  const parsed = Bericht.safeParse(value);
  if (!parsed.success) {
    // Parse again with the inputs in the issues, only to tell a missing member from a wrong one; never shown.
    const issues = exceedsMaxDepth(value) ? [issueFor('BER-003', [])] : fromZodIssues(Bericht.safeParse(value, { reportInput: true }).error?.issues ?? []);
    return { ok: false, issues };
  }
  // Without a trail the trail rules have nothing to compare with: skip them rather than run them empty.
  const issues = options.context ? checkRules(parsed.data, options.context) : checkRules(parsed.data, noTrail, 'content');
  return { ok: !issues.some((issue) => issue.severity === 'error'), value: parsed.data, issues };
}

/** Runs every checked rule that applies to the bericht's type, or only those of one stage. */
export function checkRules(bericht: Bericht, context: ValidationContext, stage?: 'content' | 'trail'): Issue[] {
  const issues: Issue[] = [];
  let ruleId = '';
  const report: Report = (path, message) => {
    issues.push(issueFor(ruleId, path, message));
  };
  for (const rule of checksFor[bericht.berichtType]) {
    if (stage !== undefined && rule.stage !== stage) continue;
    ruleId = rule.id;
    rule.check(bericht, context, report);
  }
  return issues;
}
