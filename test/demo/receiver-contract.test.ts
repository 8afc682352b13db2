/**
 * The receiver's contract (spec/v1/receiver.md, AFL-001..007) as the reference receiving system keeps it,
 * behind Zicht's running gateway on localhost: the gateway's push is taken and answered with a receipt;
 * then pushes made by hand with each defect the contract names are refused with the status and rule it
 * gives: no or a wrong push token (401), a replayed token, another media type (415), a bericht for another
 * gemeente of the same participant (422, AFL-003), a key directory that cannot be read (503, AFL-004), and
 * a resend (2xx, no second receipt, AFL-006).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceReceiver, type ReferenceReceiver } from '../../src/demo/reference-receiver.js';
import { createDemoNetwork, DEMO_GEMEENTECODE, DEMO_OIN, exampleBericht, signAs, type DemoNetwork } from '../../src/demo/network.js';
import type { Bericht } from '../../src/model/bericht.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { countersignBericht } from '../../src/signing/countersign.js';

let dir: string;
let gatewayUrl = '';
let network: DemoNetwork;
let heerlen: ReferenceReceiver;
let gateway: RunningGateway;
let handover: Bericht;
let pushed: Bericht;
const problems: string[] = [];
const arrivals = new Map<string, string>();

const receiptsOf = async (berichtId: string) =>
  (await gateway.store.listBerichtenByDossier(handover.dossier.referentie)).filter((b) => b.berichtType === 'ontvangstbevestiging' && b.inAntwoordOp === berichtId && b.senderOin === DEMO_OIN.heerlen);

/** A refusal's body as openapi.json's Problem has it, every required member (receiver.md §7, Q163). */
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
ajv.addSchema(JSON.parse(readFileSync(join(import.meta.dirname, '../../spec/v1/openapi.json'), 'utf8')) as object, 'openapi.json');
const isProblem = ajv.compile({ $ref: 'openapi.json#/components/schemas/Problem' });

const push = async (body: unknown, headers: Record<string, string>) => {
  const response = await fetch(`${heerlen.url}/berichten`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers });
  const text = await response.text();
  if (text !== '') expect(isProblem(JSON.parse(text)), JSON.stringify(isProblem.errors)).toBe(true);
  return { status: response.status, headers: response.headers, rules: text === '' ? [] : (JSON.parse(text) as { issues: { rule: string }[] }).issues.map((i) => i.rule) };
};
const asGateway = async (audience: string = DEMO_OIN.heerlen) => ({ 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(network.gateway, audience)}` });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-afl-'));
  const network0 = await createDemoNetwork();
  heerlen = await startReferenceReceiver({
    signer: network0.signers.heerlen,
    rol: 'lokaal-team',
    gemeentecodes: [DEMO_GEMEENTECODE.heerlen],
    gatewayUrl: () => gatewayUrl,
    gatewayOin: DEMO_OIN.gateway,
    sendReceipts: true,
    onReceived: (bericht, _encryptedTo, ontvangenOp) => arrivals.set(bericht.berichtId, ontvangenOp),
    onProblem: (problem) => problems.push(problem),
  });
  network = await createDemoNetwork({ heerlen: heerlen.url }, { ...network0.signers, gateway: network0.gateway });
  gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: join(dir, 'gateway.db'), port: 0, allowPrivateEndpoints: true, timers: false, retention: false, console: false });
  gatewayUrl = gateway.url;
  handover = exampleBericht('overdracht-na-dienst-onderzoek');
  const response = await fetch(`${gateway.url}/v1/berichten`, {
    method: 'POST',
    body: JSON.stringify(await signAs(network, 'vtZuidLimburg', handover)),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway)}` },
  });
  expect(response.status).toBe(202);
  const deadline = Date.now() + 20_000;
  while (heerlen.received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await heerlen.idle();
  pushed = heerlen.received[0]!;
}, 60_000);

afterAll(async () => {
  await heerlen.close();
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the reference receiver keeps the receiver contract', () => {
  it("takes the gateway's push and answers it with one receipt `ontvangen`, accepted by the gateway (AFL-001, AFL-005)", async () => {
    expect(pushed.berichtId).toBe(handover.berichtId);
    expect(pushed.signatures).toHaveLength(2);
    expect(problems).toEqual([]);
    const receipts = await receiptsOf(handover.berichtId);
    expect(receipts).toHaveLength(1);
    expect((JSON.parse(receipts[0]!.body) as { inhoud: { status: string } }).inhoud.status).toBe('ontvangen');
  });

  it('tells its system the arrival time its receipt carries as ontvangenOp, which a later acceptance repeats (Q108, ONT-005, ONT-006)', async () => {
    const [receipt] = await receiptsOf(handover.berichtId);
    const { inhoud } = JSON.parse(receipt!.body) as { inhoud: { ontvangenOp: string } };
    expect(arrivals.get(handover.berichtId)).toBe(inhoud.ontvangenOp);
  });

  it('refuses a JWE body over 1,400,000 bytes with 413 BER-002 before trying to decrypt it (receiver.md §2, Q123)', async () => {
    const part = 'A'.repeat(350_001);
    const oversized = `eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.${part}.${part}.${part}.${part}`;
    expect(await push(oversized, { ...(await asGateway()), 'content-type': 'application/jose' })).toMatchObject({ status: 413, rules: ['BER-002'] });
    // Below the bound, the same undecryptable body is ENC-004's 400.
    const small = `eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.${'A'.repeat(10)}.${'A'.repeat(10)}.${'A'.repeat(10)}.${'A'.repeat(10)}`;
    expect(await push(small, { ...(await asGateway()), 'content-type': 'application/jose' })).toMatchObject({ status: 400, rules: ['ENC-004'] });
  });

  it('refuses a push without a token, with a token for another receiver, or by another issuer, with 401 (AFL-002)', async () => {
    const plain = await push(pushed, { 'content-type': 'application/json' });
    expect(plain).toMatchObject({ status: 401, rules: ['AFL-002'] });
    expect(plain.headers.get('www-authenticate')).toBe('Bearer');
    expect(await push(pushed, await asGateway(DEMO_OIN.kerkrade))).toMatchObject({ status: 401, rules: ['AFL-002'] });
    const byVt = { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.heerlen)}` };
    expect(await push(pushed, byVt)).toMatchObject({ status: 401, rules: ['AFL-002'] });
  });

  it('takes a resend with 2xx and sends no second receipt (AFL-006); the same token twice is refused (AFL-002)', async () => {
    const headers = await asGateway();
    expect((await push(pushed, headers)).status).toBe(200);
    expect(await push(pushed, headers)).toMatchObject({ status: 401, rules: ['AFL-002'] });
    await heerlen.idle();
    expect(await receiptsOf(handover.berichtId)).toHaveLength(1);
    expect(heerlen.received).toHaveLength(1);
  });

  it('takes a resend it holds with 2xx before the signatures, even when they no longer verify; a bericht it does not hold with the same defect is refused (AFL-006, receiver.md §6, Q136)', async () => {
    const broken = (bericht: Bericht) => {
      const [first, ...rest] = (bericht as unknown as { signatures: { protected: string; signature: string }[] }).signatures;
      const signature = first!.signature.startsWith('A') ? `B${first!.signature.slice(1)}` : `A${first!.signature.slice(1)}`;
      return { ...bericht, signatures: [{ ...first!, signature }, ...rest] };
    };
    expect((await push(broken(pushed), await asGateway())).status).toBe(200);
    const fresh = { ...exampleBericht('overdracht-na-dienst-onderzoek'), berichtId: '6c1d1a36-5e0f-4b9e-8f55-3c2b1a0d9e03', dossier: { referentie: 'VTZL-2026-AFL006', volgnummer: 1 } };
    const signed = await countersignBericht(await signAs(network, 'vtZuidLimburg', fresh), network.gateway, new Date());
    expect(await push(broken(signed), await asGateway())).toMatchObject({ status: 422, rules: ['SIG-005'] });
    await heerlen.idle();
    expect(heerlen.received.map((b) => b.berichtId)).toEqual([handover.berichtId]);
  });

  it('refuses another media type with 415 (AFL-007)', async () => {
    expect(await push(pushed, { ...(await asGateway()), 'content-type': 'text/plain' })).toMatchObject({ status: 415, rules: ['AFL-007'] });
  });

  it('refuses, with 422 AFL-003, a bericht that names its OIN only for a gemeente it does not serve', async () => {
    const base = exampleBericht('overdracht-na-dienst-onderzoek');
    // Heerlen's OIN, but as the receiver for Kerkrade's gemeentecode (and Kerkrade's for Heerlen's): otherwise valid, countersigned as the gateway would.
    const ontvangers = [
      { oin: DEMO_OIN.heerlen, rol: 'lokaal-team' as const, gemeentecode: DEMO_GEMEENTECODE.kerkrade },
      { oin: DEMO_OIN.kerkrade, rol: 'lokaal-team' as const, gemeentecode: DEMO_GEMEENTECODE.heerlen },
    ];
    const misaddressed = { ...base, berichtId: '6c1d1a36-5e0f-4b9e-8f55-3c2b1a0d9e01', dossier: { referentie: 'VTZL-2026-AFL003', volgnummer: 1 }, ontvangers };
    const signed = await countersignBericht(await signAs(network, 'vtZuidLimburg', misaddressed), network.gateway, new Date());
    expect(await push(signed, await asGateway())).toMatchObject({ status: 422, rules: ['AFL-003'] });
  });

  it('answers 503 (AFL-004) and takes nothing while the key directory cannot be read', async () => {
    const other = { ...exampleBericht('overdracht-na-dienst-onderzoek'), berichtId: '6c1d1a36-5e0f-4b9e-8f55-3c2b1a0d9e02', dossier: { referentie: 'VTZL-2026-AFL004', volgnummer: 1 } };
    const signed = await countersignBericht(await signAs(network, 'vtZuidLimburg', other), network.gateway, new Date());
    const headers = await asGateway();
    gatewayUrl = 'http://127.0.0.1:9';
    try {
      const answer = await push(signed, headers);
      expect(answer).toMatchObject({ status: 503, rules: ['AFL-004'] });
      expect(answer.headers.get('retry-after')).toBe('30');
    } finally {
      gatewayUrl = gateway.url;
    }
    expect(heerlen.received.map((b) => b.berichtId)).not.toContain(other.berichtId);
  });
});
