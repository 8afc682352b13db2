/**
 * Making issues: a rule id, a path and a message, never a value from the input. Paths are JSONPath
 * in dot notation (`$.inhoud.directbetrokkenen[0].bsn`); a member name that could carry data
 * (anything but a plain identifier) is shown as `['?']`.
 */
import { formatJsonPath } from '../errors.js';
import type { Issue, OperationOutcome } from '../model/outcome.js';
import { ruleById } from './catalogue.js';
import type { PathSegments } from './rule.js';

/** Formats path segments as a JSONPath; unsafe member names are masked (one formatter with {@link JsonError}'s). */
export const formatPath: (segments: PathSegments) => string = formatJsonPath;

/**
 * An issue for a rule at a path; the message defaults to the rule's one-line text. `code` is the gateway's reason
 * code (a `ZICHT_` error code) when the check that failed has one: the issue's `code` member.
 */
export function issueFor(ruleId: string, path: PathSegments, message?: string, code?: string): Issue {
  const rule = ruleById(ruleId);
  return { rule: rule.id, severity: rule.severity, path: formatPath(path), message: message ?? rule.text, ...(code === undefined ? {} : { code }) };
}

/** The coding system of Zicht rule ids in an OperationOutcome. */
export const RULE_SYSTEM = 'urn:zicht:spec:v1:rules';

/** Turns issues into an OperationOutcome (after FHIR R4), each issue carrying its rule id and path. */
export function toOperationOutcome(issues: readonly Issue[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((issue) => ({
      severity: issue.severity,
      code: ruleById(issue.rule).code,
      details: { coding: [{ system: RULE_SYSTEM, code: issue.rule }], text: issue.message },
      expression: [issue.path],
    })),
  };
}
