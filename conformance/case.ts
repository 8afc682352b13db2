/**
 * What a conformance case is. Cases are data: an id (`CNF-xxx`), a title, the rule ids of
 * spec/v1/rules.md it checks, a level (`must` or `should`, as BCP 14 uses the words) and a `run`
 * that plays its part against the system under test and returns a verdict with the reason. A
 * negative case passes only when the system under test refuses.
 */

/** Which system the suite tests: a VT system (sender), a gemeente system (receiver) or a gateway. */
export type Role = 'vt' | 'gemeente' | 'gateway';

/** `must`: a failure fails the run (exit 1). `should`: reported, does not fail the run. */
export type Level = 'must' | 'should';

/** What a case came to. `error`: the suite itself could not judge (e.g. the system was unreachable in a way the case does not test). */
export type Outcome = 'pass' | 'fail' | 'skip' | 'error';

/**
 * One HTTP exchange a case made or saw, as evidence for the report. `body` is kept as the suite
 * sent or parsed it and masked when a report is written; a system's own error text is never kept
 * (it could hold anything), only its status and the rule ids of a problem+json body.
 */
export interface Exchange {
  readonly direction: 'sent' | 'received';
  /** e.g. `POST /v1/berichten`. */
  readonly request: string;
  readonly status?: number;
  readonly body?: unknown;
  /** Rule ids named in a problem+json answer. */
  readonly rules?: readonly string[];
}

/** The outcome of a case and why. A reason never carries a value of a bericht. */
export interface Verdict {
  readonly outcome: Outcome;
  readonly reason: string;
  /**
   * A check that can only be made after the suite waited for late traffic (e.g. "no receipt was sent
   * for this refused bericht"). The runner calls it once, after every case ran and the quiet period passed.
   */
  readonly settle?: () => Verdict;
}

export const pass = (reason: string): Verdict => ({ outcome: 'pass', reason });
export const fail = (reason: string): Verdict => ({ outcome: 'fail', reason });
export const skip = (reason: string): Verdict => ({ outcome: 'skip', reason });

/** A conformance case for a role whose context is `C`. */
export interface ConformanceCase<C> {
  /** `CNF-` and three digits; stable: an id never changes meaning. */
  readonly id: string;
  readonly title: string;
  /** The rule ids (spec/v1/rules.md) this case checks. */
  readonly rules: readonly string[];
  readonly level: Level;
  /** Plays the case; `evidence` collects the exchanges for the report. Throwing gives outcome `error`. */
  run(context: C, evidence: Exchange[]): Promise<Verdict>;
}

/** The result of one case in a run. */
export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly role: Role;
  readonly rules: readonly string[];
  readonly level: Level;
  readonly outcome: Outcome;
  readonly reason: string;
  /** Listed in the expected-failures file. */
  readonly expectedFailure: boolean;
  readonly exchanges: readonly Exchange[];
  readonly ms: number;
}
