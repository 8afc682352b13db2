/** Building a dossier's berichten for ledger tests from the spec's valid examples. */
import { randomUUID } from 'node:crypto';
import type { Bericht, OntvangstbevestigingBericht, OverdrachtBericht } from '../../src/model/bericht.js';
import type { Geboekt } from '../../src/model/geboekt.js';
import type { Profiel } from '../../src/profiles/profiel.js';
import { loadProfielen, profielById } from '../../src/profiles/load.js';
import { example } from '../helpers/examples.js';

export const VT = '00000004000000010001';
export const LT_HEERLEN = '00000001000000009170';
export const LT_KERKRADE = '00000001000000009280';
export const LT_MAASTRICHT = '00000001000000009350';
export const GEMEENTE_HEERLEN = '00000001000000009179';

const profielen = loadProfielen();
/** A published profile by id. */
export const profiel = (id: string): Profiel => profielById(profielen, id);
export const PROFIELEN = [...profielen.keys()];

const volgnummers = new Map<string, number>();
function volgnummer(oin: string): number {
  const next = (volgnummers.get(oin) ?? 0) + 1;
  volgnummers.set(oin, next);
  return next;
}

/** The direct handover of dossier VTZL-2026-004711 (melding 2 March 2026, triage ended Friday 6 March 11:00), to the lokaal team of Maastricht. */
export function directeOverdracht(patch: { verzondenOp?: string; urgent?: boolean; triageAfgerondOp?: string; triagetafel?: boolean } = {}): OverdrachtBericht {
  const b = example('overdracht-na-veiligheidsbeoordeling') as OverdrachtBericht;
  if (b.inhoud.moment !== 'na-veiligheidsbeoordeling') throw new Error('example changed');
  b.berichtId = randomUUID();
  b.dossier.volgnummer = volgnummer(VT);
  if (patch.verzondenOp) b.verzondenOp = patch.verzondenOp;
  if (patch.urgent !== undefined) b.inhoud.melding.urgent = patch.urgent;
  if (patch.triageAfgerondOp) b.inhoud.triage.afgerondOp = patch.triageAfgerondOp;
  if (patch.triagetafel !== undefined) b.inhoud.triage.triagetafel = patch.triagetafel;
  return b;
}

/**
 * The handover after dienst Onderzoek of dossier VTZL-2026-005032 (Monday 15 June 2026 10:00) to the lokale teams of Heerlen and
 * Kerkrade (a household in two gemeenten, Z-L 5.2.4); VT monitors at 3 and 12 months. `alleenHeerlen`: to Heerlen only.
 */
export function overdrachtNaDienst(patch: { verzondenOp?: string; urgent?: boolean; alleenHeerlen?: boolean } = {}): OverdrachtBericht {
  const b = example('overdracht-na-dienst-onderzoek') as OverdrachtBericht;
  b.berichtId = randomUUID();
  b.dossier.volgnummer = volgnummer(VT);
  if (patch.verzondenOp) b.verzondenOp = patch.verzondenOp;
  if (patch.urgent !== undefined) b.inhoud.melding.urgent = patch.urgent;
  if (patch.alleenHeerlen === true) b.ontvangers = b.ontvangers.filter((o) => o.oin === LT_HEERLEN);
  return b;
}

function envelope(h: OverdrachtBericht, van: { oin: string; rol: Bericht['verzender']['rol'] }, aan: Bericht['ontvangers'], op: string, inAntwoordOp: string) {
  return {
    specVersie: '1.0' as const,
    berichtId: randomUUID(),
    verzender: van,
    ontvangers: aan,
    verzondenOp: op,
    dossier: { referentie: h.dossier.referentie, volgnummer: volgnummer(van.oin) },
    inAntwoordOp,
  };
}

const vt = [{ oin: VT, rol: 'vt' as const }];
const lt = (oin: string) => ({ oin, rol: 'lokaal-team' as const });

/**
 * A receipt of a handover by one of its receivers. An acceptance names who picks the case up (ONT-009);
 * with two or more receivers it names the lead team (afstemming, VRW-001): `regie`, by default the first.
 */
export function ontvangst(h: OverdrachtBericht, van: string, status: OntvangstbevestigingBericht['inhoud']['status'], op: string, opties: { regie?: string } = {}): OntvangstbevestigingBericht {
  const teams = h.ontvangers.filter((o) => o.kopie !== true);
  const regie = opties.regie ?? (status === 'geaccepteerd' && teams.length >= 2 ? teams[0]?.oin : undefined);
  return {
    ...envelope(h, lt(van), vt, op, h.berichtId),
    berichtType: 'ontvangstbevestiging',
    inhoud: {
      status,
      ontvangenOp: h.verzondenOp,
      ...(status === 'niet-geaccepteerd' ? { reden: 'Geen capaciteit.' } : {}),
      ...(status === 'geaccepteerd' ? { behandelaar: { team: 'Sociaal team', telefoon: '045 000 0000' } } : {}),
      ...(regie === undefined ? {} : { afstemming: { regie } }),
    },
  };
}

/** First contact started, reported by a receiver. */
export function contact(h: OverdrachtBericht, van: string, op: string): Bericht {
  return { ...envelope(h, lt(van), vt, op, h.berichtId), berichtType: 'contact-gestart', inhoud: { gestartOp: op } };
}

/** A monitoring moment done by VT. */
export function monitoring(h: OverdrachtBericht, maand: number, op: string): Bericht {
  return { ...envelope(h, { oin: VT, rol: 'vt' }, h.ontvangers, op, h.berichtId), berichtType: 'monitoring', inhoud: { maand, uitgevoerdOp: op, uitkomst: 'voorwaarden-nageleefd' } };
}

/** The closure by a party of the handover. */
export function afsluiting(h: OverdrachtBericht, van: string, op: string): Bericht {
  const sender = van === VT ? { oin: VT, rol: 'vt' as const } : lt(van);
  const to = van === VT ? h.ontvangers.map((o) => ({ ...o, kopie: false })) : vt;
  return { ...envelope(h, sender, to, op, h.berichtId), berichtType: 'afsluiting', inhoud: { afgeslotenOp: op, reden: 'stabiel-veilig' } };
}

/** An escalation by VT to the gemeente Heerlen. */
export function escalatie(h: OverdrachtBericht, op: string): Bericht {
  return {
    ...envelope(h, { oin: VT, rol: 'vt' }, [{ oin: GEMEENTE_HEERLEN, rol: 'gemeente', gemeentecode: 'GM0917' }], op, h.berichtId),
    berichtType: 'escalatie',
    inhoud: { afspraak: 'eerste-contact', toelichting: 'Contact wordt herhaaldelijk niet binnen de termijn gestart.' },
  };
}

/** The gemeente's answer to an escalation. */
export function escalatieAntwoord(h: OverdrachtBericht, e: Bericht, op: string): Bericht {
  return { ...envelope(h, { oin: GEMEENTE_HEERLEN, rol: 'gemeente' }, vt, op, e.berichtId), berichtType: 'escalatie-antwoord', inhoud: { stappen: 'Overleg met het lokale team.' } };
}

/**
 * The berichten as the gateway would have accepted them had each reached it the instant its sender says it was
 * sent (`rcv` = `verzondenOp`): the ledger tests that are about the profiles' rules, not about whose clock counts.
 * Tests of the clock itself give `rcv` explicitly (test/lifecycle/clock.test.ts).
 */
export function alsVerzonden(berichten: readonly Bericht[]): Geboekt[] {
  return berichten.map((bericht) => ({ bericht, rcv: new Date(Date.parse(bericht.verzondenOp)).toISOString() }));
}
