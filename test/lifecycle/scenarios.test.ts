/**
 * The responsibility scenarios of each profile's source text (issue 6, "Done when"), one `describe` per
 * profile, each test quoting the section it checks. Times are the senders' signed times.
 */
import { describe, expect, it } from 'vitest';
import { buildLedger, verantwoordelijkeOp, type Ledger } from '../../src/lifecycle/ledger.js';
import type { Bericht } from '../../src/model/bericht.js';
import { afsluiting, contact, directeOverdracht, escalatie, escalatieAntwoord, LT_HEERLEN, LT_KERKRADE, LT_MAASTRICHT, monitoring, ontvangst, overdrachtNaDienst, profiel, VT } from './dossier.js';

const at = (t: string) => new Date(t);
const ledger = (id: string, berichten: Bericht[], nu: string): Ledger => buildLedger(berichten, profiel(id), { nu: at(nu) });
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

  it('5.1.1: "gaat over [...] op het moment dat de uitvoering van de noodzakelijke vervolgstappen is belegd bij het lokale veld" (its receipt)', () => {
    const h = directeOverdracht();
    const r = ontvangst(h, LT_MAASTRICHT, 'ontvangen', '2026-03-09T08:45:00+01:00');
    const l = ledger('zuid-limburg', [h, r], '2026-03-10T12:00:00+01:00');
    expect(who(l, '2026-03-09T08:44:00+01:00')?.oin).toBe(VT);
    expect(who(l, '2026-03-09T08:45:00+01:00')).toMatchObject({ oin: LT_MAASTRICHT, rol: 'lokaal-team', regel: { regel: 'overgang.naVeiligheidsbeoordeling', bron: { sectie: '5.1.1' } }, berichten: [h.berichtId, r.berichtId] });
    expect(termijn(l, 'ontvangstbevestiging', LT_MAASTRICHT)).toMatchObject({ status: 'gehaald', gehaaldMet: r.berichtId });
  });

  it('2i: "In geval van overdracht bij de Triagetafel hoeft geen extra ontvangstbericht meer plaats te vinden": assigned at once, no receipt term', () => {
    const h = directeOverdracht({ triagetafel: true });
    const l = ledger('zuid-limburg', [h], '2026-03-20T12:00:00+01:00');
    expect(who(l, h.verzondenOp)?.oin).toBe(LT_MAASTRICHT);
    expect(termijn(l, 'ontvangstbevestiging')).toBeUndefined();
  });

  it('5.2.1: "op het moment dat de informatie [...] is overgedragen en het lokale veld [...] heeft bevestigd de casus te accepteren"; a mere receipt is not enough', () => {
    const h = overdrachtNaDienst();
    const received = ontvangst(h, LT_HEERLEN, 'ontvangen', '2026-06-15T16:00:00+02:00');
    const accepted = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00');
    const refused = ontvangst(h, LT_KERKRADE, 'niet-geaccepteerd', '2026-06-16T11:30:00+02:00');
    const l = ledger('zuid-limburg', [h, received, accepted, refused], '2026-06-17T12:00:00+02:00');
    expect(who(l, '2026-06-15T17:00:00+02:00')?.oin).toBe(VT);
    expect(who(l, '2026-06-16T09:10:00+02:00')).toMatchObject({ oin: LT_HEERLEN, regel: { regel: 'overgang.naDienst', bron: { document: 'Z-L', sectie: '5.2.1' } }, berichten: [h.berichtId, accepted.berichtId] });
    expect(who(l, '2026-06-17T00:00:00+02:00')?.oin).toBe(LT_HEERLEN);
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
    const h = overdrachtNaDienst();
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
    const h = overdrachtNaDienst(); // Monday 15 June 2026 10:00; two werkdagen end with Wednesday 17 June.
    const l = ledger('west-brabant', [h], '2026-06-20T12:00:00+02:00');
    expect(who(l, '2026-06-17T23:59:00+02:00')?.oin).toBe(VT);
    expect(who(l, '2026-06-18T00:00:00+02:00')).toMatchObject({ oin: LT_HEERLEN, regel: { profiel: 'west-brabant', regel: 'overgang.naDienst', bron: { document: 'W-B', sectie: 'a. Wachtlijsten' } }, berichten: [h.berichtId] });
    expect(termijn(l, 'ontvangstbevestiging', LT_HEERLEN)?.status).toBe('gemist');
  });

  it('"a. Wachtlijsten": acceptance does not pass it earlier than 2 werkdagen; a niet-geaccepteerd keeps it with VT', () => {
    const h = overdrachtNaDienst();
    const accepted = ledger('west-brabant', [h, ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-15T12:00:00+02:00')], '2026-06-20T12:00:00+02:00');
    expect(who(accepted, '2026-06-16T12:00:00+02:00')?.oin).toBe(VT);
    expect(who(accepted, '2026-06-18T00:00:00+02:00')?.oin).toBe(LT_HEERLEN);
    const refused = ledger('west-brabant', [h, ontvangst(h, LT_HEERLEN, 'niet-geaccepteerd', '2026-06-16T12:00:00+02:00')], '2026-06-20T12:00:00+02:00');
    expect(refused.perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
  });
});

describe('landelijk-minimum (FS, VNG)', () => {
  it('FS: "Vervolgens draagt Veilig Thuis de verantwoordelijkheid [...] over" — on the receipt, also after a service', () => {
    const h = overdrachtNaDienst();
    const r = ontvangst(h, LT_HEERLEN, 'ontvangen', '2026-06-15T16:00:00+02:00');
    const l = ledger('landelijk-minimum', [h, r], '2026-06-20T12:00:00+02:00');
    expect(who(l, '2026-06-15T16:00:00+02:00')).toMatchObject({ oin: LT_HEERLEN, regel: { profiel: 'landelijk-minimum', bron: { document: 'FS' } } });
  });
});
