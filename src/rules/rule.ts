/**
 * What a rule of the standard is: a stable id, a severity, the source text it enforces, a one-line
 * statement, and (for rules beyond plain shape) the check that finds its violations.
 */
import type { Bericht, BerichtType } from '../model/bericht.js';
import type { IssueCode, Severity } from '../model/outcome.js';
import type { ValidationContext } from './context.js';

/** The documents a rule can cite: the seeds (see spec/v1/README.md, "Sources") and standards. */
export type SourceDocument = 'Z-L' | 'W-B' | 'FS' | 'EIND' | 'VNG' | 'RFC 8259' | 'RFC 7493' | 'RFC 7515' | 'RFC 7516' | 'RFC 7518' | 'RFC 7519' | 'RFC 6750' | 'RFC 9110' | 'RFC 8785' | 'ADR' | 'RvIG' | 'Zicht';

/** One source of a rule: a document and the section in it. */
export interface Source {
  readonly document: SourceDocument;
  readonly section: string;
}

/** FHIR issue type a rule maps to in an OperationOutcome (FHIR R4 `IssueType`). */
export type { IssueCode };

/**
 * Where a rule is enforced: on the raw bytes (`input`), by the zod schema (`schema`), on the typed
 * bericht alone (`content`), against earlier berichten of the dossier (`trail`), by signature
 * verification (`signature`), against the participant registry by the gateway (`registry`), or against
 * the dossier's ledger, its region profile and the gateway's clock (`ledger`, src/lifecycle/), or by the
 * push of a bericht to a receiver and the receiver's answer (`aflevering`, spec/v1/receiver.md), or by the
 * gateway about its own configuration and operation (`gateway`, CFG).
 */
export type Stage = 'input' | 'schema' | 'content' | 'trail' | 'signature' | 'registry' | 'ledger' | 'aflevering' | 'gateway';

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

/**
 * A rule whose check lives outside the rule catalogue: the input reader, the schema, signature
 * verification (src/signing/), routing against the registry (src/routing/), the ledger (src/lifecycle/)
 * or the push and its answer (src/delivery/, adapters/webhook/, the receiving system).
 */
export interface StructuralRule extends RuleBase {
  readonly stage: 'input' | 'schema' | 'signature' | 'registry' | 'ledger' | 'aflevering' | 'gateway';
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
