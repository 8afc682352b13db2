/**
 * What a rule of the standard is: a stable id, a severity, the source text it enforces, a one-line
 * statement, and (for rules beyond plain shape) the check that finds its violations.
 */
import type { Bericht, BerichtType } from '../model/bericht.js';
import type { Severity } from '../model/outcome.js';
import type { ValidationContext } from './context.js';

/** The documents a rule can cite: the seeds (see spec/v1/README.md, "Sources") and standards. */
export type SourceDocument = 'Z-L' | 'W-B' | 'FS' | 'EIND' | 'VNG' | 'RFC 8259' | 'RFC 7493' | 'RvIG' | 'Zicht';

/** One source of a rule: a document and the section in it. */
export interface Source {
  readonly document: SourceDocument;
  readonly section: string;
}

/** FHIR issue type a rule maps to in an OperationOutcome (FHIR R4 `IssueType`). */
export type IssueCode = 'invalid' | 'structure' | 'required' | 'value' | 'business-rule' | 'too-long' | 'not-supported' | 'security';

/**
 * Where a rule is enforced: on the raw bytes (`input`), by the zod schema (`schema`), on the typed
 * bericht alone (`content`), or against earlier berichten of the dossier (`trail`).
 */
export type Stage = 'input' | 'schema' | 'content' | 'trail';

/** A JSON path as segments, formatted only when an issue is reported. */
export type PathSegments = readonly (string | number)[];

/**
 * How a check reports a violation: where, and optionally a more precise message than the rule's
 * text. The message must never contain a value from the bericht: only member names, indexes and
 * the spec's own words. (A callback rather than a returned list: no allocation on the valid path.)
 */
export type Report = (path: PathSegments, message?: string) => void;

interface RuleBase {
  readonly id: string;
  readonly severity: Severity;
  readonly code: IssueCode;
  readonly sources: readonly Source[];
  /** The rule in one line, as the catalogue and error messages state it. */
  readonly text: string;
}

/** A rule enforced while reading the input or by the schema; its "check" is the parser itself. */
export interface StructuralRule extends RuleBase {
  readonly stage: 'input' | 'schema';
}

/** A rule with a check over the typed bericht (and, for `trail`, the dossier's earlier berichten). */
export interface CheckedRule<T extends BerichtType = BerichtType> extends RuleBase {
  readonly stage: 'content' | 'trail';
  readonly appliesTo: readonly T[];
  readonly check: (bericht: Extract<Bericht, { berichtType: T }>, context: ValidationContext, report: Report) => void;
}

export type Rule = StructuralRule | CheckedRule;

/** Declares a checked rule; the type parameter narrows the bericht the check receives. */
export function defineRule<T extends BerichtType>(rule: CheckedRule<T>): CheckedRule {
  return rule as unknown as CheckedRule;
}
