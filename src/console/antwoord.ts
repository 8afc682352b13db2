/**
 * The answer the dossier page opens with (issue 21): who holds zicht op veiligheid now, since when, by which
 * profile rule, on which berichten, and what makes that answer fragile. The answer itself is the one pure
 * function's (src/lifecycle/verantwoordelijkheid.ts); this file only gathers what the page shows beside it from
 * the store and the registry: the evidence berichten' metadata, the deliveries of the handovers and of the
 * evidence (a receiver that never got it), the terms missed, the keys revoked since, the berichten the ledger
 * refused. Metadata only: types, OINs, times, ids, rule ids, never content.
 */
import { JsonError, SignatureError } from '../errors.js';
import type { Ledger, LedgerTermijn } from '../lifecycle/ledger.js';
import { verantwoordelijkheid, type Verantwoordelijkheid } from '../lifecycle/verantwoordelijkheid.js';
import type { Issue } from '../model/outcome.js';
import type { Deelnemer } from '../registry/deelnemer.js';
import { decodeProtectedHeader } from '../signing/header.js';
import type { Delivery } from '../store/delivery.js';
import type { StoreOperations } from '../store/store.js';
import type { StoredBericht } from '../store/stored-bericht.js';

/** One bericht as evidence: what it is, who sent it, when (the sender's claim and the gateway's receipt). */
export interface Bewijs {
  readonly berichtId: string;
  /** The bericht type, or for a receipt its status (`geaccepteerd`): a key of the console's words. */
  readonly soort: string;
  readonly verzender: string;
  /** The sender's signed time (a claim). */
  readonly verzondenOp?: string;
  /** When the gateway received it (the gateway's clock: evidence). */
  readonly ontvangenOp?: Date;
}

/** What makes the answer fragile. */
export type Waarschuwing =
  | { readonly soort: 'onbestelbaar' | 'niet-afgeleverd'; readonly bericht: Bewijs; readonly delivery: Delivery }
  | { readonly soort: 'termijn-gemist'; readonly termijn: LedgerTermijn }
  | { readonly soort: 'sleutel-ingetrokken'; readonly bericht: Bewijs; readonly kid: string; readonly ingetrokkenOp: string }
  | { readonly soort: 'geweigerd'; readonly bericht: Bewijs; readonly issues: readonly Issue[] };

/** Everything the top of the dossier page says. */
export interface DossierAntwoord {
  readonly stand: Verantwoordelijkheid;
  /** The berichten that make the answer so (for a closed dossier: the afsluiting). */
  readonly bewijs: readonly Bewijs[];
  /** Terms still running and terms missed. */
  readonly open: readonly LedgerTermijn[];
  readonly gemist: readonly LedgerTermijn[];
  readonly waarschuwingen: readonly Waarschuwing[];
}

/** The type of a stored bericht in the console's words: a receipt by its status. */
function soortVan(stored: StoredBericht, body: unknown): string {
  if (stored.berichtType !== 'ontvangstbevestiging') return stored.berichtType;
  const status = (body as { inhoud?: { status?: unknown } } | undefined)?.inhoud?.status;
  return typeof status === 'string' ? status : stored.berichtType;
}

/** A stored bericht's type in the console's words and the kid of its sender's signature (none for a purged residue). */
export function berichtSoort(stored: StoredBericht, body: unknown): { soort: string; kid?: string } {
  const kid = senderKid(body);
  return { soort: soortVan(stored, body), ...(kid === undefined ? {} : { kid }) };
}

/** The kid of the sender's signature (the first entry), or `undefined` when the body carries none (a purged residue). */
function senderKid(body: unknown): string | undefined {
  const first: unknown = (body as { signatures?: unknown } | undefined)?.signatures;
  const entry: unknown = Array.isArray(first) ? first[0] : undefined;
  const encoded: unknown = typeof entry === 'object' && entry !== null && 'protected' in entry ? entry.protected : undefined;
  if (typeof encoded !== 'string') return undefined;
  try {
    const kid = decodeProtectedHeader(encoded).kid;
    return typeof kid === 'string' ? kid : undefined;
  } catch (error) {
    if (error instanceof SignatureError || error instanceof JsonError) return undefined;
    throw error;
  }
}

/**
 * The answer of a dossier's ledger at its `nu`, with the evidence and the warnings, from the dossier's stored
 * berichten, the deliveries of its handovers and evidence berichten (by bericht id) and the registry. Pure.
 */
export function bouwAntwoord(ledger: Ledger, stored: readonly StoredBericht[], deliveries: ReadonlyMap<string, readonly Delivery[]>, deelnemers: readonly Deelnemer[]): DossierAntwoord {
  const nu = new Date(ledger.nu);
  const stand = verantwoordelijkheid(ledger, nu);
  const bodies = new Map(stored.map((s) => [s.berichtId.toLowerCase(), { stored: s, body: JSON.parse(s.body) as unknown }]));
  const bewijsVan = (id: string): Bewijs => {
    const found = bodies.get(id.toLowerCase());
    if (found === undefined) return { berichtId: id, soort: 'bericht', verzender: '' };
    const verzondenOp = (found.body as { verzondenOp?: unknown }).verzondenOp;
    return {
      berichtId: found.stored.berichtId,
      soort: soortVan(found.stored, found.body),
      verzender: found.stored.senderOin,
      ...(typeof verzondenOp === 'string' ? { verzondenOp } : {}),
      ontvangenOp: found.stored.receivedAt,
    };
  };
  const afsluiting = stand.stand === 'afgesloten' ? ledger.tijdlijn.find((g) => g.soort === 'afsluiting')?.berichtId : undefined;
  const bewijs = (stand.verantwoordelijke?.berichten ?? (afsluiting === undefined ? [] : [afsluiting])).map(bewijsVan);

  const waarschuwingen: Waarschuwing[] = [];
  // A receiver that never got a handover or an evidence bericht: a dead letter, or still in the outbox.
  for (const id of teControleren(ledger, stand)) {
    for (const delivery of deliveries.get(id) ?? []) {
      if (delivery.status === 'failed') waarschuwingen.push({ soort: 'onbestelbaar', bericht: bewijsVan(id), delivery });
      else if (delivery.status === 'queued') waarschuwingen.push({ soort: 'niet-afgeleverd', bericht: bewijsVan(id), delivery });
    }
  }
  const gemist = ledger.termijnen.filter((t) => t.status === 'gemist');
  for (const termijn of gemist) waarschuwingen.push({ soort: 'termijn-gemist', termijn });
  // A key the evidence was signed with that the registry has revoked by now (whenever the revocation took effect).
  const registry = new Map(deelnemers.map((d) => [d.oin, d]));
  for (const b of bewijs) {
    const found = bodies.get(b.berichtId.toLowerCase());
    const kid = found === undefined ? undefined : senderKid(found.body);
    const sleutel = kid === undefined ? undefined : registry.get(b.verzender)?.sleutels.find((s) => s.kid === kid);
    if (kid !== undefined && sleutel?.revokedAt !== undefined && Date.parse(sleutel.revokedAt) <= nu.getTime()) {
      waarschuwingen.push({ soort: 'sleutel-ingetrokken', bericht: b, kid, ingetrokkenOp: sleutel.revokedAt });
    }
  }
  for (const g of ledger.geweigerd) waarschuwingen.push({ soort: 'geweigerd', bericht: bewijsVan(g.berichtId), issues: g.issues });
  return { stand, bewijs, open: ledger.termijnen.filter((t) => t.status === 'open'), gemist, waarschuwingen };
}

/** The berichten whose deliveries decide the answer: every handover of the dossier and the evidence. */
function teControleren(ledger: Ledger, stand: Verantwoordelijkheid): string[] {
  return [...new Set([...ledger.overdrachten.map((o) => o.berichtId), ...(stand.verantwoordelijke?.berichten ?? [])])];
}

/** {@link bouwAntwoord} over the store: the dossier's berichten and the deliveries of its handovers and evidence. */
export async function dossierAntwoord(store: StoreOperations, ledger: Ledger, deelnemers: readonly Deelnemer[]): Promise<DossierAntwoord> {
  const stored = await store.listBerichtenByDossier(ledger.dossier);
  const deliveries = new Map<string, Delivery[]>();
  for (const id of teControleren(ledger, verantwoordelijkheid(ledger, new Date(ledger.nu)))) deliveries.set(id, await store.listDeliveries(id));
  return bouwAntwoord(ledger, stored, deliveries, deelnemers);
}

/** The profile's rules by name, in Dutch. */
const REGEL_NL: Readonly<Record<string, string>> = {
  vtVerantwoordelijk: 'Veilig Thuis wordt verantwoordelijk met de melding en de triage',
  'overgang.naVeiligheidsbeoordeling': 'overgang bij een directe overdracht, na de veiligheidsbeoordeling',
  'overgang.naDienst': 'overgang bij een overdracht na een dienst van Veilig Thuis',
  'overgang.triagetafel': 'overdracht aan de triagetafel: meteen belegd',
  'overgang.meerdereGemeenten': 'huishouden in meer gemeenten: overgang als alle teams bevestigden en één regieteam noemden (afstemming)',
};

/** A profile rule's name in Dutch (the name itself when unknown). */
export function regelNl(regel: string): string {
  return REGEL_NL[regel] ?? regel;
}

const EIS_NL: readonly [RegExp, string][] = [
  [/^acceptance \(geaccepteerd\)$/, 'acceptatie (geaccepteerd)'],
  [/^receipt \(ontvangen or geaccepteerd\)$/, 'ontvangst (ontvangen of geaccepteerd)'],
  [/^the term \(until ([^)]*)\)$/, 'het einde van de termijn ($1)'],
];
const eisNl = (eis: string): string => {
  for (const [re, nl] of EIS_NL) if (re.test(eis)) return eis.replace(re, nl);
  return eis;
};

/**
 * The ledger's explanation of a holder or a handover's state (English, src/lifecycle/ledger.ts) in Dutch, with
 * OINs as `naam`: `undefined` when the sentence is not one the console knows (the page then shows the English,
 * marked as such).
 */
export function toelichtingNl(toelichting: string, naam: (oin: string) => string): string | undefined {
  const namen = (list: string) => list.split(', ').map(naam).join(', ');
  const terug = /^(.*): responsibility returns to VT$/.exec(toelichting);
  if (terug?.[1] !== undefined) {
    const eerst = toelichtingNl(terug[1], naam);
    return eerst === undefined ? undefined : `${eerst}; de verantwoordelijkheid gaat terug naar Veilig Thuis`;
  }
  const vast: Readonly<Record<string, string>> = {
    'urgent melding: VT is responsible from when it learned of it': 'spoedeisende melding: Veilig Thuis is verantwoordelijk vanaf het moment dat het de melding kende',
    'VT is responsible from the end of triage': 'Veilig Thuis is verantwoordelijk vanaf het einde van de triage',
    'triage exceeded its term: VT is responsible from the overrun': 'de triage duurde langer dan de termijn: Veilig Thuis is verantwoordelijk vanaf de overschrijding',
    'handover after a service: VT is responsible at the latest from the end of the triage term': 'overdracht na een dienst: Veilig Thuis is uiterlijk vanaf het einde van de triagetermijn verantwoordelijk',
    'the handover was not yet sent': 'de overdracht was nog niet verzonden',
    'the handover has no receiver (not in cc)': 'de overdracht heeft geen ontvanger buiten de kopie',
    'handed over at the triage table: belegd at once': 'overgedragen aan de triagetafel: meteen belegd',
    'the term after the handover passed': 'de termijn na de overdracht is verstreken',
    'geaccepteerd by the receiver': 'de ontvanger accepteerde de overdracht (geaccepteerd)',
    'ontvangen by the receiver': 'de ontvanger bevestigde de ontvangst (ontvangen)',
    'two or more gemeenten: the teams name different lead teams (afstemming); VT keeps zicht until they agree':
      'meer gemeenten: de teams noemen verschillende regieteams (afstemming); Veilig Thuis houdt zicht tot zij het eens zijn',
    'two or more gemeenten: the team named to lead did not accept; VT keeps zicht': 'meer gemeenten: het team dat de regie kreeg, accepteerde niet; Veilig Thuis houdt zicht',
  };
  if (Object.hasOwn(vast, toelichting)) return vast[toelichting];
  let m = /^niet-geaccepteerd by (.+): VT keeps zicht$/.exec(toelichting);
  if (m?.[1] !== undefined) return `niet geaccepteerd door ${namen(m[1])}: Veilig Thuis houdt zicht`;
  m = /^waiting for the (.+) of (\d{20})$/.exec(toelichting);
  if (m?.[1] !== undefined && m[2] !== undefined) return `wacht op de ${eisNl(m[1])} van ${naam(m[2])}`;
  m = /^two or more gemeenten: waiting for the (.+) naming the lead team \(afstemming\) of (.+)$/.exec(toelichting);
  if (m?.[1] !== undefined && m[2] !== undefined) return `meer gemeenten: wacht op de ${eisNl(m[1])} met het regieteam (afstemming) van ${namen(m[2])}`;
  m = /^two or more gemeenten: every addressed team met the rule \((.+)\) and all named this team to lead \(afstemming\)$/.exec(toelichting);
  if (m?.[1] !== undefined) return `meer gemeenten: elk aangeschreven team voldeed aan de regel (${eisNl(m[1])}) en allen gaven dit team de regie (afstemming)`;
  return undefined;
}
