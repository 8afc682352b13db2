/**
 * Role gemeente: the vendor's receiving system (a gemeente's or lokaal team's Zicht endpoint). The
 * suite plays VT and the gateway: it pushes berichten to `{target}/berichten` with the gateway's
 * bearer token, signed by VT and countersigned by the gateway, and expects valid handovers to be
 * answered with a signed ontvangstbevestiging sent to the suite's gateway (`POST /v1/berichten`),
 * and everything invalid or wrongly signed to be refused (4xx) and never acknowledged.
 *
 * The examples are addressed to the system under test: in each, the first gemeente or lokaal-team
 * receiver (the "slot") takes the system's OIN, and the slot's gemeentecode the system's, everywhere.
 *
 * As the gateway the suite answers the system's receipts as a gateway does: a countersigned transport
 * receipt (202), or a refusal, or on purpose a 503 or a lost answer (to see that the receipt is sent
 * again, the same bericht). To a system with a current encryption key (spec §7.1, ENC-003) every
 * push is a JWE, in every case.
 */
import { randomUUID } from 'node:crypto';
import { CompactEncrypt, decodeJwt, exportJWK, generateKeyPair, importJWK, jwtVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { encryptBody, JOSE_MEDIA_TYPE } from '../../src/delivery/encrypt.js';
import { versleutelingAt, type Versleutelingssleutel } from '../../src/registry/versleutelingssleutel.js';
import type { Bericht } from '../../src/model/bericht.js';
import { trailOf } from '../../src/rules/context.js';
import { validateBericht, validateValue } from '../../src/rules/validate.js';
import { canonicalBericht } from '../../src/signing/canonical.js';
import { countersignBericht } from '../../src/signing/countersign.js';
import { signBericht } from '../../src/signing/sign.js';
import { verifyBericht } from '../../src/signing/verify.js';
import { CanonicalError, KeyError, SignatureError } from '../../src/errors.js';
import { signatureRuleFor } from '../../src/rules/gateway.js';
import { jwksKeyResolver } from '../../src/signing/key-resolver.js';
import { fail, pass, skip, type ConformanceCase, type Exchange, type Verdict } from '../case.js';
import { examples, RunIdentities, validExample, type ExampleFile } from '../fixtures.js';
import { codeOf } from '../errors.js';
import { postBericht, isRefusal, isSuccess, redeliverWhileNotNow, SUITE_RETRY_AFTER_HEADERS, SUITE_RETRY_AFTER_S, tooEarly, type Response } from '../http.js';
import { caseId, ruleCaseId } from '../ids.js';
import type { SuiteNetwork } from '../network.js';
import type { Answer, Inbound, Peer } from '../peer.js';
import type { SuitePostbus } from '../postbus.js';
import { SIGNATURE_DEFECTS, signWithDefect, type SignatureDefect } from '../tamper.js';
import type { GemeenteScenarioName, TriggerAnswer } from '../trigger.js';
import { receivingCases, tookIt, type ReceivingSide } from './receiving.js';
import { gemeenteDecisionCases } from './gemeente-decisions.js';
import { gemeenteTrailCases } from './gemeente-trail.js';
import { gemeenteTrustCases } from './trust.js';
import { berichtOf, invalidExamplesOf, isNoBericht, judgeRefusal, note, paddedPastLimit, problemAnswer, receiptsFor, refusedAndNotAcknowledged, tokenProblem } from './shared.js';

/** The receiving system under test. */
export interface ReceiverUnderTest {
  /** Its Zicht endpoint (`http://…/v1`); pushes go to `{url}/berichten`. */
  readonly url: string;
  readonly oin: string;
  readonly gemeentecode: string;
  /** Its public keys (a JWK Set), to verify its receipts and bearer tokens. */
  readonly jwks: JSONWebKeySet;
  /** The encryption keys it registered (ENC-001), if any: the gateway then pushes to it as JWE. */
  readonly versleutelingssleutels?: readonly Versleutelingssleutel[];
  /**
   * The role it is registered with (`--sut-rol`): every bericht names it so. Absent: the role each example gives
   * the receiver the system plays (`lokaal-team` in the handovers, `gemeente` in the escalatie).
   */
  readonly rol?: 'gemeente' | 'lokaal-team';
}

/** A decision the suite asks of the system: the scenario (../trigger.ts) without the gateway URL, which the runner adds. */
export interface DecisionRequest {
  readonly scenario: GemeenteScenarioName;
  readonly case: string;
  /** The handover decided on. */
  readonly berichtId: string;
  readonly regie?: string;
  readonly reden?: string;
}

/** What the gemeente cases work with. */
export interface GemeenteContext {
  readonly sut: ReceiverUnderTest;
  readonly network: SuiteNetwork;
  readonly peer: Peer;
  readonly ids: RunIdentities;
  /** How long to wait for a receipt. */
  readonly timeoutMs: number;
  /** Every bericht delivered and accepted so far, and every receipt of the system the suite (as gateway) accepted: the trail a receipt is judged against. */
  readonly delivered: Bericht[];
  /**
   * How the suite as gateway answers the first attempt of the receipt that answers `inAntwoordOp` (a case sets it
   * before it delivers): a 503, a 503 with a `Retry-After`, a lost answer, or (`held`) its answer held back until `until` resolves.
   */
  receiptPlan?: { readonly inAntwoordOp: string; readonly answer: ReceiptFirstAnswer } | { readonly inAntwoordOp: string; readonly answer: 'held'; readonly until: Promise<void> };
  /**
   * Asks the system, through the trigger hook, for a person's decision on a handover it received (scenario
   * `geaccepteerd` or `niet-geaccepteerd`); absent without a hook, and then the cases that need it are skipped.
   */
  readonly decide?: (request: DecisionRequest) => Promise<TriggerAnswer>;
  /** The receipts the suite as gateway accepted, by lower-case berichtId: the canonical content and the transport receipt it gave. */
  readonly transport?: Map<string, { readonly canonical: string; readonly answer: Answer }>;
  /** When each bericht was delivered (taken, by the suite's clock), by lower-case berichtId. */
  readonly deliveredAt?: Map<string, Date>;
  /** Postbus mode: the system reads its postbus; every bericht goes there instead of being pushed. */
  readonly postbus?: SuitePostbus;
}

/** The clock skew allowed between the suite and the system (spec/v1/time-and-keys.md: 5 minutes by default). */
const SKEW_MS = 5 * 60_000;

const NO_BYTES_IN_POSTBUS = 'the system reads its postbus, which holds only berichten the gateway could read: input that is no bericht cannot be put in it';

/**
 * The suite's postbus as the gateway serves it to the system: reads and acknowledgements with the
 * system's own bearer token (iss its OIN, aud the gateway), else 401.
 */
export function postbusFor(context: GemeenteContext & { readonly postbus: SuitePostbus }): NonNullable<Peer['postbus']> {
  const authenticated = async (authorization: string | undefined) => {
    try {
      await verifyToken(context, /^Bearer (.+)$/.exec(authorization ?? '')?.[1]);
      return true;
    } catch {
      return false;
    }
  };
  return {
    async read(authorization, limit, after) {
      if (!(await authenticated(authorization))) return { status: 401, body: JSON.stringify({ status: 401, title: 'No valid token.' }), contentType: 'application/problem+json' };
      return { status: 200, ...(await context.postbus.read(limit, after)) };
    },
    async acknowledge(authorization, berichtId) {
      if (!(await authenticated(authorization))) return 401;
      return context.postbus.acknowledge(berichtId) ? 204 : 404;
    },
  };
}

type Json = Record<string, unknown> & { verzender: { oin: string }; berichtId: string };

const CASE = (n: number) => caseId('gemeente', n);

/** The identities with the system under test named with the role it is registered with (`--sut-rol`), if given. */
export const asRegistered = (sut: ReceiverUnderTest, ids: RunIdentities): RunIdentities => (sut.rol === undefined ? ids : ids.withRoles(new Map([[sut.oin, sut.rol]])));

/**
 * The example addressed to the system under test, with this run's identities: the system takes the place of the
 * example's first gemeente or lokaal-team receiver (not in cc first), of its registered role first when it has one.
 */
export function addressedToSut(context: Pick<GemeenteContext, 'sut' | 'ids'>, json: Record<string, unknown>, ids: RunIdentities = context.ids): Json {
  const ontvangers = Array.isArray(json.ontvangers) ? (json.ontvangers as { oin?: string; rol?: string; gemeentecode?: string; kopie?: boolean }[]) : [];
  const local = ontvangers.filter((o) => o.rol === 'gemeente' || o.rol === 'lokaal-team');
  const own = local.filter((o) => o.rol === context.sut.rol);
  const slot = own.find((o) => o.kopie !== true) ?? own[0] ?? local.find((o) => o.kopie !== true) ?? local[0];
  const rename = new Map<string, string>();
  if (slot?.oin !== undefined) rename.set(slot.oin, context.sut.oin);
  if (slot?.gemeentecode !== undefined) rename.set(slot.gemeentecode, context.sut.gemeentecode);
  return asRegistered(context.sut, ids.withRename(rename)).apply(json) as Json;
}

/** Signs as the sender and countersigns as the gateway, as a correct gateway delivers it. */
export async function signed(context: GemeenteContext, bericht: Json): Promise<Json> {
  const sender = await context.network.signer(bericht.verzender.oin);
  return countersignBericht(await signBericht(bericht, sender), context.network.gateway, new Date());
}

/** How a body is encrypted (a JWE compact serialization of the plaintext). */
type Encrypt = (plaintext: string) => Promise<string>;

/**
 * Pushes a bericht to the system as the gateway would: as JSON to a system without a current
 * encryption key, else as a JWE of it to that key (spec §7.1, ENC-003: every body, in every case);
 * `encrypt` makes the JWE instead (a case that tests one outside the profile). `authorization` replaces
 * the gateway's push token (null: none). A push answered `503` or `429` is delivered again, as the gateway
 * does, within `--timeout` (redeliverWhileNotNow); the last answer is returned. In postbus mode the bericht
 * goes into the postbus instead, and the answer is 202 when the system acknowledged it, 422 when it read it
 * without acknowledging (its refusal), no answer when it did not read it in time. With `once` (a case that
 * judges the answer while the key directory is down) a push is delivered once and its first answer returned,
 * and a bericht read and not acknowledged stays in the postbus (one not taken for want of keys, receiver.md
 * §10), so that delivering it again waits for it there.
 */
export async function deliver(context: GemeenteContext, body: Json | Uint8Array | Record<string, unknown>, evidence: Exchange[], encrypt?: Encrypt, authorization?: string | null, once = false): Promise<Response> {
  const sleutel = currentEncryptionKey(context);
  const encryptAs = encrypt ?? (typeof sleutel === 'string' ? undefined : (plaintext: string) => encryptBody(plaintext, sleutel));
  if (context.postbus !== undefined) {
    if (body instanceof Uint8Array) throw new Error('a postbus holds berichten the gateway read, never bytes that are no bericht');
    const started = new Date();
    const seq = context.postbus.put(String(body.berichtId), body, encryptAs);
    const outcome = await context.postbus.outcome(seq, context.timeoutMs, once);
    const response: Response = outcome === 'acknowledged' ? { status: 202, rules: [] } : outcome === 'not-acknowledged' ? { status: 422, rules: [] } : { status: 0, rules: [], code: 'POSTBUS_NOT_READ' };
    evidence.push({ direction: 'sent', request: `in the postbus (GET /v1/postbus${encryptAs === undefined ? '' : ', application/jose'}): ${outcome}`, body });
    if (outcome === 'acknowledged') {
      if (!context.deliveredAt?.has(String(body.berichtId).toLowerCase())) context.deliveredAt?.set(String(body.berichtId).toLowerCase(), started);
      const parsed = validateValue(body);
      if (parsed.value) context.delivered.push(parsed.value);
    }
    return response;
  }
  const url = `${context.sut.url.replace(/\/$/, '')}/berichten`;
  const sentAt = new Date();
  const bytes = body instanceof Uint8Array ? body : JSON.stringify(body);
  const encrypted = encryptAs === undefined ? undefined : await encryptAs(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes));
  const attempt = async (): Promise<Response> => {
    const answer = encrypted === undefined
      ? await postBericht(url, bytes, context.network.gateway, context.sut.oin, undefined, undefined, authorization)
      : await postBericht(url, encrypted, context.network.gateway, context.sut.oin, undefined, JOSE_MEDIA_TYPE, authorization);
    note(evidence, encrypted === undefined ? 'POST {target}/berichten' : 'POST {target}/berichten (application/jose)', answer, body instanceof Uint8Array ? undefined : body);
    return answer;
  };
  const response = once ? await attempt() : await redeliverWhileNotNow(attempt, context.timeoutMs);
  if (isSuccess(response.status) && !(body instanceof Uint8Array)) {
    if (!context.deliveredAt?.has(String(body.berichtId).toLowerCase())) context.deliveredAt?.set(String(body.berichtId).toLowerCase(), sentAt);
    const parsed = validateValue(body);
    if (parsed.value) context.delivered.push(parsed.value);
  }
  return response;
}

/**
 * The role the suite's registry holds the system with for a bericht it sends in answer to `inAntwoordOp`: the
 * `rol` of the entry of that delivered bericht that names the system (its OIN, not in cc; its gemeentecode
 * first). Undefined when the suite delivered no such bericht (then ONT-004 speaks).
 */
function registeredRole(context: Pick<GemeenteContext, 'sut' | 'delivered'>, inAntwoordOp: unknown): string | undefined {
  if (typeof inAntwoordOp !== 'string') return undefined;
  const answered = context.delivered.find((b) => b.berichtId.toLowerCase() === inAntwoordOp.toLowerCase());
  const named = (answered?.ontvangers ?? []).filter((o) => o.oin === context.sut.oin && o.kopie !== true);
  const entry = named.find((o) => 'gemeentecode' in o && o.gemeentecode === context.sut.gemeentecode) ?? named[0];
  return entry?.rol;
}

/** Verifies a bearer token of the system: its key, iss its OIN, aud the gateway, at most 5 minutes old and long. */
async function verifyToken(context: GemeenteContext, token: string | undefined): Promise<void> {
  if (token === undefined) throw new Error('no token');
  await jwtVerify(token, createLocalJWKSet(context.sut.jwks), { audience: context.network.gateway.oin, issuer: context.sut.oin, maxTokenAge: 300 });
  const { iat, exp } = decodeJwt(token);
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 300) throw new Error('token too long-lived');
}

/**
 * How the suite, as the gateway, answers the system's `POST /v1/berichten` (its receipts): checks
 * token, rules, signature and sender as a gateway does, and answers a countersigned transport receipt
 * (202), the same one for a resend, or a problem; the first attempt of a planned receipt gets a 503
 * or a lost answer.
 */
export function answerReceipts(context: GemeenteContext): (inbound: Inbound) => Promise<Answer> {
  const transport = context.transport ?? new Map<string, { canonical: string; answer: Answer }>();
  return async (inbound) => {
    const bericht = berichtOf(inbound);
    const plan = context.receiptPlan;
    if (plan !== undefined && typeof bericht?.inAntwoordOp === 'string' && bericht.inAntwoordOp.toLowerCase() === plan.inAntwoordOp.toLowerCase()) {
      context.receiptPlan = undefined;
      if (plan.answer === 'held') await plan.until;
      else if (plan.answer === 'lost') return { status: 0, drop: true };
      else if (plan.answer === 'unavailable') return problemAnswer(503, 'Unavailable (the conformance suite tests the reaction to a 503; nothing was stored).');
      else return { ...problemAnswer(503, 'A receiver cannot take more berichten now (the conformance suite tests the reaction to a 503 with Retry-After; nothing was stored).', ['RTE-004']), headers: SUITE_RETRY_AFTER_HEADERS };
    }
    try {
      await verifyToken(context, /^Bearer (.+)$/.exec(inbound.authorization ?? '')?.[1]);
    } catch {
      return tokenProblem();
    }
    const id = typeof bericht?.berichtId === 'string' ? bericht.berichtId.toLowerCase() : '';
    const validated = validateBericht(inbound.bytes, { context: trailOf(context.delivered.filter((b) => b.berichtId.toLowerCase() !== id)) });
    const invalid = [...new Set(validated.issues.filter((i) => i.severity === 'error').map((i) => i.rule))];
    if (invalid.length > 0 || !validated.value) return problemAnswer(422, 'The bericht breaks rules of the standard.', invalid.length > 0 ? invalid : ['BER-004']);
    if (validated.value.verzender.oin !== context.sut.oin) return problemAnswer(403, 'A participant can only send berichten as their sender (verzender.oin).');
    const role = registeredRole(context, validated.value.inAntwoordOp);
    if (role !== undefined && validated.value.verzender.rol !== role) return problemAnswer(422, 'The sender is not registered with the role it sends as (verzender.rol).', ['RTE-001']);
    try {
      await verifyBericht(bericht, { keys: { resolve: (oin, kid) => (oin === context.sut.oin ? jwksKeyResolver(context.sut.jwks).resolve(oin, kid) : undefined) } });
    } catch (error) {
      const code = codeOf(error);
      return problemAnswer(422, `The signatures are refused (${code}).`, [error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError ? signatureRuleFor(error.code) : 'SIG-005']);
    }
    const canonical = Buffer.from(canonicalBericht(validated.value)).toString('utf8');
    const earlier = transport.get(id);
    if (earlier) return earlier.canonical === canonical ? earlier.answer : problemAnswer(409, 'Another bericht with this berichtId was accepted before.', ['BER-015']);
    const at = new Date();
    const countersigned = await countersignBericht(validated.value, context.network.gateway, at);
    const answer: Answer = { status: 202, body: { berichtId: validated.value.berichtId, ontvangenOp: at.toISOString(), ontvangers: validated.value.ontvangers.map((o) => ({ oin: o.oin, aflevering: 'push' })), handtekening: countersigned.signatures.at(-1) } };
    transport.set(id, { canonical, answer });
    context.delivered.push(validated.value);
    return answer;
  };
}

/** Checks one receipt the system sent: authenticated, valid against the trail, signed by the system, answering `handover`. */
export async function judgeReceipt(context: GemeenteContext, receipt: Inbound, handover: Json, evidence: Exchange[]): Promise<Verdict> {
  evidence.push({ direction: 'received', request: 'POST /v1/berichten (ontvangstbevestiging)', body: receipt.json });
  const token = /^Bearer (.+)$/.exec(receipt.authorization ?? '')?.[1];
  try {
    if (token === undefined) throw new Error('no token');
    await verifyToken(context, token);
  } catch {
    return fail('the ontvangstbevestiging was sent without a valid bearer token of the system (iss its OIN, aud the gateway, signed with its key, at most 5 minutes long)');
  }
  const receiptId = berichtOf(receipt)?.berichtId;
  const id = typeof receiptId === 'string' ? receiptId.toLowerCase() : '';
  const validated = validateBericht(receipt.bytes, { context: trailOf(context.delivered.filter((b) => b.berichtId.toLowerCase() !== id)) });
  const errors = validated.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) return fail(`the ontvangstbevestiging breaks ${[...new Set(errors.map((i) => i.rule))].join(', ')}`);
  const bericht = berichtOf(receipt);
  if ((bericht?.verzender as { oin?: unknown } | undefined)?.oin !== context.sut.oin) return fail('the ontvangstbevestiging is not sent as the system (verzender.oin)');
  const role = registeredRole(context, handover.berichtId);
  const sentAs = (bericht?.verzender as { rol?: unknown } | undefined)?.rol;
  if (role !== undefined && sentAs !== role) {
    return fail(`the ontvangstbevestiging is sent as ${JSON.stringify(sentAs)}, but the handover named the system as ${JSON.stringify(role)}, the role it is registered with: a gateway refuses it (RTE-001, receiver.md §9)`);
  }
  try {
    await verifyBericht(bericht, { keys: { resolve: (oin, kid) => (oin === context.sut.oin ? jwksKeyResolver(context.sut.jwks).resolve(oin, kid) : undefined) } });
  } catch (error) {
    return fail(`the ontvangstbevestiging's signature does not verify with the system's keys (${codeOf(error)})`);
  }
  if (bericht?.inAntwoordOp !== handover.berichtId) return fail('the ontvangstbevestiging does not answer the handover');
  // Whose clock: the suite's own times of delivery and of the receipt's arrival are the evidence the receipt's claim must fit (5 minutes' skew).
  const claimed = Date.parse(String((bericht.inhoud as { ontvangenOp?: unknown } | undefined)?.ontvangenOp));
  const pushed = context.deliveredAt?.get(handover.berichtId.toLowerCase());
  if (pushed !== undefined && (!(claimed >= pushed.getTime() - SKEW_MS) || !(claimed <= receipt.at.getTime() + SKEW_MS))) {
    return fail('the ontvangstbevestiging says the handover was received (ontvangenOp) before the suite delivered it or after the receipt itself arrived, beyond 5 minutes of clock skew (ONT-005, ONT-006)');
  }
  return pass('a valid ontvangstbevestiging, signed by the system, answers the handover');
}

/** After a push of a valid handover: it must be taken (2xx) and answered with a valid receipt. */
export async function takenAndAcknowledged(context: GemeenteContext, json: Json, response: Response, evidence: Exchange[], what: string): Promise<Verdict> {
  if (response.status === 0) return { outcome: 'error', reason: `no HTTP answer (${response.code ?? 'network error'})` };
  if (!isSuccess(response.status)) return fail(`${what} was refused (HTTP ${response.status})`);
  const receipt = await context.peer.waitFor((i) => receiptsFor(context.peer, json.berichtId).includes(i), context.timeoutMs);
  if (!receipt) return fail(`no ontvangstbevestiging of ${what} arrived within ${context.timeoutMs} ms`);
  return judgeReceipt(context, receipt, json, evidence);
}

/** Delivers a valid handover (encrypted with `encrypt`, if given) and waits for its receipt. */
async function handoverAndReceipt(context: GemeenteContext, json: Json, evidence: Exchange[], encrypt?: Encrypt): Promise<Verdict> {
  return takenAndAcknowledged(context, json, await deliver(context, json, evidence, encrypt), evidence, `a valid handover${encrypt === undefined ? '' : ' as JWE'}`);
}

/** The distinct receipts (by their berichtId) the system sent for `berichtId`: a resent receipt is one receipt. */
const distinctReceipts = (peer: Peer, berichtId: string): number => new Set(receiptsFor(peer, berichtId).map((i) => String(berichtOf(i)?.berichtId).toLowerCase())).size;

/** A fresh valid direct handover to the system, with identities of its own. */
export const freshHandover = async (context: GemeenteContext): Promise<Json> => signed(context, addressedToSut(context, validExample('overdracht-na-veiligheidsbeoordeling').json ?? {}, new RunIdentities()));

const behaviour: ConformanceCase<GemeenteContext>[] = [
  {
    id: CASE(1),
    title: 'Answers a valid handover after dienst Onderzoek with a signed ontvangstbevestiging',
    rules: ['ONT-003', 'ONT-004', 'ONT-005', 'ONT-006', 'SIG-004', 'SIG-005'],
    level: 'must',
    run: async (context, evidence) => handoverAndReceipt(context, await signed(context, addressedToSut(context, validExample('overdracht-na-dienst-onderzoek').json ?? {})), evidence),
  },
  {
    id: CASE(2),
    title: 'Answers a valid direct handover (na-veiligheidsbeoordeling) with a signed ontvangstbevestiging',
    rules: ['ONT-003', 'ONT-004', 'ONT-005', 'ONT-006'],
    level: 'must',
    run: async (context, evidence) => handoverAndReceipt(context, await signed(context, addressedToSut(context, validExample('overdracht-na-veiligheidsbeoordeling').json ?? {})), evidence),
  },
  {
    id: CASE(3),
    title: 'Accepts an update of the veiligheidsvoorwaarden of a handover it received',
    rules: ['VVW-003', 'VVW-004', 'VVW-006'],
    level: 'must',
    async run(context, evidence) {
      const response = await deliver(context, await signed(context, addressedToSut(context, validExample('veiligheidsvoorwaarden-update').json ?? {})), evidence);
      if (response.status === 0) return { outcome: 'error', reason: `no HTTP answer (${response.code ?? 'network error'})` };
      return isSuccess(response.status) ? pass(`accepted (HTTP ${response.status})`) : fail(`a valid update was refused (HTTP ${response.status})`);
    },
  },
  {
    id: CASE(4),
    title: 'De-duplicates a handover delivered twice (at-least-once delivery): one ontvangstbevestiging',
    rules: ['BER-015', 'AFL-006'],
    level: 'must',
    async run(context, evidence) {
      const handover = await freshHandover(context);
      const first = await handoverAndReceipt(context, handover, evidence);
      if (first.outcome !== 'pass') return first;
      const again = await deliver(context, handover, evidence);
      if (!isSuccess(again.status)) return fail(`the resent handover got HTTP ${again.status}; a resend must be taken as a duplicate (2xx)`);
      return {
        ...pass('the resend was taken (2xx)'),
        settle: () => {
          const count = distinctReceipts(context.peer, handover.berichtId);
          return count === 1 ? pass('the resend was taken and not acknowledged a second time') : fail(`the handover was acknowledged ${count} times`);
        },
      };
    },
  },
  {
    id: CASE(5),
    title: 'Refuses a bericht with the berichtId of an earlier one but other content',
    rules: ['BER-015'],
    level: 'must',
    async run(context, evidence) {
      const handover = await freshHandover(context);
      const first = await handoverAndReceipt(context, handover, evidence);
      if (first.outcome !== 'pass') return first;
      const unsigned: Json = { ...handover, verzondenOp: new Date(Date.parse(String(handover.verzondenOp)) + 60_000).toISOString() };
      delete unsigned.signatures;
      const changed = await signed(context, unsigned);
      const response = await deliver(context, changed, evidence);
      const verdict = judgeRefusal(response, 'another bericht with a used berichtId');
      if (verdict.outcome !== 'pass') return verdict;
      return { ...verdict, settle: () => (distinctReceipts(context.peer, handover.berichtId) === 1 ? verdict : fail('the conflicting bericht was acknowledged')) };
    },
  },
  {
    id: CASE(6),
    title: 'Refuses a handover that is not addressed to it, and does not acknowledge it',
    rules: ['AFL-003', 'ONT-004'],
    level: 'must',
    async run(context, evidence) {
      const json = new RunIdentities().apply(validExample('overdracht-na-dienst-voorwaarden-en-vervolg').json ?? {}) as Json;
      if ((json.ontvangers as { oin: string }[]).some((o) => o.oin === context.sut.oin)) return skip('the system has the OIN of the example receiver; choose another --oin');
      const response = await deliver(context, await signed(context, json), evidence);
      return refusedAndNotAcknowledged(response, 'a handover addressed to another gemeente', context.peer, json.berichtId);
    },
  },
  {
    id: CASE(7),
    title: 'Numbers its receipts in a dossier: the receipt of a second handover in the dossier gets a higher volgnummer than the first',
    rules: ['BER-011'],
    level: 'must',
    async run(context, evidence) {
      const first = addressedToSut(context, validExample('overdracht-na-veiligheidsbeoordeling').json ?? {}, new RunIdentities());
      const firstVerdict = await handoverAndReceipt(context, await signed(context, first), evidence);
      if (firstVerdict.outcome !== 'pass') return firstVerdict;
      const dossier = first.dossier as { referentie: string; volgnummer: number };
      const second: Json = { ...first, berichtId: randomUUID(), verzondenOp: new Date(Date.parse(String(first.verzondenOp)) + 60_000).toISOString(), dossier: { ...dossier, volgnummer: dossier.volgnummer + 1 } };
      // The second receipt is validated against the trail that holds the first (BER-011: a sender's numbers in a dossier are unique and increase).
      return handoverAndReceipt(context, await signed(context, second), evidence);
    },
  },
  {
    id: CASE(8),
    title: 'Does not answer an update of the veiligheidsvoorwaarden with an ontvangstbevestiging (a receipt answers a handover)',
    rules: ['AFL-005', 'ONT-003'],
    level: 'must',
    async run(context, evidence) {
      const ids = new RunIdentities();
      const handover = addressedToSut(context, validExample('overdracht-na-dienst-onderzoek').json ?? {}, ids);
      const first = await handoverAndReceipt(context, await signed(context, handover), evidence);
      if (first.outcome !== 'pass') return first;
      const update = addressedToSut(context, validExample('veiligheidsvoorwaarden-update').json ?? {}, ids);
      const response = await deliver(context, await signed(context, update), evidence);
      const taken = tookIt(response, 'a valid update');
      if (taken.outcome !== 'pass') return taken;
      return {
        ...taken,
        settle: () => (receiptsFor(context.peer, update.berichtId).length === 0 ? pass('the update was taken and not answered with an ontvangstbevestiging') : fail('the update was answered with an ontvangstbevestiging; a receipt answers a handover (ONT-003)')),
      };
    },
  },
  {
    id: CASE(9),
    title: 'Refuses a handover addressed to its OIN for a gemeentecode it does not serve, and does not acknowledge it',
    rules: ['AFL-003'],
    level: 'must',
    async run(context, evidence) {
      const template = validExample('overdracht-na-veiligheidsbeoordeling').json ?? {};
      const slot = ((template.ontvangers ?? []) as { oin: string; gemeentecode?: string }[])[0];
      if (slot?.gemeentecode === undefined || slot.gemeentecode === context.sut.gemeentecode) return skip('the system serves the gemeentecode of the example; choose another --gemeentecode');
      // Only the OIN is the system's: the gemeentecode stays the example's, one the system does not serve.
      const json = asRegistered(context.sut, new RunIdentities().withRename(new Map([[slot.oin, context.sut.oin]]))).apply(template) as Json;
      return refusedAndNotAcknowledged(await deliver(context, await signed(context, json), evidence), 'a handover for a gemeentecode the system does not serve', context.peer, json.berichtId);
    },
  },
  {
    id: CASE(10),
    title: 'Takes a handover it receives in cc (kopie) and sends no ontvangstbevestiging for it',
    rules: ['ONT-013', 'AFL-005'],
    level: 'must',
    async run(context, evidence) {
      // The GI handover has the gemeente in cc as its only gemeente receiver: that slot becomes the system.
      const json = addressedToSut(context, validExample('overdracht-gi').json ?? {}, new RunIdentities());
      const taken = tookIt(await deliver(context, await signed(context, json), evidence), 'a valid handover in cc');
      if (taken.outcome !== 'pass') return taken;
      return { ...taken, settle: () => (receiptsFor(context.peer, json.berichtId).length === 0 ? pass('the handover in cc was taken and not acknowledged') : fail('an ontvangstbevestiging was sent for a handover received in cc (ONT-013)')) };
    },
  },
];

/**
 * The same handover pushed twice at once, as a retry overlaps an attempt the gateway counted as unanswered
 * (AFL-006, receiver.md §2): each attempt is answered 2xx, or 503 while the other is in progress; a 503 is
 * delivered again, as the gateway would; the handover is taken and acknowledged once.
 */
const overlappingCase: ConformanceCase<GemeenteContext> = {
  id: CASE(38),
  title: 'Takes a handover pushed twice at the same time (a retry overlapping an attempt) once: each attempt 2xx or 503, one ontvangstbevestiging',
  rules: ['AFL-006', 'BER-015'],
  level: 'must',
  async run(context, evidence) {
    if (context.postbus !== undefined) return skip('the system reads its postbus: the gateway hands a bericht out once per read, never two attempts at once');
    const handover = await freshHandover(context);
    const answers = await Promise.all([deliver(context, handover, evidence), deliver(context, handover, evidence)]);
    if (answers.some((a) => a.status === 0)) return { outcome: 'error', reason: 'no HTTP answer to one of the two attempts' };
    const wrong = answers.find((a) => !isSuccess(a.status) && a.status !== 503);
    if (wrong !== undefined) return fail(`an attempt of a valid handover got HTTP ${wrong.status}; an overlapping attempt is answered 2xx, or 503 while the other is in progress`);
    const taken = answers.some((a) => isSuccess(a.status)) ? answers.find((a) => isSuccess(a.status)) : await deliver(context, handover, evidence);
    const verdict = await takenAndAcknowledged(context, handover, taken ?? { status: 0, rules: [] }, evidence, 'a handover pushed twice at once');
    if (verdict.outcome !== 'pass') return verdict;
    return {
      ...verdict,
      settle: () => {
        const count = distinctReceipts(context.peer, handover.berichtId);
        return count === 1 ? pass('the handover pushed twice at once was taken and acknowledged once') : fail(`the handover pushed twice at once was acknowledged ${count} times (AFL-006)`);
      },
    };
  },
};

/**
 * CNF-381: a resend of a handover the system holds, pushed while the key directory cannot serve its sender's
 * keys, is answered 2xx. A bericht held already with the same content is recognised right after the content
 * rules (receiver.md §6 step 9 is taken before steps 7 and 8; AFL-006, implementation-questions.md Q136) and
 * its signatures are not checked again: they were verified when it was taken, and a directory that is down
 * must not turn a delivered handover into days of retries (503) or a dead letter (4xx). A system that verifies
 * from a key set it cached (at most 300 seconds, receiver.md §4) answers 2xx here either way.
 */
const resendWhileDirectoryDownCase: ConformanceCase<GemeenteContext> = {
  id: CASE(281),
  title: "Takes a resend of a handover it holds with 2xx while the key directory cannot serve the sender's keys (held already is recognised before the signatures), and sends no second ontvangstbevestiging",
  rules: ['AFL-006'],
  level: 'must',
  async run(context, evidence) {
    const handover = await freshHandover(context);
    const first = await handoverAndReceipt(context, handover, evidence);
    if (first.outcome !== 'pass') return first;
    const sender = handover.verzender.oin;
    context.peer.keyDirectoryDown.add(sender);
    let again: Response;
    try {
      again = await deliver(context, handover, evidence);
    } finally {
      context.peer.keyDirectoryDown.delete(sender);
    }
    if (again.status === 0) return { outcome: 'error', reason: `no HTTP answer to the resend (${again.code ?? 'network error'})` };
    if (context.postbus !== undefined && !isSuccess(again.status)) {
      return fail('the resend of a handover it holds was not acknowledged while the key directory was down: a bericht held already with the same content is taken before its signatures are checked (receiver.md §6, §10, AFL-006, Q136)');
    }
    if (!isSuccess(again.status)) {
      const then = again.status === 503 ? 'the gateway tries again for 5 days and then dead-letters a handover that was delivered' : 'a 4xx dead-letters a handover that was delivered';
      return fail(`the resend of a handover it holds got HTTP ${again.status} while the key directory was down: a bericht held already with the same content is answered 2xx before its signatures are checked (receiver.md §6, AFL-006, Q136); ${then}`);
    }
    return {
      ...pass(`the resend was taken (HTTP ${again.status}) while the key directory was down`),
      settle: () => {
        const count = distinctReceipts(context.peer, handover.berichtId);
        return count === 1 ? pass('the resend was taken while the key directory was down, and not acknowledged a second time') : fail(`the handover was acknowledged ${count} times (AFL-006)`);
      },
    };
  },
};

/**
 * CNF-390 (postbus mode): a bericht the system refused stays in its postbus (receiver.md §10, O1), at the head of
 * every first page, so a reader that does not follow `volgende` with `GET /v1/postbus?after=<volgende>` (openapi.json)
 * never gets past it to the valid berichten behind it (AFL-001: it takes every valid bericht addressed to it). The
 * suite caps its pages at one bericht, whatever `limit` asks (a gateway may give fewer), and puts first a handover
 * whose content changed after signing (SIG-005), then two valid handovers: both must be taken and acknowledged within
 * `--timeout`.
 */
const postbusPagesCase: ConformanceCase<GemeenteContext> = {
  id: CASE(290),
  title: 'Reading its postbus, follows volgende (GET /v1/postbus?after=<volgende>) past a bericht it refused: takes and acknowledges the two valid handovers behind it, on pages of one bericht',
  rules: ['AFL-001'],
  level: 'must',
  async run(context, evidence) {
    const { postbus } = context;
    if (postbus === undefined) return skip('the system takes pushes: it reads no postbus pages (--mode postbus)');
    const json = addressedToSut(context, validExample('overdracht-na-veiligheidsbeoordeling').json ?? {}, new RunIdentities());
    const other = context.network.parties.find((p) => p.oin !== json.verzender.oin && p.oin !== context.sut.oin)?.oin ?? context.network.gateway.oin;
    const refused = (await signWithDefect(json, context.network, 'content-changed', other)) as Json;
    const valid = [await freshHandover(context), await freshHandover(context)];
    const cursorReads = postbus.cursorReads;
    postbus.capPage(1);
    try {
      // Put in this order (deliver puts before it awaits): the bericht to refuse first, kept in the postbus as a gateway keeps it.
      const [head, ...taken] = await Promise.all([deliver(context, refused, evidence, undefined, undefined, true), ...valid.map((h) => deliver(context, h, evidence))]);
      if (head.status === 202) return fail('a handover whose content changed after signing was acknowledged (SIG-005, see CNF-117), so no page was left to follow');
      const followed = postbus.cursorReads - cursorReads;
      const unread = taken.filter((r) => r.status === 0).length;
      if (unread > 0) {
        return fail(`${unread} of 2 valid handovers behind a bericht it refused were not read within ${context.timeoutMs} ms; ${followed} read(s) carried after: a round follows volgende with GET /v1/postbus?after=<volgende> until a page has none (receiver.md §10, openapi.json), and the gateway may give fewer berichten than limit`);
      }
      if (taken.some((r) => r.status !== 202)) return fail('a valid handover on a later page was read but not acknowledged');
      return pass(`both valid handovers behind the refused one were taken and acknowledged, following volgende (${followed} read(s) with after)`);
    } finally {
      postbus.capPage(undefined);
      postbus.withdraw(refused.berichtId);
    }
  },
};

/** A push whose media type is neither application/json nor application/jose (AFL-007: 415). */
const mediaTypeCase: ConformanceCase<GemeenteContext> = {
  id: CASE(37),
  title: 'Refuses a push whose media type is neither application/json nor application/jose (text/plain), and does not take it',
  rules: ['AFL-007'],
  level: 'must',
  async run(context, evidence) {
    if (context.postbus !== undefined) return skip('the system reads its postbus: there is no push and no media type of one');
    const handover = await freshHandover(context);
    const response = await postBericht(`${context.sut.url.replace(/\/$/, '')}/berichten`, JSON.stringify(handover), context.network.gateway, context.sut.oin, undefined, 'text/plain');
    note(evidence, 'POST {target}/berichten (text/plain)', response, handover);
    return refusedAndNotAcknowledged(response, 'a push as text/plain', context.peer, handover.berichtId);
  },
};

/** How the suite as gateway answers the first attempt of a receipt in the retry cases (`unavailable-retry-after`: a 503 with `Retry-After`). */
type ReceiptFirstAnswer = 'unavailable' | 'unavailable-retry-after' | 'lost';

/** A valid handover whose receipt the suite as gateway answers first with `answer`: the system must send the same receipt again (not before a `Retry-After`). */
function receiptRetryCase(n: number, answer: ReceiptFirstAnswer, title: string): ConformanceCase<GemeenteContext> {
  const waited = answer === 'unavailable-retry-after' ? SUITE_RETRY_AFTER_S * 1000 : 0;
  const what = answer === 'lost' ? 'a lost answer' : answer === 'unavailable' ? 'a 503' : `a 503 with Retry-After: ${SUITE_RETRY_AFTER_S}`;
  return {
    id: CASE(n),
    title,
    rules: ['BER-015'],
    level: 'must',
    async run(context, evidence) {
      const handover = await freshHandover(context);
      context.receiptPlan = { inAntwoordOp: handover.berichtId, answer };
      try {
        const taken = tookIt(await deliver(context, handover, evidence), 'a valid handover');
        if (taken.outcome !== 'pass') return taken;
        // A Retry-After is part of the wait: the resend is due within --timeout after it.
        await context.peer.waitFor(() => receiptsFor(context.peer, handover.berichtId).length >= 2, waited + context.timeoutMs);
        const sent = receiptsFor(context.peer, handover.berichtId);
        if (sent.length === 0) return fail(`no ontvangstbevestiging arrived within ${context.timeoutMs} ms`);
        evidence.push({ direction: 'sent', request: `answer to POST /v1/berichten (ontvangstbevestiging)${waited > 0 ? ` (Retry-After: ${SUITE_RETRY_AFTER_S})` : ''}`, ...(answer === 'lost' ? { body: 'connection closed without an answer' } : { status: 503 }) });
        const [first, again] = sent;
        if (!again || first === undefined) return fail(`after ${what} the ontvangstbevestiging was not sent again within ${waited > 0 ? `${SUITE_RETRY_AFTER_S} s + ` : ''}${context.timeoutMs} ms`);
        const gap = again.at.getTime() - first.at.getTime();
        if (waited > 0 && tooEarly(gap)) return fail(`the ontvangstbevestiging was sent again ${gap} ms after the attempt the suite answered 503 with Retry-After: ${SUITE_RETRY_AFTER_S}: a sender sends again not before the Retry-After (receiver.md §9; the gateway answers so while a receiver's outbox is full, RTE-004)`);
        const canonical = (i: Inbound) => {
          try {
            return Buffer.from(canonicalBericht(i.json)).toString('utf8');
          } catch {
            return undefined;
          }
        };
        if (berichtOf(again)?.berichtId !== berichtOf(first)?.berichtId) return fail('the ontvangstbevestiging was sent again under a new berichtId: the gateway may have stored the first, and the VT gets two receipts');
        if (canonical(again) !== canonical(first)) return fail('the ontvangstbevestiging was sent again with the same berichtId but other content');
        return await judgeReceipt(context, again, handover, evidence);
      } finally {
        context.receiptPlan = undefined;
      }
    },
  };
}

const receiptRetries: ConformanceCase<GemeenteContext>[] = [
  receiptRetryCase(34, 'unavailable', 'After a 503 to its ontvangstbevestiging, sends the same ontvangstbevestiging again (same berichtId, same content)'),
  receiptRetryCase(35, 'lost', 'After a lost answer to its ontvangstbevestiging, sends the same ontvangstbevestiging again (same berichtId, same content)'),
  receiptRetryCase(291, 'unavailable-retry-after', `After a 503 with Retry-After: ${SUITE_RETRY_AFTER_S} to its ontvangstbevestiging, sends the same ontvangstbevestiging again, and not before the Retry-After`),
];

/** What a receiving gemeente checks before it takes a push: push token, key validity, the signer's own key, failing closed. */
const receiving: ConformanceCase<GemeenteContext>[] = receivingCases<GemeenteContext>(
  {
    network: (c) => c.network,
    peer: (c) => c.peer,
    oin: (c) => c.sut.oin,
    fresh: (c) => Promise.resolve(addressedToSut(c, validExample('overdracht-na-veiligheidsbeoordeling').json ?? {}, new RunIdentities())),
    fromOther: (c) => Promise.resolve(addressedToSut(c, validExample('overdracht-na-dienst-voorwaarden-en-vervolg').json ?? {}, new RunIdentities())),
    pull: (c) => c.postbus !== undefined,
    push: (c, body, evidence, authorization) => deliver(c, body, evidence, undefined, authorization),
    hold: (c, body, evidence) => deliver(c, body, evidence, undefined, undefined, true),
    refused: (c, response, what, berichtId) => refusedAndNotAcknowledged(response, what, c.peer, berichtId),
    taken: (c, body, response, evidence, what) => takenAndAcknowledged(c, body, response, evidence, what),
  } satisfies ReceivingSide<GemeenteContext>,
  {
    revoked: CASE(18),
    expired: CASE(19),
    notYetValid: CASE(20),
    backdated: CASE(23),
    othersKey: CASE(24),
    token: { missing: CASE(25), 'bad-signature': CASE(26), 'wrong-audience': CASE(27), expired: CASE(28), replayed: CASE(29), 'not-gateway': CASE(30), 'long-lived': CASE(33) },
    directoryDown: CASE(31),
    directoryRetry: CASE(32),
  },
  'a handover',
);

/** The encryption key the gateway would encrypt to now (ENC-003), or why the encryption cases cannot run. */
function currentEncryptionKey(context: GemeenteContext): Versleutelingssleutel | string {
  const sleutels = context.sut.versleutelingssleutels ?? [];
  if (sleutels.length === 0) return 'the system registered no encryption key (--sut-enc-keys); it receives plain JSON';
  const choice = versleutelingAt(sleutels, new Date());
  return choice.kind === 'encrypt' ? choice.sleutel : 'none of the encryption keys given is valid now';
}

/** End-to-end encryption (ENC-003/004), for a system that registered an encryption key. */
const encryptionCases: ConformanceCase<GemeenteContext>[] = [
  {
    id: CASE(21),
    title: 'Decrypts a handover pushed as JWE to its encryption key, and answers it with a signed ontvangstbevestiging',
    rules: ['ENC-003', 'ENC-004', 'ONT-003'],
    level: 'must',
    async run(context, evidence) {
      const sleutel = currentEncryptionKey(context);
      if (typeof sleutel === 'string') return skip(sleutel);
      const handover = await freshHandover(context);
      return handoverAndReceipt(context, handover, evidence, (plaintext) => encryptBody(plaintext, sleutel));
    },
  },
  {
    id: CASE(22),
    title: 'Refuses a JWE whose content encryption is not A256GCM (here A128GCM), and does not acknowledge it',
    rules: ['ENC-004'],
    level: 'must',
    async run(context, evidence) {
      const sleutel = currentEncryptionKey(context);
      if (typeof sleutel === 'string') return skip(sleutel);
      const handover = await freshHandover(context);
      const a128: Encrypt = async (plaintext) =>
        new CompactEncrypt(new TextEncoder().encode(plaintext))
          .setProtectedHeader({ alg: sleutel.jwk.alg, enc: 'A128GCM', kid: sleutel.kid, cty: 'application/json' })
          .encrypt(await importJWK({ ...sleutel.jwk }, sleutel.jwk.alg));
      return refusedAndNotAcknowledged(await deliver(context, handover, evidence, a128), 'a JWE outside the profile (enc A128GCM)', context.peer, handover.berichtId);
    },
  },
  {
    id: CASE(282),
    title: 'Refuses with 400 a JWE whose epk does not fit its alg (ECDH-ES without epk, or RSA-OAEP-256 with an epk member, as its encryption key is), and does not acknowledge it',
    rules: ['ENC-004'],
    level: 'must',
    async run(context, evidence) {
      const sleutel = currentEncryptionKey(context);
      if (typeof sleutel === 'string') return skip(sleutel);
      const handover = await freshHandover(context);
      const { encrypt, what } = epkMisfit(sleutel);
      const response = await deliver(context, handover, evidence, encrypt);
      // A postbus reader has no status to answer: not acknowledging is its refusal.
      if (context.postbus === undefined && isRefusal(response.status) && response.status !== 400) {
        return fail(`${what} got HTTP ${response.status}; it is refused with 400 citing ENC-004, from the header, before any key is used (receiver.md §7, §8; Q140)`);
      }
      return refusedAndNotAcknowledged(response, what, context.peer, handover.berichtId);
    },
  },
  {
    id: CASE(289),
    title: 'Refuses with 400 a JWE whose protected header carries a member besides alg, enc, kid, cty and epk (here x5u), and does not acknowledge it',
    rules: ['ENC-004'],
    level: 'must',
    async run(context, evidence) {
      const sleutel = currentEncryptionKey(context);
      if (typeof sleutel === 'string') return skip(sleutel);
      const handover = await freshHandover(context);
      // A member most JOSE libraries read past (zip or crit they refuse themselves); the header is the JWE's AAD, so it is set before encrypting.
      const withX5u: Encrypt = async (plaintext) =>
        new CompactEncrypt(new TextEncoder().encode(plaintext))
          .setProtectedHeader({ alg: sleutel.jwk.alg, enc: 'A256GCM', kid: sleutel.kid, cty: 'application/json', x5u: 'https://conformance.zicht.example/x5u.pem' })
          .encrypt(await importJWK({ ...sleutel.jwk }, sleutel.jwk.alg));
      const what = 'a JWE whose protected header carries x5u';
      const response = await deliver(context, handover, evidence, withX5u);
      // A postbus reader has no status to answer: not acknowledging is its refusal.
      if (context.postbus === undefined && isRefusal(response.status) && response.status !== 400) {
        return fail(`${what} got HTTP ${response.status}; a JWE with any other header member than alg, enc, kid, cty and epk is refused with 400 citing ENC-004 (README §7.1, receiver.md §8)`);
      }
      return refusedAndNotAcknowledged(response, what, context.peer, handover.berichtId);
    },
  },
];

/** A JWE to `sleutel` whose `epk` does not fit its `alg` (ENC-004, Q140): an ECDH-ES one without `epk`, an RSA-OAEP-256 one with an `epk` member. */
function epkMisfit(sleutel: Versleutelingssleutel): { encrypt: Encrypt; what: string } {
  if (sleutel.jwk.alg === 'ECDH-ES') {
    return {
      what: 'a JWE with alg ECDH-ES and no epk',
      encrypt: async (plaintext) => {
        const [header = '', ...rest] = (await encryptBody(plaintext, sleutel)).split('.');
        const protectedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
        const withoutEpk = Object.fromEntries(Object.entries(protectedHeader).filter(([member]) => member !== 'epk'));
        return [Buffer.from(JSON.stringify(withoutEpk), 'utf8').toString('base64url'), ...rest].join('.');
      },
    };
  }
  return {
    what: 'a JWE with alg RSA-OAEP-256 and an epk member',
    encrypt: async (plaintext) => {
      const { publicKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
      const { kty, crv, x, y } = await exportJWK(publicKey);
      return new CompactEncrypt(new TextEncoder().encode(plaintext))
        .setProtectedHeader({ alg: sleutel.jwk.alg, enc: 'A256GCM', kid: sleutel.kid, cty: 'application/json', epk: { kty, crv, x, y } })
        .encrypt(await importJWK({ ...sleutel.jwk }, sleutel.jwk.alg));
    },
  };
}

const SIGNATURE_CASES: readonly { n: number; defect: SignatureDefect; title: string }[] = [
  { n: 11, defect: 'unsigned', title: 'Refuses an unsigned handover' },
  { n: 12, defect: 'no-countersignature', title: "Refuses a handover without the gateway's countersignature" },
  { n: 13, defect: 'alg-hs256', title: 'Refuses a handover signed with an algorithm outside the profile (HS256)' },
  { n: 14, defect: 'unknown-key', title: 'Refuses a handover signed with a key not registered for its sender' },
  { n: 15, defect: 'other-signer', title: 'Refuses a handover signed by another participant than its sender' },
  { n: 16, defect: 'countersigned-by-non-gateway', title: 'Refuses a handover countersigned by a participant without the gateway role' },
  { n: 17, defect: 'content-changed', title: 'Refuses a handover whose content changed after signing' },
];

const signatureCases: ConformanceCase<GemeenteContext>[] = SIGNATURE_CASES.map(({ n, defect, title }) => ({
  id: CASE(n),
  title,
  rules: [SIGNATURE_DEFECTS[defect]],
  level: 'must',
  async run(context, evidence) {
    const json = addressedToSut(context, validExample('overdracht-na-veiligheidsbeoordeling').json ?? {}, new RunIdentities());
    const other = context.network.parties.find((p) => p.oin !== json.verzender.oin && p.oin !== context.sut.oin)?.oin ?? context.network.gateway.oin;
    const body = (await signWithDefect(json, context.network, defect, other)) as Json;
    return refusedAndNotAcknowledged(await deliver(context, body, evidence), `a handover with a bad signature (${defect})`, context.peer, json.berichtId);
  },
}));

/** BER-002 has no example file (it would be a megabyte): the case builds one, a valid handover padded past the limit. */
const sizeCase: ConformanceCase<GemeenteContext> = {
  id: ruleCaseId('gemeente', 'BER-002') ?? '',
  title: 'Refuses a handover larger than 1,048,576 bytes (a valid one, padded with whitespace) and does not acknowledge it',
  rules: ['BER-002'],
  level: 'must',
  async run(context, evidence) {
    if (context.postbus !== undefined) return skip(NO_BYTES_IN_POSTBUS);
    const json = await freshHandover(context);
    const response = await deliver(context, paddedPastLimit(json), evidence);
    return refusedAndNotAcknowledged(response, 'a handover past the size limit', context.peer, json.berichtId);
  },
};

/** The invalid examples CNF-139 pushes again: one schema rule of each kind and one content rule, none needing a trail. */
const CITED_RULES = ['BER-006', 'BER-007', 'OVD-001'] as const;

/**
 * CNF-139 (should): a refusal names the rule it refuses by. receiver.md §7 and AFL-007: a refusal is problem+json
 * whose issues cite rule ids, each the rule of its status; the other cases judge only that a bericht was
 * refused, so a receiver citing the wrong rule (BER-006 for BER-007) passes them and is found here.
 */
const citedRuleCase: ConformanceCase<GemeenteContext> = {
  id: CASE(39),
  title: 'Refuses with 422 and problem+json issues citing the rule broken (the invalid examples of BER-006, BER-007, OVD-001)',
  rules: ['AFL-007'],
  level: 'should',
  async run(context, evidence) {
    if (context.postbus !== undefined) return skip('the system reads its postbus: a refusal there is not acknowledging, with no answer that could cite a rule (O1)');
    const wrong: string[] = [];
    for (const rule of CITED_RULES) {
      const example = examples().invalid.find((e) => e.rule === rule);
      if (!example?.json) throw new Error(`spec/v1/examples/invalid has no example of ${rule}`);
      const body = await signed(context, addressedToSut(context, example.json, new RunIdentities()));
      const response = await deliver(context, body, evidence);
      if (response.status === 0) return { outcome: 'error', reason: `no HTTP answer (${response.code ?? 'network error'})` };
      if (response.status !== 422 || !response.rules.includes(rule)) {
        wrong.push(`${rule}: HTTP ${response.status}${response.rules.length > 0 ? ` citing ${response.rules.join(', ')}` : ', no rule cited'}`);
      }
    }
    return wrong.length === 0
      ? pass(`each refusal was 422 and cited its rule (${CITED_RULES.join(', ')})`)
      : fail(`a refusal must be 422 with an issue citing the rule broken (receiver.md §7, AFL-007): ${wrong.join('; ')}`);
  },
};

/** A case per invalid example a receiving gemeente gets: overdrachten, updates, and input that is no bericht. */
function exampleCase(example: ExampleFile): ConformanceCase<GemeenteContext> | undefined {
  const rule = example.rule;
  const id = rule === undefined ? undefined : ruleCaseId('gemeente', rule);
  if (rule === undefined || id === undefined) return undefined;
  return {
    id,
    title: `Refuses the spec's invalid example ${example.name} and does not acknowledge it`,
    rules: [rule],
    level: 'must',
    async run(context, evidence) {
      if (!example.json || isNoBericht(example)) {
        if (context.postbus !== undefined) return skip(NO_BYTES_IN_POSTBUS);
        return judgeRefusal(await deliver(context, new Uint8Array(example.bytes), evidence), `input that breaks ${rule}`);
      }
      const json = addressedToSut(context, example.json);
      const body = await signed(context, json);
      return refusedAndNotAcknowledged(await deliver(context, body, evidence), `a bericht that breaks ${rule}`, context.peer, typeof json.berichtId === 'string' ? json.berichtId : undefined);
    },
  };
}

/** Every case of role gemeente, in the order they run (the update after its handover, trail examples after their trail). */
export function gemeenteCases(): ConformanceCase<GemeenteContext>[] {
  const fromExamples = invalidExamplesOf(examples().invalid, ['overdracht', 'veiligheidsvoorwaarden']).flatMap((e) => exampleCase(e) ?? []);
  return [...behaviour, ...encryptionCases, ...signatureCases, ...receiving, ...receiptRetries, ...gemeenteDecisionCases(), mediaTypeCase, overlappingCase, resendWhileDirectoryDownCase, postbusPagesCase, ...gemeenteTrustCases(), sizeCase, citedRuleCase, ...fromExamples, ...gemeenteTrailCases()];
}
