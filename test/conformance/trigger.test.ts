/** Role vt's trigger hooks: a command gets the scenario in its environment; a failing hook is an error of the case. */
import { describe, expect, it } from 'vitest';
import { commandTrigger } from '../../conformance/trigger.js';

describe('commandTrigger', () => {
  const scenario = { scenario: 'overdracht', case: 'CNF-701', gateway: 'http://127.0.0.1:8790' } as const;
  it('runs the command with ZICHT_SCENARIO, ZICHT_CASE and ZICHT_GATEWAY_URL set', async () => {
    await expect(commandTrigger('test "$ZICHT_SCENARIO $ZICHT_CASE $ZICHT_GATEWAY_URL" = "overdracht CNF-701 http://127.0.0.1:8790"')(scenario)).resolves.toBeUndefined();
  });
  it('rejects with a stable code when the command fails', async () => {
    await expect(commandTrigger('exit 3')(scenario)).rejects.toMatchObject({ code: 'TRIGGER_COMMAND_FAILED' });
  });
});
