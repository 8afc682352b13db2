/**
 * Role vt, the receiving endpoint: the trail and lifecycle rules a VT system checks of what is pushed to it
 * (receiver.md §6 steps 6 and 10). Its trail is its own: the handover it sent in the run (CNF-701), which it
 * holds as sent (receiver.md §6, Q89), and the receipts it took. Each case builds, from that handover, a receipt
 * or a lifecycle bericht that breaks one rule (the spec's invalid examples answer a handover of the examples,
 * which a VT system under test never sent) and expects a refusal (4xx); for a warning (VRW-003) it expects the
 * bericht taken, since a warning never refuses (README §6).
 *
 * The handover goes to two receivers (not in cc) in scenario `overdracht`: the first accepted it in CNF-721
 * (naming itself to lead); the cases that need an acceptance not refused for being a second one (ONT-008) send
 * as the second receiver, and run before VRW-003's case, which makes the second receiver accept.
 */
import { randomUUID } from 'node:crypto';
import type { Bericht } from '../../src/model/bericht.js';
import { fail, pass, skip, type ConformanceCase, type Exchange, type Verdict } from '../case.js';
import { isSuccess } from '../http.js';
import { caseId, ruleCaseId } from '../ids.js';
import { tookIt } from './receiving.js';
import { judgeRefusal } from './shared.js';
import { acceptedHandover, push, receiptFor, signed, type Json, type VtContext } from './vt.js';

/**
 * A lokaal team of the suite's network that the run's handover does not name (in cc or not), to send as in the cases
 * that need "a team the handover was not addressed to"; a skip when the handover names every one. Chosen from the
 * handover, never fixed: a VT system may address any registered team (Q101), Breda's included.
 */
export function otherTeam(context: VtContext, handover: Bericht): string | Verdict {
  const named = new Set(handover.ontvangers.map((o) => o.oin));
  return context.network.parties.find((p) => p.rol === 'lokaal-team' && !named.has(p.oin) && p.oin !== context.sut.oin)?.oin ?? skip('the handover names every lokaal team of the suite\'s registry: no team is left that it was not addressed to');
}

type Receiver = Bericht['ontvangers'][number];

/** The receivers of the handover not in cc, each participant once: the first, and the second if there is one. */
function receiversOf(handover: Bericht): { first: Receiver | undefined; second: Receiver | undefined } {
  const main = handover.ontvangers.filter((o) => o.kopie !== true);
  const first = main[0];
  return { first, second: main.find((o) => o.oin !== first?.oin) };
}

/** A lifecycle bericht of `type` to the VT system from `sender`, answering its handover, numbered after the sender's earlier ones. */
export function lifecycleFor(context: VtContext, handover: Bericht, type: string, sender: { readonly oin: string; readonly rol: string }, inhoud: Record<string, unknown>): Json {
  const key = `${sender.oin} ${handover.dossier.referentie}`;
  const volgnummer = (context.volgnummers.get(key) ?? 0) + 1;
  context.volgnummers.set(key, volgnummer);
  return {
    specVersie: '1.0',
    berichtId: randomUUID(),
    berichtType: type,
    verzender: { oin: sender.oin, rol: sender.rol },
    ontvangers: [{ oin: handover.verzender.oin, rol: 'vt' }],
    verzondenOp: new Date().toISOString(),
    dossier: { referentie: handover.dossier.referentie, volgnummer },
    inAntwoordOp: handover.berichtId,
    inhoud,
  };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** What a case sends, made from the run's handover: the bericht, or why the case cannot run. */
type Build = (context: VtContext, handover: Bericht, evidence: Exchange[]) => Promise<Json | Verdict>;

const isVerdict = (value: Json | Verdict): value is Verdict => 'outcome' in value && !('berichtId' in value);

interface VtTrailCase {
  readonly rule: string;
  readonly title: string;
  readonly build: Build;
  readonly expect: 'refuse' | 'take';
}

const ONE_RECEIVER = 'the handover has one receiver (not in cc): there is no second receiver to send as';

/** The second receiver (not in cc) of the handover, or why there is none. */
const second = (handover: Bericht): Receiver | Verdict => receiversOf(handover).second ?? skip(ONE_RECEIVER);
const first = (handover: Bericht): Receiver | Verdict => receiversOf(handover).first ?? fail('the handover names no receiver outside cc');
const isReceiver = (value: Receiver | Verdict): value is Receiver => 'oin' in value;

const TRAIL_CASES: readonly VtTrailCase[] = [
  {
    rule: 'BER-013',
    title: 'Refuses an ontvangstbevestiging of its handover in another dossier than the handover',
    expect: 'refuse',
    build: (context, handover) => {
      const receipt = receiptFor(context, handover, 'ontvangen');
      return Promise.resolve({ ...receipt, dossier: { referentie: `${handover.dossier.referentie}-ANDER`, volgnummer: 1 } });
    },
  },
  {
    rule: 'BER-016',
    title: 'Refuses an escalatie-antwoord sent (verzondenOp) before the escalatie it answers, which it took',
    expect: 'refuse',
    // As the spec's example BER-016: a receiver's escalatie to the gemeente and the VT system, then the gemeente's
    // answer dated before it. The gemeente has sent nothing else in the dossier, so no other rule (BER-011) speaks.
    build: async (context, handover, evidence) => {
      const from = first(handover);
      if (!isReceiver(from)) return from;
      const gemeente = context.network.parties.find((p) => p.rol === 'gemeente' && p.gemeentecodes.length > 0);
      if (gemeente === undefined) return fail('the suite knows no gemeente to escalate to');
      const gemeentecode = gemeente.gemeentecodes[0] ?? '';
      const escalatie: Json = {
        ...lifecycleFor(context, handover, 'escalatie', from, { afspraak: 'monitoring', toelichting: 'Afspraken worden niet nagekomen.' }),
        ontvangers: [{ oin: handover.verzender.oin, rol: 'vt' }, { oin: gemeente.oin, rol: 'gemeente', gemeentecode }],
      };
      const taken = tookIt(await push(context, await signed(context, escalatie), evidence), 'a valid escalatie (the bericht the escalatie-antwoord answers)');
      if (taken.outcome !== 'pass') return taken;
      const antwoord = lifecycleFor(context, handover, 'escalatie-antwoord', { oin: gemeente.oin, rol: 'gemeente' }, { stappen: 'Bestuurlijk overleg met het lokale team.' });
      return { ...antwoord, inAntwoordOp: escalatie.berichtId, verzondenOp: new Date(Date.parse(String(escalatie.verzondenOp)) - 60_000).toISOString() };
    },
  },
  {
    rule: 'ONT-001',
    title: 'Refuses an ontvangstbevestiging with status niet-geaccepteerd that gives no reason (reden)',
    expect: 'refuse',
    build: (context, handover) => {
      const from = receiversOf(handover).second ?? receiversOf(handover).first;
      const receipt = receiptFor(context, handover, 'ontvangen', from?.oin);
      return Promise.resolve({ ...receipt, inhoud: { ...(receipt.inhoud as object), status: 'niet-geaccepteerd' } });
    },
  },
  {
    rule: 'ONT-009',
    title: 'Refuses an ontvangstbevestiging with status geaccepteerd that names no way to reach who picks the case up (behandelaar without telefoon or email)',
    expect: 'refuse',
    build: (context, handover) => {
      const from = receiversOf(handover).second ?? receiversOf(handover).first;
      const receipt = receiptFor(context, handover, 'geaccepteerd', from?.oin);
      return Promise.resolve({ ...receipt, inhoud: { ...(receipt.inhoud as object), behandelaar: { team: 'Zicht conformance suite' } } });
    },
  },
  {
    rule: 'VRW-001',
    title: 'Refuses an acceptance (geaccepteerd) of its handover to two receivers that names no team to lead (no afstemming)',
    expect: 'refuse',
    build: (context, handover) => {
      const from = second(handover);
      if (!isReceiver(from)) return Promise.resolve(from);
      const receipt = receiptFor(context, handover, 'geaccepteerd', from.oin);
      const inhoud = Object.fromEntries(Object.entries(receipt.inhoud as Record<string, unknown>).filter(([key]) => key !== 'afstemming'));
      return Promise.resolve({ ...receipt, inhoud });
    },
  },
  {
    rule: 'VRW-002',
    title: 'Refuses an ontvangstbevestiging whose afstemming names a team to lead that is no receiver of its handover',
    expect: 'refuse',
    build: (context, handover) => {
      const from = receiversOf(handover).second ?? receiversOf(handover).first;
      const other = otherTeam(context, handover);
      if (typeof other !== 'string') return Promise.resolve(other);
      const receipt = receiptFor(context, handover, 'geaccepteerd', from?.oin);
      return Promise.resolve({ ...receipt, inhoud: { ...(receipt.inhoud as object), afstemming: { regie: other } } });
    },
  },
  {
    rule: 'LVC-001',
    title: 'Refuses a contact-gestart that names no handover (no inAntwoordOp)',
    expect: 'refuse',
    build: (context, handover) => {
      const from = first(handover);
      if (!isReceiver(from)) return Promise.resolve(from);
      const bericht = lifecycleFor(context, handover, 'contact-gestart', from, { gestartOp: minutesAgo(5) });
      return Promise.resolve(Object.fromEntries(Object.entries(bericht).filter(([key]) => key !== 'inAntwoordOp')) as Json);
    },
  },
  {
    rule: 'LVC-002',
    title: 'Refuses a contact-gestart that refers to an ontvangstbevestiging it took, not to a handover',
    expect: 'refuse',
    build: async (context, handover, evidence) => {
      const from = first(handover);
      if (!isReceiver(from)) return from;
      const receipt = receiptFor(context, handover, 'ontvangen', from.oin);
      const taken = tookIt(await push(context, await signed(context, receipt), evidence), 'a valid ontvangstbevestiging (the bericht the contact-gestart refers to)');
      if (taken.outcome !== 'pass') return taken;
      return { ...lifecycleFor(context, handover, 'contact-gestart', from, { gestartOp: minutesAgo(1) }), inAntwoordOp: receipt.berichtId };
    },
  },
  {
    rule: 'LVC-003',
    title: 'Refuses a contact-gestart of its handover from a lokaal team that is no receiver of the handover',
    expect: 'refuse',
    build: (context, handover) => {
      const other = otherTeam(context, handover);
      return Promise.resolve(typeof other === 'string' ? lifecycleFor(context, handover, 'contact-gestart', { oin: other, rol: 'lokaal-team' }, { gestartOp: minutesAgo(5) }) : other);
    },
  },
  {
    rule: 'LVC-004',
    title: 'Refuses a contact-gestart that reports a start (gestartOp) after it was sent',
    expect: 'refuse',
    build: (context, handover) => {
      const from = first(handover);
      if (!isReceiver(from)) return Promise.resolve(from);
      return Promise.resolve(lifecycleFor(context, handover, 'contact-gestart', from, { gestartOp: new Date(Date.now() + 3_600_000).toISOString() }));
    },
  },
  {
    rule: 'LVC-006',
    title: 'Refuses an afsluiting with reden anders and no toelichting',
    expect: 'refuse',
    build: (context, handover) => {
      const from = first(handover);
      if (!isReceiver(from)) return Promise.resolve(from);
      return Promise.resolve(lifecycleFor(context, handover, 'afsluiting', from, { afgeslotenOp: minutesAgo(5), reden: 'anders' }));
    },
  },
  {
    rule: 'LVC-007',
    title: 'Refuses an escalatie-antwoord of a gemeente that answers its handover, not an escalatie',
    expect: 'refuse',
    build: (context, handover) => {
      const gemeente = context.network.parties.find((p) => p.rol === 'gemeente');
      if (gemeente === undefined) return Promise.resolve(fail('the suite knows no gemeente to answer as'));
      return Promise.resolve(lifecycleFor(context, handover, 'escalatie-antwoord', { oin: gemeente.oin, rol: 'gemeente' }, { stappen: 'Bestuurlijk overleg met het lokale team.' }));
    },
  },
  {
    rule: 'LVC-008',
    title: 'Refuses an escalatie that is addressed to no gemeente (only to the VT system)',
    expect: 'refuse',
    build: (context, handover) => {
      const from = first(handover);
      if (!isReceiver(from)) return Promise.resolve(from);
      return Promise.resolve(lifecycleFor(context, handover, 'escalatie', from, { afspraak: 'monitoring', toelichting: 'Afspraken worden niet nagekomen.' }));
    },
  },
  {
    rule: 'LVC-009',
    title: 'Refuses a termijnsignaal of the gateway that names a participant to act (moetHandelen) it is not addressed to',
    expect: 'refuse',
    build: (context, handover) => {
      const from = first(handover);
      if (!isReceiver(from)) return Promise.resolve(from);
      return Promise.resolve(
        lifecycleFor(context, handover, 'termijnsignaal', { oin: context.network.gateway.oin, rol: 'gateway' }, { termijn: 'eerste-contact', verlopenOp: minutesAgo(1), moetHandelen: from.oin, profiel: 'zuid-limburg', regel: 'eersteContact.naDienst' }),
      );
    },
  },
  {
    rule: 'VRW-003',
    title: "Takes an acceptance of its handover whose afstemming names another team to lead than the other receiver's acceptance (a warning, VRW-003: a warning never refuses)",
    expect: 'take',
    build: async (context, handover, evidence) => {
      const one = receiversOf(handover).first;
      const two = second(handover);
      if (one === undefined || !isReceiver(two)) return isReceiver(two) ? fail('the handover names no receiver outside cc') : two;
      // The first receiver's acceptance names itself to lead (as CNF-721's does; a refusal here is ONT-008 after CNF-721).
      const earlier = receiptFor(context, handover, 'geaccepteerd', one.oin);
      const answer = await push(context, await signed(context, earlier), evidence);
      if (answer.status === 0 || answer.status >= 500) return { outcome: 'error', reason: `the first receiver's acceptance got ${answer.status === 0 ? 'no answer' : `HTTP ${answer.status}`}` };
      const receipt = receiptFor(context, handover, 'geaccepteerd', two.oin);
      return { ...receipt, inhoud: { ...(receipt.inhoud as object), afstemming: { regie: two.oin } } };
    },
  },
  {
    rule: 'ONT-008',
    title: 'Refuses a second acceptance (geaccepteerd) of its handover from the same receiver',
    expect: 'refuse',
    build: async (context, handover, evidence) => {
      const from = first(handover);
      if (!isReceiver(from)) return from;
      // The first acceptance: CNF-721's, or this one when that case did not run (then it must be taken).
      const acceptance = await push(context, await signed(context, receiptFor(context, handover, 'geaccepteerd', from.oin)), evidence);
      if (acceptance.status === 0 || acceptance.status >= 500) return { outcome: 'error', reason: `the first acceptance got ${acceptance.status === 0 ? 'no answer' : `HTTP ${acceptance.status}`}` };
      return receiptFor(context, handover, 'geaccepteerd', from.oin);
    },
  },
];

/** Builds and pushes the case's bericht; its answer, or the verdict of why the case could not get that far. */
async function play(context: VtContext, spec: VtTrailCase, id: string, evidence: Exchange[]) {
  const handover = await acceptedHandover(context, id, evidence);
  if (!('berichtId' in handover)) return handover;
  const built = await spec.build(context, handover, evidence);
  if (isVerdict(built)) return built;
  return push(context, await signed(context, built), evidence);
}

function trailCase(spec: VtTrailCase): ConformanceCase<VtContext> {
  const id = ruleCaseId('vt', spec.rule) ?? '';
  return {
    id,
    title: spec.title,
    rules: [spec.rule],
    level: 'must',
    async run(context, evidence) {
      const response = await play(context, spec, id, evidence);
      if ('outcome' in response) return response;
      if (spec.expect === 'take') {
        const taken = tookIt(response, `a bericht with only a warning (${spec.rule})`);
        return taken.outcome === 'pass' ? pass(`${taken.reason}: a warning never refuses (README §6)`) : fail(`${taken.reason}: ${spec.rule} is a warning, and a warning never refuses (README §6, receiver.md §6 step 10)`);
      }
      return judgeRefusal(response, `a bericht that breaks ${spec.rule}`);
    },
  };
}

/** The trail rules CNF-980 checks the citation of. */
const CITED_TRAIL_RULES = ['BER-016', 'LVC-003'] as const;

/** CNF-980 (should): a trail refusal is a 422 citing the trail rule broken (receiver.md §7, AFL-007). */
const citedTrailRuleCase: ConformanceCase<VtContext> = {
  id: caseId('vt', 280),
  title: `Refuses a trail breach with 422 and problem+json issues citing the trail rule broken (${CITED_TRAIL_RULES.join(', ')})`,
  rules: ['AFL-007'],
  level: 'should',
  async run(context, evidence) {
    const wrong: string[] = [];
    for (const rule of CITED_TRAIL_RULES) {
      const spec = TRAIL_CASES.find((c) => c.rule === rule);
      if (spec === undefined) throw new Error(`no trail case of ${rule}`);
      const response = await play(context, spec, caseId('vt', 280), evidence);
      if ('outcome' in response) return response;
      if (response.status === 0) return { outcome: 'error', reason: `no HTTP answer (${response.code ?? 'network error'})` };
      if (isSuccess(response.status) || response.status !== 422 || !response.rules.includes(rule)) wrong.push(`${rule}: HTTP ${response.status}${response.rules.length > 0 ? ` citing ${response.rules.join(', ')}` : ', no rule cited'}`);
    }
    return wrong.length === 0
      ? pass(`each trail refusal was 422 and cited its rule (${CITED_TRAIL_RULES.join(', ')})`)
      : fail(`a trail refusal must be 422 with an issue citing the rule broken (receiver.md §6 step 10, §7, AFL-007): ${wrong.join('; ')}`);
  },
};

/** The trail and lifecycle cases of role vt's receiving endpoint, in the order they run. */
export function vtTrailCases(): ConformanceCase<VtContext>[] {
  return [...TRAIL_CASES.map(trailCase), citedTrailRuleCase];
}
