/**
 * The responsibility scenarios of each profile's source text (issue 6, "Done when"), one `describe` per
 * profile, each test quoting the section it checks. Times are the senders' signed times.
 */
import { describe, expect, it } from 'vitest';
import { buildLedger, verantwoordelijkeOp, type Ledger } from '../../src/lifecycle/ledger.js';
import { verantwoordelijkheid } from '../../src/lifecycle/verantwoordelijkheid.js';
import type { Bericht } from '../../src/model/bericht.js';
import { alsVerzonden, afsluiting, contact, directeOverdracht, escalatie, escalatieAntwoord, LT_HEERLEN, LT_KERKRADE, LT_MAASTRICHT, monitoring, ontvangst, overdrachtNaDienst, profiel, VT } from './dossier.js';

const at = (t: string) => new Date(t);
const ledger = (id: string, berichten: Bericht[], nu: string): Ledger => buildLedger(alsVerzonden(berichten), profiel(id), { nu: at(nu) });
const who = (l: Ledger, t: string) => verantwoordelijkeOp(l, at(t));
const termijn = (l: Ledger, soort: string, moetHandelen?: string, maand?: number) =>
  l.termijnen.find((t) => t.soort === soort && (moetHandelen === undefined || t.moetHandelen === moetHandelen) && (maand === undefined || t.maand === maand));

describe('zuid-limburg (Z-L)', () => {
  it('Bijlage 1: "In alle andere gevallen is Veilig Thuis verantwoordelijk [...] vanaf het moment dat de triage van de melding is afgerond"', () => {
    const h = directeOverdracht();
    const l = ledger('zuid-limburg', [h], '2026-03-06T15:00:00+01:00');
    expect(who(l, '2026-03-06T10:59:00+01:00')).toBeUndefined();
    expect(who(l, '2026-03-06T11:00:00+01:00')).toMatchObject({ oin: VT, rol: 'vt', sinds: at('2026-03-06T11:00:00+01:00').toISOString(), regel: { regel: 'vtVerantwoordelijk', bron: { document: 'Z-L', sectie: 'Bijlage 1' } }, berichten: [h.berichtId] });
  });

  it('Bijlage 1: "Als Veilig Thuis de triage niet binnen de termijn van vijf werkdagen heeft afgerond, dan is Veilig Thuis vanaf het moment van overschrijding [...] verantwoordelijk"', () => {
    // Melding Monday 2 March 2026; the fifth werkdag after it is Monday 9 March, so the term runs out at 24:00 that day.
    const h = directeOverdracht({ triageAfgerondOp: '2026-03-11T10:00:00+01:00', verzondenOp: '2026-03-11T12:00:00+01:00' });
    const l = ledger('zuid-limburg', [h], '2026-03-11T13:00:00+01:00');
    expect(l.vtVerantwoordelijkSinds).toBe(at('2026-03-10T00:00:00+01:00').toISOString());
    expect(who(l, '2026-03-09T23:59:00+01:00')).toBeUndefined();
    expect(who(l, '2026-03-10T00:00:00+01:00')?.regel.toelichting).toMatch(/overrun/);
  });

  it('Bijlage 1: "Zodra Veilig Thuis kennis heeft genomen van een spoedeisend karakter van een melding, is Veilig Thuis verantwoordelijk"', () => {
    const l = ledger('zuid-limburg', [directeOverdracht({ urgent: true })], '2026-03-06T15:00:00+01:00');
    expect(l.vtVerantwoordelijkSinds).toBe(at('2026-03-02T09:05:00+01:00').toISOString());
  });

  it('5.1.1: "gaat over [...] op het moment dat de uitvoering van de noodzakelijke vervolgstappen is belegd bij het lokale veld": its acceptance, not its receipt', () => {
    const h = directeOverdracht();
    const r = ontvangst(h, LT_MAASTRICHT, 'ontvangen', '2026-03-09T08:45:00+01:00');
    const a = ontvangst(h, LT_MAASTRICHT, 'geaccepteerd', '2026-03-10T09:30:00+01:00');
    const l = ledger('zuid-limburg', [h, r, a], '2026-03-10T12:00:00+01:00');
    // ontvangen only says the handover arrived; nothing is belegd yet (Z-L 1.1: "niet duidelijk belegd").
    expect(who(l, '2026-03-09T08:45:00+01:00')?.oin).toBe(VT);
    expect(who(l, '2026-03-10T09:29:59+01:00')?.oin).toBe(VT);
    expect(who(l, '2026-03-10T09:30:00+01:00')).toMatchObject({ oin: LT_MAASTRICHT, rol: 'lokaal-team', regel: { regel: 'overgang.naVeiligheidsbeoordeling', bron: { sectie: '5.1.1' } }, berichten: [h.berichtId, a.berichtId] });
    // The receipt still meets the receipt term.
    expect(termijn(l, 'ontvangstbevestiging', LT_MAASTRICHT)).toMatchObject({ status: 'gehaald', gehaaldMet: r.berichtId });
    // A receipt alone never transfers, however long it stands.
    expect(ledger('zuid-limburg', [h, r], '2026-04-30T12:00:00+02:00').perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
  });

  it('5.1.1 after a niet-geaccepteerd: a later acceptance of the same team does not belegt it; the niet-geaccepteerd outweighs it (implementation-questions Q177)', () => {
    const h = directeOverdracht();
    const nee = ontvangst(h, LT_MAASTRICHT, 'niet-geaccepteerd', '2026-03-09T10:00:00+01:00');
    const ja = ontvangst(h, LT_MAASTRICHT, 'geaccepteerd', '2026-03-11T14:00:00+01:00');
    const l = ledger('zuid-limburg', [h, nee, ja], '2026-03-12T12:00:00+01:00');
    expect(who(l, '2026-03-10T12:00:00+01:00')?.oin).toBe(VT);
    expect(who(l, '2026-03-11T14:00:00+01:00')?.oin).toBe(VT);
    expect(l.perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
    // Without the niet-geaccepteerd the same acceptance belegt it.
    expect(who(ledger('zuid-limburg', [h, ja], '2026-03-12T12:00:00+01:00'), '2026-03-11T14:00:00+01:00')?.oin).toBe(LT_MAASTRICHT);
  });

  it('2i: "In geval van overdracht bij de Triagetafel hoeft geen extra ontvangstbericht meer plaats te vinden": assigned at once, no receipt term', () => {
    const h = directeOverdracht({ triagetafel: true });
    const l = ledger('zuid-limburg', [h], '2026-03-20T12:00:00+01:00');
    expect(who(l, h.verzondenOp)).toMatchObject({ oin: LT_MAASTRICHT, regel: { regel: 'overgang.triagetafel', bron: { sectie: '4.1, 2i' } } });
    expect(termijn(l, 'ontvangstbevestiging')).toBeUndefined();
  });

  it('2i with two or more gemeenten (Q307): the triage table does not belegt at once; meerdereGemeenten decides, as for any handover to two (5.2.4 "dient afstemming plaats te vinden")', () => {
    const h = directeOverdracht({ triagetafel: true });
    h.ontvangers = [...h.ontvangers, { oin: LT_HEERLEN, rol: 'lokaal-team', gemeentecode: 'GM0917' }];
    const maastricht = ontvangst(h, LT_MAASTRICHT, 'geaccepteerd', '2026-03-20T09:00:00+01:00', { regie: LT_MAASTRICHT });
    const heerlen = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-03-20T11:00:00+01:00', { regie: LT_MAASTRICHT });
    const l = ledger('zuid-limburg', [h, maastricht, heerlen], '2026-03-20T12:00:00+01:00');
    expect(who(l, h.verzondenOp)?.oin).toBe(VT);
    expect(who(l, '2026-03-20T10:00:00+01:00')?.oin).toBe(VT);
    expect(who(l, '2026-03-20T11:00:00+01:00')).toMatchObject({ oin: LT_MAASTRICHT, regel: { regel: 'overgang.meerdereGemeenten' } });
  });

  it('5.2.1: "op het moment dat de informatie [...] is overgedragen en het lokale veld [...] heeft bevestigd de casus te accepteren"; a mere receipt is not enough', () => {
    const h = overdrachtNaDienst({ alleenHeerlen: true });
    const received = ontvangst(h, LT_HEERLEN, 'ontvangen', '2026-06-15T16:00:00+02:00');
    const accepted = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00');
    const l = ledger('zuid-limburg', [h, received, accepted], '2026-06-17T12:00:00+02:00');
    expect(who(l, '2026-06-15T17:00:00+02:00')?.oin).toBe(VT);
    expect(who(l, '2026-06-16T09:10:00+02:00')).toMatchObject({ oin: LT_HEERLEN, regel: { regel: 'overgang.naDienst', bron: { document: 'Z-L', sectie: '5.2.1' } }, berichten: [h.berichtId, accepted.berichtId] });
    expect(who(l, '2026-06-17T00:00:00+02:00')?.oin).toBe(LT_HEERLEN);
  });

  it('5.2.4: "wordt ook aan 2 gemeenten overgedragen en dient afstemming plaats te vinden": VT holds zicht until both accept and name the same lead', () => {
    const h = overdrachtNaDienst();
    const kerkradeOntvangen = ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-15T11:00:00+02:00');
    const heerlen = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00', { regie: LT_HEERLEN });
    const kerkrade = ontvangst(h, LT_KERKRADE, 'geaccepteerd', '2026-06-16T14:00:00+02:00', { regie: LT_HEERLEN });
    const l = ledger('zuid-limburg', [h, kerkradeOntvangen, heerlen, kerkrade], '2026-06-17T12:00:00+02:00');
    // Not the first to answer (Kerkrade's receipt), not the first to accept (Heerlen alone).
    expect(who(l, '2026-06-15T12:00:00+02:00')?.oin).toBe(VT);
    expect(who(l, '2026-06-16T13:59:59+02:00')?.oin).toBe(VT);
    expect(who(l, '2026-06-16T14:00:00+02:00')).toMatchObject({ oin: LT_HEERLEN, mede: [LT_KERKRADE], regel: { regel: 'overgang.meerdereGemeenten', bron: { document: 'Z-L', sectie: '5.2.4, 6.2' } }, berichten: [h.berichtId, heerlen.berichtId, kerkrade.berichtId] });
    const stand = verantwoordelijkheid(l, at('2026-06-16T12:00:00+02:00')).overdrachten[0];
    expect(stand).toMatchObject({ meerdereGemeenten: true, houder: VT, teams: [{ oin: LT_HEERLEN, status: 'geaccepteerd', regie: LT_HEERLEN }, { oin: LT_KERKRADE, status: 'ontvangen', voldaan: false }] });
  });

  it('5.2.4: teams that name different leads leave zicht with VT; one refusal does too', () => {
    const h = overdrachtNaDienst();
    const oneens = ledger('zuid-limburg', [h, ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00', { regie: LT_HEERLEN }), ontvangst(h, LT_KERKRADE, 'geaccepteerd', '2026-06-16T14:00:00+02:00', { regie: LT_KERKRADE })], '2026-06-20T12:00:00+02:00');
    expect(oneens.perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
    expect(verantwoordelijkheid(oneens, at('2026-06-20T12:00:00+02:00')).overdrachten[0]?.toelichting).toMatch(/different lead/);
    const refused = ledger('zuid-limburg', [h, ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00', { regie: LT_HEERLEN }), ontvangst(h, LT_KERKRADE, 'niet-geaccepteerd', '2026-06-16T11:30:00+02:00')], '2026-06-20T12:00:00+02:00');
    expect(refused.perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
  });

  it('5.2.4: a team that does not take the case but names the other to lead has done its part of the afstemming', () => {
    const h = overdrachtNaDienst();
    const heerlen = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00', { regie: LT_HEERLEN });
    const kerkrade = ontvangst(h, LT_KERKRADE, 'niet-geaccepteerd', '2026-06-16T11:30:00+02:00', { regie: LT_HEERLEN });
    const l = ledger('zuid-limburg', [h, heerlen, kerkrade], '2026-06-20T12:00:00+02:00');
    expect(who(l, '2026-06-16T11:29:59+02:00')?.oin).toBe(VT);
    expect(who(l, '2026-06-16T11:30:00+02:00')).toMatchObject({ oin: LT_HEERLEN, mede: [LT_KERKRADE], berichten: [h.berichtId, heerlen.berichtId, kerkrade.berichtId] });
    // Kerkrade has no first-contact term: it did not take the case.
    expect(termijn(l, 'eerste-contact', LT_KERKRADE)).toBeUndefined();
  });

  it('5.2.1: a niet-geaccepteerd keeps responsibility with VT', () => {
    const h = overdrachtNaDienst();
    const l = ledger('zuid-limburg', [h, ontvangst(h, LT_HEERLEN, 'niet-geaccepteerd', '2026-06-16T09:00:00+02:00')], '2026-07-01T12:00:00+02:00');
    expect(l.perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
    expect(termijn(l, 'eerste-contact', LT_HEERLEN)).toBeUndefined();
  });

  it('2f: "start het lokale veld [...] uiterlijk binnen 3 weken met de contacten": met, pending, missed', () => {
    const h = directeOverdracht();
    const r = ontvangst(h, LT_MAASTRICHT, 'ontvangen', '2026-03-09T08:45:00+01:00');
    const due = at('2026-03-28T00:00:00+01:00').toISOString();
    expect(termijn(ledger('zuid-limburg', [h, r, contact(h, LT_MAASTRICHT, '2026-03-20T10:00:00+01:00')], '2026-04-01T00:00:00+02:00'), 'eerste-contact')).toMatchObject({ status: 'gehaald', uiterlijk: due, bron: { sectie: '2f' } });
    expect(termijn(ledger('zuid-limburg', [h, r], '2026-03-20T10:00:00+01:00'), 'eerste-contact')).toMatchObject({ status: 'open', uiterlijk: due });
    expect(termijn(ledger('zuid-limburg', [h, r], '2026-03-28T00:00:00+01:00'), 'eerste-contact')).toMatchObject({ status: 'gemist', moetHandelen: LT_MAASTRICHT });
  });

  it('2j: "uiterlijk binnen 5 werkdagen met de contacten" after a service: contact on the sixth werkdag is missed', () => {
    const h = overdrachtNaDienst();
    const l = ledger('zuid-limburg', [h, ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00'), contact(h, LT_HEERLEN, '2026-06-23T09:00:00+02:00')], '2026-06-24T12:00:00+02:00');
    expect(termijn(l, 'eerste-contact', LT_HEERLEN)).toMatchObject({ status: 'gemist', uiterlijk: at('2026-06-23T00:00:00+02:00').toISOString(), bron: { sectie: '2j' } });
  });

  it('5.2.6: "dat Veilig Thuis tenminste monitort na 3 en 12 maanden": VT must act', () => {
    const h = overdrachtNaDienst();
    const l = ledger('zuid-limburg', [h, monitoring(h, 3, '2026-09-14T10:00:00+02:00')], '2027-07-01T12:00:00+02:00');
    expect(termijn(l, 'monitoring', VT, 3)).toMatchObject({ status: 'gehaald', uiterlijk: at('2026-09-16T00:00:00+02:00').toISOString() });
    expect(termijn(l, 'monitoring', VT, 12)).toMatchObject({ status: 'gemist', uiterlijk: at('2027-06-16T00:00:00+02:00').toISOString() });
  });

  it('5.5: "De verantwoordelijke gemeente informeert Veilig Thuis en het lokale veld binnen zes weken"', () => {
    const h = overdrachtNaDienst();
    const e = escalatie(h, '2026-07-01T10:00:00+02:00');
    const l = ledger('zuid-limburg', [h, e, escalatieAntwoord(h, e, '2026-08-10T10:00:00+02:00')], '2026-09-01T00:00:00+02:00');
    expect(termijn(l, 'escalatie-antwoord')).toMatchObject({ status: 'gehaald', uiterlijk: at('2026-08-13T00:00:00+02:00').toISOString(), bron: { sectie: '5.5' } });
    expect(termijn(ledger('zuid-limburg', [h, e], '2026-08-13T00:00:00+02:00'), 'escalatie-antwoord')?.status).toBe('gemist');
  });

  it('6.1: "De verantwoordelijkheid van het lokale veld [...] eindigt op het moment dat het stabiel veilig is": the afsluiting ends it, open terms lapse', () => {
    const h = overdrachtNaDienst({ alleenHeerlen: true });
    const acc = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00');
    const started = contact(h, LT_HEERLEN, '2026-06-18T10:00:00+02:00');
    const close = afsluiting(h, LT_HEERLEN, '2027-01-10T10:00:00+01:00');
    const l = ledger('zuid-limburg', [h, acc, started, close], '2027-07-01T00:00:00+02:00');
    expect(l.geweigerd).toEqual([]);
    expect(l.afgeslotenOp).toBe(at('2027-01-10T10:00:00+01:00').toISOString());
    expect(who(l, '2027-01-10T09:59:00+01:00')?.oin).toBe(LT_HEERLEN);
    expect(who(l, '2027-01-10T10:00:00+01:00')).toBeUndefined();
    expect(termijn(l, 'monitoring', VT, 12)?.status).toBe('vervallen');
  });
});

describe('west-brabant (W-B)', () => {
  it('"a. Wachtlijsten": "het lokale team verantwoordelijk [...] na 2 werkdagen, ook bij een interne wachtlijst" — without any receipt', () => {
    const h = overdrachtNaDienst({ alleenHeerlen: true }); // Monday 15 June 2026 10:00; two werkdagen end with Wednesday 17 June.
    const l = ledger('west-brabant', [h], '2026-06-20T12:00:00+02:00');
    expect(who(l, '2026-06-17T23:59:00+02:00')?.oin).toBe(VT);
    expect(who(l, '2026-06-18T00:00:00+02:00')).toMatchObject({ oin: LT_HEERLEN, regel: { profiel: 'west-brabant', regel: 'overgang.naDienst', bron: { document: 'W-B', sectie: 'a. Wachtlijsten' } }, berichten: [h.berichtId] });
    expect(termijn(l, 'ontvangstbevestiging', LT_HEERLEN)?.status).toBe('gemist');
  });

  it('"a. Wachtlijsten": acceptance does not pass it earlier than 2 werkdagen; a niet-geaccepteerd keeps it with VT', () => {
    const h = overdrachtNaDienst({ alleenHeerlen: true });
    const accepted = ledger('west-brabant', [h, ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-15T12:00:00+02:00')], '2026-06-20T12:00:00+02:00');
    expect(who(accepted, '2026-06-16T12:00:00+02:00')?.oin).toBe(VT);
    expect(who(accepted, '2026-06-18T00:00:00+02:00')?.oin).toBe(LT_HEERLEN);
    const refused = ledger('west-brabant', [h, ontvangst(h, LT_HEERLEN, 'niet-geaccepteerd', '2026-06-16T12:00:00+02:00')], '2026-06-20T12:00:00+02:00');
    expect(refused.perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
  });
});

describe('landelijk-minimum (FS, VNG)', () => {
  it('FS: "Vervolgens draagt Veilig Thuis de verantwoordelijkheid [...] over" — on the receipt, also after a service', () => {
    const h = overdrachtNaDienst({ alleenHeerlen: true });
    const r = ontvangst(h, LT_HEERLEN, 'ontvangen', '2026-06-15T16:00:00+02:00');
    const l = ledger('landelijk-minimum', [h, r], '2026-06-20T12:00:00+02:00');
    expect(who(l, '2026-06-15T16:00:00+02:00')).toMatchObject({ oin: LT_HEERLEN, regel: { profiel: 'landelijk-minimum', bron: { document: 'FS' } } });
  });
});

describe('west-brabant (W-B) with two gemeenten', () => {
  it('W-B is silent on two gemeenten: after 2 werkdagen the team the afstemming names holds zicht, once every team named it (Z-L 5.2.4 default)', () => {
    const h = overdrachtNaDienst();
    const heerlen = ontvangst(h, LT_HEERLEN, 'ontvangen', '2026-06-15T12:00:00+02:00', { regie: LT_KERKRADE });
    const kerkrade = ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-18T10:00:00+02:00', { regie: LT_KERKRADE });
    const l = ledger('west-brabant', [h, heerlen, kerkrade], '2026-06-20T12:00:00+02:00');
    expect(who(l, '2026-06-18T00:00:00+02:00')?.oin).toBe(VT);
    expect(who(l, '2026-06-18T10:00:00+02:00')).toMatchObject({ oin: LT_KERKRADE, mede: [LT_HEERLEN], regel: { profiel: 'west-brabant', regel: 'overgang.meerdereGemeenten' } });
  });
});

describe('the answers to the fourteenth reading round (implementation-questions Q231-Q236)', () => {
  it('Q232: after a dienst, which carries no end of triage, VT is responsible from the end of the triage term after melding.ontvangenOp, or from the handover if sent earlier', () => {
    // Melding Wednesday 1 April 2026 16:30; the fifth werkdag after it is Thursday 9 April (Easter Monday 6 April is free).
    const late = ledger('zuid-limburg', [overdrachtNaDienst({ urgent: false })], '2026-06-16T12:00:00+02:00');
    expect(late.vtVerantwoordelijkSinds).toBe(at('2026-04-10T00:00:00+02:00').toISOString());
    const early = ledger('zuid-limburg', [overdrachtNaDienst({ urgent: false, verzondenOp: '2026-04-03T10:00:00+02:00' })], '2026-06-16T12:00:00+02:00');
    expect(early.vtVerantwoordelijkSinds).toBe(at('2026-04-03T10:00:00+02:00').toISOString());
    // Q231: urgent, from melding.ontvangenOp.
    expect(ledger('zuid-limburg', [overdrachtNaDienst({ urgent: true })], '2026-06-16T12:00:00+02:00').vtVerantwoordelijkSinds).toBe(at('2026-04-01T16:30:00+02:00').toISOString());
  });

  it('Q236: west-brabant, two gemeenten: a niet-geaccepteerd naming the lead is that receiver\'s part of the afstemming; the lead holds zicht once the term passed', () => {
    const h = overdrachtNaDienst();
    const heerlen = ontvangst(h, LT_HEERLEN, 'niet-geaccepteerd', '2026-06-15T12:00:00+02:00', { regie: LT_KERKRADE });
    const kerkrade = ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-16T10:00:00+02:00', { regie: LT_KERKRADE });
    const l = ledger('west-brabant', [h, heerlen, kerkrade], '2026-06-20T12:00:00+02:00');
    expect(who(l, '2026-06-17T23:59:00+02:00')?.oin).toBe(VT);
    expect(who(l, '2026-06-18T00:00:00+02:00')).toMatchObject({ oin: LT_KERKRADE, mede: [LT_HEERLEN] });
    // Without that niet-geaccepteerd naming a lead, Heerlen's part is missing and VT keeps zicht.
    const zonder = ontvangst(h, LT_HEERLEN, 'niet-geaccepteerd', '2026-06-15T12:00:00+02:00');
    expect(ledger('west-brabant', [h, zonder, kerkrade], '2026-06-20T12:00:00+02:00').perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
  });

  it('Q236: landelijk-minimum, two gemeenten: an ontvangen without afstemming names no lead; the later acceptances that name it pass zicht', () => {
    const h = overdrachtNaDienst();
    const r1 = ontvangst(h, LT_HEERLEN, 'ontvangen', '2026-06-15T11:00:00+02:00');
    const r2 = ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-15T11:05:00+02:00');
    const a1 = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-17T09:00:00+02:00', { regie: LT_HEERLEN });
    const a2 = ontvangst(h, LT_KERKRADE, 'geaccepteerd', '2026-06-18T09:00:00+02:00', { regie: LT_HEERLEN });
    const l = ledger('landelijk-minimum', [h, r1, r2, a1, a2], '2026-06-20T12:00:00+02:00');
    expect(who(l, '2026-06-18T08:59:00+02:00')?.oin).toBe(VT);
    expect(who(l, '2026-06-18T09:00:00+02:00')?.oin).toBe(LT_HEERLEN);
  });

  it('Q234: VT monitors at the profile\'s months and the handover\'s own, each once', () => {
    const h = overdrachtNaDienst();
    if (h.inhoud.moment !== 'na-dienst') throw new Error('example changed');
    h.inhoud.monitoring = { ...h.inhoud.monitoring, doorVt: true, momentenInMaanden: [6, 12] };
    const l = ledger('zuid-limburg', [h], '2026-06-16T12:00:00+02:00');
    expect(l.termijnen.filter((t) => t.soort === 'monitoring').map((t) => t.maand)).toEqual([3, 6, 12]);
  });

  it('Q235 (Q22): a team named for two gemeenten has one receipt term and one first-contact term', () => {
    const h = overdrachtNaDienst();
    h.ontvangers = h.ontvangers.map((o) => ({ ...o, oin: LT_HEERLEN }));
    const l = ledger('zuid-limburg', [h], '2026-06-16T12:00:00+02:00');
    expect(l.termijnen.filter((t) => t.soort === 'ontvangstbevestiging').map((t) => t.moetHandelen)).toEqual([LT_HEERLEN]);
    expect(l.termijnen.filter((t) => t.soort === 'eerste-contact').map((t) => t.moetHandelen)).toEqual([LT_HEERLEN]);
  });
});

describe('the answers to the fifteenth reading round (implementation-questions Q241-Q252)', () => {
  it('Q241: the dossier closes at the afsluiting\'s verzondenOp, not at its earlier inhoud.afgeslotenOp; open terms lapse by that instant', () => {
    const h = overdrachtNaDienst({ alleenHeerlen: true });
    const acc = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00');
    const close = afsluiting(h, LT_HEERLEN, '2026-09-20T10:00:00+02:00');
    if (close.berichtType !== 'afsluiting') throw new Error('afsluiting changed');
    close.inhoud.afgeslotenOp = '2026-09-10T10:00:00+02:00';
    const l = ledger('zuid-limburg', [h, acc, close], '2026-10-01T00:00:00+02:00');
    expect(l.afgeslotenOp).toBe(at('2026-09-20T10:00:00+02:00').toISOString());
    expect(who(l, '2026-09-15T10:00:00+02:00')?.oin).toBe(LT_HEERLEN);
    // The month-3 monitoring term ended on 16 September, before the afsluiting was sent: missed, not lapsed.
    expect(termijn(l, 'monitoring', VT, 3)?.status).toBe('gemist');
    expect(termijn(l, 'monitoring', VT, 12)?.status).toBe('vervallen');
  });

  it('Q242: a niet-geaccepteerd sent after the first-contact term was missed takes that term away', () => {
    const h = overdrachtNaDienst({ alleenHeerlen: true });
    const before = ledger('zuid-limburg', [h], '2026-07-01T00:00:00+02:00');
    expect(termijn(before, 'eerste-contact', LT_HEERLEN)?.status).toBe('gemist');
    const nee = ontvangst(h, LT_HEERLEN, 'niet-geaccepteerd', '2026-06-30T10:00:00+02:00');
    expect(termijn(ledger('zuid-limburg', [h, nee], '2026-07-01T00:00:00+02:00'), 'eerste-contact', LT_HEERLEN)).toBeUndefined();
  });
});

describe('the answers to the twenty-eighth reading round (implementation-questions Q312-Q314)', () => {
  it('Q312: a receiver that named another team in its ontvangen and then answers niet-geaccepteerd without afstemming has done its part: the lead it named stands', () => {
    const h = overdrachtNaDienst();
    const kerkradeOntvangen = ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-15T16:00:00+02:00', { regie: LT_HEERLEN });
    const kerkradeNee = ontvangst(h, LT_KERKRADE, 'niet-geaccepteerd', '2026-06-16T11:30:00+02:00');
    const heerlen = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T14:00:00+02:00', { regie: LT_HEERLEN });
    const l = ledger('zuid-limburg', [h, kerkradeOntvangen, kerkradeNee, heerlen], '2026-06-20T12:00:00+02:00');
    expect(who(l, '2026-06-16T12:00:00+02:00')?.oin).toBe(VT);
    expect(who(l, '2026-06-16T14:00:00+02:00')).toMatchObject({ oin: LT_HEERLEN, mede: [LT_KERKRADE] });
    expect(verantwoordelijkheid(l, at('2026-06-17T12:00:00+02:00')).overdrachten[0]?.teams).toContainEqual({ oin: LT_KERKRADE, status: 'niet-geaccepteerd', voldaan: true, regie: LT_HEERLEN });
    // Without the earlier naming, the same niet-geaccepteerd keeps zicht with VT.
    const zonder = ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-15T16:00:00+02:00');
    expect(ledger('zuid-limburg', [h, zonder, kerkradeNee, heerlen], '2026-06-20T12:00:00+02:00').perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
  });

  it('Q314: what happens at one instant is taken together: a niet-geaccepteerd sent exactly when a term would transfer keeps zicht with VT, with no period between; a term met exactly at its end is gehaald', () => {
    const h = overdrachtNaDienst({ alleenHeerlen: true }); // west-brabant: the two werkdagen end at Thursday 18 June 00:00.
    const end = '2026-06-18T00:00:00+02:00';
    const l = ledger('west-brabant', [h, ontvangst(h, LT_HEERLEN, 'niet-geaccepteerd', end)], '2026-06-20T12:00:00+02:00');
    expect(who(l, end)?.oin).toBe(VT);
    expect(l.perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
    const onTime = ledger('west-brabant', [h, ontvangst(h, LT_HEERLEN, 'ontvangen', termijn(ledger('west-brabant', [h], '2026-06-16T12:00:00+02:00'), 'ontvangstbevestiging', LT_HEERLEN)?.uiterlijk ?? '')], '2026-06-20T12:00:00+02:00');
    expect(termijn(onTime, 'ontvangstbevestiging', LT_HEERLEN)?.status).toBe('gehaald');
  });
});

describe('the answers to the twenty-second reading round (implementation-questions Q287-Q289)', () => {
  it('Q287: after a party\'s niet-geaccepteerd, its later receipts for that handover change neither its status nor the lead it named', () => {
    const h = overdrachtNaDienst();
    const heerlen = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00', { regie: LT_HEERLEN });
    const kerkradeNee = ontvangst(h, LT_KERKRADE, 'niet-geaccepteerd', '2026-06-16T11:30:00+02:00', { regie: LT_HEERLEN });
    // Kerkrade later accepts naming itself: the niet-geaccepteerd outweighs it (Q177), so Heerlen keeps zicht.
    const kerkradeJa = ontvangst(h, LT_KERKRADE, 'geaccepteerd', '2026-06-17T10:00:00+02:00', { regie: LT_KERKRADE });
    const l = ledger('zuid-limburg', [h, heerlen, kerkradeNee, kerkradeJa], '2026-06-20T12:00:00+02:00');
    expect(l.geweigerd).toEqual([]);
    expect(who(l, '2026-06-16T11:30:00+02:00')?.oin).toBe(LT_HEERLEN);
    expect(who(l, '2026-06-18T12:00:00+02:00')).toMatchObject({ oin: LT_HEERLEN, berichten: [h.berichtId, heerlen.berichtId, kerkradeNee.berichtId] });
    expect(l.perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT, LT_HEERLEN]);
    expect(verantwoordelijkheid(l, at('2026-06-18T12:00:00+02:00')).overdrachten[0]?.teams).toEqual([
      { oin: LT_HEERLEN, status: 'geaccepteerd', voldaan: true, regie: LT_HEERLEN },
      { oin: LT_KERKRADE, status: 'niet-geaccepteerd', voldaan: true, regie: LT_HEERLEN },
    ]);
    // The other order: a niet-geaccepteerd naming no lead, then one naming Heerlen: the first one counts, VT keeps zicht.
    const nee1 = ontvangst(h, LT_KERKRADE, 'niet-geaccepteerd', '2026-06-16T11:30:00+02:00');
    const nee2 = ontvangst(h, LT_KERKRADE, 'niet-geaccepteerd', '2026-06-17T10:00:00+02:00', { regie: LT_HEERLEN });
    expect(ledger('zuid-limburg', [h, heerlen, nee1, nee2], '2026-06-20T12:00:00+02:00').perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
  });

  it('Q288: a return to VT does not revive another handover\'s acceptance given while a team held zicht; VT holds until a later event of that handover', () => {
    const h1 = overdrachtNaDienst({ alleenHeerlen: true });
    const h2 = overdrachtNaDienst({ verzondenOp: '2026-06-15T11:00:00+02:00' });
    h2.ontvangers = h2.ontvangers.filter((o) => o.oin === LT_KERKRADE);
    const heerlenJa = ontvangst(h1, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:00:00+02:00');
    const kerkradeJa = ontvangst(h2, LT_KERKRADE, 'geaccepteerd', '2026-06-16T10:00:00+02:00');
    const heerlenNee = ontvangst(h1, LT_HEERLEN, 'niet-geaccepteerd', '2026-06-17T09:00:00+02:00');
    const l = ledger('zuid-limburg', [h1, h2, heerlenJa, kerkradeJa, heerlenNee], '2026-06-20T12:00:00+02:00');
    expect(l.geweigerd).toEqual([]);
    // Kerkrade accepted while Heerlen held zicht: that moves nothing (Q217).
    expect(who(l, '2026-06-16T12:00:00+02:00')?.oin).toBe(LT_HEERLEN);
    // Heerlen hands it back: VT holds from that receipt, and still after it; Kerkrade's acceptance stays spent.
    expect(who(l, '2026-06-17T09:00:00+02:00')).toMatchObject({ oin: VT, regel: { regel: 'overgang.naDienst' }, berichten: [h1.berichtId, heerlenNee.berichtId] });
    expect(who(l, '2026-06-20T12:00:00+02:00')?.oin).toBe(VT);
    expect(l.perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT, LT_HEERLEN, VT]);
    // Had Kerkrade accepted after the return, that acceptance would have passed zicht.
    const laterJa = ontvangst(h2, LT_KERKRADE, 'geaccepteerd', '2026-06-18T10:00:00+02:00');
    expect(who(ledger('zuid-limburg', [h1, h2, heerlenJa, heerlenNee, laterJa], '2026-06-20T12:00:00+02:00'), '2026-06-18T10:00:00+02:00')?.oin).toBe(LT_KERKRADE);
  });

  it('Q289: while a handover is open and nothing passed, VT\'s period and the answer at any instant in it name vtVerantwoordelijk', () => {
    const h = overdrachtNaDienst({ alleenHeerlen: true });
    const l = ledger('zuid-limburg', [h, ontvangst(h, LT_HEERLEN, 'ontvangen', '2026-06-15T11:00:00+02:00')], '2026-06-16T12:00:00+02:00');
    expect(l.perioden).toHaveLength(1);
    expect(l.perioden[0]?.verantwoordelijke.regel.regel).toBe('vtVerantwoordelijk');
    expect(verantwoordelijkheid(l, at('2026-06-16T12:00:00+02:00')).verantwoordelijke).toEqual(l.perioden[0]?.verantwoordelijke);
  });
});

describe('an instant before the dossier began', () => {
  it('is "nog niet begonnen", with the start, not an empty party', () => {
    const h = directeOverdracht();
    const l = ledger('zuid-limburg', [h], '2026-03-06T15:00:00+01:00');
    expect(verantwoordelijkheid(l, at('2026-03-01T00:00:00+01:00'))).toMatchObject({ stand: 'nog-niet-begonnen', begintOp: at('2026-03-06T11:00:00+01:00').toISOString() });
    expect(verantwoordelijkheid(l, at('2026-03-01T00:00:00+01:00')).verantwoordelijke).toBeUndefined();
    expect(verantwoordelijkheid(l, at('2026-03-06T11:00:00+01:00'))).toMatchObject({ stand: 'verantwoordelijk', verantwoordelijke: { oin: VT } });
  });
});
