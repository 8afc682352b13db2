/**
 * Role gateway: another implementation of the Zicht gateway. The suite plays both ends: it sends
 * as every party of the spec's examples (`POST {target}/v1/berichten` with a bearer token) and
 * receives the pushes as those parties at its listener. The gateway's operator registers the suite's
 * parties first (`zicht conformance --role gateway --write-registry FILE`), with the tester's key
 * and push addresses at the suite.
 */
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { Transportbevestiging } from '../../src/model/transportbevestiging.js';
import { combineKeyResolvers, jwksKeyResolver, type KeyResolver } from '../../src/signing/key-resolver.js';
import { signBericht } from '../../src/signing/sign.js';
import { verifyBericht } from '../../src/signing/verify.js';
import { fail, pass, type ConformanceCase, type Exchange, type Verdict } from '../case.js';
import { examples, RunIdentities, validExample, type ExampleFile } from '../fixtures.js';
import { codeOf } from '../errors.js';
import { getJson, postBericht, type Response } from '../http.js';
import { caseId, ruleCaseId } from '../ids.js';
import type { SuiteNetwork } from '../network.js';
import type { Peer } from '../peer.js';
import { signWithDefect, type SignatureDefect } from '../tamper.js';
import { gatewayLogCases } from './gateway-log.js';
import { gatewayTrustCases } from './trust.js';
import { berichtOf, invalidExamplesOf, judgeRefusal, note, paddedPastLimit } from './shared.js';
import { responsibilityCase } from './gateway-responsibility.js';

/** What the gateway cases work with. */
export interface GatewayContext {
  /** The gateway's base URL. */
  readonly url: string;
  readonly gatewayOin: string;
  readonly network: SuiteNetwork;
  readonly peer: Peer;
  readonly ids: RunIdentities;
  readonly timeoutMs: number;
}

type Json = Record<string, unknown> & { verzender: { oin: string; rol: string }; berichtId: string; ontvangers: { oin: string }[] };

const CASE = (n: number) => caseId('gateway', n);
/** The bericht types the suite sends as a participant (a termijnsignaal comes from the gateway itself). */
const TYPE_ORDER = ['overdracht', 'veiligheidsvoorwaarden', 'ontvangstbevestiging', 'contact-gestart', 'monitoring', 'escalatie', 'escalatie-antwoord', 'afsluiting'];

/** The valid examples in an order a gateway can accept them: handovers before what refers to them. */
export const validInOrder = (): ExampleFile[] =>
  [...examples().valid]
    .filter((e) => TYPE_ORDER.includes(String(e.json?.berichtType)))
    // In the order they were sent: a dossier's trail (handover, receipts, contact, monitoring, escalation, closure).
    .sort((a, b) => Date.parse(String(a.json?.verzondenOp)) - Date.parse(String(b.json?.verzondenOp)) || a.name.localeCompare(b.name));

async function submit(context: GatewayContext, body: Json | Uint8Array, evidence: Exchange[], as?: string): Promise<Response> {
  const signer = await context.network.signer(as ?? (body instanceof Uint8Array ? context.network.parties[0]?.oin ?? '' : body.verzender.oin));
  const response = await postBericht(`${context.url}/v1/berichten`, body instanceof Uint8Array ? body : JSON.stringify(body), signer, context.gatewayOin);
  note(evidence, 'POST {target}/v1/berichten', response, body instanceof Uint8Array ? undefined : body);
  return response;
}

/** Verification keys: the suite's parties (with their roles) and the gateway's published JWKS (role gateway). */
export async function keysOf(context: GatewayContext): Promise<{ keys: KeyResolver; jwks: JSONWebKeySet }> {
  const published = await getJson(`${context.url}/.well-known/jwks.json`);
  const jwks = (published.json ?? { keys: [] }) as JSONWebKeySet;
  const roles = new Map(context.network.parties.map((p) => [p.oin, p.rol]));
  const suite = jwksKeyResolver({ keys: [context.network.gateway.publicJwk] });
  const parties: KeyResolver = {
    async resolve(oin, kid) {
      const rol = roles.get(oin);
      const key = await suite.resolve(oin, kid);
      return key && rol ? { ...key, rol } : undefined;
    },
  };
  const gateway = jwksKeyResolver(jwks, { rol: 'gateway' });
  return { keys: combineKeyResolvers({ resolve: (oin, kid) => (oin === context.gatewayOin ? gateway.resolve(oin, kid) : undefined) }, parties), jwks };
}

/** Checks a 202's transport receipt: its countersignature verifies over the bericht with the gateway's key. */
async function judgeAccepted(context: GatewayContext, bericht: Json, response: Response, what: string): Promise<Verdict> {
  if (response.status === 0) return { outcome: 'error', reason: `no HTTP answer (${response.code ?? 'network error'})` };
  if (response.status !== 202) return fail(`${what} got HTTP ${response.status}; a valid bericht is accepted with 202`);
  const receipt = Transportbevestiging.safeParse(response.json);
  if (!receipt.success) return fail(`${what}: the 202 body is not a transportbevestiging`);
  if (receipt.data.berichtId !== bericht.berichtId) return fail(`${what}: the transportbevestiging names another berichtId`);
  try {
    const { keys } = await keysOf(context);
    const verified = await verifyBericht({ ...bericht, signatures: [...((bericht.signatures as unknown[] | undefined) ?? []), receipt.data.handtekening] }, { keys, requireCountersignature: true });
    if (verified.countersignatures[0]?.oin !== context.gatewayOin) return fail(`${what}: the countersignature is not the gateway's`);
  } catch (error) {
    return fail(`${what}: the countersignature does not verify with the gateway's published key (${codeOf(error)})`);
  }
  return pass(`${what} was accepted with a transportbevestiging whose countersignature verifies`);
}

/** Waits for a push of `berichtId` to party `oin`, and checks its token and countersignature. */
async function judgePush(context: GatewayContext, berichtId: string, oin: string, evidence: Exchange[]): Promise<Verdict> {
  const push = await context.peer.waitFor((i) => i.to === 'receiver' && i.oin === oin && berichtOf(i)?.berichtId === berichtId, context.timeoutMs);
  if (!push) return fail(`no push to ${oin} arrived within ${context.timeoutMs} ms`);
  evidence.push({ direction: 'received', request: `POST /p/${oin}/v1/berichten`, body: push.json });
  const { keys, jwks } = await keysOf(context);
  const token = /^Bearer (.+)$/.exec(push.authorization ?? '')?.[1];
  try {
    if (token === undefined) throw new Error('no token');
    await jwtVerify(token, createLocalJWKSet(jwks), { audience: oin, issuer: context.gatewayOin, maxTokenAge: 300 });
  } catch {
    return fail(`the push to ${oin} carries no valid bearer token of the gateway (iss the gateway, aud the receiver)`);
  }
  try {
    await verifyBericht(push.json, { keys, requireCountersignature: true });
  } catch (error) {
    return fail(`the push to ${oin} does not carry a verifying sender signature and gateway countersignature (${codeOf(error)})`);
  }
  return pass(`pushed to ${oin}, countersigned`);
}

/** The run's signed valid examples, made once per run and shared by the cases that need them. */
const sent = new WeakMap<GatewayContext, Map<string, { json: Json; response: Response }>>();
export async function sendValid(context: GatewayContext, name: string, evidence: Exchange[]): Promise<{ json: Json; response: Response }> {
  let bySent = sent.get(context);
  if (!bySent) {
    bySent = new Map();
    sent.set(context, bySent);
  }
  const earlier = bySent.get(name);
  if (earlier) return earlier;
  const unsigned = context.ids.apply(validExample(name).json ?? {}) as Json;
  const json = (await signBericht(unsigned, await context.network.signer(unsigned.verzender.oin))) as Json;
  const result = { json, response: await submit(context, json, evidence) };
  bySent.set(name, result);
  return result;
}

const behaviour: ConformanceCase<GatewayContext>[] = [
  {
    id: CASE(1),
    title: 'Accepts every valid example of the spec with a countersigned transportbevestiging (202)',
    rules: ['SIG-004', 'SIG-005', 'RTE-001', 'RTE-002', 'RTE-003'],
    level: 'must',
    async run(context, evidence) {
      for (const example of validInOrder()) {
        const { json, response } = await sendValid(context, example.name, evidence);
        const verdict = await judgeAccepted(context, json, response, example.name);
        if (verdict.outcome !== 'pass') return verdict;
      }
      return pass('every valid example was accepted and countersigned');
    },
  },
  {
    id: CASE(2),
    title: 'Delivers a handover to every gemeente of the household, with its countersignature',
    rules: ['OVD-007', 'RTE-002', 'SIG-004'],
    level: 'must',
    async run(context, evidence) {
      const { json, response } = await sendValid(context, 'overdracht-na-dienst-onderzoek', evidence);
      if (response.status !== 202) return fail(`the handover got HTTP ${response.status}`);
      for (const ontvanger of json.ontvangers) {
        const verdict = await judgePush(context, json.berichtId, ontvanger.oin, evidence);
        if (verdict.outcome !== 'pass') return verdict;
      }
      return pass('pushed to every receiver, countersigned and with the gateway\'s token');
    },
  },
  {
    id: CASE(3),
    title: 'Routes an ontvangstbevestiging back to the VT that sent the handover',
    rules: ['ONT-004'],
    level: 'must',
    async run(context, evidence) {
      const { json, response } = await sendValid(context, 'ontvangstbevestiging-geaccepteerd', evidence);
      if (response.status !== 202) return fail(`the ontvangstbevestiging got HTTP ${response.status}`);
      const vt = json.ontvangers[0]?.oin ?? '';
      return judgePush(context, json.berichtId, vt, evidence);
    },
  },
  {
    id: CASE(4),
    title: 'Answers a resend of the same bericht with the original transportbevestiging',
    rules: ['BER-015'],
    level: 'must',
    async run(context, evidence) {
      const { json, response } = await sendValid(context, 'overdracht-na-veiligheidsbeoordeling', evidence);
      if (response.status !== 202) return fail(`the handover got HTTP ${response.status}`);
      const again = await submit(context, json, evidence);
      if (again.status !== 202) return fail(`the resend got HTTP ${again.status}; a resend is answered with 202 and the original receipt`);
      const first = Transportbevestiging.safeParse(response.json);
      const second = Transportbevestiging.safeParse(again.json);
      if (!first.success || !second.success) return fail('a 202 body is not a transportbevestiging');
      return first.data.ontvangenOp === second.data.ontvangenOp && first.data.handtekening.signature === second.data.handtekening.signature
        ? pass('the resend got the original transportbevestiging')
        : fail('the resend got a new transportbevestiging: the bericht was accepted twice');
    },
  },
  ...(
    [
      { n: 11, defect: 'unsigned', rule: 'SIG-001', title: 'Refuses an unsigned bericht (SIG-001)' },
      { n: 12, defect: 'alg-hs256', rule: 'SIG-002', title: 'Refuses a bericht signed with HS256 (SIG-002)' },
      { n: 13, defect: 'unknown-key', rule: 'SIG-003', title: "Refuses a bericht signed with a key not registered for its sender (SIG-003)" },
      { n: 14, defect: 'other-signer', rule: 'SIG-004', title: 'Refuses a bericht signed by another participant than its sender (SIG-004)' },
      { n: 15, defect: 'content-changed', rule: 'SIG-005', title: 'Refuses a bericht whose content changed after signing (SIG-005)' },
    ] as const
  ).map(({ n, defect, rule, title }): ConformanceCase<GatewayContext> => ({
    id: CASE(n),
    title,
    rules: [rule],
    level: 'must',
    async run(context, evidence) {
      const json = new RunIdentities().apply(validExample('overdracht-na-veiligheidsbeoordeling').json ?? {}) as Json;
      const other = context.network.parties.find((p) => p.oin !== json.verzender.oin)?.oin ?? '';
      const body = (await signWithDefect(json, context.network, defect satisfies SignatureDefect, other, false)) as Json;
      return refusedWithRule(await submit(context, body, evidence, json.verzender.oin), rule);
    },
  })),
  {
    id: CASE(21),
    title: 'Refuses a bericht whose sender is registered with another role (RTE-001)',
    rules: ['RTE-001'],
    level: 'must',
    async run(context, evidence) {
      const { json: handover, response } = await sendValid(context, 'overdracht-na-dienst-onderzoek', evidence);
      if (response.status !== 202) return fail(`the handover it answers got HTTP ${response.status}`);
      const receipt = context.ids.apply(validExample('ontvangstbevestiging-geaccepteerd').json ?? {}) as Json;
      const wrongRole = { ...receipt, berichtId: randomUUID(), verzender: { ...receipt.verzender, rol: receipt.verzender.rol === 'gemeente' ? 'lokaal-team' : 'gemeente' }, dossier: { ...(receipt.dossier as object), volgnummer: 7 }, verzondenOp: new Date().toISOString(), inAntwoordOp: handover.berichtId };
      const body = await signBericht(wrongRole, await context.network.signer(receipt.verzender.oin));
      return refusedWithRule(await submit(context, body, evidence), 'RTE-001');
    },
  },
  {
    id: CASE(22),
    title: 'Refuses a handover to a receiver that is not registered (RTE-002)',
    rules: ['RTE-002'],
    level: 'must',
    async run(context, evidence) {
      const json = new RunIdentities().apply(validExample('overdracht-na-veiligheidsbeoordeling').json ?? {}) as Json;
      const unknown = { ...json, ontvangers: json.ontvangers.map((o, i) => (i === 0 ? { ...o, oin: '00000001999999999999' } : o)) };
      return refusedWithRule(await submit(context, await signBericht(unknown, await context.network.signer(json.verzender.oin)), evidence), 'RTE-002');
    },
  },
  {
    id: CASE(23),
    title: 'Refuses a handover for a household in a gemeente no participant serves (RTE-003)',
    rules: ['RTE-003'],
    level: 'must',
    async run(context, evidence) {
      const example = validExample('overdracht-na-veiligheidsbeoordeling').json ?? {};
      const code = (example.ontvangers as { gemeentecode?: string }[] | undefined)?.[0]?.gemeentecode ?? '';
      const json = new RunIdentities(new Map([[code, 'GM9999']])).apply(example) as Json;
      return refusedWithRule(await submit(context, await signBericht(json, await context.network.signer(json.verzender.oin)), evidence), 'RTE-003');
    },
  },
];

/**
 * A refusal (4xx). Which rules the problem's issues name is reported in the reason but not required:
 * a bericht can break more than one rule, and a gateway may name another it found first (Zicht's own
 * gateway names ONT-004 for the BER-013 example, whose handover is in another dossier).
 */
function refusedWithRule(response: Response, rule: string): Verdict {
  const verdict = judgeRefusal(response, `a bericht that breaks ${rule}`);
  if (verdict.outcome !== 'pass') return verdict;
  const named = response.rules.includes(rule) ? `naming ${rule}` : `naming ${response.rules.join(', ') || 'no rule'} rather than ${rule}`;
  return pass(`refused with HTTP ${response.status}, ${named}`);
}

function exampleCase(example: ExampleFile): ConformanceCase<GatewayContext> | undefined {
  const rule = example.rule;
  const id = rule === undefined ? undefined : ruleCaseId('gateway', rule);
  if (rule === undefined || id === undefined) return undefined;
  return {
    id,
    title: `Refuses the spec's invalid example ${example.name}`,
    rules: [rule],
    level: 'must',
    async run(context, evidence) {
      // The trail the example refers to: every valid example, sent once per run.
      for (const valid of validInOrder()) await sendValid(context, valid.name, []);
      const verzender = example.json?.verzender as { oin?: unknown } | undefined;
      if (!example.json || typeof verzender?.oin !== 'string') return refusedWithRule(await submit(context, new Uint8Array(example.bytes), evidence), rule);
      const json = context.ids.apply(example.json) as Json;
      const body = await signBericht(json, await context.network.signer(json.verzender.oin));
      return refusedWithRule(await submit(context, body, evidence), rule);
    },
  };
}

/** BER-002 has no example file (it would be a megabyte): the case builds one, a valid handover padded past the limit. */
const sizeCase: ConformanceCase<GatewayContext> = {
  id: ruleCaseId('gateway', 'BER-002') ?? '',
  title: 'Refuses a bericht larger than 1,048,576 bytes (a valid handover, padded with whitespace)',
  rules: ['BER-002'],
  level: 'must',
  async run(context, evidence) {
    const unsigned = new RunIdentities().apply(validExample('overdracht-na-veiligheidsbeoordeling').json ?? {}) as Json;
    const json = await signBericht(unsigned, await context.network.signer(unsigned.verzender.oin));
    return refusedWithRule(await submit(context, paddedPastLimit(json), evidence, unsigned.verzender.oin), 'BER-002');
  },
};

/** Every case of role gateway, in the order they run. */
export function gatewayCases(): ConformanceCase<GatewayContext>[] {
  return [...behaviour, ...gatewayTrustCases(), sizeCase, responsibilityCase, ...gatewayLogCases(), ...invalidExamplesOf(examples().invalid, TYPE_ORDER).flatMap((e) => exampleCase(e) ?? [])];
}
