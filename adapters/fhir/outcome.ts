/**
 * OperationOutcomes of the FHIR route: each issue carries its rule id as `details.coding[0]` (the
 * spec's rules under urn:zicht:spec:v1:rules, the adapter's under urn:zicht:spec:v1:fhir-rules) and
 * a FHIRPath `expression` into the submitted Bundle. Texts are the rules' fixed texts: no value of
 * the input is ever echoed.
 */
import { ruleById } from '../../src/rules/catalogue.js';
import { RULE_SYSTEM } from '../../src/rules/issue.js';
import { FHIR_RULES, FHIR_RULE_SYSTEM, type FhirIssue, type FhirRuleId } from './issues.js';
import type { FhirResource } from './resource.js';

const isFhirRule = (rule: string): rule is FhirRuleId => Object.hasOwn(FHIR_RULES, rule);

/** An OperationOutcome for findings; `fallback` is the text of a single issue when there are none. */
export function operationOutcome(issues: readonly FhirIssue[], fallback: { code: string; text: string } = { code: 'processing', text: 'The message was not processed.' }): FhirResource {
  return {
    resourceType: 'OperationOutcome',
    issue:
      issues.length === 0
        ? [{ severity: 'error', code: fallback.code, details: { text: fallback.text } }]
        : issues.map((issue) => ({
            severity: issue.severity,
            code: isFhirRule(issue.rule) ? FHIR_RULES[issue.rule].code : ruleById(issue.rule).code,
            details: { coding: [{ system: isFhirRule(issue.rule) ? FHIR_RULE_SYSTEM : RULE_SYSTEM, code: issue.rule }], text: issue.message },
            expression: [issue.expression],
          })),
  };
}
