/**
 * Issues and the OperationOutcome: how every rejection is reported. An issue is data (rule id,
 * severity, JSON path, message), never prose to parse, and never carries a value from the input.
 */
import { z } from 'zod';

/** Id of a rule in the catalogue: prefix (BER, OVD, VVW, ONT, SIG, RTE) and a three-digit number. */
export const RuleId = z.string().regex(/^(BER|OVD|VVW|ONT|LVC|VRW|SIG|RTE|ENC|AFL|CFG)-\d{3}$/).meta({ id: 'RuleId', description: 'Stable id of a rule in spec/v1/rules.md.' });

/** A reason code of the gateway (src/errors.ts): `ZICHT_` and upper-case words, e.g. ZICHT_SIGNATURE_NOT_CANONICAL. */
export const ReasonCode = z.string().regex(/^ZICHT_[A-Z0-9]+(_[A-Z0-9]+)*$/).meta({ id: 'ReasonCode', description: "A reason code of the gateway (ZICHT_ and upper-case words): which check refused, more precisely than the rule id." });

/** Severity of a finding: an error rejects the bericht, a warning does not. */
export const Severity = z.enum(['error', 'warning']);

/** One issue (finding): the rule it breaks, where (a JSON path into the bericht) and a message without input values. */
export const Issue = z
  .strictObject({
    rule: RuleId,
    severity: Severity,
    path: z.string().meta({ description: 'JSONPath (RFC 9535 style, dot notation) of the offending member; `$` is the whole bericht. For a request parameter (BER-030) `$.path.NAME` or `$.query.NAME`.' }),
    message: z.string(),
    code: ReasonCode.optional().meta({ description: "The gateway's reason code when it has one (e.g. ZICHT_SIGNATURE_NOT_CANONICAL, ZICHT_AUTH_TOKEN_REPLAYED): which check failed, more precisely than the rule. Stable, for programs; the message is for people." }),
  })
  .meta({ id: 'Issue', description: 'A finding (issue) of validation: rule id, severity, JSON path, message and, where the gateway has one, its reason code.' });

/** The FHIR R4 IssueType of a finding (a subset of that value set). */
export const IssueCode = z.enum(['invalid', 'structure', 'required', 'value', 'business-rule', 'too-long', 'not-supported', 'security', 'throttled']);
export type IssueCode = z.infer<typeof IssueCode>;

/** An OperationOutcome (after FHIR R4): the list of findings returned for any rejection. */
export const OperationOutcome = z
  .strictObject({
    resourceType: z.literal('OperationOutcome'),
    issue: z.array(
      z.strictObject({
        severity: z.enum(['fatal', 'error', 'warning', 'information']),
        code: IssueCode,
        details: z.strictObject({
          coding: z.array(z.strictObject({ system: z.string(), code: RuleId })).length(1),
          text: z.string(),
        }),
        expression: z.array(z.string()).length(1),
      }),
    ),
  })
  .meta({ id: 'OperationOutcome', description: 'The outcome of validation, after FHIR R4 OperationOutcome; each issue cites its rule id.' });

export type Issue = z.infer<typeof Issue>;
export type Severity = z.infer<typeof Severity>;
export type OperationOutcome = z.infer<typeof OperationOutcome>;
