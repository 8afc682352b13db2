/**
 * Role vt: the suite cannot make a VT system send; a person or a script must. For each case that
 * needs traffic the suite names a scenario, prints what to do, and, when given a hook, triggers
 * it itself: an HTTP trigger URL (`--trigger-url`: the suite POSTs `{scenario, case, gateway}` as
 * JSON and expects 2xx) or a command (`--trigger-command`: run with `sh -c`, the scenario in the
 * environment, expected to exit 0). Then it waits `--timeout` for the berichten to arrive.
 */
import { execFile } from 'node:child_process';
import { request } from 'undici';

/** The scenarios a VT system is asked to play. */
export type ScenarioName = 'overdracht' | 'veiligheidsvoorwaarden';

/** One request to the system under test. */
export interface Scenario {
  readonly scenario: ScenarioName;
  /** The case that asks, e.g. `CNF-701`. */
  readonly case: string;
  /** The suite's gateway URL the system must send to. */
  readonly gateway: string;
}

/** What the tester is asked to do, per scenario. */
export const SCENARIO_TEXT: Readonly<Record<ScenarioName, string>> = {
  overdracht:
    'send a handover after a service (moment na-dienst, with veiligheidsvoorwaarden) in a new dossier, to the lokaal team of every gemeente the household lives in',
  veiligheidsvoorwaarden: 'send an update of the veiligheidsvoorwaarden of the handover you sent last, to the same receivers',
};

/** Triggers a scenario in the system under test; throws when the hook fails (the case is then an error). */
export type Trigger = (scenario: Scenario) => Promise<void>;

/** A trigger that POSTs the scenario to `url`. */
export function urlTrigger(url: string): Trigger {
  return async (scenario) => {
    const response = await request(url, { method: 'POST', body: JSON.stringify(scenario), headers: { 'content-type': 'application/json' } });
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode >= 300) throw Object.assign(new Error('the trigger URL refused'), { code: `TRIGGER_HTTP_${response.statusCode}` });
  };
}

/** A trigger that runs `command` with `sh -c`, with ZICHT_SCENARIO, ZICHT_CASE and ZICHT_GATEWAY_URL set. */
export function commandTrigger(command: string, timeoutMs = 60_000): Trigger {
  return (scenario) =>
    new Promise((resolve, reject) => {
      execFile('sh', ['-c', command], { timeout: timeoutMs, env: { ...process.env, ZICHT_SCENARIO: scenario.scenario, ZICHT_CASE: scenario.case, ZICHT_GATEWAY_URL: scenario.gateway } }, (error) => {
        if (error) reject(Object.assign(new Error('the trigger command failed'), { code: 'TRIGGER_COMMAND_FAILED' }));
        else resolve();
      });
    });
}
