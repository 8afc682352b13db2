/**
 * The reference gemeente's decision trigger (conformance/README.md "A person's decision", implementation-questions
 * Q174, Q177): a party accepts a handover once (ONT-008), so a second acceptance is declined (409), but a
 * niet-geaccepteerd does not close the handover: a later acceptance after consultation is taken, and is what the
 * gateway records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ZichtClient } from '../../src/client/index.js';
import { createDemoKeys, createDemoNetwork, DEMO_OIN, DEMO_GEMEENTECODE, exampleBericht } from '../../src/demo/network.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../../src/demo/reference-receiver.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';

let dir: string;
let heerlen: ReferenceReceiver;
let gateway: RunningGateway;
let vt: ZichtClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-decisions-'));
  const keys = await createDemoKeys();
  let gatewayUrl = '';
  heerlen = await startReferenceReceiver({
    signer: keys.heerlen,
    rol: 'lokaal-team',
    gemeentecodes: [DEMO_GEMEENTECODE.heerlen],
    gatewayUrl: () => gatewayUrl,
    gatewayOin: DEMO_OIN.gateway,
    sendReceipts: true,
    retryDelaysMs: [50, 100],
    behandelaar: { team: 'Sociaal team Heerlen', email: 'sociaalteam@heerlen.example' },
    decisionTrigger: true,
  });
  const network = await createDemoNetwork({ heerlen: heerlen.url }, keys);
  gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: join(dir, 'gateway.db'), port: 0, allowPrivateEndpoints: true, retention: false, console: false });
  gatewayUrl = gateway.url;
  vt = new ZichtClient({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway, signer: keys.vtZuidLimburg });
}, 60_000);

afterAll(async () => {
  await heerlen.close();
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}

const decide = async (body: object) => (await fetch(heerlen.triggerUrl ?? '', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })).status;
/** The statuses of the receipts for `handover` the gateway accepted and holds in VT's postbus (VT has no push address here), oldest first. */
const statuses = async (handover: string): Promise<unknown[]> =>
  (await vt.postbus({ limit: 100 })).berichten.filter((b) => b.berichtType === 'ontvangstbevestiging' && b.inAntwoordOp === handover).map((b) => (b.inhoud as { status?: unknown }).status);

it('takes a decision after its own niet-geaccepteerd (Q177) and declines only a second acceptance (ONT-008)', async () => {
  const handover = exampleBericht('overdracht-na-dienst-onderzoek');
  await vt.submit(await vt.sign(handover));
  await until('Heerlen sent its ontvangen', async () => (await statuses(handover.berichtId)).length === 1);
  expect(await decide({ scenario: 'niet-geaccepteerd', berichtId: handover.berichtId, reden: 'Eerst overleg met Kerkrade over de regie.' })).toBe(202);
  await heerlen.idle();
  expect(await decide({ scenario: 'geaccepteerd', berichtId: handover.berichtId, regie: DEMO_OIN.heerlen })).toBe(202);
  await heerlen.idle();
  expect(await decide({ scenario: 'geaccepteerd', berichtId: handover.berichtId, regie: DEMO_OIN.heerlen })).toBe(409);
  await heerlen.idle();
  expect(await statuses(handover.berichtId)).toEqual(['ontvangen', 'niet-geaccepteerd', 'geaccepteerd']);
});
