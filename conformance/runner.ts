/**
 * The runner: sets up the suite's network and listener for a role, runs the role's cases in order
 * (one at a time: later cases may build on the trail of earlier ones), waits for late traffic, then
 * settles the checks that needed it, and applies the expected-failures list.
 */
import type { JSONWebKeySet } from 'jose';
import { catalogue } from '../src/rules/catalogue.js';
import type { CaseResult, ConformanceCase, Exchange, Role, Verdict } from './case.js';
import { codeOf } from './errors.js';
import { RunIdentities } from './fixtures.js';
import { suiteNetwork, type SuiteNetwork } from './network.js';
import { startPeer, type Peer } from './peer.js';
import { gatewayCases, type GatewayContext } from './roles/gateway.js';
import { SuitePostbus } from './postbus.js';
import { answerReceipts, gemeenteCases, postbusFor, type DecisionRequest, type GemeenteContext, type ReceiverUnderTest } from './roles/gemeente.js';
import { answerAsGateway, vtCases, type VtContext } from './roles/vt.js';
import { SCENARIO_TEXT, type Scenario, type Trigger } from './trigger.js';

/** How to run the suite. */
export interface RunOptions {
  readonly role: Role;
  /** The system under test: a receiving endpoint (`…/v1`, role gemeente) or a gateway's base URL (role gateway). */
  readonly target: string;
  /** The tester's private JWK; a fresh key when absent (then the system must fetch keys from the suite). */
  readonly privateJwk?: unknown;
  /** Role gemeente: the system's OIN, gemeentecode and public keys, and the encryption keys it registered (ENC-001), if any. */
  readonly sut?: Omit<ReceiverUnderTest, 'url'>;
  /** Role vt: the VT system's OIN and registered public keys (its receiving endpoint is `target`). */
  readonly sender?: { readonly oin: string; readonly jwks: JSONWebKeySet };
  /** Role gemeente: `postbus` when the system reads its postbus at the suite instead of taking pushes (then `target` is not pushed to). */
  readonly mode?: 'push' | 'postbus';
  /**
   * Triggers a scenario in the system (a URL or command hook). Role vt: without one, only the prompt is given.
   * Role gemeente: a person's decision on a handover; without one, the cases that need it are skipped.
   */
  readonly trigger?: Trigger;
  /** Told what the tester must trigger now, or what the hook is asked (printed by the CLI). */
  readonly onPrompt?: (scenario: Scenario, text: string) => void;
  /** Role gateway: the gateway's OIN (the audience of the suite's tokens). */
  readonly gatewayOin?: string;
  /** Where the suite listens; port 0 (default) any free port. */
  readonly listen?: { readonly host?: string; readonly port?: number };
  /** A network already prepared (its listener must match `listen`), e.g. to write the registry first. */
  readonly network?: SuiteNetwork;
  /** Case ids expected to fail. */
  readonly expectedFailures?: ReadonlySet<string>;
  /** Run only these case ids. */
  readonly only?: ReadonlySet<string>;
  /** How long to wait for something the system must send (ms, default 10,000). */
  readonly timeoutMs?: number;
  /** The quiet period before settling (ms, default 1,000). */
  readonly settleMs?: number;
  /** Told when the listener is up (role gemeente: configure the system with this gateway URL). */
  readonly onListening?: (url: string) => void;
  /** Progress, one line per case. */
  readonly onResult?: (result: CaseResult) => void;
}

/**
 * Rules of severity error in the catalogue, and which of them a case tests. In a run's report: the
 * cases of the run's role that ran (a skipped case tests nothing); without a role: any case of any role.
 */
export interface Coverage {
  readonly errorRules: number;
  readonly covered: readonly string[];
  readonly uncovered: readonly string[];
  /** The role whose cases count (absent: every role's). */
  readonly role?: Role;
}

/** The result of a run. */
export interface RunReport {
  readonly suite: 'zicht-conformance';
  readonly specVersie: '1.0';
  readonly role: Role;
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly results: readonly CaseResult[];
  readonly summary: { readonly pass: number; readonly fail: number; readonly skip: number; readonly error: number };
  /** `must` cases that failed or errored and are not expected failures. */
  readonly mustFailed: readonly string[];
  /** Expected failures that passed: remove them from the list. */
  readonly unexpectedPasses: readonly string[];
  readonly coverage: Coverage;
  /** How many requests the system under test sent to the suite's listener: its berichten to the suite as gateway (roles gemeente and vt), or the pushes it delivered to the suite's parties (role gateway). */
  readonly received: number;
  /** Present when cases failed (not merely errored) and the system sent the suite nothing at all: the failures then share one cause in the system, and this names where to look. */
  readonly diagnosis?: string;
}

/**
 * Why a run with failures in which the system sent nothing most likely failed: one cause in the
 * system, not one per case. The two causes readers of the text met first are named (the suite's URL
 * not configured as the gateway; a JOSE library that refuses a `crit` header it was not told it
 * understands, spec/v1/README.md §2.3).
 */
function silenceDiagnosis(role: Role, url: string): string {
  if (role === 'gateway') return `The gateway delivered nothing to the suite's parties during the run (no push reached ${url}/p/{oin}/v1/berichten): the failures that waited for a push share one cause. Were the suite's parties registered with their push addresses (--write-registry), and does the gateway reach ${url}?`;
  return `The system sent the suite nothing during the run (no request reached POST ${url}/v1/berichten): the failures that waited for a bericht share one cause, and the system's log names it. Two causes vendors met first: the suite's URL is not the system's gateway URL; the system's JOSE library refuses to sign a header whose crit names oin (a receipt, a melding) until it is told that member is understood (spec/v1/README.md §2.3).`;
}

/** Every case of every role, for coverage and listings. */
export function allCases(): { role: Role; cases: readonly ConformanceCase<never>[] }[] {
  return [
    { role: 'gemeente', cases: gemeenteCases() },
    { role: 'gateway', cases: gatewayCases() },
    { role: 'vt', cases: vtCases() },
  ];
}

/**
 * Which error rules of the catalogue a case tests: a case of `role` (every role's when absent) and,
 * given the results of a run, one that ran (not skipped): a rule counts only where a case of that
 * role actually tests it.
 */
export function coverage(role?: Role, results?: readonly Pick<CaseResult, 'rules' | 'outcome'>[]): Coverage {
  const tested = results ? results.filter((r) => r.outcome !== 'skip') : allCases().filter((r) => role === undefined || r.role === role).flatMap((r) => r.cases);
  const covered = new Set(tested.flatMap((c) => c.rules));
  const errorRules = catalogue.filter((r) => r.severity === 'error').map((r) => r.id);
  return { errorRules: errorRules.length, covered: errorRules.filter((r) => covered.has(r)), uncovered: errorRules.filter((r) => !covered.has(r)), ...(role === undefined ? {} : { role }) };
}

/** Parses an expected-failures file: one case id a line; `#` starts a comment. */
export function parseExpectedFailures(text: string): Set<string> {
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    const id = line.replace(/#.*/, '').trim();
    if (id === '') continue;
    if (!/^CNF-\d{3}$/.test(id)) throw new Error(`not a case id: ${JSON.stringify(id.slice(0, 20))}`);
    ids.add(id);
  }
  return ids;
}

async function runCases<C>(role: Role, cases: readonly ConformanceCase<C>[], context: C, options: RunOptions): Promise<CaseResult[]> {
  const selected = cases.filter((c) => !options.only || options.only.has(c.id));
  const runs: { c: ConformanceCase<C>; verdict: Verdict; evidence: Exchange[]; ms: number }[] = [];
  for (const c of selected) {
    const evidence: Exchange[] = [];
    const started = performance.now();
    let verdict: Verdict;
    try {
      verdict = await c.run(context, evidence);
    } catch (error) {
      verdict = { outcome: 'error', reason: `the suite could not run this case (${error instanceof Error ? error.name : 'error'} ${codeOf(error)})` };
    }
    runs.push({ c, verdict, evidence, ms: Math.round(performance.now() - started) });
  }
  if (runs.some((r) => r.verdict.settle)) await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 1000));
  return runs.map(({ c, verdict, evidence, ms }) => {
    const final = verdict.settle ? verdict.settle() : verdict;
    const result: CaseResult = {
      id: c.id,
      title: c.title,
      role,
      rules: c.rules,
      level: c.level,
      outcome: final.outcome,
      reason: final.reason,
      expectedFailure: options.expectedFailures?.has(c.id) ?? false,
      exchanges: evidence,
      ms,
    };
    options.onResult?.(result);
    return result;
  });
}

/**
 * Runs the suite for one role against `options.target`.
 *
 * @throws {Error} when the suite cannot run at all (a missing option, the listener cannot bind).
 */
export async function runConformance(options: RunOptions): Promise<RunReport> {
  const startedAt = new Date();
  const network = options.network ?? (await suiteNetwork(options.privateJwk, undefined, { perParty: options.role !== 'gateway' && options.privateJwk === undefined }));
  const own = options.role === 'vt' ? options.sender : options.role === 'gemeente' ? options.sut : undefined;
  const published = own ? new Map([[own.oin, own.jwks]]) : undefined;
  const peer: Peer = await startPeer(network, { ...options.listen, ...(published ? { published } : {}) });
  options.onListening?.(peer.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  let results: CaseResult[];
  try {
    switch (options.role) {
      case 'gemeente': {
        if (!options.sut) throw new Error('role gemeente needs the system under test (its OIN, gemeentecode and keys)');
        const hook = options.trigger;
        const decide = hook === undefined ? undefined : (request: DecisionRequest) => {
          const scenario: Scenario = { ...request, gateway: peer.url };
          options.onPrompt?.(scenario, SCENARIO_TEXT[request.scenario]);
          return hook(scenario);
        };
        const base = { sut: { ...options.sut, url: options.target }, network, peer, ids: new RunIdentities(), timeoutMs, delivered: [], transport: new Map(), deliveredAt: new Map<string, Date>(), ...(decide === undefined ? {} : { decide }) };
        const context: GemeenteContext = options.mode === 'postbus' ? { ...base, postbus: new SuitePostbus() } : base;
        peer.answerAsGateway = answerReceipts(context);
        if (context.postbus !== undefined) peer.postbus = postbusFor({ ...context, postbus: context.postbus });
        results = await runCases('gemeente', gemeenteCases(), context, options);
        break;
      }
      case 'gateway': {
        const context: GatewayContext = { url: options.target.replace(/\/$/, ''), gatewayOin: options.gatewayOin ?? network.gateway.oin, network, peer, ids: new RunIdentities(), timeoutMs };
        results = await runCases('gateway', gatewayCases(), context, options);
        break;
      }
      case 'vt': {
        if (!options.sender) throw new Error('role vt needs the system under test (its OIN and keys)');
        const trigger = async (name: Scenario['scenario'], id: string) => {
          const scenario: Scenario = { scenario: name, case: id, gateway: peer.url };
          options.onPrompt?.(scenario, SCENARIO_TEXT[name]);
          // A VT system plays every scenario it is asked; a hook that declines one failed.
          if ((await options.trigger?.(scenario)) === 'declined') throw Object.assign(new Error('the trigger hook declined a scenario'), { code: 'TRIGGER_DECLINED' });
        };
        const context: VtContext = { sut: { ...options.sender, url: options.target }, network, peer, timeoutMs, trigger, accepted: new Map(), plan: undefined, handover: undefined, volgnummers: new Map() };
        peer.answerAsGateway = answerAsGateway(context);
        results = await runCases('vt', vtCases(), context, options);
        break;
      }
    }
  } finally {
    await peer.close();
  }
  const received = options.role === 'gateway' ? peer.inbound.filter((i) => i.to === 'receiver').length : peer.inbound.filter((i) => i.to === 'gateway').length;
  const count = (o: CaseResult['outcome']) => results.filter((r) => r.outcome === o).length;
  return {
    suite: 'zicht-conformance',
    specVersie: '1.0',
    role: options.role,
    target: options.target,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    results,
    summary: { pass: count('pass'), fail: count('fail'), skip: count('skip'), error: count('error') },
    mustFailed: results.filter((r) => r.level === 'must' && (r.outcome === 'fail' || r.outcome === 'error') && !r.expectedFailure).map((r) => r.id),
    unexpectedPasses: results.filter((r) => r.expectedFailure && r.outcome === 'pass').map((r) => r.id),
    coverage: coverage(options.role, results),
    received,
    // Only failed cases: a run whose cases errored (e.g. every push refused a connection, the system not yet up) names that cause in each reason.
    ...(received === 0 && count('fail') > 0 ? { diagnosis: silenceDiagnosis(options.role, peer.url) } : {}),
  };
}
