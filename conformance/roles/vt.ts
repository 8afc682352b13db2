/**
 * Role vt: the vendor's sending system (a Veilig Thuis case system). The suite plays the gateway:
 * the system is configured with the suite's URL as its gateway, the suite asks for a scenario
 * (../trigger.ts), waits for the berichten to arrive at `POST /v1/berichten`, checks them (valid
 * per the validator, signed with a key registered for the VT, routed to registered receivers,
 * numbered, authenticated) and answers as a gateway does: a countersigned transportbevestiging, or
 * on purpose a 503, a lost answer or a 422, to see how the system reacts. Then it plays the
 * gemeente: it pushes ontvangstbevestigingen to the system's own endpoint (`{target}/berichten`),
 * good ones and wrongly signed ones, which the system must verify, and berichten that break one rule of the
 * input, schema or content (vt-input.ts) or of the trail and lifecycle (vt-trail.ts), which it must refuse.
 */
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Bericht } from '../../src/model/bericht.js';
import { trailOf } from '../../src/rules/context.js';
import { signatureRuleFor } from '../../src/rules/gateway.js';
import { validateBericht } from '../../src/rules/validate.js';
import { canonicalBericht } from '../../src/signing/canonical.js';
import { countersignBericht } from '../../src/signing/countersign.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { createSigner } from '../../src/signing/signer.js';
import { jwksKeyResolver } from '../../src/signing/key-resolver.js';
import { signBericht } from '../../src/signing/sign.js';
import { verifyBericht } from '../../src/signing/verify.js';
import { CanonicalError, KeyError, SignatureError } from '../../src/errors.js';
import { fail, pass, skip, type ConformanceCase, type Exchange, type Verdict } from '../case.js';
import { postBericht, redeliverWhileNotNow, SUITE_RETRY_AFTER_HEADERS, SUITE_RETRY_AFTER_S, tooEarly, type Response } from '../http.js';
import { caseId } from '../ids.js';
import type { SuiteNetwork } from '../network.js';
import type { Answer, Inbound, Peer } from '../peer.js';
import { SIGNATURE_DEFECTS, signWithDefect, type SignatureDefect } from '../tamper.js';
import type { VtScenarioName } from '../trigger.js';
import { receivingCases, tookIt, type ReceivingSide, type Unsigned } from './receiving.js';
import { vtInputCases } from './vt-input.js';
import { vtTrailCases } from './vt-trail.js';
import { berichtOf, judgeRefusal, note, problemAnswer } from './shared.js';

/** The sending system under test. */
export interface SenderUnderTest {
  /** Its own Zicht endpoint (`http://…/v1`), where the gateway pushes receipts: `{url}/berichten`. */
  readonly url: string;
  /** Its OIN (a participant with role vt). */
  readonly oin: string;
  /** Its registered public keys: its signatures and bearer tokens must verify with one of them. */
  readonly jwks: JSONWebKeySet;
}

/**
 * How the suite as gateway answers the first attempt of the next new bericht: a 503, a 429 with a `Retry-After`
 * (`rate-limited`), a lost answer, a 422, or (for a valid bericht) a 202 whose transport receipt does not verify
 * (`unverifiable-receipt`).
 */
export type FirstAnswer = 'unavailable' | 'rate-limited' | 'lost' | 'refused' | 'unverifiable-receipt';

/** What the vt cases work with. */
export interface VtContext {
  readonly sut: SenderUnderTest;
  readonly network: SuiteNetwork;
  readonly peer: Peer;
  readonly timeoutMs: number;
  /** Asks the system (a person, or the trigger hook) to play a scenario. */
  readonly trigger: (scenario: VtScenarioName, caseId: string) => Promise<void>;
  /** Berichten the suite accepted as gateway, by lower-case berichtId. */
  readonly accepted: Map<string, { readonly bericht: Bericht; readonly canonical: string; readonly answer: Answer; readonly at: Date }>;
  /** Set by a case before it triggers: how to answer the first attempt of the next new bericht. */
  plan: FirstAnswer | undefined;
  /** The run's handover (CNF-701), shared by the cases that check or answer it. */
  handover: Inbound | undefined;
  /** The suite's own sequence numbers per sender and dossier (its receipts). */
  readonly volgnummers: Map<string, number>;
}

export type Json = Record<string, unknown> & { verzender: { oin: string; rol?: string }; berichtId: string };

const CASE = (n: number) => caseId('vt', n);
const problem = problemAnswer;
const canonicalOf = (json: unknown): string | undefined => {
  try {
    return Buffer.from(canonicalBericht(json)).toString('utf8');
  } catch {
    return undefined;
  }
};
const idOf = (inbound: Inbound): string | undefined => {
  const id = berichtOf(inbound)?.berichtId;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
};

/** What the suite found in one bericht the system sent. Reasons never carry a value of the bericht. */
interface Findings {
  readonly token?: string;
  /** Error rules the validator found. */
  readonly invalid: readonly string[];
  readonly value?: Bericht;
  /** The rule the signature breaks, and the error code. */
  readonly signature?: { readonly rule: string; readonly code: string };
  /** Routing problems: rule and reason. */
  readonly routing: readonly { readonly rule: string; readonly reason: string }[];
}

const findings = new WeakMap<Inbound, Promise<Findings>>();

/** Checks a bericht the system sent (once per inbound). */
function inspect(context: VtContext, inbound: Inbound): Promise<Findings> {
  let found = findings.get(inbound);
  if (!found) {
    found = inspectNow(context, inbound);
    findings.set(inbound, found);
  }
  return found;
}

async function inspectNow(context: VtContext, inbound: Inbound): Promise<Findings> {
  const { sut, network } = context;
  let token: string | undefined;
  const jwt = /^Bearer (.+)$/.exec(inbound.authorization ?? '')?.[1];
  try {
    if (jwt === undefined) throw new Error('no token');
    await jwtVerify(jwt, createLocalJWKSet(sut.jwks), { audience: network.gateway.oin, issuer: sut.oin, maxTokenAge: 300 });
    const { iat, exp } = decodeJwt(jwt);
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 300) throw new Error('token too long-lived');
  } catch {
    token = 'no valid bearer token of the system (iss its OIN, aud the gateway, signed with a registered key, at most 5 minutes old and 5 minutes long)';
  }
  const trail = [...context.accepted.values()].map((a) => a.bericht);
  const validated = validateBericht(inbound.bytes, { context: trailOf(trail) });
  const invalid = [...new Set(validated.issues.filter((i) => i.severity === 'error').map((i) => i.rule))];
  let signature: Findings['signature'];
  const keys = jwksKeyResolver(sut.jwks, { rol: 'vt' });
  try {
    await verifyBericht(inbound.json, { keys: { resolve: (oin, kid) => (oin === sut.oin ? keys.resolve(oin, kid) : undefined) } });
  } catch (error) {
    if (!(error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError)) throw error;
    signature = { rule: signatureRuleFor(error.code), code: error.code };
  }
  const routing: { rule: string; reason: string }[] = [];
  const bericht = validated.value;
  if (bericht) {
    if (bericht.verzender.oin !== sut.oin || bericht.verzender.rol !== 'vt') routing.push({ rule: 'RTE-001', reason: 'verzender is not the system with role vt' });
    for (const [n, o] of bericht.ontvangers.entries()) {
      const party = network.parties.find((p) => p.oin === o.oin);
      const code = 'gemeentecode' in o ? o.gemeentecode : undefined;
      if (party?.rol !== o.rol || (code !== undefined && !party.gemeentecodes.includes(code))) {
        routing.push({ rule: 'RTE-002', reason: `receiver ${n + 1} is not a participant registered with that role and gemeentecode` });
      }
    }
    if (bericht.berichtType === 'overdracht') {
      const served = new Set(network.parties.filter((p) => p.rol === 'gemeente' || p.rol === 'lokaal-team').flatMap((p) => p.gemeentecodes));
      const codes = bericht.inhoud.directbetrokkenen.flatMap((d) => (d.adres ? [d.adres.gemeentecode] : []));
      if (codes.some((c) => !served.has(c))) routing.push({ rule: 'RTE-003', reason: 'the household lives in a gemeente no registered participant serves' });
    }
  }
  return { ...(token === undefined ? {} : { token }), invalid, ...(bericht ? { value: bericht } : {}), ...(signature ? { signature } : {}), routing };
}

const jtis = new WeakMap<VtContext, { readonly seen: Set<string>; replayed: number }>();

/** Requests of the run whose bearer token's jti an earlier request used. */
const replayedRequests = (context: VtContext): number => jtis.get(context)?.replayed ?? 0;

/** Records the jti of a request's bearer token; false when an earlier request used it. */
function claimJti(context: VtContext, inbound: Inbound): boolean {
  const record = jtis.get(context) ?? { seen: new Set<string>(), replayed: 0 };
  jtis.set(context, record);
  const jwt = /^Bearer (.+)$/.exec(inbound.authorization ?? '')?.[1];
  let jti: unknown;
  try {
    jti = jwt === undefined ? undefined : decodeJwt(jwt).jti;
  } catch {
    jti = undefined;
  }
  if (typeof jti !== 'string') return true;
  if (record.seen.has(jti)) {
    record.replayed++;
    return false;
  }
  record.seen.add(jti);
  return true;
}

/** Per run, the berichten (lower-case berichtId) the suite answered 202 with a transport receipt that does not verify. */
const unverifiable = new WeakMap<VtContext, Set<string>>();
const unverifiableOf = (context: VtContext): Set<string> => {
  const found = unverifiable.get(context) ?? new Set<string>();
  unverifiable.set(context, found);
  return found;
};

/** How the suite, as gateway, answers `POST /v1/berichten` in role vt. */
export function answerAsGateway(context: VtContext): (inbound: Inbound) => Promise<Answer> {
  return async (inbound) => {
    // As a gateway does, before anything else: a token (jti) is used once.
    if (!claimJti(context, inbound)) return problem(401, 'This token (jti) was used before.');
    const id = idOf(inbound);
    const first = id !== undefined && !context.peer.inbound.some((i) => i !== inbound && i.to === 'gateway' && idOf(i) === id);
    let plan: FirstAnswer | undefined;
    if (first && context.plan !== undefined) {
      plan = context.plan;
      context.plan = undefined;
      switch (plan) {
        case 'unavailable':
          return problem(503, 'Unavailable (the conformance suite tests the reaction to a 503; nothing was stored).');
        case 'rate-limited':
          return { ...problem(429, 'Too many requests from this participant (the conformance suite tests the reaction to a 429 with Retry-After; nothing was stored).'), headers: SUITE_RETRY_AFTER_HEADERS };
        case 'lost':
          return { status: 0, drop: true };
        case 'refused':
          return problem(422, 'Refused by the conformance suite (it tests the reaction to a refusal): the receiver is taken as not registered.', ['RTE-002']);
        case 'unverifiable-receipt':
          break;
      }
    }
    const found = await inspect(context, inbound);
    if (found.token !== undefined) return problem(401, 'No valid token.');
    if (found.invalid.length > 0 || !found.value) {
      const status = found.invalid.includes('BER-002') ? 413 : found.invalid.some((r) => r === 'BER-001' || r === 'BER-003') ? 400 : 422;
      return problem(status, 'The bericht breaks rules of the standard.', found.invalid.length > 0 ? found.invalid : ['BER-004']);
    }
    if (found.signature) return problem(422, 'The signatures are refused.', [found.signature.rule]);
    if (found.routing.length > 0) return problem(422, 'The bericht cannot be routed.', [...new Set(found.routing.map((r) => r.rule))]);
    const bericht = found.value;
    const canonical = canonicalOf(bericht) ?? '';
    const earlier = context.accepted.get(bericht.berichtId.toLowerCase());
    if (earlier) return earlier.canonical === canonical ? earlier.answer : problem(409, 'Another bericht with this berichtId was accepted before.', ['BER-015']);
    const at = new Date();
    if (plan === 'unverifiable-receipt') {
      // A countersignature under the gateway's OIN and kid, made with a key not in its key set (SIG-004, SIG-005): nothing is accepted.
      const stranger = await createSigner({ privateJwk: (await generateSigningKey('ES256')).privateJwk, oin: context.network.gateway.oin });
      const forged = await countersignBericht(bericht, { ...stranger, kid: context.network.gateway.kid }, at);
      unverifiableOf(context).add(bericht.berichtId.toLowerCase());
      return { status: 202, body: { berichtId: bericht.berichtId, ontvangenOp: at.toISOString(), ontvangers: bericht.ontvangers.map((o) => ({ oin: o.oin, aflevering: 'push' })), handtekening: forged.signatures.at(-1) } };
    }
    const countersigned = await countersignBericht(bericht, context.network.gateway, at);
    const answer: Answer = {
      status: 202,
      body: { berichtId: bericht.berichtId, ontvangenOp: at.toISOString(), ontvangers: bericht.ontvangers.map((o) => ({ oin: o.oin, aflevering: 'push' })), handtekening: countersigned.signatures.at(-1) },
    };
    context.accepted.set(bericht.berichtId.toLowerCase(), { bericht, canonical, answer, at });
    return answer;
  };
}

/** Triggers `scenario` and waits for the first new bericht of `type` the system sends after it. */
async function await_(context: VtContext, scenario: VtScenarioName, type: string, id: string, evidence: Exchange[], plan?: FirstAnswer): Promise<Inbound | undefined> {
  const since = context.peer.inbound.length;
  context.plan = plan;
  await context.trigger(scenario, id);
  // The plan is consumed by the answer to the first attempt (answerAsGateway), which runs after this wait sees the bericht arrive.
  const found = await context.peer.waitFor((i) => i.to === 'gateway' && berichtOf(i)?.berichtType === type && context.peer.inbound.indexOf(i) >= since, context.timeoutMs);
  if (found) evidence.push({ direction: 'received', request: `POST /v1/berichten (${type})`, body: found.json });
  return found;
}

const noTraffic = (context: VtContext, what: string): Verdict => fail(`no ${what} arrived within ${context.timeoutMs} ms of the trigger`);

/** The run's handover: triggered once, by the first case that needs it. */
async function handoverOf(context: VtContext, id: string, evidence: Exchange[]): Promise<Inbound | undefined> {
  if (context.handover) {
    evidence.push({ direction: 'received', request: 'POST /v1/berichten (overdracht)', body: context.handover.json });
    return context.handover;
  }
  context.handover = await await_(context, 'overdracht', 'overdracht', id, evidence);
  return context.handover;
}

/** A case that checks one aspect of the run's handover. */
function handoverCase(n: number, title: string, rules: readonly string[], judge: (found: Findings) => Verdict): ConformanceCase<VtContext> {
  return {
    id: CASE(n),
    title,
    rules,
    level: 'must',
    async run(context, evidence) {
      const handover = await handoverOf(context, CASE(n), evidence);
      if (!handover) return noTraffic(context, 'handover');
      return judge(await inspect(context, handover));
    },
  };
}

const sigReason = (s: NonNullable<Findings['signature']>) => `the signature is refused: ${s.rule} (${s.code})`;

/** CNF-706 as a handover case; its run adds a settle check over every request of the run. */
const tokenOfItsOwn = handoverCase(6, 'Authenticates with a bearer token signed with its registered key (iss its OIN, aud the gateway), a new one (jti) for every request', ['RTE-001'], (f) =>
  f.token === undefined ? pass('the bearer token verifies with the system\'s registered key') : fail(`the handover came with ${f.token}`),
);

const sending: ConformanceCase<VtContext>[] = [
  handoverCase(1, 'Sends a handover, when asked, that the validator accepts', ['BER-006', 'BER-007', 'BER-012', 'BER-014', 'OVD-007'], (f) =>
    f.invalid.length === 0 ? pass('the handover arrived and the validator finds no error') : fail(`the handover breaks ${f.invalid.join(', ')}`),
  ),
  handoverCase(2, 'Signs what it sends: its own signature first, a well-formed detached JWS', ['SIG-001'], (f) =>
    f.signature?.rule === 'SIG-001' ? fail(sigReason(f.signature)) : pass('the handover carries the sender\'s signature'),
  ),
  handoverCase(3, 'Signs with an algorithm of the profile and a key registered for it', ['SIG-002', 'SIG-003'], (f) =>
    f.signature && ['SIG-001', 'SIG-002', 'SIG-003'].includes(f.signature.rule) ? fail(sigReason(f.signature)) : pass('signed with a registered key, with an algorithm of the profile'),
  ),
  handoverCase(4, 'Its signature names itself and verifies over the canonical bericht', ['SIG-004', 'SIG-005'], (f) =>
    f.signature ? fail(sigReason(f.signature)) : pass('the signature verifies with the system\'s registered key'),
  ),
  handoverCase(5, 'Sends as a registered VT to registered receivers serving the household\'s gemeenten', ['RTE-001', 'RTE-002', 'RTE-003'], (f) => {
    if (!f.value) return fail(`the handover could not be read (${f.invalid.join(', ')}), so its routing could not be checked`);
    return f.routing.length === 0 ? pass('sender and receivers are registered with the roles and gemeentecodes they are named with') : fail(f.routing.map((r) => `${r.rule}: ${r.reason}`).join('; '));
  }),
  {
    ...tokenOfItsOwn,
    async run(context, evidence) {
      const now = await tokenOfItsOwn.run(context, evidence);
      if (now.outcome !== 'pass') return now;
      return {
        ...now,
        settle: () => {
          const reused = replayedRequests(context);
          return reused === 0 ? pass(`${now.reason}, and every request of the run had a token of its own`) : fail(`${reused} request(s) of the run reused a bearer token (its jti) of an earlier request; a gateway refuses a jti it has seen (401)`);
        },
      };
    },
  },
  {
    id: CASE(7),
    title: 'Numbers an update of the veiligheidsvoorwaarden after its handover, and sends it to the same receivers',
    rules: ['BER-011', 'VVW-003', 'VVW-004', 'VVW-006'],
    level: 'must',
    async run(context, evidence) {
      const handover = await handoverOf(context, CASE(7), evidence);
      const handoverBericht = handover ? (await inspect(context, handover)).value : undefined;
      if (!handoverBericht) return handover ? fail('the handover is not valid, so no update can follow it (see CNF-701)') : noTraffic(context, 'handover');
      const update = await await_(context, 'veiligheidsvoorwaarden', 'veiligheidsvoorwaarden', CASE(7), evidence);
      if (!update) return noTraffic(context, 'update of the veiligheidsvoorwaarden');
      const validated = validateBericht(update.bytes, { context: trailOf([handoverBericht]) });
      const errors = [...new Set(validated.issues.filter((i) => i.severity === 'error').map((i) => i.rule))];
      if (errors.length > 0) return fail(`the update, checked against its handover, breaks ${errors.join(', ')}`);
      if (validated.value?.dossier.referentie !== handoverBericht.dossier.referentie) return fail('the update is not in the handover\'s dossier');
      return pass('the update follows its handover: same dossier, a higher volgnummer, the same receivers, a higher versie');
    },
  },
];

/** Waits for a resend of `first`'s berichtId after `first`: `--timeout`, after `retryAfterMs` where the suite asked the sender to wait that long. */
const resendOf = (context: VtContext, first: Inbound, retryAfterMs = 0): Promise<Inbound | undefined> =>
  context.peer.waitFor((i) => i.to === 'gateway' && i !== first && idOf(i) === idOf(first) && context.peer.inbound.indexOf(i) > context.peer.inbound.indexOf(first), retryAfterMs + context.timeoutMs);

const reactions: ConformanceCase<VtContext>[] = [
  {
    id: CASE(11),
    title: 'After a 503 from the gateway, retries the bericht with the same berichtId',
    rules: ['BER-015'],
    level: 'must',
    async run(context, evidence) {
      const first = await await_(context, 'overdracht', 'overdracht', CASE(11), evidence, 'unavailable');
      if (!first) return noTraffic(context, 'handover');
      evidence.push({ direction: 'sent', request: 'answer to POST /v1/berichten', status: 503 });
      const again = await resendOf(context, first);
      return again ? pass('after the 503 the handover was sent again with the same berichtId') : fail(`no retry with the same berichtId arrived within ${context.timeoutMs} ms of the 503 (nothing was stored; a new berichtId would be a second handover)`);
    },
  },
  {
    id: CASE(12),
    title: 'After a lost answer (the connection drops), resends the same bericht unchanged under the same berichtId',
    rules: ['BER-015'],
    level: 'must',
    async run(context, evidence) {
      const first = await await_(context, 'overdracht', 'overdracht', CASE(12), evidence, 'lost');
      if (!first) return noTraffic(context, 'handover');
      evidence.push({ direction: 'sent', request: 'answer to POST /v1/berichten', body: 'connection closed without an answer' });
      const again = await resendOf(context, first);
      if (!again) return fail(`no resend with the same berichtId arrived within ${context.timeoutMs} ms of the lost answer`);
      evidence.push({ direction: 'received', request: 'POST /v1/berichten (resend)', body: again.json });
      return canonicalOf(again.json) === canonicalOf(first.json)
        ? pass('the resend is the same bericht (same berichtId, same canonical content)')
        : fail('the resend has the same berichtId but other content: the gateway may have stored the first, and a berichtId names one bericht only');
    },
  },
  {
    id: CASE(281),
    title: `After a 429 with Retry-After: ${SUITE_RETRY_AFTER_S} from the gateway, sends the same bericht again, and not before the Retry-After`,
    rules: ['BER-015'],
    level: 'must',
    async run(context, evidence) {
      const first = await await_(context, 'overdracht', 'overdracht', CASE(281), evidence, 'rate-limited');
      if (!first) return noTraffic(context, 'handover');
      evidence.push({ direction: 'sent', request: `answer to POST /v1/berichten (Retry-After: ${SUITE_RETRY_AFTER_S})`, status: 429 });
      // The Retry-After is part of the wait: the resend is due within --timeout after it.
      const again = await resendOf(context, first, SUITE_RETRY_AFTER_S * 1000);
      if (!again) return fail(`no resend with the same berichtId arrived within ${SUITE_RETRY_AFTER_S} s + ${context.timeoutMs} ms of the 429 (receiver.md §9: after a 429 the sender sends the same bytes again, not before the Retry-After)`);
      evidence.push({ direction: 'received', request: 'POST /v1/berichten (resend)', body: again.json });
      const gap = again.at.getTime() - first.at.getTime();
      if (tooEarly(gap)) return fail(`the resend arrived ${gap} ms after the attempt the suite answered 429 with Retry-After: ${SUITE_RETRY_AFTER_S}: a sender sends again not before the Retry-After (receiver.md §9; the gateway answers so when a participant is over its rate limit or a receiver's outbox is full, RTE-004)`);
      return canonicalOf(again.json) === canonicalOf(first.json)
        ? pass(`the same bericht was sent again ${gap} ms after the 429, not before its Retry-After`)
        : fail('the resend has the same berichtId but other content: the gateway may have stored the first, and a berichtId names one bericht only');
    },
  },
  {
    id: CASE(13),
    title: 'After a 422 refusal, does not resend the refused bericht unchanged',
    rules: [],
    level: 'must',
    async run(context, evidence) {
      const first = await await_(context, 'overdracht', 'overdracht', CASE(13), evidence, 'refused');
      if (!first) return noTraffic(context, 'handover');
      evidence.push({ direction: 'sent', request: 'answer to POST /v1/berichten', status: 422 });
      const content = canonicalOf(first.json);
      return {
        ...pass('the handover was refused with 422'),
        settle: () => {
          const resent = context.peer.inbound.filter((i) => i !== first && i.to === 'gateway' && idOf(i) === idOf(first) && canonicalOf(i.json) === content).length;
          return resent === 0 ? pass('the refused handover was not sent again unchanged') : fail(`the refused handover was sent again unchanged ${resent} time(s): a refusal is final until the bericht is corrected`);
        },
      };
    },
  },
  {
    id: CASE(17),
    title: 'After a 202 whose transport receipt does not verify (countersigned with a key not in the gateway\'s key set), does not take the handover as accepted: sends no update that refers to it, unless a resend of the same bytes first brought a receipt that verifies',
    rules: ['SIG-004', 'SIG-005'],
    level: 'must',
    async run(context, evidence) {
      const first = await await_(context, 'overdracht', 'overdracht', CASE(17), evidence, 'unverifiable-receipt');
      if (!first) return noTraffic(context, 'handover');
      const id = idOf(first) ?? '';
      // The suite sees the handover arrive before its answer as gateway is made: wait for that answer.
      for (const until = Date.now() + context.timeoutMs; !unverifiableOf(context).has(id) && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20));
      if (!unverifiableOf(context).has(id)) return fail('the suite refused the handover (see CNF-701..706), so it gave no transport receipt to judge the system by');
      evidence.push({ direction: 'sent', request: 'answer to POST /v1/berichten', status: 202, body: 'a transport receipt countersigned with a key not in the gateway\'s key set' });
      const since = context.peer.inbound.length;
      // Referring to the handover is allowed only once a resend of the same bytes was accepted with a receipt that verifies (Q71, Q156).
      const premature = (i: Inbound): boolean => {
        if (i.to !== 'gateway' || context.peer.inbound.indexOf(i) < since) return false;
        const refersTo = (berichtOf(i) as { inAntwoordOp?: unknown } | undefined)?.inAntwoordOp;
        if (typeof refersTo !== 'string' || refersTo.toLowerCase() !== id) return false;
        const acceptedAt = context.accepted.get(id)?.at;
        return acceptedAt === undefined || acceptedAt > i.at;
      };
      try {
        await context.trigger('veiligheidsvoorwaarden', CASE(17));
      } catch (error) {
        // A system may decline to update a dossier whose handover it does not hold as accepted; that sends nothing.
        if ((error as { code?: unknown }).code !== 'TRIGGER_DECLINED') throw error;
      }
      const judge = (found: Inbound | undefined): Verdict => {
        if (found === undefined) return pass('no bericht referring to the handover was sent while it had no transport receipt that verifies');
        evidence.push({ direction: 'received', request: 'POST /v1/berichten (refers to the handover)', body: found.json });
        return fail('a bericht referring to the handover was sent although its transport receipt did not verify: without a receipt that verifies the handover is not accepted, and nothing that refers to it is sent (receiver.md §9, Q156)');
      };
      const now = judge(await context.peer.waitFor(premature, context.timeoutMs));
      return now.outcome === 'pass' ? { ...now, settle: () => judge(context.peer.inbound.find(premature)) } : now;
    },
  },
];

/** The handover the suite accepted, for the receipt cases. */
export async function acceptedHandover(context: VtContext, id: string, evidence: Exchange[]): Promise<Bericht | Verdict> {
  const handover = await handoverOf(context, id, evidence);
  if (!handover) return noTraffic(context, 'handover');
  // The suite sees the handover arrive before its answer as gateway is made: wait for that answer.
  const handoverId = idOf(handover) ?? '';
  for (const until = Date.now() + context.timeoutMs; !context.accepted.has(handoverId) && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20));
  const accepted = context.accepted.get(handoverId);
  return accepted ? accepted.bericht : fail('the suite refused the run\'s handover (see CNF-701..706), so there is nothing to acknowledge');
}

/**
 * An unsigned receipt for `handover` from its first receiver, numbered after the suite's earlier ones.
 * A party accepts a handover once (ONT-008): cases after the first acceptance send `ontvangen`.
 */
export function receiptFor(context: VtContext, handover: Bericht, status: 'geaccepteerd' | 'ontvangen' = 'geaccepteerd', from?: string): Json {
  const sender = handover.ontvangers.find((o) => (from === undefined ? o.kopie !== true : o.oin === from)) ?? handover.ontvangers[0];
  const key = `${sender?.oin ?? ''} ${handover.dossier.referentie}`;
  const volgnummer = (context.volgnummers.get(key) ?? 0) + 1;
  context.volgnummers.set(key, volgnummer);
  const at = context.accepted.get(handover.berichtId.toLowerCase())?.at ?? new Date();
  const receipt: Json = {
    specVersie: '1.0',
    berichtId: randomUUID(),
    berichtType: 'ontvangstbevestiging',
    verzender: { oin: sender?.oin ?? '', rol: sender?.rol ?? 'lokaal-team' },
    ontvangers: [{ oin: handover.verzender.oin, rol: 'vt' }],
    verzondenOp: new Date().toISOString(),
    dossier: { referentie: handover.dossier.referentie, volgnummer },
    inAntwoordOp: handover.berichtId,
    // An acceptance names who picks the case up and how to reach them (ONT-009) and, for two or more gemeenten, the lead they agreed
    // (VRW-001): the first receiver, whoever accepts, so that the receivers' acceptances agree (VRW-003).
    inhoud: status === 'geaccepteerd' ? { status, ontvangenOp: at.toISOString(), behandelaar: { team: 'Zicht conformance suite', email: 'conformance@zicht.example' }, afstemming: { regie: (handover.ontvangers.find((o) => o.kopie !== true) ?? sender)?.oin ?? '' } } : { status, ontvangenOp: at.toISOString() },
  };
  return receipt;
}

/** Signs as the receipt's sender and countersigns as the gateway. */
export async function signed(context: VtContext, json: Json): Promise<Json> {
  return countersignBericht(await signBericht(json, await context.network.signer(json.verzender.oin)), context.network.gateway, new Date());
}

/**
 * Pushes a bericht to the system's endpoint, as the gateway does, or bytes as they are (input that is no bericht, or one
 * no JSON value can hold); `authorization` replaces the gateway's push token (null: none). A `503` or `429` is delivered
 * again within `--timeout`, as the gateway does (redeliverWhileNotNow), unless `once` (a case that judges that answer).
 */
export async function push(context: VtContext, body: Record<string, unknown> | Uint8Array, evidence: Exchange[], authorization?: string | null, once = false): Promise<Response> {
  const bytes = body instanceof Uint8Array ? body : JSON.stringify(body);
  const attempt = async (): Promise<Response> => {
    const response = await postBericht(`${context.sut.url.replace(/\/$/, '')}/berichten`, bytes, context.network.gateway, context.sut.oin, undefined, undefined, authorization);
    note(evidence, 'POST {target}/berichten', response, body instanceof Uint8Array ? undefined : body);
    return response;
  };
  return once ? attempt() : redeliverWhileNotNow(attempt, context.timeoutMs);
}

const RECEIPT_SIGNATURE_CASES: readonly { n: number; defect: SignatureDefect; title: string }[] = [
  { n: 22, defect: 'unsigned', title: 'Refuses an unsigned ontvangstbevestiging' },
  { n: 23, defect: 'no-countersignature', title: "Refuses an ontvangstbevestiging without the gateway's countersignature" },
  { n: 24, defect: 'alg-hs256', title: 'Refuses an ontvangstbevestiging signed with an algorithm outside the profile (HS256)' },
  { n: 25, defect: 'unknown-key', title: 'Refuses an ontvangstbevestiging signed with a key not registered for its sender' },
  { n: 26, defect: 'other-signer', title: 'Refuses an ontvangstbevestiging signed by another participant than its sender' },
  { n: 27, defect: 'countersigned-by-non-gateway', title: 'Refuses an ontvangstbevestiging countersigned by a participant without the gateway role' },
  { n: 28, defect: 'content-changed', title: 'Refuses an ontvangstbevestiging whose content changed after signing' },
];

const receiving: ConformanceCase<VtContext>[] = [
  {
    id: CASE(21),
    title: 'Takes a valid, countersigned ontvangstbevestiging of its handover',
    rules: ['ONT-003', 'ONT-004', 'SIG-004', 'SIG-005'],
    level: 'must',
    async run(context, evidence) {
      const handover = await acceptedHandover(context, CASE(21), evidence);
      if (!('berichtId' in handover)) return handover;
      return tookIt(await push(context, await signed(context, receiptFor(context, handover)), evidence), 'a valid ontvangstbevestiging');
    },
  },
  ...RECEIPT_SIGNATURE_CASES.map(({ n, defect, title }): ConformanceCase<VtContext> => ({
    id: CASE(n),
    title,
    rules: [SIGNATURE_DEFECTS[defect]],
    level: 'must',
    async run(context, evidence) {
      const handover = await acceptedHandover(context, CASE(n), evidence);
      if (!('berichtId' in handover)) return handover;
      // Status ontvangen: after CNF-721's acceptance a second geaccepteerd breaks ONT-008, and the case would pass for that.
      const json = receiptFor(context, handover, 'ontvangen');
      const other = context.network.parties.find((p) => p.oin !== json.verzender.oin && p.oin !== context.sut.oin && p.rol !== 'vt')?.oin ?? context.network.gateway.oin;
      const body = (await signWithDefect(json, context.network, defect, other)) as Json;
      return judgeRefusal(await push(context, body, evidence), `an ontvangstbevestiging with a bad signature (${defect})`);
    },
  })),
  {
    id: CASE(29),
    title: 'Refuses an ontvangstbevestiging with the berichtId of an earlier one but other content',
    rules: ['BER-015'],
    level: 'must',
    async run(context, evidence) {
      const handover = await acceptedHandover(context, CASE(29), evidence);
      if (!('berichtId' in handover)) return handover;
      const receipt = receiptFor(context, handover, 'ontvangen');
      const first = tookIt(await push(context, await signed(context, receipt), evidence), 'the first ontvangstbevestiging');
      if (first.outcome !== 'pass') return first;
      const changed = await signed(context, { ...receipt, verzondenOp: new Date(Date.parse(String(receipt.verzondenOp)) + 60_000).toISOString() });
      return judgeRefusal(await push(context, changed, evidence), 'another ontvangstbevestiging with a used berichtId');
    },
  },
];

/** A fresh receipt of the run's handover (status ontvangen, which a party may send more than once), from its first receiver or `from`. */
async function freshReceipt(context: VtContext, evidence: Exchange[], id: string, from?: (handover: Bericht) => string | undefined): Promise<Unsigned | Verdict> {
  const handover = await acceptedHandover(context, id, evidence);
  if (!('berichtId' in handover)) return handover;
  if (from !== undefined && from(handover) === undefined) return skip('the handover has one receiver: there is no other sender of a receipt');
  return receiptFor(context, handover, 'ontvangen', from?.(handover));
}

/** What a VT system checks before it takes a pushed receipt: push token, key validity, the signer's own key, failing closed. */
const checks: ConformanceCase<VtContext>[] = receivingCases<VtContext>(
  {
    network: (c) => c.network,
    peer: (c) => c.peer,
    oin: (c) => c.sut.oin,
    fresh: (c, evidence, id) => freshReceipt(c, evidence, id),
    fromOther: (c, evidence, id) => freshReceipt(c, evidence, id, (h) => h.ontvangers.find((o) => o.oin !== (h.ontvangers.find((r) => r.kopie !== true) ?? h.ontvangers[0])?.oin)?.oin),
    push: (c, body, evidence, authorization) => push(c, body, evidence, authorization),
    hold: (c, body, evidence) => push(c, body, evidence, undefined, true),
    refused: (_c, response, what) => judgeRefusal(response, what),
    taken: (_c, _body, response, _evidence, what) => Promise.resolve(tookIt(response, what)),
  } satisfies ReceivingSide<VtContext>,
  {
    revoked: CASE(30),
    expired: CASE(31),
    notYetValid: CASE(32),
    backdated: CASE(33),
    othersKey: CASE(34),
    token: { missing: CASE(35), 'bad-signature': CASE(36), 'wrong-audience': CASE(37), expired: CASE(38), replayed: CASE(39), 'not-gateway': CASE(10), 'long-lived': CASE(14) },
    directoryDown: CASE(8),
    directoryRetry: CASE(9),
  },
  'an ontvangstbevestiging',
);

/** Every case of role vt, in the order they run: the handover and its checks, the reactions, the receipts. */
export function vtCases(): ConformanceCase<VtContext>[] {
  return [...sending, ...reactions, ...receiving, ...checks, ...vtInputCases(), ...vtTrailCases()];
}
