/**
 * The reference gemeente's decision trigger (conformance/README.md "A person's decision", implementation-questions
 * Q174, Q177): a second acceptance would break ONT-008, and a decision after its own niet-geaccepteerd would change
 * nothing (the niet-geaccepteerd outweighs it), so both are declined (409) and nothing is sent; a niet-geaccepteerd
 * after an acceptance hands the case back to VT (responsibility.md §4) and is sent.
 */
import { randomBytes } from 'node:crypto';
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

async function handedOver(): Promise<string> {
  // Each test's handover opens a dossier of its own.
  const handover = { ...exampleBericht('overdracht-na-dienst-onderzoek'), dossier: { referentie: `VTREF-${randomBytes(4).toString('hex')}`, volgnummer: 1 } };
  await vt.submit(await vt.sign(handover));
  await until('Heerlen sent its ontvangen', async () => (await statuses(handover.berichtId)).length === 1);
  return handover.berichtId;
}

it('declines a second acceptance (ONT-008) and sends nothing, but sends a niet-geaccepteerd after its acceptance (the case goes back to VT)', async () => {
  const handover = await handedOver();
  expect(await decide({ scenario: 'geaccepteerd', berichtId: handover, regie: DEMO_OIN.heerlen })).toBe(202);
  await heerlen.idle();
  expect(await decide({ scenario: 'geaccepteerd', berichtId: handover, regie: DEMO_OIN.heerlen })).toBe(409);
  expect(await decide({ scenario: 'niet-geaccepteerd', berichtId: handover, reden: 'Toch geen capaciteit.' })).toBe(202);
  await heerlen.idle();
  expect(await decide({ scenario: 'niet-geaccepteerd', berichtId: handover, reden: 'Nog steeds geen capaciteit.' })).toBe(409);
  await until('the gateway holds its three receipts', async () => (await statuses(handover)).length === 3);
  expect(await statuses(handover)).toEqual(['ontvangen', 'geaccepteerd', 'niet-geaccepteerd']);
});

it('declines any decision after its own niet-geaccepteerd, which outweighs it (Q177), and sends nothing', async () => {
  const handover = await handedOver();
  expect(await decide({ scenario: 'niet-geaccepteerd', berichtId: handover, reden: 'Geen capaciteit deze maand.' })).toBe(202);
  await heerlen.idle();
  expect(await decide({ scenario: 'geaccepteerd', berichtId: handover, regie: DEMO_OIN.heerlen })).toBe(409);
  expect(await decide({ scenario: 'niet-geaccepteerd', berichtId: handover, reden: 'Nog steeds geen capaciteit.' })).toBe(409);
  await heerlen.idle();
  expect(await statuses(handover)).toEqual(['ontvangen', 'niet-geaccepteerd']);
});
