/**
 * The FHIR adapter's own findings: what can be wrong with a Bundle before it is a bericht at all
 * (FHIR-001..006). Everything after that is a bericht and is judged by the spec's rules, with the
 * same rule ids as on POST /v1/berichten. Like every Zicht finding, a message never carries a value
 * of the input: only a rule id, a FHIRPath expression and a fixed text.
 */

/** The coding system of the adapter's own rule ids (published in spec/v1/fhir/README.md). */
export const FHIR_RULE_SYSTEM = 'urn:zicht:spec:v1:fhir-rules';

/** The adapter's rules, with their OperationOutcome issue type and fixed text. */
export const FHIR_RULES = {
  'FHIR-001': { code: 'structure', text: 'Not a FHIR message: a Bundle of type message whose first entry is a MessageHeader, with an id.' },
  'FHIR-002': { code: 'not-supported', text: 'MessageHeader.eventCoding is not a Zicht bericht type (system and code).' },
  'FHIR-003': { code: 'required', text: 'MessageHeader.focus does not point to the payload resource this event requires.' },
  'FHIR-004': { code: 'structure', text: 'A reference does not resolve to an entry of the Bundle.' },
  'FHIR-005': { code: 'code-invalid', text: 'A code that selects a member of the bericht is not in its Zicht code system.' },
  'FHIR-006': { code: 'forbidden', text: 'The caller is not the sender of the message (MessageHeader.sender).' },
} as const;

export type FhirRuleId = keyof typeof FHIR_RULES;

/** A finding of the FHIR adapter: an adapter rule or a spec rule, with a FHIRPath expression. */
export interface FhirIssue {
  /** A spec rule id (BER-006, OVD-013, …) or an adapter rule id (FHIR-001 …). */
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  /** FHIRPath into the submitted Bundle, e.g. `Bundle.entry[3].resource.identifier[1]`. */
  readonly expression: string;
  readonly message: string;
}

/** A finding for one of the adapter's rules. */
export function fhirIssue(rule: FhirRuleId, expression: string): FhirIssue {
  return { rule, severity: 'error', expression, message: FHIR_RULES[rule].text };
}
