/**
 * Role gemeente, the later receipts (receiver.md §9): after the automatic `ontvangen` a person of the lokale veld
 * decides on the handover, and the system sends a later ontvangstbevestiging `geaccepteerd` or `niet-geaccepteerd`.
 * The suite cannot make a person decide: it asks the system through the trigger hook (../trigger.ts, scenarios
 * `geaccepteerd` and `niet-geaccepteerd`, naming the handover's berichtId, and the lead or the reason where the
 * decision has one) and checks what the system then sends to the suite as gateway: a niet-geaccepteerd states its
 * reden (ONT-001); an acceptance names a reachable behandelaar (ONT-009) and, for a handover to two receivers, the
 * lead the gemeenten agreed, one of the receivers (VRW-001, VRW-002); a handover is accepted once, and the hook
 * declines a second decision (ONT-008); a later receipt carries the `ontvangen`'s `ontvangenOp` (Q108) and leaves
 * only after the gateway accepted the `ontvangen` (Q158). Without a hook these cases are skipped, never passed.
 *
 * Each case plays a handover of its own: it pushes it, waits for the automatic `ontvangen` and for the suite (as
 * gateway) to accept it, and only then triggers the decision.
 */
import { fail, pass, skip, type ConformanceCase, type Exchange, type Verdict } from '../case.js';
import { RunIdentities, validExample } from '../fixtures.js';
import { caseId } from '../ids.js';
import type { Inbound } from '../peer.js';
import { DECLINED_EXIT_CODE, type GemeenteScenarioName } from '../trigger.js';
import { tookIt } from './receiving.js';
import { addressedToSut, deliver, freshHandover, judgeReceipt, signed, takenAndAcknowledged, type DecisionRequest, type GemeenteContext } from './gemeente.js';
import { berichtOf, receiptsFor } from './shared.js';

type Json = Record<string, unknown> & { verzender: { oin: string }; berichtId: string };

const CASE = (n: number) => caseId('gemeente', n);

const NO_HOOK = 'no --trigger-url or --trigger-command: the suite cannot ask the system for a person\'s decision on a handover (scenarios geaccepteerd, niet-geaccepteerd)';

/** The reason the suite gives with a niet-geaccepteerd (inhoud.reden, ONT-001). */
export const CONFORMANCE_REDEN = 'Niet geaccepteerd in de conformancetest van Zicht (geen echte zaak).';

/** How long CNF-388 holds its answer to the ontvangen back (at most `--timeout`). */
const HOLD_MS = 2000;

const inhoudOf = (inbound: Inbound): Record<string, unknown> => {
  const inhoud = berichtOf(inbound)?.inhoud;
  return typeof inhoud === 'object' && inhoud !== null ? (inhoud as Record<string, unknown>) : {};
};
const statusOf = (inbound: Inbound): unknown => inhoudOf(inbound).status;
const idOf = (inbound: Inbound): string => String(berichtOf(inbound)?.berichtId).toLowerCase();
const indexOf = (context: GemeenteContext, inbound: Inbound): number => context.peer.inbound.indexOf(inbound);

/** The system's receipts of `berichtId` with `status`. */
const receiptsWith = (context: GemeenteContext, berichtId: string, status: GemeenteScenarioName): Inbound[] => receiptsFor(context.peer, berichtId).filter((i) => statusOf(i) === status);

/** Waits until `predicate` holds, at most `timeoutMs`. */
async function until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; !predicate(); ) {
    if (Date.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** Fails the case with `message`, keeping the system's receipt (`what`) as evidence. */
function failOn(evidence: Exchange[], receipt: Inbound, what: string, message: string): Verdict {
  evidence.push({ direction: 'received', request: `POST /v1/berichten (${what})`, body: receipt.json });
  return fail(message);
}

type Hook = NonNullable<GemeenteContext['decide']>;

/** How a case asks for a decision, or why it cannot: the system has no hook (checked before anything is pushed). */
const hookOf = (context: GemeenteContext): Hook | Verdict => context.decide ?? skip(NO_HOOK);
const isVerdict = (value: object): value is Verdict => 'outcome' in value;

/**
 * Pushes `handover`, waits for its automatic `ontvangen` (judged as CNF-101 judges a receipt) and for the suite as
 * gateway to accept it: the ontvangen, or the verdict that stops the case.
 */
async function ontvangenOf(context: GemeenteContext, handover: Json, evidence: Exchange[]): Promise<Inbound | Verdict> {
  const taken = await takenAndAcknowledged(context, handover, await deliver(context, handover, evidence), evidence, 'a valid handover');
  if (taken.outcome !== 'pass') return taken;
  const first = receiptsFor(context.peer, handover.berichtId)[0];
  if (first === undefined) return fail(`no ontvangstbevestiging of the handover arrived within ${context.timeoutMs} ms`);
  if (statusOf(first) !== 'ontvangen') {
    return fail(`the first ontvangstbevestiging of the handover has status ${JSON.stringify(statusOf(first))}: a receiver first sends ontvangen, without waiting for a person, and a person's decision follows in a later receipt (AFL-005, receiver.md §9)`);
  }
  const accepted = await until(() => context.transport?.has(idOf(first)) === true, context.timeoutMs);
  return accepted ? first : fail('the suite as gateway did not accept the ontvangstbevestiging ontvangen (see CNF-101), so no decision can follow it');
}

/** Triggers `request` for `handover` and waits for the receipt with that status sent after the trigger. */
async function decisionOf(context: GemeenteContext, decide: Hook, handover: Json, request: Omit<DecisionRequest, 'berichtId'>, evidence: Exchange[]): Promise<Inbound | Verdict> {
  const since = context.peer.inbound.length;
  const answer = await decide({ ...request, berichtId: handover.berichtId });
  evidence.push({ direction: 'sent', request: `trigger scenario ${request.scenario} (${answer})`, body: { ...request, berichtId: handover.berichtId } });
  if (answer === 'declined') return fail(`the trigger hook declined the decision (409, exit ${DECLINED_EXIT_CODE}) on a handover the system had not decided on yet`);
  const found = await context.peer.waitFor((i) => indexOf(context, i) >= since && receiptsWith(context, handover.berichtId, request.scenario).includes(i), context.timeoutMs);
  if (!found) return fail(`no ontvangstbevestiging ${request.scenario} of the handover arrived within ${context.timeoutMs} ms of the trigger`);
  return found;
}

/** Pushes `handover`, waits for its ontvangen, and asks for the decision `request` on it: both receipts, or the verdict that stops the case. */
async function decided(context: GemeenteContext, decide: Hook, handover: Json, request: Omit<DecisionRequest, 'berichtId'>, evidence: Exchange[]): Promise<{ ontvangen: Inbound; decision: Inbound } | Verdict> {
  const ontvangen = await ontvangenOf(context, handover, evidence);
  if (isVerdict(ontvangen)) return ontvangen;
  const decision = await decisionOf(context, decide, handover, request, evidence);
  return isVerdict(decision) ? decision : { ontvangen, decision };
}

/** A fresh valid handover to two receivers (not in cc), the system one of them, with identities of its own. */
const twoReceiverHandover = async (context: GemeenteContext): Promise<Json> => signed(context, addressedToSut(context, validExample('overdracht-na-dienst-onderzoek').json ?? {}, new RunIdentities()));

/** The receivers (not in cc) of a handover the suite built. */
const receiversOf = (handover: Json): string[] => (Array.isArray(handover.ontvangers) ? (handover.ontvangers as { oin?: unknown; kopie?: unknown }[]) : []).filter((o) => o.kopie !== true).map((o) => String(o.oin));

const cases: ConformanceCase<GemeenteContext>[] = [
  {
    id: CASE(283),
    title: 'Declines a handover when asked (trigger scenario niet-geaccepteerd): a later ontvangstbevestiging niet-geaccepteerd that states the reden',
    rules: ['ONT-001'],
    level: 'must',
    async run(context, evidence) {
      const decide = hookOf(context);
      if (isVerdict(decide)) return decide;
      const handover = await freshHandover(context);
      const played = await decided(context, decide, handover, { scenario: 'niet-geaccepteerd', case: CASE(283), reden: CONFORMANCE_REDEN }, evidence);
      if (isVerdict(played)) return played;
      const reden = inhoudOf(played.decision).reden;
      if (typeof reden !== 'string' || reden.trim() === '') {
        return failOn(evidence, played.decision, 'ontvangstbevestiging niet-geaccepteerd', 'the niet-geaccepteerd states no reden: a receipt with status niet-geaccepteerd states why (ONT-001)');
      }
      const judged = await judgeReceipt(context, played.decision, handover, evidence);
      return judged.outcome === 'pass' ? pass('a valid, signed niet-geaccepteerd with its reden answers the handover') : judged;
    },
  },
  {
    id: CASE(284),
    title: 'Accepts a handover when asked (trigger scenario geaccepteerd): a later ontvangstbevestiging geaccepteerd that names a behandelaar (naam or team) and how to reach them (telefoon or email)',
    rules: ['ONT-009'],
    level: 'must',
    async run(context, evidence) {
      const decide = hookOf(context);
      if (isVerdict(decide)) return decide;
      const handover = await freshHandover(context);
      const played = await decided(context, decide, handover, { scenario: 'geaccepteerd', case: CASE(284) }, evidence);
      if (isVerdict(played)) return played;
      const behandelaar = inhoudOf(played.decision).behandelaar as { naam?: unknown; team?: unknown; telefoon?: unknown; email?: unknown } | undefined;
      if (behandelaar === undefined || (behandelaar.naam === undefined && behandelaar.team === undefined) || (behandelaar.telefoon === undefined && behandelaar.email === undefined)) {
        return failOn(evidence, played.decision, 'ontvangstbevestiging geaccepteerd', 'the acceptance does not name who picks the case up (naam or team) and how to reach them (telefoon or email): without it nothing is belegd (ONT-009)');
      }
      const judged = await judgeReceipt(context, played.decision, handover, evidence);
      return judged.outcome === 'pass' ? pass('a valid, signed acceptance naming a reachable behandelaar answers the handover') : judged;
    },
  },
  {
    id: CASE(285),
    title: 'Accepts a handover to two receivers when asked (trigger scenario geaccepteerd with regie): the acceptance names the lead the gemeenten agreed (afstemming.regie), a receiver of the handover',
    rules: ['VRW-001', 'VRW-002'],
    level: 'must',
    async run(context, evidence) {
      const decide = hookOf(context);
      if (isVerdict(decide)) return decide;
      const handover = await twoReceiverHandover(context);
      const receivers = receiversOf(handover);
      const lead = receivers.find((oin) => oin !== context.sut.oin);
      if (lead === undefined) return skip('the example handover to two receivers has the system as its only receiver not in cc; choose another --oin');
      const played = await decided(context, decide, handover, { scenario: 'geaccepteerd', case: CASE(285), regie: lead }, evidence);
      if (isVerdict(played)) return played;
      const afstemming = inhoudOf(played.decision).afstemming as { regie?: unknown } | undefined;
      if (afstemming?.regie === undefined) {
        return failOn(evidence, played.decision, 'ontvangstbevestiging geaccepteerd', 'the acceptance of a handover to two receivers names no lead: it carries afstemming.regie, the team the gemeenten agreed leads (VRW-001)');
      }
      if (typeof afstemming.regie !== 'string' || !receivers.includes(afstemming.regie)) {
        return failOn(evidence, played.decision, 'ontvangstbevestiging geaccepteerd', 'the lead the acceptance names (afstemming.regie) is not a receiver (not in cc) of the handover (VRW-002)');
      }
      const judged = await judgeReceipt(context, played.decision, handover, evidence);
      return judged.outcome === 'pass' ? pass('a valid acceptance names a receiver of the handover as the lead') : judged;
    },
  },
  {
    id: CASE(286),
    title: 'Accepts a handover once: a second decision on a handover it accepted is declined by the hook (409, exit 3), and no second acceptance is sent',
    rules: ['ONT-008'],
    level: 'must',
    async run(context, evidence) {
      const decide = hookOf(context);
      if (isVerdict(decide)) return decide;
      const handover = await freshHandover(context);
      const played = await decided(context, decide, handover, { scenario: 'geaccepteerd', case: CASE(286) }, evidence);
      if (isVerdict(played)) return played;
      const first = await judgeReceipt(context, played.decision, handover, evidence);
      if (first.outcome !== 'pass') return first;
      const since = context.peer.inbound.length;
      const answer = await decide({ scenario: 'geaccepteerd', case: CASE(286), berichtId: handover.berichtId });
      evidence.push({ direction: 'sent', request: `trigger scenario geaccepteerd again (${answer})`, body: { scenario: 'geaccepteerd', berichtId: handover.berichtId } });
      const acceptances = () => new Set(receiptsWith(context, handover.berichtId, 'geaccepteerd').map(idOf)).size;
      const once = (now: Verdict): Verdict => ({ ...now, settle: () => (acceptances() === 1 ? now : fail(`the handover was accepted ${acceptances()} times: a party accepts a handover once (ONT-008)`)) });
      if (answer === 'declined') return once(pass('the hook declined a second decision on the accepted handover, and no second acceptance was sent'));
      const second = await context.peer.waitFor((i) => indexOf(context, i) >= since && idOf(i) !== idOf(played.decision) && receiptsWith(context, handover.berichtId, 'geaccepteerd').includes(i), context.timeoutMs);
      if (second) {
        return failOn(evidence, second, 'a second ontvangstbevestiging geaccepteerd', `a second ontvangstbevestiging geaccepteerd of the same handover was sent: a party accepts a handover once (ONT-008), and its hook declines a second acceptance (409, exit ${DECLINED_EXIT_CODE})`);
      }
      return once(pass(`no second acceptance arrived within ${context.timeoutMs} ms (the hook took the second decision with 2xx; it should decline it with 409 or exit ${DECLINED_EXIT_CODE}, which spares the wait)`));
    },
  },
  {
    id: CASE(287),
    title: 'Its later acceptance carries the same ontvangenOp as its ontvangen: when the handover arrived, never the moment of the decision (receiver.md §9, Q108)',
    rules: [],
    level: 'must',
    async run(context, evidence) {
      const decide = hookOf(context);
      if (isVerdict(decide)) return decide;
      const handover = await freshHandover(context);
      const played = await decided(context, decide, handover, { scenario: 'geaccepteerd', case: CASE(287) }, evidence);
      if (isVerdict(played)) return played;
      evidence.push({ direction: 'received', request: 'POST /v1/berichten (ontvangstbevestiging geaccepteerd)', body: played.decision.json });
      const arrived = Date.parse(String(inhoudOf(played.ontvangen).ontvangenOp));
      const claimed = Date.parse(String(inhoudOf(played.decision).ontvangenOp));
      return Number.isFinite(arrived) && claimed === arrived
        ? pass('the acceptance carries the ontvangen\'s ontvangenOp')
        : fail('the acceptance\'s ontvangenOp is another instant than the ontvangen\'s: ontvangenOp is when the handover arrived, the same in every receipt of the party for it, never the moment of the decision (receiver.md §9, Q108)');
    },
  },
  {
    id: CASE(288),
    title: 'Sends its acceptance only after the gateway accepted its ontvangen: while the suite holds back its answer to the ontvangen, no acceptance arrives (receipts leave in order, Q158)',
    rules: [],
    level: 'should',
    async run(context, evidence) {
      const decide = hookOf(context);
      if (isVerdict(decide)) return decide;
      const handover = await freshHandover(context);
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      context.receiptPlan = { inAntwoordOp: handover.berichtId, answer: 'held', until: held };
      try {
        const taken = tookIt(await deliver(context, handover, evidence), 'a valid handover');
        if (taken.outcome !== 'pass') return taken;
        const ontvangen = await context.peer.waitFor((i) => receiptsFor(context.peer, handover.berichtId).includes(i), context.timeoutMs);
        if (!ontvangen) return fail(`no ontvangstbevestiging of the handover arrived within ${context.timeoutMs} ms`);
        if (statusOf(ontvangen) !== 'ontvangen') return fail(`the first ontvangstbevestiging of the handover has status ${JSON.stringify(statusOf(ontvangen))}, not ontvangen (AFL-005, receiver.md §9)`);
        const since = context.peer.inbound.length;
        // The hook is not awaited before the hold ends: a hook that answers only once the receipt is sent would wait for the held ontvangen.
        const answering = decide({ scenario: 'geaccepteerd', case: CASE(288), berichtId: handover.berichtId }).then(
          (answer) => ({ answer }),
          (error: unknown) => ({ error }),
        );
        const acceptance = (i: Inbound) => indexOf(context, i) >= since && receiptsWith(context, handover.berichtId, 'geaccepteerd').includes(i);
        const hold = Math.min(context.timeoutMs, HOLD_MS);
        const early = await context.peer.waitFor(acceptance, hold);
        release();
        const hooked = await answering;
        if ('error' in hooked) throw hooked.error;
        evidence.push({ direction: 'sent', request: `trigger scenario geaccepteerd (${hooked.answer}), the answer to the ontvangen held back`, body: { scenario: 'geaccepteerd', berichtId: handover.berichtId } });
        if (hooked.answer === 'declined') return fail(`the trigger hook declined the decision (409, exit ${DECLINED_EXIT_CODE}) on a handover the system had not decided on yet`);
        if (early) {
          return failOn(evidence, early, 'ontvangstbevestiging geaccepteerd, before the ontvangen was answered', `the acceptance arrived while the suite, as gateway, had not yet answered the ontvangen (held ${hold} ms): a party's receipts of a handover leave in order, each after the gateway accepted the one before (receiver.md §9, Q158)`);
        }
        const late = await context.peer.waitFor(acceptance, context.timeoutMs);
        if (!late) return fail(`no acceptance arrived within ${context.timeoutMs} ms of the suite's answer to the ontvangen`);
        evidence.push({ direction: 'received', request: 'POST /v1/berichten (ontvangstbevestiging geaccepteerd)', body: late.json });
        return pass(`no acceptance arrived while the answer to the ontvangen was held back (${hold} ms); it came after the ontvangen was accepted`);
      } finally {
        release();
        context.receiptPlan = undefined;
      }
    },
  },
];

/** The decision cases of role gemeente, in the order they run. */
export function gemeenteDecisionCases(): ConformanceCase<GemeenteContext>[] {
  return cases;
}
