/**
 * Role vt, the receiving endpoint: what a VT system checks of a push besides its signatures and the lifecycle, as every
 * receiver does (receiver.md §6): the input (BER-001..003, BER-017, step 4), version and schema (BER-004..007, step 5),
 * the content rules of what it receives (BER-008..010, BER-012, BER-014, ONT-003, ONT-005, step 6), the time rules of
 * the signatures (SIG-006..008, step 7), that it is addressed to it (AFL-003, step 8), a bericht it holds already
 * (AFL-006, step 9), and the rules it compares with the handover it sent and the receipts it took (BER-011, ONT-004,
 * ONT-006, step 10).
 *
 * The spec's invalid examples of these rules are handovers, updates, or receipts of a handover of the examples, which a
 * VT system under test neither receives nor sent; only input that is no bericht at all (BER-001, BER-003) is sent as it
 * stands. For every other rule the case builds, from the run's handover (CNF-701), a bericht VT receives (an
 * ontvangstbevestiging; for BER-014 an escalatie) that breaks that one rule, signed by its sender and countersigned as
 * the gateway would, so that a receiver that skips the rule takes it: a refusal for another rule cannot pass the case.
 * Where the rule cannot be broken alone in a receipt of the handover (BER-009's dossier reference, AFL-003's addressee:
 * each would also break BER-013 or ONT-004), the receipt answers a handover the system does not hold, which a receiver
 * takes (receiver.md §6 step 10, Q24, Q122).
 */
import { randomUUID } from 'node:crypto';
import type { Bericht } from '../../src/model/bericht.js';
import { countersignBericht } from '../../src/signing/countersign.js';
import { fail, pass, type ConformanceCase, type Exchange, type Verdict } from '../case.js';
import { examples } from '../fixtures.js';
import { isSuccess, type Response } from '../http.js';
import { caseId, ruleCaseId } from '../ids.js';
import { tookIt } from './receiving.js';
import { invalidExamplesOf, isNoBericht, judgeRefusal, paddedPastLimit } from './shared.js';
import { doubleAlg, signedAtCountersigned, withFirst } from './trust.js';
import { acceptedHandover, push, receiptFor, signed, type Json, type VtContext } from './vt.js';
import { lifecycleFor, otherTeam } from './vt-trail.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** What a case pushes: a signed bericht, or bytes no JSON value holds (a duplicate member, padding, no JSON at all). */
type Delivery = { readonly json: Record<string, unknown> } | { readonly bytes: Uint8Array };

type Make = (context: VtContext, handover: Bericht, evidence: Exchange[]) => Promise<Delivery | Verdict>;

const isVerdict = (value: Delivery | Verdict): value is Verdict => 'outcome' in value;

/** An `ontvangen` receipt of the run's handover from its first receiver (not in cc), changed by `change`, signed and countersigned. */
const receiptWith = (change: (receipt: Json, handover: Bericht) => Json): Make => async (context, handover) => ({ json: await signed(context, change(receiptFor(context, handover, 'ontvangen'), handover)) });

const inhoudOf = (receipt: Json): Record<string, unknown> => receipt.inhoud as Record<string, unknown>;

/** A receipt that answers a handover the system does not hold (Q24, Q122: taken, so that only the rule broken refuses it). */
const ofUnknownHandover = (receipt: Json): Json => ({ ...receipt, inAntwoordOp: randomUUID() });

interface InputCase {
  readonly id: string;
  readonly rule: string;
  readonly title: string;
  readonly make: Make;
}

const rule = (name: string, title: string, make: Make): InputCase => ({ id: ruleCaseId('vt', name) ?? '', rule: name, title, make });

/**
 * The invalid examples that are no bericht (BER-001, BER-003): sent as they stand, to every receiver alike. Not
 * BER-017's: it is a handover (its duplicate member only a strict reader finds), which a lax VT system refuses for
 * its type as well (BER-012), so its case builds a receipt instead.
 */
const fromExamples = (): InputCase[] =>
  invalidExamplesOf(examples().invalid, [])
    .filter((example) => isNoBericht(example) && !BUILT.some((built) => built.rule === example.rule))
    .flatMap((example) => (example.rule === undefined ? [] : [rule(example.rule, `Refuses the spec's invalid example ${example.name}`, () => Promise.resolve({ bytes: new Uint8Array(example.bytes) }))]));

/** The BSN-shaped dossier reference of the spec's example of BER-009. */
function bsnReference(): string {
  const reference = (examples().invalid.find((e) => e.rule === 'BER-009')?.json?.dossier as { referentie?: unknown } | undefined)?.referentie;
  if (typeof reference !== 'string') throw new Error('spec/v1/examples/invalid has no example of BER-009 with a dossier reference');
  return reference;
}

const BUILT: readonly InputCase[] = [
  rule('BER-002', 'Refuses an ontvangstbevestiging larger than 1,048,576 bytes (a valid one, padded with whitespace)', async (context, handover) => ({
    bytes: paddedPastLimit(await signed(context, receiptFor(context, handover, 'ontvangen'))),
  })),
  rule('BER-004', 'Refuses an ontvangstbevestiging with a member named __proto__ (signed with it)', receiptWith((receipt) => ({ ...(JSON.parse('{"__proto__":{"isAdmin":true}}') as object), ...receipt }))),
  rule('BER-005', 'Refuses an ontvangstbevestiging of a spec version it does not implement (specVersie 2.0)', receiptWith((receipt) => ({ ...receipt, specVersie: '2.0' }))),
  rule('BER-006', 'Refuses an ontvangstbevestiging without a required member (inhoud.ontvangenOp)', receiptWith((receipt) => ({ ...receipt, inhoud: Object.fromEntries(Object.entries(inhoudOf(receipt)).filter(([member]) => member !== 'ontvangenOp')) }))),
  rule('BER-007', 'Refuses an ontvangstbevestiging with a member the schema does not define (inhoud.opmerking)', receiptWith((receipt) => ({ ...receipt, inhoud: { ...inhoudOf(receipt), opmerking: 'Zicht conformance suite' } }))),
  rule('BER-008', 'Refuses an ontvangstbevestiging whose sender is among its receivers', receiptWith((receipt) => ({ ...receipt, ontvangers: [...(receipt.ontvangers as object[]), { oin: receipt.verzender.oin, rol: 'vt' }] }))),
  rule('BER-009', 'Refuses an ontvangstbevestiging whose dossier reference holds a BSN (of a handover it does not hold, so that no trail rule speaks)', receiptWith((receipt) => {
    const dossier = receipt.dossier as { volgnummer: number };
    return { ...ofUnknownHandover(receipt), dossier: { referentie: bsnReference(), volgnummer: dossier.volgnummer } };
  })),
  rule('BER-010', 'Refuses an ontvangstbevestiging that answers itself (inAntwoordOp its own berichtId)', receiptWith((receipt) => ({ ...receipt, inAntwoordOp: receipt.berichtId }))),
  rule('BER-011', 'Refuses an ontvangstbevestiging that repeats the volgnummer of an earlier one of the same sender in the dossier, which it took', async (context, handover, evidence) => {
    const earlier = receiptFor(context, handover, 'ontvangen');
    const taken = tookIt(await push(context, await signed(context, earlier), evidence), 'a valid ontvangstbevestiging (the one whose volgnummer is repeated)');
    if (taken.outcome !== 'pass') return taken;
    const again = receiptFor(context, handover, 'ontvangen');
    return { json: await signed(context, { ...again, dossier: earlier.dossier, verzondenOp: new Date(Date.parse(String(earlier.verzondenOp)) + 1000).toISOString() }) };
  }),
  rule('BER-012', 'Refuses an ontvangstbevestiging whose sender names a role that sends none (verzender.rol vt)', receiptWith((receipt) => ({ ...receipt, verzender: { ...receipt.verzender, rol: 'vt' } }))),
  rule('BER-014', 'Refuses an escalatie to it and a gemeente that names no gemeentecode for the gemeente', async (context, handover) => {
    const from = handover.ontvangers.find((o) => o.kopie !== true);
    const gemeente = context.network.parties.find((p) => p.rol === 'gemeente');
    if (from === undefined || gemeente === undefined) return fail('the handover names no receiver outside cc, or the suite knows no gemeente to escalate to');
    const escalatie = lifecycleFor(context, handover, 'escalatie', from, { afspraak: 'monitoring', toelichting: 'Afspraken worden niet nagekomen.' });
    return { json: await signed(context, { ...escalatie, ontvangers: [{ oin: handover.verzender.oin, rol: 'vt' }, { oin: gemeente.oin, rol: 'gemeente' }] }) };
  }),
  rule('BER-017', 'Refuses a signed, countersigned ontvangstbevestiging that names berichtId twice (the signed one last)', async (context, handover) => {
    const receipt = await signed(context, receiptFor(context, handover, 'ontvangen'));
    return { bytes: new TextEncoder().encode(withFirst(receipt, `"berichtId":"${randomUUID()}",`)) };
  }),
  rule('SIG-006', "Refuses an ontvangstbevestiging whose sender's JWS header names alg twice (none, then the real one)", async (context, handover) => {
    const receipt = receiptFor(context, handover, 'ontvangen');
    const sender = await context.network.signer(receipt.verzender.oin);
    return { json: await countersignBericht(await doubleAlg(receipt, sender), context.network.gateway, new Date(), { iat: new Date() }) };
  }),
  rule('SIG-007', "Refuses an ontvangstbevestiging whose sender's iat lies a day after the countersignature's rcv (judged at rcv, not at iat)", async (context, handover) => {
    const receipt = receiptFor(context, handover, 'ontvangen');
    return { json: await signedAtCountersigned(context.network, receipt, await context.network.signer(receipt.verzender.oin), new Date(Date.now() + DAY), new Date()) };
  }),
  rule('SIG-008', "Refuses an ontvangstbevestiging whose sender's iat lies 30 days before the countersignature's rcv", async (context, handover) => {
    const receipt = receiptFor(context, handover, 'ontvangen');
    return { json: await signedAtCountersigned(context.network, receipt, await context.network.signer(receipt.verzender.oin), new Date(Date.now() - 30 * DAY), new Date()) };
  }),
  rule('ONT-003', 'Refuses an ontvangstbevestiging that names no handover (no inAntwoordOp)', receiptWith((receipt) => Object.fromEntries(Object.entries(receipt).filter(([member]) => member !== 'inAntwoordOp')) as Json)),
  rule('ONT-004', 'Refuses an ontvangstbevestiging of its handover from a lokaal team the handover was not addressed to', async (context, handover) => {
    const other = otherTeam(context, handover);
    if (typeof other !== 'string') return other;
    const receipt = receiptFor(context, handover, 'ontvangen', other);
    return { json: await signed(context, { ...receipt, verzender: { oin: other, rol: 'lokaal-team' } }) };
  }),
  rule('ONT-005', 'Refuses an ontvangstbevestiging that says the handover was received (ontvangenOp) an hour after the receipt was sent', receiptWith((receipt) => ({ ...receipt, inhoud: { ...inhoudOf(receipt), ontvangenOp: new Date(Date.parse(String(receipt.verzondenOp)) + HOUR).toISOString() } }))),
  rule('ONT-006', 'Refuses an ontvangstbevestiging that says its handover was received (ontvangenOp) an hour before it was sent', receiptWith((receipt, handover) => ({ ...receipt, inhoud: { ...inhoudOf(receipt), ontvangenOp: new Date(Date.parse(handover.verzondenOp) - HOUR).toISOString() } }))),
  {
    id: caseId('vt', 15),
    rule: 'AFL-003',
    title: 'Refuses an ontvangstbevestiging addressed to another VT system (of a handover it does not hold, so that no trail rule speaks)',
    make: async (context, handover) => {
      const other = context.network.parties.find((p) => p.rol === 'vt' && p.oin !== context.sut.oin);
      if (other === undefined) return fail('the suite knows no other VT system to address the receipt to');
      return { json: await signed(context, { ...ofUnknownHandover(receiptFor(context, handover, 'ontvangen')), ontvangers: [{ oin: other.oin, rol: 'vt' }] }) };
    },
  },
];

function inputCase(spec: InputCase): ConformanceCase<VtContext> {
  return {
    id: spec.id,
    title: spec.title,
    rules: [spec.rule],
    level: 'must',
    async run(context, evidence) {
      const handover = await acceptedHandover(context, spec.id, evidence);
      if (!('berichtId' in handover)) return handover;
      const delivery = await spec.make(context, handover, evidence);
      if (isVerdict(delivery)) return delivery;
      const response = await push(context, 'json' in delivery ? delivery.json : delivery.bytes, evidence);
      return judgeRefusal(response, `a bericht that breaks ${spec.rule}`);
    },
  };
}

/**
 * A receipt delivered again, while the key directory cannot serve its sender's keys, and one delivered twice at once
 * (at-least-once delivery, receiver.md §2): a resend of a receipt it took is answered 2xx right after the content rules,
 * without its signatures checked again (§6 step 9, AFL-006, Q136), never 503 nor refused as a second receipt; of two
 * attempts at once each is answered 2xx, or 503 while the other is in progress.
 */
const heldCase: ConformanceCase<VtContext> = {
  id: caseId('vt', 16),
  title: "Takes an ontvangstbevestiging it holds, delivered again while the key directory cannot serve its sender's keys, with 2xx (held already is recognised before the signatures), and one pushed twice at the same time: each attempt 2xx, or 503 while the other is in progress",
  rules: ['AFL-006', 'BER-015'],
  level: 'must',
  async run(context, evidence) {
    const handover = await acceptedHandover(context, caseId('vt', 16), evidence);
    if (!('berichtId' in handover)) return handover;
    const receipt = await signed(context, receiptFor(context, handover, 'ontvangen'));
    const first = tookIt(await push(context, receipt, evidence), 'a valid ontvangstbevestiging');
    if (first.outcome !== 'pass') return first;
    const sender = receipt.verzender.oin;
    context.peer.keyDirectoryDown.add(sender);
    let resent: Response;
    try {
      resent = await push(context, receipt, evidence);
    } finally {
      context.peer.keyDirectoryDown.delete(sender);
    }
    if (resent.status === 0) return { outcome: 'error', reason: `no HTTP answer to the resend (${resent.code ?? 'network error'})` };
    if (!isSuccess(resent.status)) {
      return fail(`the resend of an ontvangstbevestiging it holds got HTTP ${resent.status} while the key directory was down: a bericht held already with the same content is answered 2xx before its signatures are checked (receiver.md §6 step 9, AFL-006, Q136)`);
    }
    const twice = await signed(context, receiptFor(context, handover, 'ontvangen'));
    const answers = await Promise.all([push(context, twice, evidence), push(context, twice, evidence)]);
    for (const answer of answers) {
      if (answer.status === 0) return { outcome: 'error', reason: `no HTTP answer to one of two attempts at once (${answer.code ?? 'network error'})` };
      if (!isSuccess(answer.status) && answer.status !== 503) return fail(`an attempt of a valid ontvangstbevestiging pushed twice at once got HTTP ${answer.status}; it is answered 2xx, or 503 while the other is in progress (AFL-006): a 4xx dead-letters it`);
    }
    if (answers.some((a) => isSuccess(a.status))) return pass('the resend was taken (2xx) while the key directory was down, and of two attempts at once each was answered 2xx or 503');
    // Both answered 503: the gateway delivers it again, and then it must be taken.
    return tookIt(await push(context, twice, evidence), 'an ontvangstbevestiging pushed twice at once, delivered again');
  },
};

/** The input, schema, content, signature-time and receipt cases of role vt's receiving endpoint, and AFL-003 and AFL-006. */
export function vtInputCases(): ConformanceCase<VtContext>[] {
  return [...fromExamples(), ...BUILT].map(inputCase).concat(heldCase);
}
