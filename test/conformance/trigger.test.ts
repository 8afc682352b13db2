/**
 * The trigger hooks (role vt's scenarios, role gemeente's decisions): a command gets the scenario in its environment,
 * a URL gets it as JSON; a declined decision (409, exit 3) is told apart from a hook that failed (an error of the case).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandTrigger, urlTrigger, type Scenario } from '../../conformance/trigger.js';

describe('commandTrigger', () => {
  const scenario = { scenario: 'overdracht', case: 'CNF-701', gateway: 'http://127.0.0.1:8790' } as const;
  const decision = { scenario: 'geaccepteerd', case: 'CNF-385', gateway: 'http://127.0.0.1:8790', berichtId: '8d7c1a52-5d1e-4d5e-9b33-0a1f6f0c2b11', regie: '00000001000000009280' } as const;
  it('runs the command with ZICHT_SCENARIO, ZICHT_CASE and ZICHT_GATEWAY_URL set', async () => {
    await expect(commandTrigger('test "$ZICHT_SCENARIO $ZICHT_CASE $ZICHT_GATEWAY_URL" = "overdracht CNF-701 http://127.0.0.1:8790"')(scenario)).resolves.toBe('triggered');
  });
  it('sets ZICHT_BERICHT_ID and ZICHT_REGIE for a decision, and leaves ZICHT_REDEN unset when the scenario has none', async () => {
    await expect(commandTrigger('test "$ZICHT_SCENARIO $ZICHT_BERICHT_ID $ZICHT_REGIE" = "geaccepteerd 8d7c1a52-5d1e-4d5e-9b33-0a1f6f0c2b11 00000001000000009280" && test -z "${ZICHT_REDEN+set}"')(decision)).resolves.toBe('triggered');
  });
  it('takes exit 3 as a declined decision (decided on already)', async () => {
    await expect(commandTrigger('exit 3')(decision)).resolves.toBe('declined');
  });
  it('rejects with a stable code when the command fails', async () => {
    await expect(commandTrigger('exit 1')(scenario)).rejects.toMatchObject({ code: 'TRIGGER_COMMAND_FAILED' });
  });
});

describe('urlTrigger', () => {
  const seen: unknown[] = [];
  let server: ServerType;
  let url = '';
  beforeAll(async () => {
    const app = new Hono();
    app.post('/:status', async (c) => {
      seen.push(await c.req.json());
      return c.body(null, Number(c.req.param('status')) as 202);
    });
    server = await new Promise<ServerType>((resolve) => {
      const s: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => { resolve(s); });
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => { server.close(() => { resolve(); }); }));

  const decision: Scenario = { scenario: 'niet-geaccepteerd', case: 'CNF-383', gateway: 'http://127.0.0.1:8790', berichtId: '8d7c1a52-5d1e-4d5e-9b33-0a1f6f0c2b11', reden: 'Geen capaciteit.' };
  it('POSTs the scenario as JSON and takes 2xx as triggered', async () => {
    await expect(urlTrigger(`${url}/202`)(decision)).resolves.toBe('triggered');
    expect(seen.at(-1)).toEqual(decision);
  });
  it('takes 409 as a declined decision', async () => {
    await expect(urlTrigger(`${url}/409`)(decision)).resolves.toBe('declined');
  });
  it('rejects any other status with a stable code', async () => {
    await expect(urlTrigger(`${url}/404`)(decision)).rejects.toMatchObject({ code: 'TRIGGER_HTTP_404' });
  });
});
