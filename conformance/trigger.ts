/**
 * Triggers: the suite cannot make a system send on its own account; a person or a script must. For each
 * case that needs the system to act the suite names a scenario and, when given a hook, triggers it itself:
 * an HTTP trigger URL (`--trigger-url`: the suite POSTs the scenario as JSON and expects 2xx) or a command
 * (`--trigger-command`: run with `sh -c`, the scenario in the environment, expected to exit 0). Then it waits
 * `--timeout` for the berichten to arrive.
 *
 * Role vt plays `overdracht` and `veiligheidsvoorwaarden` (without a hook the suite prompts a person). Role
 * gemeente plays a person's decision on a handover it received, `geaccepteerd` or `niet-geaccepteerd`, named
 * by its berichtId (without a hook those cases are skipped). A system that refuses a decision because it decided
 * on that handover already (a party accepts a handover once, ONT-008) declines: the URL answers 409, the command
 * exits 3. Any other answer is a hook that failed.
 */
import { execFile } from 'node:child_process';
import { request } from 'undici';

/** The scenarios a VT system is asked to play. */
export type VtScenarioName = 'overdracht' | 'veiligheidsvoorwaarden';

/** The decisions a gemeente system is asked to take on a handover it received (receiver.md §9). */
export type GemeenteScenarioName = 'geaccepteerd' | 'niet-geaccepteerd';

export type ScenarioName = VtScenarioName | GemeenteScenarioName;

/** One request to the system under test. */
export interface Scenario {
  readonly scenario: ScenarioName;
  /** The case that asks, e.g. `CNF-701`. */
  readonly case: string;
  /** The suite's gateway URL the system must send to. */
  readonly gateway: string;
  /** Role gemeente: the berichtId of the handover decided on. */
  readonly berichtId?: string;
  /**
   * Role gemeente, `geaccepteerd` of a handover to two or more receivers (not in cc): the OIN of the team the
   * gemeenten agreed leads, for `afstemming.regie` (VRW-001, VRW-002). Absent for a handover to one receiver.
   */
  readonly regie?: string;
  /** Role gemeente, `niet-geaccepteerd`: the reason a person gave, for `inhoud.reden` (ONT-001). */
  readonly reden?: string;
}

/** What the tester is asked to do, per scenario. */
export const SCENARIO_TEXT: Readonly<Record<ScenarioName, string>> = {
  overdracht:
    'send a handover after a service (moment na-dienst, with veiligheidsvoorwaarden) in a new dossier, to the lokaal team of every gemeente the household lives in',
  veiligheidsvoorwaarden: 'send an update of the veiligheidsvoorwaarden of the handover you sent last, to the same receivers',
  geaccepteerd:
    'accept the handover named by berichtId, as a person of the lokale veld would: send a later ontvangstbevestiging geaccepteerd with the same ontvangenOp as your ontvangen, naming your behandelaar (naam or team, telefoon or email) and, when regie is given, afstemming.regie',
  'niet-geaccepteerd':
    'decline the handover named by berichtId, as a person of the lokale veld would: send a later ontvangstbevestiging niet-geaccepteerd with the same ontvangenOp as your ontvangen and the reden given',
};

/** How a hook answered: `triggered` (2xx, exit 0: the system acts), `declined` (409, exit 3: the decision would break ONT-008 or change nothing, Q177). */
export type TriggerAnswer = 'triggered' | 'declined';

/** The exit status of a command hook that declines a decision (the decision would break ONT-008 or change nothing, Q177). */
export const DECLINED_EXIT_CODE = 3;

/** Triggers a scenario in the system under test; throws when the hook fails (the case is then an error). */
export type Trigger = (scenario: Scenario) => Promise<TriggerAnswer>;

/** A trigger that POSTs the scenario to `url`. */
export function urlTrigger(url: string): Trigger {
  return async (scenario) => {
    const response = await request(url, { method: 'POST', body: JSON.stringify(scenario), headers: { 'content-type': 'application/json' } });
    await response.body.dump();
    if (response.statusCode === 409) return 'declined';
    if (response.statusCode < 200 || response.statusCode >= 300) throw Object.assign(new Error('the trigger URL refused'), { code: `TRIGGER_HTTP_${response.statusCode}` });
    return 'triggered';
  };
}

/**
 * A trigger that runs `command` with `sh -c`, with ZICHT_SCENARIO, ZICHT_CASE and ZICHT_GATEWAY_URL set, and
 * ZICHT_BERICHT_ID, ZICHT_REGIE and ZICHT_REDEN where the scenario has them.
 */
export function commandTrigger(command: string, timeoutMs = 60_000): Trigger {
  return (scenario) =>
    new Promise((resolve, reject) => {
      const env = {
        ...process.env,
        ZICHT_SCENARIO: scenario.scenario,
        ZICHT_CASE: scenario.case,
        ZICHT_GATEWAY_URL: scenario.gateway,
        ...(scenario.berichtId === undefined ? {} : { ZICHT_BERICHT_ID: scenario.berichtId }),
        ...(scenario.regie === undefined ? {} : { ZICHT_REGIE: scenario.regie }),
        ...(scenario.reden === undefined ? {} : { ZICHT_REDEN: scenario.reden }),
      };
      execFile('sh', ['-c', command], { timeout: timeoutMs, env }, (error) => {
        if (error === null) resolve('triggered');
        else if (error.code === DECLINED_EXIT_CODE) resolve('declined');
        else reject(Object.assign(new Error('the trigger command failed'), { code: 'TRIGGER_COMMAND_FAILED' }));
      });
    });
}
