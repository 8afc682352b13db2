/**
 * The ledger of a dossier: a pure function from its berichten (and the gateway's events) plus the
 * region profile to its timeline, who is responsible for zicht op veiligheid at any instant, and its
 * terms (met, open, missed). Times are the senders' signed times (`verzondenOp`, and the moments a
 * bericht reports), so every party derives the same ledger from its own copies. A bericht that breaks
 * a rule is refused with its rule ids and changes nothing (`geweigerd`).
 */
import type { Bericht, Deelnemersrol, OverdrachtBericht } from '../model/bericht.js';
import type { TermijnSoort } from '../model/levenscyclus.js';
import type { Issue } from '../model/outcome.js';
import type { Bron, Overgang, Profiel } from '../profiles/profiel.js';
import { termijnEinde } from '../profiles/werkdagen.js';
import { trailOf } from '../rules/context.js';
import { issueFor } from '../rules/issue.js';
import { MAX_KLOKAFWIJKING_MS } from '../rules/levenscyclus.js';
import { checkRules } from '../rules/validate.js';

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

/** Receivers not in cc, each participant once: one serving several gemeenten is named once per gemeente (BER-008). */
const nietInKopie = (ontvangers: Bericht['ontvangers']): Bericht['ontvangers'] => {
  const hoofd = ontvangers.filter((o) => o.kopie !== true);
  return hoofd.filter((o, i) => hoofd.findIndex((p) => p.oin === o.oin) === i);
};
const hoofdontvangers = (h: OverdrachtBericht) => nietInKopie(h.ontvangers);

/**
 * When VT became responsible for the household of a handover (Z-L Bijlage 1): when it learned of an
 * urgent melding; otherwise at the end of triage, or when the triage term ran out if that came first.
 * A handover after a service does not carry the end of triage: the term's end is the latest moment.
 */
export function vtVerantwoordelijkVanaf(h: OverdrachtBericht, profiel: Profiel): { op: number; toelichting: string } {
  const melding = ms(h.inhoud.melding.ontvangenOp);
  if (h.inhoud.melding.urgent) return { op: melding, toelichting: 'urgent melding: VT is responsible from when it learned of it' };
  const termijn = termijnEinde(new Date(melding), profiel.vtVerantwoordelijk.triagetermijn, profiel.feestdagen).getTime();
  if (h.inhoud.moment === 'na-veiligheidsbeoordeling') {
    const triage = ms(h.inhoud.triage.afgerondOp);
    return triage <= termijn ? { op: triage, toelichting: 'VT is responsible from the end of triage' } : { op: termijn, toelichting: 'triage exceeded its term: VT is responsible from the overrun' };
  }
  return { op: Math.min(termijn, ms(h.verzondenOp)), toelichting: 'handover after a service: VT is responsible at the latest from the end of the triage term' };
}

type Stap =
  | { readonly kind: 'bericht'; readonly op: number; readonly bericht: Bericht }
  | { readonly kind: 'termijn-overgang'; readonly op: number; readonly overdracht: OverdrachtBericht };

/** The state while berichten are applied in time order. */
interface Staat {
  houder?: Verantwoordelijke;
  perioden: Periode[];
  afgeslotenOp?: number;
  vtSinds?: number;
}

function wissel(staat: Staat, op: number, nieuw: Verantwoordelijke | undefined): void {
  const last = staat.perioden.at(-1);
  if (last && last.tot === undefined) staat.perioden[staat.perioden.length - 1] = { ...last, tot: iso(op) };
  staat.houder = nieuw;
  if (nieuw) staat.perioden.push({ van: nieuw.sinds, verantwoordelijke: nieuw });
}

/** The responsible party the ledger's rules derive for one step, or `undefined` for no change. */
function apply(staat: Staat, stap: Stap, alle: readonly Bericht[], profiel: Profiel): void {
  if (staat.afgeslotenOp !== undefined) return;
  const regel = (r: string, bron: Bron, toelichting: string): ProfielRegel => ({ profiel: profiel.id, regel: r, bron, toelichting });
  const findOverdracht = (id: string | undefined) => {
    const b = id === undefined ? undefined : alle.find((x) => x.berichtId.toLowerCase() === id.toLowerCase());
    return b?.berichtType === 'overdracht' ? b : undefined;
  };
  const naar = (h: OverdrachtBericht, oin: string, op: number, r: ProfielRegel, berichten: string[]) => {
    const ontvanger = h.ontvangers.find((o) => o.oin === oin);
    if (!ontvanger || staat.houder?.oin === oin) return;
    wissel(staat, op, { oin, rol: ontvanger.rol, sinds: iso(op), regel: r, berichten });
  };
  const naarVt = (h: OverdrachtBericht, op: number, r: ProfielRegel, berichten: string[]) => {
    if (staat.houder?.oin === h.verzender.oin) return;
    wissel(staat, op, { oin: h.verzender.oin, rol: h.verzender.rol, sinds: iso(op), regel: r, berichten });
  };

  if (stap.kind === 'termijn-overgang') {
    const h = stap.overdracht;
    const { overgang, regel: r } = overgangVan(profiel, h);
    const lead = hoofdontvangers(h)[0];
    if (overgang.bij !== 'termijn' || !lead || staat.houder?.oin !== h.verzender.oin) return;
    const geweigerd = alle.some((b) => b.berichtType === 'ontvangstbevestiging' && b.verzender.oin === lead.oin && b.inAntwoordOp?.toLowerCase() === h.berichtId.toLowerCase() && b.inhoud.status === 'niet-geaccepteerd' && ms(b.verzondenOp) <= stap.op);
    if (!geweigerd) naar(h, lead.oin, stap.op, regel(r, overgang.bron, 'the term after the handover passed'), [h.berichtId]);
    return;
  }

  const b = stap.bericht;
  switch (b.berichtType) {
    case 'overdracht': {
      if (staat.vtSinds === undefined) {
        const vt = vtVerantwoordelijkVanaf(b, profiel);
        staat.vtSinds = vt.op;
        wissel(staat, vt.op, { oin: b.verzender.oin, rol: b.verzender.rol, sinds: iso(vt.op), regel: regel('vtVerantwoordelijk', profiel.vtVerantwoordelijk.bron, vt.toelichting), berichten: [b.berichtId] });
      }
      const { overgang, regel: r } = overgangVan(profiel, b);
      const lead = hoofdontvangers(b)[0];
      if (overgang.bij === 'ontvangst' && b.inhoud.moment === 'na-veiligheidsbeoordeling' && b.inhoud.triage.triagetafel && lead) {
        naar(b, lead.oin, stap.op, regel(r, overgang.bron, 'handed over at the triage table: assigned at once (Z-L 2i)'), [b.berichtId]);
      }
      return;
    }
    case 'ontvangstbevestiging': {
      const h = findOverdracht(b.inAntwoordOp);
      if (!h || !hoofdontvangers(h).some((o) => o.oin === b.verzender.oin)) return;
      const { overgang, regel: r } = overgangVan(profiel, h);
      if (b.inhoud.status === 'niet-geaccepteerd') {
        if (staat.houder?.oin === b.verzender.oin) naarVt(h, stap.op, regel(r, overgang.bron, 'niet-geaccepteerd: responsibility returns to VT'), [h.berichtId, b.berichtId]);
        return;
      }
      const passes =
        overgang.bij === 'ontvangst' ||
        (overgang.bij === 'acceptatie' && b.inhoud.status === 'geaccepteerd') ||
        (overgang.bij === 'termijn' && stap.op >= termijnEinde(new Date(ms(h.verzondenOp)), overgang.termijn, profiel.feestdagen).getTime());
      if (passes && staat.houder?.oin === h.verzender.oin) naar(h, b.verzender.oin, stap.op, regel(r, overgang.bron, `receipt ${b.inhoud.status}`), [h.berichtId, b.berichtId]);
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

/** The steps of a set of accepted berichten in time order (stable for equal times). */
function stappen(berichten: readonly Bericht[], profiel: Profiel, nu: number): Stap[] {
  const list: Stap[] = berichten.map((bericht) => ({ kind: 'bericht', op: ms(bericht.verzondenOp), bericht }));
  for (const b of berichten) {
    if (b.berichtType !== 'overdracht') continue;
    const { overgang } = overgangVan(profiel, b);
    if (overgang.bij !== 'termijn') continue;
    const op = termijnEinde(new Date(ms(b.verzondenOp)), overgang.termijn, profiel.feestdagen).getTime();
    if (op <= nu) list.push({ kind: 'termijn-overgang', op, overdracht: b });
  }
  return list.map((s, i) => ({ s, i })).sort((a, b) => a.s.op - b.s.op || a.i - b.i).map(({ s }) => s);
}

function staatVan(berichten: readonly Bericht[], profiel: Profiel, nu: number): Staat {
  const staat: Staat = { perioden: [] };
  for (const stap of stappen(berichten, profiel, nu)) apply(staat, stap, berichten, profiel);
  return staat;
}

/**
 * The ledger rules (LVC-010..012) and every trail rule for a new bericht against the accepted ones.
 * An empty list means the bericht may join the ledger.
 */
export function ledgerIssues(accepted: readonly Bericht[], bericht: Bericht, profiel: Profiel, nu: Date): Issue[] {
  const issues = checkRules(bericht, trailOf(accepted, { complete: true }), 'trail').filter((i) => i.severity === 'error');
  if (ms(bericht.verzondenOp) > nu.getTime() + MAX_KLOKAFWIJKING_MS) issues.push(issueFor('LVC-010', ['verzondenOp']));
  const staat = staatVan(accepted, profiel, nu.getTime());
  if (staat.afgeslotenOp !== undefined) issues.push(issueFor('LVC-012', ['dossier', 'referentie']));
  else if (bericht.berichtType === 'afsluiting') {
    const at = staatVan(accepted, profiel, Math.min(ms(bericht.verzondenOp), nu.getTime()));
    if (at.houder?.oin !== bericht.verzender.oin) issues.push(issueFor('LVC-011', ['verzender', 'oin']));
  }
  return issues;
}

function termijnenVan(berichten: readonly Bericht[], profiel: Profiel, nu: number, afgeslotenOp: number | undefined): LedgerTermijn[] {
  const out: LedgerTermijn[] = [];
  const add = (t: Omit<LedgerTermijn, 'status' | 'gehaaldOp' | 'gehaaldMet'>, gehaald: { op: number; id: string } | undefined) => {
    const uiterlijk = ms(t.uiterlijk);
    const status = gehaald ? (gehaald.op <= uiterlijk ? 'gehaald' : 'gemist') : nu >= uiterlijk ? (afgeslotenOp !== undefined && afgeslotenOp < uiterlijk ? 'vervallen' : 'gemist') : afgeslotenOp !== undefined ? 'vervallen' : 'open';
    out.push({ ...t, status, ...(gehaald ? { gehaaldOp: iso(gehaald.op), gehaaldMet: gehaald.id } : {}) });
  };
  const eind = (start: string, termijn: Profiel['escalatie']['antwoordtermijn']) => termijnEinde(new Date(ms(start)), termijn, profiel.feestdagen).toISOString();
  const eerste = (pred: (b: Bericht) => boolean, moment: (b: Bericht) => string) => {
    const found = berichten.filter(pred).map((b) => ({ op: ms(moment(b)), id: b.berichtId })).sort((a, b) => a.op - b.op);
    return found[0];
  };
  const answers = (b: Bericht, id: string) => b.inAntwoordOp?.toLowerCase() === id.toLowerCase();

  for (const h of berichten) {
    if (h.berichtType === 'overdracht') {
      const triagetafel = h.inhoud.moment === 'na-veiligheidsbeoordeling' && h.inhoud.triage.triagetafel;
      const contact = h.inhoud.moment === 'na-dienst' ? { r: 'eersteContact.naDienst', t: profiel.eersteContact.naDienst } : { r: 'eersteContact.naVeiligheidsbeoordeling', t: profiel.eersteContact.naVeiligheidsbeoordeling };
      for (const ontvanger of hoofdontvangers(h)) {
        const receipts = berichten.filter((b) => b.berichtType === 'ontvangstbevestiging' && b.verzender.oin === ontvanger.oin && answers(b, h.berichtId));
        if (!triagetafel) {
          add(
            { soort: 'ontvangstbevestiging', regel: 'ontvangstbevestiging', bron: profiel.ontvangstbevestiging.bron, berichtId: h.berichtId, moetHandelen: ontvanger.oin, start: iso(ms(h.verzondenOp)), uiterlijk: eind(h.verzondenOp, profiel.ontvangstbevestiging.termijn) },
            eerste((b) => receipts.includes(b), (b) => b.verzondenOp),
          );
        }
        if (receipts.some((b) => b.berichtType === 'ontvangstbevestiging' && b.inhoud.status === 'niet-geaccepteerd')) continue;
        add(
          { soort: 'eerste-contact', regel: contact.r, bron: contact.t.bron, berichtId: h.berichtId, moetHandelen: ontvanger.oin, start: iso(ms(h.verzondenOp)), uiterlijk: eind(h.verzondenOp, contact.t.termijn) },
          eerste((b) => b.berichtType === 'contact-gestart' && b.verzender.oin === ontvanger.oin && answers(b, h.berichtId), (b) => (b.berichtType === 'contact-gestart' ? b.inhoud.gestartOp : b.verzondenOp)),
        );
      }
      if (h.inhoud.moment === 'na-dienst' && h.inhoud.monitoring.doorVt) {
        const maanden = [...new Set([...profiel.monitoring.momentenInMaanden, ...h.inhoud.monitoring.momentenInMaanden])].sort((a, b) => a - b);
        for (const maand of maanden) {
          add(
            { soort: 'monitoring', regel: 'monitoring', bron: profiel.monitoring.bron, berichtId: h.berichtId, moetHandelen: h.verzender.oin, start: iso(ms(h.verzondenOp)), uiterlijk: eind(h.verzondenOp, { aantal: maand, eenheid: 'maanden' }), maand },
            eerste((b) => b.berichtType === 'monitoring' && b.inhoud.maand === maand && answers(b, h.berichtId), (b) => (b.berichtType === 'monitoring' ? b.inhoud.uitgevoerdOp : b.verzondenOp)),
          );
        }
      }
    }
    if (h.berichtType === 'escalatie') {
      for (const gemeente of nietInKopie(h.ontvangers).filter((o) => o.rol === 'gemeente')) {
        add(
          { soort: 'escalatie-antwoord', regel: 'escalatie', bron: profiel.escalatie.bron, berichtId: h.berichtId, moetHandelen: gemeente.oin, start: iso(ms(h.verzondenOp)), uiterlijk: eind(h.verzondenOp, profiel.escalatie.antwoordtermijn) },
          eerste((b) => b.berichtType === 'escalatie-antwoord' && b.verzender.oin === gemeente.oin && answers(b, h.berichtId), (b) => b.verzondenOp),
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
 * Builds the ledger of one dossier as of `nu` from its berichten (in the order they were accepted) and,
 * optionally, the gateway's events. Each bericht joins only when it passes {@link ledgerIssues} against
 * those before it; otherwise it is listed in `geweigerd` and changes nothing.
 */
export function buildLedger(berichten: readonly Bericht[], profiel: Profiel, opties: { readonly nu: Date; readonly events?: readonly TrailEvent[] }): Ledger {
  const nu = opties.nu.getTime();
  const accepted: Bericht[] = [];
  const geweigerd: { berichtId: string; issues: Issue[] }[] = [];
  for (const bericht of berichten) {
    const issues = ledgerIssues(accepted, bericht, profiel, opties.nu);
    if (issues.length > 0) geweigerd.push({ berichtId: bericht.berichtId, issues });
    else accepted.push(bericht);
  }
  const staat = staatVan(accepted, profiel, nu);
  const tijdlijn: Gebeurtenis[] = [
    ...accepted.map((b) => ({ op: iso(ms(b.verzondenOp)), soort: soortVan(b), oin: b.verzender.oin, berichtId: b.berichtId })),
    ...staat.perioden.map((p) => ({ op: p.van, soort: 'verantwoordelijk', oin: p.verantwoordelijke.oin, berichtId: p.verantwoordelijke.berichten.at(-1) ?? '' })),
    ...(opties.events ?? []).filter((e) => e.type.startsWith('lifecycle.') || e.type.startsWith('delivery.') || e.type.startsWith('termijn.')).map((e) => ({ op: e.at.toISOString(), soort: e.type, oin: e.oin, berichtId: e.berichtId })),
  ].sort((a, b) => ms(a.op) - ms(b.op));
  const first = accepted[0];
  return {
    dossier: first?.dossier.referentie ?? '',
    profiel: profiel.id,
    nu: iso(nu),
    ...(staat.vtSinds === undefined ? {} : { vtVerantwoordelijkSinds: iso(staat.vtSinds) }),
    ...(staat.afgeslotenOp === undefined ? {} : { afgeslotenOp: iso(staat.afgeslotenOp) }),
    perioden: staat.perioden,
    tijdlijn,
    termijnen: termijnenVan(accepted, profiel, nu, staat.afgeslotenOp),
    geweigerd,
  };
}

/** Who was responsible at instant `op` (undefined before VT became responsible and after closure). */
export function verantwoordelijkeOp(ledger: Ledger, op: Date): Verantwoordelijke | undefined {
  const t = op.getTime();
  return ledger.perioden.find((p) => ms(p.van) <= t && (p.tot === undefined || t < ms(p.tot)))?.verantwoordelijke;
}
