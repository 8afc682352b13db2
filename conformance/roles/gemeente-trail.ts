/**
 * Role gemeente, the trail and the lifecycle (receiver.md §6 steps 6 and 10): berichten that follow a handover
 * (an update, a monitoring, an afsluiting, an escalatie, an escalatie-antwoord, a termijnsignaal) which break a
 * rule the receiver can only judge against the berichten it holds (BER-013, BER-016, LVC-002, LVC-003, LVC-007),
 * or a lifecycle rule of their content (LVC-001, LVC-004, LVC-006, LVC-008, LVC-009), and a warning that must
 * not refuse (LVC-005).
 *
 * Each case plays a dossier of its own: with fresh berichtIds and a fresh dossier reference, it first pushes the
 * trail the rule needs (the valid examples the offending bericht follows, validly signed and countersigned,
 * addressed to the system in the place of one receiver of the examples), each of which the system must take,
 * and then the offending bericht, which it must refuse (4xx) and never acknowledge. The offending bericht is the
 * spec's invalid example where the example can be sent to a gemeente as it stands, else one the case builds
 * from a valid example that breaks that one rule.
 */
import { fail, pass, skip, type ConformanceCase, type Exchange, type Verdict } from '../case.js';
import { examples, RunIdentities, validExample } from '../fixtures.js';
import type { Response } from '../http.js';
import type { Bericht } from '../../src/model/bericht.js';
import { trailOf } from '../../src/rules/context.js';
import { validateValue } from '../../src/rules/validate.js';
import { caseId, ruleCaseId } from '../ids.js';
import { asRegistered, deliver, signed, type GemeenteContext } from './gemeente.js';
import { tookIt } from './receiving.js';
import { refusedAndNotAcknowledged } from './shared.js';

type Json = Record<string, unknown> & { verzender: { oin: string }; berichtId: string };

/** The gateway OIN of the spec's examples (the sender of a termijnsignaal): the suite's gateway plays it. */
const EXAMPLE_GATEWAY_OIN = '00000001999999999000';

/** A receiver of the examples the system plays in a dossier: its OIN and gemeentecode. */
interface Slot {
  readonly oin: string;
  readonly gemeentecode: string;
}

/** Heerlen's lokaal team: a receiver of the handover after dienst Onderzoek, its update, monitoring and escalatie (in cc). */
const HEERLEN_TEAM: Slot = { oin: '00000001000000009170', gemeentecode: 'GM0917' };
/** The lokaal team of the direct handover (na-veiligheidsbeoordeling) and its termijnsignaal. */
const DIRECT_TEAM: Slot = { oin: '00000001000000009350', gemeentecode: 'GM0935' };

/** How a case makes its offending bericht from the examples (with the dossier's identities applied afterwards). */
type Offending = { readonly invalid: string } | { readonly from: string; readonly change: (json: Record<string, unknown>) => Record<string, unknown> };

/** One trail or lifecycle case: the rule, the dossier it plays, and what the system must do with the last bericht. */
interface TrailCase {
  readonly rule: string;
  readonly title: string;
  readonly slot: Slot;
  /** The valid examples pushed first, in order: the trail the rule needs. */
  readonly trail: readonly string[];
  readonly bericht: Offending;
  /** `refuse` for an error; `take` for a warning, which never refuses (README §6). */
  readonly expect: 'refuse' | 'take';
}

/** A lokaal team of the examples in none of these dossiers (West-Brabant's, GM0758). */
const OTHER_TEAM = '00000001000000007580';

const inhoudOf = (json: Record<string, unknown>): Record<string, unknown> => (typeof json.inhoud === 'object' && json.inhoud !== null ? (json.inhoud as Record<string, unknown>) : {});
const idOf = (name: string): string => String(validExample(name).json?.berichtId);
const later = (instant: unknown, ms: number): string => new Date(Date.parse(String(instant)) + ms).toISOString();

const TRAIL_CASES: readonly TrailCase[] = [
  {
    rule: 'BER-013',
    title: 'Refuses an update of the veiligheidsvoorwaarden in another dossier than the handover it updates (which it holds), and does not acknowledge it',
    slot: HEERLEN_TEAM,
    trail: ['overdracht-na-dienst-onderzoek'],
    bericht: { from: 'veiligheidsvoorwaarden-update', change: (json) => ({ ...json, dossier: { referentie: 'VTZL-2026-005033', volgnummer: 1 } }) },
    expect: 'refuse',
  },
  {
    rule: 'BER-016',
    title: "Refuses the spec's invalid example BER-016-antwoord-voor-escalatie (an escalatie-antwoord sent before the escalatie it holds) and does not acknowledge it",
    slot: HEERLEN_TEAM,
    trail: ['overdracht-na-dienst-onderzoek', 'escalatie'],
    bericht: { invalid: 'BER-016-antwoord-voor-escalatie' },
    expect: 'refuse',
  },
  {
    rule: 'LVC-001',
    title: 'Refuses a monitoring that names no handover (no inAntwoordOp), and does not acknowledge it',
    slot: HEERLEN_TEAM,
    trail: ['overdracht-na-dienst-onderzoek'],
    bericht: {
      from: 'monitoring',
      change: (json) => Object.fromEntries(Object.entries(json).filter(([key]) => key !== 'inAntwoordOp')),
    },
    expect: 'refuse',
  },
  {
    rule: 'LVC-002',
    title: 'Refuses a monitoring that refers to an update of the veiligheidsvoorwaarden it holds, not to a handover, and does not acknowledge it',
    slot: HEERLEN_TEAM,
    trail: ['overdracht-na-dienst-onderzoek', 'veiligheidsvoorwaarden-update'],
    bericht: { from: 'monitoring', change: (json) => ({ ...json, inAntwoordOp: idOf('veiligheidsvoorwaarden-update') }) },
    expect: 'refuse',
  },
  {
    rule: 'LVC-003',
    title: "Refuses the spec's invalid example LVC-003-monitoring-niet-door-vt-van-overdracht (a monitoring from another VT than the handover's sender) and does not acknowledge it",
    slot: HEERLEN_TEAM,
    trail: ['overdracht-na-dienst-onderzoek'],
    bericht: { invalid: 'LVC-003-monitoring-niet-door-vt-van-overdracht' },
    expect: 'refuse',
  },
  {
    rule: 'LVC-004',
    title: 'Refuses a monitoring that reports a moment (uitgevoerdOp) after it was sent, and does not acknowledge it',
    slot: HEERLEN_TEAM,
    trail: ['overdracht-na-dienst-onderzoek'],
    bericht: { from: 'monitoring', change: (json) => ({ ...json, inhoud: { ...inhoudOf(json), uitgevoerdOp: later(json.verzondenOp, 3_600_000) } }) },
    expect: 'refuse',
  },
  {
    rule: 'LVC-005',
    title: 'Takes a monitoring after a direct handover (a warning, LVC-005: a warning never refuses)',
    slot: DIRECT_TEAM,
    trail: ['overdracht-na-veiligheidsbeoordeling'],
    bericht: {
      from: 'monitoring',
      change: (json) => {
        const direct = validExample('overdracht-na-veiligheidsbeoordeling').json ?? {};
        return { ...json, ontvangers: direct.ontvangers, dossier: { ...(direct.dossier as object), volgnummer: 200 }, inAntwoordOp: direct.berichtId };
      },
    },
    expect: 'take',
  },
  {
    rule: 'LVC-006',
    title: "Refuses an afsluiting from VT with reden anders and no toelichting, and does not acknowledge it",
    slot: HEERLEN_TEAM,
    trail: ['overdracht-na-dienst-onderzoek'],
    bericht: {
      from: 'afsluiting',
      change: (json) => {
        const handover = validExample('overdracht-na-dienst-onderzoek').json ?? {};
        return { ...json, verzender: handover.verzender, ontvangers: handover.ontvangers, dossier: { ...(handover.dossier as object), volgnummer: 300 }, inhoud: { ...inhoudOf(json), reden: 'anders' } };
      },
    },
    expect: 'refuse',
  },
  {
    rule: 'LVC-007',
    title: "Refuses the spec's invalid example LVC-007-antwoord-niet-op-escalatie (an escalatie-antwoord to the handover it holds, not to an escalatie) and does not acknowledge it",
    slot: HEERLEN_TEAM,
    trail: ['overdracht-na-dienst-onderzoek'],
    bericht: { invalid: 'LVC-007-antwoord-niet-op-escalatie' },
    expect: 'refuse',
  },
  {
    rule: 'LVC-008',
    title: "Refuses the spec's invalid example LVC-008-escalatie-niet-aan-gemeente (an escalatie to the lokaal team only) and does not acknowledge it",
    slot: HEERLEN_TEAM,
    trail: ['overdracht-na-dienst-onderzoek'],
    bericht: { invalid: 'LVC-008-escalatie-niet-aan-gemeente' },
    expect: 'refuse',
  },
  {
    rule: 'LVC-009',
    // The example names Heerlen's team to act, which is the system itself when it plays Heerlen: another team acts here.
    title: 'Refuses a termijnsignaal of the gateway that names a participant to act (moetHandelen) it is not addressed to, and does not acknowledge it',
    slot: DIRECT_TEAM,
    trail: ['overdracht-na-veiligheidsbeoordeling'],
    bericht: { from: 'termijnsignaal', change: (json) => ({ ...json, inhoud: { ...inhoudOf(json), moetHandelen: OTHER_TEAM } }) },
    expect: 'refuse',
  },
];

/** The identities of a dossier of its own, with the slot's receiver played by the system and the examples' gateway by the suite's. */
function dossierIdentities(context: GemeenteContext, slot: Slot): RunIdentities {
  return asRegistered(
    context.sut,
    new RunIdentities().withRename(
      new Map([
        [slot.oin, context.sut.oin],
        [slot.gemeentecode, context.sut.gemeentecode],
        [EXAMPLE_GATEWAY_OIN, context.network.gateway.oin],
      ]),
    ),
  );
}

/** The offending bericht of `spec` in the dossier of `ids`, unsigned. */
function offendingBericht(spec: TrailCase, ids: RunIdentities): Json {
  const { bericht } = spec;
  if ('invalid' in bericht) {
    const example = examples().invalid.find((e) => e.name === bericht.invalid);
    if (!example?.json) throw new Error(`spec/v1/examples/invalid/${bericht.invalid}.json is missing`);
    return ids.apply(example.json) as Json;
  }
  return ids.apply(bericht.change(validExample(bericht.from).json ?? {})) as Json;
}

/**
 * Pushes the trail of `spec` in a dossier of its own (each bericht must be taken), then its offending bericht;
 * the answer to that, or the verdict of a trail bericht that was not taken.
 */
async function pushTrailThenOffending(context: GemeenteContext, spec: TrailCase, evidence: Exchange[]): Promise<{ bericht: Json; response: Response } | Verdict> {
  const ids = dossierIdentities(context, spec.slot);
  const changed = await changedByRole(context, spec, ids);
  if (changed !== undefined) return skip(changed);
  for (const name of spec.trail) {
    const json = ids.apply(validExample(name).json ?? {}) as Json;
    const taken = tookIt(await deliver(context, await signed(context, json), evidence), `the trail's valid ${name} (before the case's own bericht)`);
    if (taken.outcome !== 'pass') return taken;
  }
  const bericht = offendingBericht(spec, ids);
  return { bericht, response: await deliver(context, await signed(context, bericht), evidence) };
}

/** The rules each bericht of the case's dossier breaks (the trail, then the offending one), each judged against the ones before it. */
async function rulesBroken(context: GemeenteContext, spec: TrailCase, ids: RunIdentities): Promise<string[]> {
  const held: Bericht[] = [];
  const broken: string[] = [];
  for (const json of [...spec.trail.map((name) => ids.apply(validExample(name).json ?? {}) as Json), offendingBericht(spec, ids)]) {
    const result = validateValue(await signed(context, json), { context: trailOf(held) });
    const rules = [...new Set(result.issues.filter((i) => i.severity === 'error').map((i) => i.rule))].sort();
    broken.push(rules.join(', '));
    if (result.value !== undefined && rules.length === 0) held.push(result.value);
  }
  return broken;
}

/**
 * With `--sut-rol`, the system is named with its registered role in every bericht; where that makes the case's
 * dossier break other rules than with the example's role (an escalatie-antwoord cannot be addressed to a gemeente,
 * BER-012; an escalatie to a gemeente does not break LVC-008), the case cannot be played for this system: the reason.
 */
async function changedByRole(context: GemeenteContext, spec: TrailCase, ids: RunIdentities): Promise<string | undefined> {
  if (context.sut.rol === undefined) return undefined;
  const asRegisteredNow = await rulesBroken(context, spec, ids);
  const asInTheExample = await rulesBroken(context, spec, ids.withRoles(new Map()));
  const at = asRegisteredNow.findIndex((rules, i) => rules !== asInTheExample[i]);
  if (at === -1) return undefined;
  const which = at < spec.trail.length ? `the trail's ${spec.trail[at] ?? ''}` : `the case's bericht (${spec.rule})`;
  const rules = (broken: string | undefined) => (broken === undefined || broken === '' ? 'no rule' : broken);
  return `the system is registered as ${context.sut.rol} (--sut-rol): addressed so, ${which} breaks ${rules(asRegisteredNow[at])} instead of ${rules(asInTheExample[at])}, so this case does not apply to it`;
}

const isVerdict = (value: { bericht: Json; response: Response } | Verdict): value is Verdict => 'outcome' in value;

function trailCase(spec: TrailCase): ConformanceCase<GemeenteContext> {
  return {
    id: ruleCaseId('gemeente', spec.rule) ?? '',
    title: spec.title,
    rules: [spec.rule],
    level: 'must',
    async run(context, evidence) {
      const played = await pushTrailThenOffending(context, spec, evidence);
      if (isVerdict(played)) return played;
      const { bericht, response } = played;
      if (spec.expect === 'take') {
        const taken = tookIt(response, `a bericht with only a warning (${spec.rule})`);
        return taken.outcome === 'pass' ? pass(`${taken.reason}: a warning never refuses (README §6)`) : fail(`${taken.reason}: ${spec.rule} is a warning, and a warning never refuses (README §6, receiver.md §6 step 10)`);
      }
      return refusedAndNotAcknowledged(response, `a bericht that breaks ${spec.rule} (after its trail)`, context.peer, bericht.berichtId);
    },
  };
}

/** The trail rules CNF-380 checks the citation of: rules only the berichten held can show. */
const CITED_TRAIL_RULES = ['BER-016', 'LVC-003', 'LVC-007'] as const;

/**
 * CNF-380 (should): a refusal at step 10 is a 422 whose issues cite the trail rule broken (receiver.md §7,
 * AFL-007), as CNF-139 checks for the schema and content steps.
 */
const citedTrailRuleCase: ConformanceCase<GemeenteContext> = {
  id: caseId('gemeente', 280),
  title: `Refuses a trail breach with 422 and problem+json issues citing the trail rule broken (${CITED_TRAIL_RULES.join(', ')}, each after its trail)`,
  rules: ['AFL-007'],
  level: 'should',
  async run(context, evidence) {
    if (context.postbus !== undefined) return skip('the system reads its postbus: a refusal there is not acknowledging, with no answer that could cite a rule (O1)');
    const wrong: string[] = [];
    const cited: string[] = [];
    for (const rule of CITED_TRAIL_RULES) {
      const spec = TRAIL_CASES.find((c) => c.rule === rule);
      if (spec === undefined) throw new Error(`no trail case of ${rule}`);
      const played = await pushTrailThenOffending(context, spec, evidence);
      // A rule whose bericht cannot be addressed to the system as registered (--sut-rol) is left out.
      if (isVerdict(played) && played.outcome === 'skip') continue;
      if (isVerdict(played)) return played.outcome === 'fail' ? { outcome: 'error', reason: `the trail of ${rule} was not taken (${played.reason})` } : played;
      cited.push(rule);
      const { response } = played;
      if (response.status === 0) return { outcome: 'error', reason: `no HTTP answer (${response.code ?? 'network error'})` };
      if (response.status !== 422 || !response.rules.includes(rule)) wrong.push(`${rule}: HTTP ${response.status}${response.rules.length > 0 ? ` citing ${response.rules.join(', ')}` : ', no rule cited'}`);
    }
    if (cited.length === 0) return skip(`the system is registered as ${context.sut.rol ?? ''} (--sut-rol): none of ${CITED_TRAIL_RULES.join(', ')} can be broken by a bericht addressed to it so`);
    return wrong.length === 0
      ? pass(`each trail refusal was 422 and cited its rule (${cited.join(', ')})`)
      : fail(`a trail refusal must be 422 with an issue citing the rule broken (receiver.md §6 step 10, §7, AFL-007): ${wrong.join('; ')}`);
  },
};

/** The trail and lifecycle cases of role gemeente, in the order they run. */
export function gemeenteTrailCases(): ConformanceCase<GemeenteContext>[] {
  return [...TRAIL_CASES.map(trailCase), citedTrailRuleCase];
}
