/**
 * The ledger of a dossier: a pure function from its berichten (and the gateway's events) plus the
 * region profile to its timeline, who is responsible for zicht op veiligheid at any instant, and its
 * terms (met, open, missed). Every event counts from the instant the gateway accepted its bericht (`rcv`,
 * the gateway's clock, signed in its countersignature and transport receipt), never from the sender's own
 * `verzondenOp`, which is a claim; the moments a bericht reports about the world (`gestartOp`, `uitgevoerdOp`,
 * the end of triage) are the person's statement. Every party holds those `rcv`s with its copies, so every party
 * derives the same ledger. A bericht that breaks a rule is refused with its rule ids and changes nothing (`geweigerd`).
 */
import type { Bericht, Deelnemersrol, OverdrachtBericht } from '../model/bericht.js';
import type { Geboekt } from '../model/geboekt.js';
import type { TermijnSoort } from '../model/levenscyclus.js';
import type { Issue } from '../model/outcome.js';
import type { Bron, Overgang, Profiel } from '../profiles/profiel.js';
import { termijnEinde } from '../profiles/werkdagen.js';
import { trailOf } from '../rules/context.js';
import { issueFor } from '../rules/issue.js';
import { MAX_KLOKAFWIJKING_MS } from '../rules/levenscyclus.js';
import { checkRules } from '../rules/validate.js';
import { hoofdontvangers, nietInKopie } from '../rules/verantwoordelijkheid.js';

/** The profile rule that makes a party responsible, with its source. */
export interface ProfielRegel {
  readonly profiel: string;
  /** The rule's place in the profile, e.g. `overgang.naDienst`. */
  readonly regel: string;
  readonly bron: Bron;
  /** What happened, in a few words (English). */
  readonly toelichting: string;
}

/** Who is responsible for zicht op veiligheid from `sinds`, and why. */
export interface Verantwoordelijke {
  readonly oin: string;
  readonly rol: Deelnemersrol;
  readonly sinds: string;
  readonly regel: ProfielRegel;
  /** The berichten that make it so. */
  readonly berichten: readonly string[];
  /** With two or more gemeenten: the other addressed teams of the afstemming (Z-L 5.2.4), which named this one to lead. */
  readonly mede?: readonly string[];
}

/** One answer (ontvangstbevestiging) of a receiver (not in cc) to a handover. */
export interface OverdrachtAntwoord {
  readonly oin: string;
  readonly status: 'ontvangen' | 'geaccepteerd' | 'niet-geaccepteerd';
  /** When the gateway accepted the answer. */
  readonly op: string;
  readonly berichtId: string;
  /** The team it names to lead (afstemming.regie), if any. */
  readonly regie?: string;
}

/**
 * A handover and everything that decides whether responsibility passed with it: the profile's rule for
 * its moment, its receivers (not in cc) and their answers in time order. {@link overdrachtStandOp}
 * derives from it who holds zicht at any instant; the ledger, the query and the timeline all use that.
 */
export interface OverdrachtOverzicht {
  readonly berichtId: string;
  readonly vt: string;
  /** When VT says it sent the handover: its statement, reported, not used. */
  readonly verzondenOp: string;
  /** When the gateway accepted the handover: its moment in the ledger. */
  readonly rcv: string;
  /** The profile rule of its moment: `overgang.naVeiligheidsbeoordeling` or `overgang.naDienst`. */
  readonly regel: string;
  readonly bij: Overgang['bij'];
  /** For `bij: termijn`: when the term runs out. */
  readonly termijnEinde?: string;
  /** Handed over at the triage table, and the profile says that assigns it at once (one receiver only). */
  readonly triagetafelBelegd: boolean;
  readonly teams: readonly { readonly oin: string; readonly rol: Deelnemersrol }[];
  readonly antwoorden: readonly OverdrachtAntwoord[];
}

/** Where one receiver stands with a handover at an instant. */
export interface TeamStand {
  readonly oin: string;
  /** `wacht`: no answer yet. A niet-geaccepteerd outweighs anything else it sent. */
  readonly status: 'wacht' | 'ontvangen' | 'geaccepteerd' | 'niet-geaccepteerd';
  /** Whether what it sent (or, for a term, the time) meets the profile's rule for this moment. */
  readonly voldaan: boolean;
  readonly regie?: string;
}

/** Where a handover stands at an instant: each receiver, the agreed lead, and who holds zicht by it. */
export interface OverdrachtStand {
  readonly overdracht: string;
  readonly regel: string;
  readonly bij: Overgang['bij'];
  readonly meerdereGemeenten: boolean;
  readonly teams: readonly TeamStand[];
  /** With two or more gemeenten: the team all of them named to lead, once they agree. */
  readonly regie?: string;
  /** Who holds zicht by this handover: VT (its sender) or the team it passed to. */
  readonly houder: string;
  /** Why, in a few words (English). */
  readonly toelichting: string;
}

/** One period of responsibility: from `van` until `tot` (exclusive; open while it lasts). */
export interface Periode {
  readonly van: string;
  readonly tot?: string;
  readonly verantwoordelijke: Verantwoordelijke;
}

/** A term the profile sets, and where it stands at the ledger's `nu`. */
export interface LedgerTermijn {
  readonly soort: TermijnSoort;
  readonly regel: string;
  readonly bron: Bron;
  /** The bericht that started the term. */
  readonly berichtId: string;
  readonly moetHandelen: string;
  readonly start: string;
  readonly uiterlijk: string;
  readonly maand?: number;
  /** gehaald (met), open (pending), gemist (missed), vervallen (the dossier closed first). */
  readonly status: 'gehaald' | 'open' | 'gemist' | 'vervallen';
  readonly gehaaldOp?: string;
  readonly gehaaldMet?: string;
}

/** One entry of the timeline: metadata only, never content. */
export interface Gebeurtenis {
  readonly op: string;
  readonly soort: string;
  readonly oin: string;
  readonly berichtId: string;
}

/** An event of the gateway's trail that belongs in the timeline (delivery, expired terms: `termijn.verlopen`). */
export interface TrailEvent {
  readonly type: string;
  readonly at: Date;
  readonly oin: string;
  readonly berichtId: string;
}

/** The ledger of one dossier as of `nu`. */
export interface Ledger {
  readonly dossier: string;
  readonly profiel: string;
  readonly nu: string;
  /** When VT became responsible; undefined before the first handover. */
  readonly vtVerantwoordelijkSinds?: string;
  readonly afgeslotenOp?: string;
  readonly perioden: readonly Periode[];
  readonly tijdlijn: readonly Gebeurtenis[];
  readonly termijnen: readonly LedgerTermijn[];
  /** Every handover with its receivers' answers: what decides each transfer (see {@link overdrachtStandOp}). */
  readonly overdrachten: readonly OverdrachtOverzicht[];
  /** Berichten refused by the ledger, with the rules they break; they changed nothing. */
  readonly geweigerd: readonly { readonly berichtId: string; readonly issues: readonly Issue[] }[];
}

const ms = (t: string): number => Date.parse(t);
const iso = (t: number): string => new Date(t).toISOString();

function overgangVan(profiel: Profiel, h: OverdrachtBericht): { overgang: Overgang; regel: string } {
  return h.inhoud.moment === 'na-dienst'
    ? { overgang: profiel.overgang.naDienst, regel: 'overgang.naDienst' }
    : { overgang: profiel.overgang.naVeiligheidsbeoordeling, regel: 'overgang.naVeiligheidsbeoordeling' };
}

const sameId = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** A handover's overview from the dossier's accepted berichten: its rule and its receivers' answers. */
function overdrachtOverzicht({ bericht: h, rcv }: Geboekt<OverdrachtBericht>, alle: readonly Geboekt[], profiel: Profiel): OverdrachtOverzicht {
  const { overgang, regel } = overgangVan(profiel, h);
  const teams = hoofdontvangers(h).map((o) => ({ oin: o.oin, rol: o.rol }));
  const antwoorden = alle
    .filter(({ bericht: b }) => b.berichtType === 'ontvangstbevestiging' && sameId(b.inAntwoordOp, h.berichtId) && teams.some((t) => t.oin === b.verzender.oin))
    .map((g, i) => ({ g, i }))
    .sort((x, y) => ms(x.g.rcv) - ms(y.g.rcv) || x.i - y.i)
    .flatMap(({ g: { bericht: b, rcv: op } }) => (b.berichtType === 'ontvangstbevestiging' ? [{ oin: b.verzender.oin, status: b.inhoud.status, op: iso(ms(op)), berichtId: b.berichtId, ...(b.inhoud.afstemming ? { regie: b.inhoud.afstemming.regie } : {}) }] : []));
  return {
    berichtId: h.berichtId,
    vt: h.verzender.oin,
    verzondenOp: iso(ms(h.verzondenOp)),
    rcv: iso(ms(rcv)),
    regel,
    bij: overgang.bij,
    ...(overgang.bij === 'termijn' ? { termijnEinde: termijnEinde(new Date(ms(rcv)), overgang.termijn, profiel.feestdagen).toISOString() } : {}),
    triagetafelBelegd: h.inhoud.moment === 'na-veiligheidsbeoordeling' && h.inhoud.triage.triagetafel && profiel.overgang.triagetafel.belegd && teams.length === 1,
    teams,
    antwoorden,
  };
}

/**
 * The answers that count, in time order: each receiver's answers up to and including its first
 * niet-geaccepteerd. What a party sends after its niet-geaccepteerd for the same handover changes
 * neither its status nor the lead it named (responsibility.md §3; implementation-questions.md Q177, Q287).
 */
function geldigeAntwoorden(o: OverdrachtOverzicht): OverdrachtAntwoord[] {
  const nee = new Set<string>();
  return o.antwoorden.filter((a) => {
    if (nee.has(a.oin)) return false;
    if (a.status === 'niet-geaccepteerd') nee.add(a.oin);
    return true;
  });
}

/**
 * Who holds zicht op veiligheid by one handover at instant `t` (spec/v1/responsibility.md), a pure function
 * of its overview. A niet-geaccepteerd of any receiver keeps it with VT. One receiver: it holds zicht once
 * its answers meet the moment's rule (`ontvangst`: ontvangen or geaccepteerd; `acceptatie`: geaccepteerd
 * only; `termijn`: the term has run out) or at once at the triage table where the profile says so. Two or
 * more (meerdereGemeenten, Z-L 5.2.4): the team all of them name to lead, once every one meets the rule
 * (or, not taking the case itself, answers niet-geaccepteerd naming another to lead) and all name the
 * same, which itself met the rule; until then VT. Never the first to answer.
 */
export function overdrachtStandOp(o: OverdrachtOverzicht, t: number): OverdrachtStand {
  const tot = geldigeAntwoorden(o).filter((a) => ms(a.op) <= t);
  const termijnVoorbij = o.termijnEinde !== undefined && t >= ms(o.termijnEinde);
  const meerdereGemeenten = o.teams.length >= 2;
  const teams: TeamStand[] = o.teams.map(({ oin }) => {
    const eigen = tot.filter((a) => a.oin === oin);
    const status = eigen.some((a) => a.status === 'niet-geaccepteerd') ? 'niet-geaccepteerd' : eigen.some((a) => a.status === 'geaccepteerd') ? 'geaccepteerd' : eigen.length > 0 ? 'ontvangen' : 'wacht';
    const regie = eigen.filter((a) => a.regie !== undefined).at(-1)?.regie;
    // With two or more gemeenten, a team that does not take the case itself but names another to lead has done its part of the afstemming.
    const voldaan =
      status === 'niet-geaccepteerd'
        ? meerdereGemeenten && regie !== undefined && regie !== oin
        : o.bij === 'termijn'
          ? termijnVoorbij
          : o.bij === 'acceptatie'
            ? status === 'geaccepteerd'
            : status !== 'wacht';
    return { oin, status, voldaan, ...(regie === undefined ? {} : { regie }) };
  });
  const base = { overdracht: o.berichtId, regel: o.regel, bij: o.bij, meerdereGemeenten, teams };
  const vt = (toelichting: string): OverdrachtStand => ({ ...base, houder: o.vt, toelichting });
  if (ms(o.rcv) > t) return vt('the gateway had not yet accepted the handover');
  const geweigerd = teams.filter((x) => x.status === 'niet-geaccepteerd' && !x.voldaan).map((x) => x.oin);
  if (geweigerd.length > 0) return vt(`niet-geaccepteerd by ${geweigerd.join(', ')}: VT keeps zicht`);
  const eis = o.bij === 'acceptatie' ? 'acceptance (geaccepteerd)' : o.bij === 'ontvangst' ? 'receipt (ontvangen or geaccepteerd)' : `the term (until ${o.termijnEinde ?? ''})`;
  if (!meerdereGemeenten) {
    const team = teams[0];
    if (team === undefined) return vt('the handover has no receiver (not in cc)');
    if (o.triagetafelBelegd) return { ...base, houder: team.oin, toelichting: 'handed over at the triage table: belegd at once' };
    if (team.voldaan) return { ...base, houder: team.oin, toelichting: o.bij === 'termijn' ? 'the term after the handover passed' : `${team.status} by the receiver` };
    return vt(`waiting for the ${eis} of ${team.oin}`);
  }
  const wacht = teams.filter((x) => !x.voldaan || x.regie === undefined).map((x) => x.oin);
  if (wacht.length > 0) return vt(`two or more gemeenten: waiting for the ${eis} naming the lead team (afstemming) of ${wacht.join(', ')}`);
  const namen = new Set(teams.map((x) => x.regie));
  const regie = teams[0]?.regie;
  if (namen.size !== 1 || regie === undefined) return vt('two or more gemeenten: the teams name different lead teams (afstemming); VT keeps zicht until they agree');
  if (teams.find((x) => x.oin === regie)?.status === 'niet-geaccepteerd') return vt('two or more gemeenten: the team named to lead did not accept; VT keeps zicht');
  return { ...base, regie, houder: regie, toelichting: `two or more gemeenten: every addressed team met the rule (${eis}) and all named this team to lead (afstemming)` };
}

/**
 * When VT became responsible for the household of a handover (Z-L Bijlage 1): when it learned of an
 * urgent melding; otherwise at the end of triage, or when the triage term ran out if that came first.
 * A handover after a service does not carry the end of triage: the term's end is the latest moment, or
 * the handover itself (when the gateway accepted it) if that came earlier. Either way VT is responsible
 * at the latest from the handover's `rcv`: the end of triage is VT's own statement, which its clock may
 * put minutes after the gateway accepted the handover (LVC-010 allows five; OVD-015 bounds it by
 * `verzondenOp` only), and a handover passes on a case VT holds (responsibility.md §1, Q340).
 */
function vtVerantwoordelijkVanaf({ bericht: h, rcv }: Geboekt<OverdrachtBericht>, profiel: Profiel): { op: number; toelichting: string } {
  const melding = ms(h.inhoud.melding.ontvangenOp);
  const accepted = ms(rcv);
  if (h.inhoud.melding.urgent) return { op: Math.min(melding, accepted), toelichting: 'urgent melding: VT is responsible from when it learned of it' };
  const termijn = termijnEinde(new Date(melding), profiel.vtVerantwoordelijk.triagetermijn, profiel.feestdagen).getTime();
  if (h.inhoud.moment === 'na-veiligheidsbeoordeling') {
    const triage = ms(h.inhoud.triage.afgerondOp);
    const start = triage <= termijn ? { op: triage, toelichting: 'VT is responsible from the end of triage' } : { op: termijn, toelichting: 'triage exceeded its term: VT is responsible from the overrun' };
    return start.op <= accepted ? start : { op: accepted, toelichting: 'the end of triage the handover states lies after the gateway accepted it (the sender\'s clock): VT is responsible at the latest from the handover\'s rcv' };
  }
  return { op: Math.min(termijn, accepted), toelichting: 'handover after a service: VT is responsible at the latest from the end of the triage term' };
}

type Stap =
  | { readonly kind: 'bericht'; readonly op: number; readonly bericht: Geboekt }
  | { readonly kind: 'termijn-overgang'; readonly op: number; readonly overdracht: Geboekt<OverdrachtBericht> };

const isOverdracht = (g: Geboekt): g is Geboekt<OverdrachtBericht> => g.bericht.berichtType === 'overdracht';

/** The state while berichten are applied in time order. */
interface Staat {
  houder?: Verantwoordelijke;
  perioden: Periode[];
  afgeslotenOp?: number;
  vtSinds?: number;
}

function wissel(staat: Staat, op: number, nieuw: Verantwoordelijke | undefined): void {
  const last = staat.perioden.at(-1);
  // What happens at one instant is taken together: a period that would end where it began is not recorded (Q314, Q342).
  if (last && last.tot === undefined) {
    if (Date.parse(last.van) === op) staat.perioden.pop();
    else staat.perioden[staat.perioden.length - 1] = { ...last, tot: iso(op) };
  }
  staat.houder = nieuw;
  if (nieuw) staat.perioden.push({ van: nieuw.sinds, verantwoordelijke: nieuw });
}

/** Applies one step: VT's start with the first handover, a transfer or a return by {@link overdrachtStandOp}, the closure. */
function apply(staat: Staat, stap: Stap, alle: readonly Geboekt[], profiel: Profiel): void {
  if (staat.afgeslotenOp !== undefined) return;
  const regel = (r: string, bron: Bron, toelichting: string): ProfielRegel => ({ profiel: profiel.id, regel: r, bron, toelichting });
  /** Brings the holder in line with what handover `h` says at this step. */
  const herzie = (geboekt: Geboekt<OverdrachtBericht>) => {
    const h = geboekt.bericht;
    const overzicht = overdrachtOverzicht(geboekt, alle, profiel);
    const stand = overdrachtStandOp(overzicht, stap.op);
    const teamOins = overzicht.teams.map((x) => x.oin);
    const houder = staat.houder?.oin;
    if (stand.houder === h.verzender.oin) {
      if (houder !== undefined && teamOins.includes(houder)) {
        const weiger = geldigeAntwoorden(overzicht).filter((a) => a.status === 'niet-geaccepteerd' && ms(a.op) <= stap.op).map((a) => a.berichtId);
        const { overgang, regel: r } = overgangVan(profiel, h);
        wissel(staat, stap.op, { oin: h.verzender.oin, rol: h.verzender.rol, sinds: iso(stap.op), regel: regel(r, overgang.bron, `${stand.toelichting}: responsibility returns to VT`), berichten: [h.berichtId, ...weiger] });
      }
      return;
    }
    if (houder !== h.verzender.oin) return;
    const team = overzicht.teams.find((x) => x.oin === stand.houder);
    if (team === undefined) return;
    const gebruikt = geldigeAntwoorden(overzicht).filter((a) =>
      ms(a.op) <= stap.op && (stand.meerdereGemeenten ? a.regie !== undefined : a.oin === team.oin && a.status !== 'niet-geaccepteerd' && (overzicht.bij !== 'acceptatie' || a.status === 'geaccepteerd')),
    );
    const ids = stand.meerdereGemeenten || overzicht.bij !== 'termijn' ? gebruikt.map((a) => a.berichtId) : [];
    const { overgang, regel: r } = overgangVan(profiel, h);
    const via = stand.meerdereGemeenten
      ? regel('overgang.meerdereGemeenten', profiel.overgang.meerdereGemeenten.bron, stand.toelichting)
      : overzicht.triagetafelBelegd
        ? regel('overgang.triagetafel', profiel.overgang.triagetafel.bron, stand.toelichting)
        : regel(r, overgang.bron, stand.toelichting);
    const mede = stand.meerdereGemeenten ? { mede: teamOins.filter((x) => x !== team.oin) } : {};
    wissel(staat, stap.op, { oin: team.oin, rol: team.rol, sinds: iso(stap.op), regel: via, berichten: [h.berichtId, ...ids], ...mede });
  };
  const findOverdracht = (id: string | undefined) => {
    const g = id === undefined ? undefined : alle.find((x) => sameId(id, x.bericht.berichtId));
    return g !== undefined && isOverdracht(g) ? g : undefined;
  };

  if (stap.kind === 'termijn-overgang') {
    herzie(stap.overdracht);
    return;
  }
  const g = stap.bericht;
  const b = g.bericht;
  switch (b.berichtType) {
    case 'overdracht': {
      const geboekt = { bericht: b, rcv: g.rcv };
      if (staat.vtSinds === undefined) {
        const vt = vtVerantwoordelijkVanaf(geboekt, profiel);
        staat.vtSinds = vt.op;
        wissel(staat, vt.op, { oin: b.verzender.oin, rol: b.verzender.rol, sinds: iso(vt.op), regel: regel('vtVerantwoordelijk', profiel.vtVerantwoordelijk.bron, vt.toelichting), berichten: [b.berichtId] });
      }
      herzie(geboekt);
      return;
    }
    case 'ontvangstbevestiging': {
      const h = findOverdracht(b.inAntwoordOp);
      if (h) herzie(h);
      return;
    }
    case 'afsluiting':
      wissel(staat, stap.op, undefined);
      staat.afgeslotenOp = stap.op;
      return;
    case 'veiligheidsvoorwaarden':
    case 'contact-gestart':
    case 'monitoring':
    case 'escalatie':
    case 'escalatie-antwoord':
    case 'termijnsignaal':
      return;
  }
}

/** The steps of a set of accepted berichten in the order the gateway accepted them (stable for equal times). */
function stappen(berichten: readonly Geboekt[], profiel: Profiel, nu: number): Stap[] {
  const list: Stap[] = berichten.map((bericht) => ({ kind: 'bericht', op: ms(bericht.rcv), bericht }));
  for (const g of berichten) {
    if (!isOverdracht(g)) continue;
    const { overgang } = overgangVan(profiel, g.bericht);
    if (overgang.bij !== 'termijn') continue;
    const op = termijnEinde(new Date(ms(g.rcv)), overgang.termijn, profiel.feestdagen).getTime();
    if (op <= nu) list.push({ kind: 'termijn-overgang', op, overdracht: g });
  }
  return list.map((s, i) => ({ s, i })).sort((a, b) => a.s.op - b.s.op || a.i - b.i).map(({ s }) => s);
}

function staatVan(berichten: readonly Geboekt[], profiel: Profiel, nu: number): Staat {
  const staat: Staat = { perioden: [] };
  for (const stap of stappen(berichten, profiel, nu)) apply(staat, stap, berichten, profiel);
  return staat;
}

/**
 * The ledger rules (LVC-010..012) and every trail rule for a new bericht against the accepted ones, judged
 * when the gateway accepts it (`nu`, its clock). An empty list means the bericht may join the ledger.
 */
export function ledgerIssues(accepted: readonly Geboekt[], bericht: Bericht, profiel: Profiel, nu: Date): Issue[] {
  return [...checkRules(bericht, trailOf(accepted.map((g) => g.bericht), { complete: true }), 'trail').filter((i) => i.severity === 'error'), ...ledgerRuleIssues(accepted, bericht, profiel, nu)];
}

/**
 * The ledger rules alone (LVC-010..012, stage `ledger`) for a new bericht against the accepted ones, judged at
 * `nu`, the gateway's clock when it accepts it: what {@link ledgerIssues} adds to the trail rules, for a caller
 * that has checked the trail rules already (the accept path, in the same transaction). The sender of an
 * afsluiting must hold zicht at that instant (LVC-011), whatever its `verzondenOp` says.
 */
export function ledgerRuleIssues(accepted: readonly Geboekt[], bericht: Bericht, profiel: Profiel, nu: Date): Issue[] {
  const issues: Issue[] = [];
  if (ms(bericht.verzondenOp) > nu.getTime() + MAX_KLOKAFWIJKING_MS) issues.push(issueFor('LVC-010', ['verzondenOp']));
  const staat = staatVan(accepted, profiel, nu.getTime());
  if (staat.afgeslotenOp !== undefined) issues.push(issueFor('LVC-012', ['dossier', 'referentie']));
  else if (bericht.berichtType === 'afsluiting' && staat.houder?.oin !== bericht.verzender.oin) issues.push(issueFor('LVC-011', ['verzender', 'oin']));
  return issues;
}

function termijnenVan(berichten: readonly Geboekt[], profiel: Profiel, nu: number, afgeslotenOp: number | undefined): LedgerTermijn[] {
  const out: LedgerTermijn[] = [];
  const add = (t: Omit<LedgerTermijn, 'status' | 'gehaaldOp' | 'gehaaldMet'>, gehaald: { op: number; id: string } | undefined) => {
    const uiterlijk = ms(t.uiterlijk);
    const status = gehaald ? (gehaald.op <= uiterlijk ? 'gehaald' : 'gemist') : nu >= uiterlijk ? (afgeslotenOp !== undefined && afgeslotenOp < uiterlijk ? 'vervallen' : 'gemist') : afgeslotenOp !== undefined ? 'vervallen' : 'open';
    out.push({ ...t, status, ...(gehaald ? { gehaaldOp: iso(gehaald.op), gehaaldMet: gehaald.id } : {}) });
  };
  const eind = (start: string, termijn: Profiel['escalatie']['antwoordtermijn']) => termijnEinde(new Date(ms(start)), termijn, profiel.feestdagen).toISOString();
  /** The first bericht that meets a term, at the instant that counts: its `rcv`, or the moment it reports. */
  const eerste = (pred: (b: Bericht) => boolean, moment: (g: Geboekt) => string) => {
    const found = berichten.filter((g) => pred(g.bericht)).map((g) => ({ op: ms(moment(g)), id: g.bericht.berichtId })).sort((a, b) => a.op - b.op);
    return found[0];
  };
  const ontvangenDoorGateway = (g: Geboekt) => g.rcv;
  const answers = (b: Bericht, id: string) => b.inAntwoordOp?.toLowerCase() === id.toLowerCase();

  for (const { bericht: h, rcv } of berichten) {
    const start = iso(ms(rcv));
    if (h.berichtType === 'overdracht') {
      const triagetafel = h.inhoud.moment === 'na-veiligheidsbeoordeling' && h.inhoud.triage.triagetafel;
      const contact = h.inhoud.moment === 'na-dienst' ? { r: 'eersteContact.naDienst', t: profiel.eersteContact.naDienst } : { r: 'eersteContact.naVeiligheidsbeoordeling', t: profiel.eersteContact.naVeiligheidsbeoordeling };
      for (const ontvanger of hoofdontvangers(h)) {
        const isReceipt = (b: Bericht) => b.berichtType === 'ontvangstbevestiging' && b.verzender.oin === ontvanger.oin && answers(b, h.berichtId);
        if (!triagetafel) {
          add(
            { soort: 'ontvangstbevestiging', regel: 'ontvangstbevestiging', bron: profiel.ontvangstbevestiging.bron, berichtId: h.berichtId, moetHandelen: ontvanger.oin, start, uiterlijk: eind(start, profiel.ontvangstbevestiging.termijn) },
            eerste(isReceipt, ontvangenDoorGateway),
          );
        }
        if (berichten.some(({ bericht: b }) => isReceipt(b) && b.berichtType === 'ontvangstbevestiging' && b.inhoud.status === 'niet-geaccepteerd')) continue;
        add(
          { soort: 'eerste-contact', regel: contact.r, bron: contact.t.bron, berichtId: h.berichtId, moetHandelen: ontvanger.oin, start, uiterlijk: eind(start, contact.t.termijn) },
          eerste((b) => b.berichtType === 'contact-gestart' && b.verzender.oin === ontvanger.oin && answers(b, h.berichtId), (g) => (g.bericht.berichtType === 'contact-gestart' ? g.bericht.inhoud.gestartOp : g.rcv)),
        );
      }
      if (h.inhoud.moment === 'na-dienst' && h.inhoud.monitoring.doorVt) {
        const maanden = [...new Set([...profiel.monitoring.momentenInMaanden, ...h.inhoud.monitoring.momentenInMaanden])].sort((a, b) => a - b);
        for (const maand of maanden) {
          add(
            { soort: 'monitoring', regel: 'monitoring', bron: profiel.monitoring.bron, berichtId: h.berichtId, moetHandelen: h.verzender.oin, start, uiterlijk: eind(start, { aantal: maand, eenheid: 'maanden' }), maand },
            eerste((b) => b.berichtType === 'monitoring' && b.inhoud.maand === maand && answers(b, h.berichtId), (g) => (g.bericht.berichtType === 'monitoring' ? g.bericht.inhoud.uitgevoerdOp : g.rcv)),
          );
        }
      }
    }
    if (h.berichtType === 'escalatie') {
      for (const gemeente of nietInKopie(h.ontvangers).filter((o) => o.rol === 'gemeente')) {
        add(
          { soort: 'escalatie-antwoord', regel: 'escalatie', bron: profiel.escalatie.bron, berichtId: h.berichtId, moetHandelen: gemeente.oin, start, uiterlijk: eind(start, profiel.escalatie.antwoordtermijn) },
          eerste((b) => b.berichtType === 'escalatie-antwoord' && b.verzender.oin === gemeente.oin && answers(b, h.berichtId), ontvangenDoorGateway),
        );
      }
    }
  }
  return out;
}

function soortVan(b: Bericht): string {
  return b.berichtType === 'ontvangstbevestiging' ? b.inhoud.status : b.berichtType;
}

/**
 * The berichten that join the ledger (each passing {@link ledgerIssues} against those before it, judged when the
 * gateway accepted it), the others, and the state they make.
 */
function ledgerStaat(berichten: readonly Geboekt[], profiel: Profiel, nu: Date): { accepted: Geboekt[]; geweigerd: { berichtId: string; issues: Issue[] }[]; staat: Staat } {
  const accepted: Geboekt[] = [];
  const geweigerd: { berichtId: string; issues: Issue[] }[] = [];
  for (const geboekt of berichten) {
    const issues = ledgerIssues(accepted, geboekt.bericht, profiel, new Date(Math.min(ms(geboekt.rcv), nu.getTime())));
    if (issues.length > 0) geweigerd.push({ berichtId: geboekt.bericht.berichtId, issues });
    else accepted.push(geboekt);
  }
  return { accepted, geweigerd, staat: staatVan(accepted, profiel, nu.getTime()) };
}

/**
 * The terms of a dossier's ledger as of `nu`, exactly as {@link buildLedger} lists them, without the rest of the
 * ledger (timeline, periods, handover overviews): what the accept path's timer step needs (src/lifecycle/termijnen.ts).
 */
export function ledgerTermijnen(berichten: readonly Geboekt[], profiel: Profiel, nu: Date): Pick<Ledger, 'profiel' | 'termijnen'> {
  const { accepted, staat } = ledgerStaat(berichten, profiel, nu);
  return { profiel: profiel.id, termijnen: termijnenVan(accepted, profiel, nu.getTime(), staat.afgeslotenOp) };
}

/**
 * Builds the ledger of one dossier as of `nu` from its berichten (in the order the gateway accepted them, each
 * with its `rcv`) and, optionally, the gateway's events. Each bericht joins only when it passes
 * {@link ledgerIssues} against those before it; otherwise it is listed in `geweigerd` and changes nothing.
 */
export function buildLedger(berichten: readonly Geboekt[], profiel: Profiel, opties: { readonly nu: Date; readonly events?: readonly TrailEvent[] }): Ledger {
  const nu = opties.nu.getTime();
  const { accepted, geweigerd, staat } = ledgerStaat(berichten, profiel, opties.nu);
  const tijdlijn: Gebeurtenis[] = [
    ...accepted.map(({ bericht: b, rcv }) => ({ op: iso(ms(rcv)), soort: soortVan(b), oin: b.verzender.oin, berichtId: b.berichtId })),
    ...staat.perioden.map((p) => ({ op: p.van, soort: 'verantwoordelijk', oin: p.verantwoordelijke.oin, berichtId: p.verantwoordelijke.berichten.at(-1) ?? '' })),
    ...(opties.events ?? []).filter((e) => e.type.startsWith('lifecycle.') || e.type.startsWith('delivery.') || e.type.startsWith('termijn.')).map((e) => ({ op: e.at.toISOString(), soort: e.type, oin: e.oin, berichtId: e.berichtId })),
  ].sort((a, b) => ms(a.op) - ms(b.op));
  const first = accepted[0];
  return {
    dossier: first?.bericht.dossier.referentie ?? '',
    profiel: profiel.id,
    nu: iso(nu),
    ...(staat.vtSinds === undefined ? {} : { vtVerantwoordelijkSinds: iso(staat.vtSinds) }),
    ...(staat.afgeslotenOp === undefined ? {} : { afgeslotenOp: iso(staat.afgeslotenOp) }),
    perioden: staat.perioden,
    tijdlijn,
    termijnen: termijnenVan(accepted, profiel, nu, staat.afgeslotenOp),
    overdrachten: accepted.flatMap((g) => (isOverdracht(g) ? [overdrachtOverzicht(g, accepted, profiel)] : [])),
    geweigerd,
  };
}

/** Who was responsible at instant `op` (undefined before VT became responsible and after closure). */
export function verantwoordelijkeOp(ledger: Ledger, op: Date): Verantwoordelijke | undefined {
  const t = op.getTime();
  return ledger.perioden.find((p) => ms(p.van) <= t && (p.tot === undefined || t < ms(p.tot)))?.verantwoordelijke;
}
