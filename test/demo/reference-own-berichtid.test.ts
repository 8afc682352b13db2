/**
 * receiver.md §6 step 9, implementation-questions.md Q162: a push that carries the berichtId of a bericht the
 * receiver sent itself is never a resend to it. The same content is its own bericht, not addressed to it (422
 * AFL-003); other content is 409 BER-015 (receiver.md §7), not a trail refusal (422).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReferenceReceiver, type ReferenceReceiver } from '../../src/demo/reference-receiver.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork } from '../../src/demo/network.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { countersignBericht } from '../../src/signing/countersign.js';

const handover = exampleBericht('overdracht-na-dienst-onderzoek');
let dir: string;
let vt: ReferenceReceiver;
let gateway: RunningGateway;
let network: DemoNetwork;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-own-'));
  let gatewayUrl = '';
  const network0 = await createDemoNetwork();
  vt = await startReferenceReceiver({ signer: network0.signers.vtZuidLimburg, rol: 'vt', gatewayUrl: () => gatewayUrl, gatewayOin: DEMO_OIN.gateway, sendReceipts: false, sent: () => [handover] });
  network = await createDemoNetwork({ vtZuidLimburg: vt.url }, { ...network0.signers, gateway: network0.gateway });
  gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: join(dir, 'gateway.db'), port: 0, allowPrivateEndpoints: true, timers: false, retention: false, console: false });
  gatewayUrl = gateway.url;
}, 60_000);

afterAll(async () => {
  await vt.close();
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

const push = async (body: unknown) => {
  const response = await fetch(`${vt.url}/berichten`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(network.gateway, DEMO_OIN.vtZuidLimburg)}` } });
  return { status: response.status, rules: ((await response.json()) as { issues: { rule: string }[] }).issues.map((i) => i.rule) };
};

it('refuses its own handover pushed back to it as not addressed to it (422 AFL-003)', async () => {
  const own = await countersignBericht(await signAs(network, 'vtZuidLimburg', handover), network.gateway, new Date());
  expect(await push(own)).toEqual({ status: 422, rules: ['AFL-003'] });
});

it('refuses another bericht under the berichtId of a bericht it sent with 409 BER-015', async () => {
  const base = exampleBericht('ontvangstbevestiging-ontvangen');
  const receipt = { ...base, berichtId: handover.berichtId, verzender: { ...base.verzender, oin: DEMO_OIN.heerlen }, ontvangers: [{ oin: DEMO_OIN.vtZuidLimburg, rol: 'vt' as const }] };
  const other = await countersignBericht(await signAs(network, 'heerlen', receipt), network.gateway, new Date());
  expect(await push(other)).toEqual({ status: 409, rules: ['BER-015'] });
  expect(vt.received).toEqual([]);
});
