/**
 * Whose clock the ledger counts by (spec/v1/responsibility.md §5): every event counts from the instant the gateway
 * accepted its bericht (`rcv`), never from the sender's own `verzondenOp`. Each case is an attack a dated claim
 * would allow: a lokaal team that answers `niet-geaccepteerd` after a `termijn` transfer but dates it before, a VT
 * that dates a handover a week back so that the receiver's terms are missed at once, a VT that closes a dossier it
 * no longer holds by dating the afsluiting before the transfer (LVC-011). Each case also evaluates the same berichten
 * as if the gateway had accepted them at their senders' times, to show that the claim would have decided it.
 * Offline, `rcv` is the verified countersignature's, not the bericht's `verzondenOp`.
 */
import { describe, expect, it } from 'vitest';
import { createDemoNetwork, signAs } from '../../src/demo/network.js';
import { buildLedger, ledgerRuleIssues, verantwoordelijkeOp } from '../../src/lifecycle/ledger.js';
import { evalueerTrail, verifieerTrail } from '../../src/lifecycle/offline.js';
import type { Geboekt } from '../../src/model/geboekt.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { countersignBericht } from '../../src/signing/countersign.js';
import { afsluiting, alsVerzonden, contact, directeOverdracht, LT_HEERLEN, LT_KERKRADE, LT_MAASTRICHT, ontvangst, overdrachtNaDienst, profiel, VT } from './dossier.js';

const MA_10 = '2026-03-09T10:00:00.000Z';
const DI_10 = '2026-03-10T10:00:00.000Z';
const DO_10 = '2026-03-12T10:00:00.000Z';
const VR_10 = '2026-03-13T10:00:00.000Z';
const holderAt = (berichten: readonly Geboekt[], profielId: string, op: string, nu = VR_10) => verantwoordelijkeOp(buildLedger(berichten, profiel(profielId), { nu: new Date(nu) }), new Date(op))?.oin;

describe('the ledger counts by the gateway’s clock, not the sender’s', () => {
  it('a niet-geaccepteerd that reaches the gateway after a termijn transfer does not undo it by its date (west-brabant)', () => {
    const h = directeOverdracht({ verzondenOp: MA_10 });
    const nee = ontvangst(h, LT_MAASTRICHT, 'niet-geaccepteerd', '2026-03-09T11:00:00.000Z');
    const berichten: Geboekt[] = [{ bericht: h, rcv: MA_10 }, { bericht: nee, rcv: DO_10 }];
    const ledger = buildLedger(berichten, profiel('west-brabant'), { nu: new Date(VR_10) });
    const termijnEinde = ledger.overdrachten[0]?.termijnEinde ?? '';
    expect(Date.parse(termijnEinde)).toBeLessThan(Date.parse(DO_10));
    // The team held zicht from the end of the term until its refusal reached the gateway; then VT again.
    expect(ledger.perioden.map((p) => [p.verantwoordelijke.oin, p.van, p.tot])).toEqual([
      [VT, expect.any(String), termijnEinde],
      [LT_MAASTRICHT, termijnEinde, DO_10],
      [VT, DO_10, undefined],
    ]);
    expect(ledger.tijdlijn.find((e) => e.berichtId === nee.berichtId && e.soort === 'niet-geaccepteerd')?.op).toBe(DO_10);
    // Taken at its sender's date, the same refusal would have kept zicht with VT throughout.
    expect(buildLedger(alsVerzonden([h, nee]), profiel('west-brabant'), { nu: new Date(VR_10) }).perioden.map((p) => p.verantwoordelijke.oin)).toEqual([VT]);
  });

  it('a handover dated a week back starts its terms and its transfer when the gateway accepts it (west-brabant)', () => {
    const h = directeOverdracht({ verzondenOp: '2026-03-02T10:00:00.000Z' });
    const berichten: Geboekt[] = [{ bericht: h, rcv: MA_10 }];
    const ledger = buildLedger(berichten, profiel('west-brabant'), { nu: new Date('2026-03-09T11:00:00.000Z') });
    expect(ledger.overdrachten[0]).toMatchObject({ verzondenOp: '2026-03-02T10:00:00.000Z', rcv: MA_10 });
    expect(ledger.termijnen.length).toBeGreaterThan(0);
    for (const t of ledger.termijnen) expect(t).toMatchObject({ start: MA_10, status: 'open' });
    expect(holderAt(berichten, 'west-brabant', '2026-03-09T11:00:00.000Z', '2026-03-09T11:00:00.000Z')).toBe(VT);
    // Taken at its date, the receiver would hold zicht already and have missed its receipt term.
    const geclaimd = buildLedger(alsVerzonden([h]), profiel('west-brabant'), { nu: new Date('2026-03-09T11:00:00.000Z') });
    expect(verantwoordelijkeOp(geclaimd, new Date('2026-03-09T11:00:00.000Z'))?.oin).toBe(LT_MAASTRICHT);
    expect(geclaimd.termijnen.some((t) => t.status === 'gemist')).toBe(true);
  });

  it('an acceptance passes zicht when the gateway accepts it, not at the earlier time it names (zuid-limburg)', () => {
    const h = directeOverdracht({ verzondenOp: MA_10 });
    const ja = ontvangst(h, LT_MAASTRICHT, 'geaccepteerd', '2026-03-09T11:00:00.000Z');
    const berichten: Geboekt[] = [{ bericht: h, rcv: MA_10 }, { bericht: ja, rcv: DI_10 }];
    expect(holderAt(berichten, 'zuid-limburg', '2026-03-09T12:00:00.000Z')).toBe(VT);
    expect(holderAt(berichten, 'zuid-limburg', DI_10)).toBe(LT_MAASTRICHT);
    const ledger = buildLedger(berichten, profiel('zuid-limburg'), { nu: new Date(VR_10) });
    expect(ledger.perioden.at(-1)?.verantwoordelijke).toMatchObject({ oin: LT_MAASTRICHT, sinds: DI_10 });
    expect(ledger.termijnen.find((t) => t.soort === 'ontvangstbevestiging')).toMatchObject({ gehaaldOp: DI_10, gehaaldMet: ja.berichtId });
  });

  it('LVC-011: VT cannot close a dossier it no longer holds by dating the afsluiting before the transfer (west-brabant)', () => {
    const h = directeOverdracht({ verzondenOp: MA_10 });
    const dicht = afsluiting(h, VT, DI_10);
    const accepted: Geboekt[] = [{ bericht: h, rcv: MA_10 }];
    // Arriving on Thursday, after the term passed zicht to the team: refused, whatever its date says.
    expect(ledgerRuleIssues(accepted, dicht, profiel('west-brabant'), new Date(DO_10)).map((i) => i.rule)).toEqual(['LVC-011']);
    // Arriving on Tuesday, while VT holds zicht: accepted.
    expect(ledgerRuleIssues(accepted, dicht, profiel('west-brabant'), new Date(DI_10))).toEqual([]);
  });

  it('offline, each bericht counts from its verified countersignature’s rcv, not from its verzondenOp', async () => {
    const network = await createDemoNetwork();
    const h = overdrachtNaDienst({ verzondenOp: '2026-06-15T07:00:00.000Z' });
    const heerlen = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-15T09:00:00.000Z', { regie: LT_HEERLEN });
    const kerkrade = ontvangst(h, LT_KERKRADE, 'geaccepteerd', '2026-06-15T09:30:00.000Z', { regie: LT_HEERLEN });
    const rcv = ['2026-06-15T08:00:00.000Z', '2026-06-16T08:00:00.000Z', '2026-06-17T08:00:00.000Z'];
    const files = [];
    for (const [i, [bericht, party]] of ([[h, 'vtZuidLimburg'], [heerlen, 'heerlen'], [kerkrade, 'kerkrade']] as const).entries()) {
      const at = new Date(rcv[i] ?? '');
      const signed = await signAs(network, party, bericht, { iat: at });
      const countersigned = await countersignBericht(signed, network.gateway, at, { iat: at });
      files.push({ naam: bericht.berichtId, bytes: new TextEncoder().encode(JSON.stringify(countersigned)) });
    }
    const trail = await verifieerTrail(files, registryKeyResolver(network.registry), new Date('2026-06-20T00:00:00.000Z'));
    expect(trail.fouten, JSON.stringify(trail.fouten)).toEqual([]);
    expect(trail.berichten.map((g) => g.rcv)).toEqual(rcv);
    const found = evalueerTrail(trail.berichten, h.dossier.referentie, profiel('zuid-limburg'), new Date('2026-06-20T00:00:00.000Z'));
    expect(found?.ledger.overdrachten[0]).toMatchObject({ verzondenOp: '2026-06-15T07:00:00.000Z', rcv: rcv[0] });
    expect(found?.ledger.overdrachten[0]?.antwoorden.map((a) => a.op)).toEqual([rcv[1], rcv[2]]);
    // Both teams accepted naming Heerlen to lead (Z-L 5.2.4): Heerlen holds zicht from when the second acceptance reached the gateway.
    expect(found?.verantwoordelijkheid.verantwoordelijke).toMatchObject({ oin: LT_HEERLEN, sinds: rcv[2] });
  });
  it('Q324: a contact-gestart that reports a moment before the term’s end meets it, also when it reaches the gateway after the end', () => {
    const h = directeOverdracht({ verzondenOp: MA_10 });
    const ja = ontvangst(h, LT_MAASTRICHT, 'geaccepteerd', '2026-03-09T11:00:00.000Z');
    const base: Geboekt[] = [{ bericht: h, rcv: MA_10 }, { bericht: ja, rcv: '2026-03-09T11:00:00.000Z' }];
    const voor = buildLedger(base, profiel('zuid-limburg'), { nu: new Date('2027-01-01T00:00:00.000Z') }).termijnen.find((t) => t.soort === 'eerste-contact');
    expect(voor?.status).toBe('gemist');
    const uiterlijk = Date.parse(voor?.uiterlijk ?? '');
    const gestartOp = new Date(uiterlijk - 3_600_000).toISOString();
    const contactBericht = contact(h, LT_MAASTRICHT, gestartOp);
    const laat: Geboekt = { bericht: contactBericht, rcv: new Date(uiterlijk + 86_400_000).toISOString() };
    const na = buildLedger([...base, laat], profiel('zuid-limburg'), { nu: new Date('2027-01-01T00:00:00.000Z') }).termijnen.find((t) => t.soort === 'eerste-contact');
    expect(na).toMatchObject({ status: 'gehaald', gehaaldMet: contactBericht.berichtId });
  });

  it('Q327: a return after a transfer by meerdereGemeenten names the handover’s rule of its moment', () => {
    const h = overdrachtNaDienst({ verzondenOp: '2026-06-15T08:00:00.000Z' });
    const heerlen = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-15T09:00:00.000Z', { regie: LT_HEERLEN });
    const kerkrade = ontvangst(h, LT_KERKRADE, 'geaccepteerd', '2026-06-15T10:00:00.000Z', { regie: LT_HEERLEN });
    const terug = ontvangst(h, LT_HEERLEN, 'niet-geaccepteerd', '2026-06-15T11:00:00.000Z');
    const ledger = buildLedger(alsVerzonden([h, heerlen, kerkrade, terug]), profiel('zuid-limburg'), { nu: new Date('2026-06-20T00:00:00.000Z') });
    expect(ledger.perioden.map((p) => [p.verantwoordelijke.oin, p.verantwoordelijke.regel.regel])).toEqual([
      [VT, 'vtVerantwoordelijk'],
      [LT_HEERLEN, 'overgang.meerdereGemeenten'],
      [VT, 'overgang.naDienst'],
    ]);
    expect(ledger.perioden.at(-1)?.verantwoordelijke.berichten).toEqual([h.berichtId, terug.berichtId]);
  });
  it('Q328: a later receipt naming another lead ends the agreement: zicht returns to VT, and passes to the new lead once all name it', () => {
    const h = overdrachtNaDienst({ verzondenOp: '2026-06-15T08:00:00.000Z' });
    const heerlenJa = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-15T09:00:00.000Z', { regie: LT_HEERLEN });
    const kerkradeJa = ontvangst(h, LT_KERKRADE, 'geaccepteerd', '2026-06-15T10:00:00.000Z', { regie: LT_HEERLEN });
    const kerkradeAnders = ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-15T11:00:00.000Z', { regie: LT_KERKRADE });
    const heerlenAnders = ontvangst(h, LT_HEERLEN, 'ontvangen', '2026-06-15T12:00:00.000Z', { regie: LT_KERKRADE });
    const ledger = buildLedger(alsVerzonden([h, heerlenJa, kerkradeJa, kerkradeAnders, heerlenAnders]), profiel('zuid-limburg'), { nu: new Date('2026-06-20T00:00:00.000Z') });
    expect(ledger.perioden.map((p) => [p.verantwoordelijke.oin, p.van, p.verantwoordelijke.regel.regel])).toEqual([
      [VT, expect.any(String), 'vtVerantwoordelijk'],
      [LT_HEERLEN, '2026-06-15T10:00:00.000Z', 'overgang.meerdereGemeenten'],
      [VT, '2026-06-15T11:00:00.000Z', 'overgang.naDienst'],
      [LT_KERKRADE, '2026-06-15T12:00:00.000Z', 'overgang.meerdereGemeenten'],
    ]);
  });

  it('Q340, Q342: an end of triage after the handover’s rcv (the sender’s clock ahead) does not start VT after the transfer: VT is responsible at the latest from the rcv, no period ends before it begins, and none of length zero is recorded', () => {
    // Handed over at the triage table (belegd at once, zuid-limburg 2i); VT's clock runs three minutes ahead of the gateway's.
    const sent = '2026-03-06T10:00:00.000Z';
    const rcv = '2026-03-06T09:57:00.000Z';
    const h = directeOverdracht({ triagetafel: true, triageAfgerondOp: sent, verzondenOp: sent });
    const ledger = buildLedger([{ bericht: h, rcv }], profiel('zuid-limburg'), { nu: new Date(VR_10) });
    expect(ledger.vtVerantwoordelijkSinds).toBe(rcv);
    // VT's period would begin and end at the rcv: taken together with the transfer, it is not recorded (Q314).
    expect(ledger.perioden.map((p) => [p.verantwoordelijke.oin, p.van, p.tot])).toEqual([[LT_MAASTRICHT, rcv, undefined]]);
    for (const p of ledger.perioden) expect(Date.parse(p.van)).toBeLessThanOrEqual(p.tot === undefined ? Infinity : Date.parse(p.tot));
    expect(holderAt([{ bericht: h, rcv }], 'zuid-limburg', '2026-03-06T09:56:00.000Z')).toBeUndefined();
    expect(holderAt([{ bericht: h, rcv }], 'zuid-limburg', '2026-03-06T09:58:00.000Z')).toBe(LT_MAASTRICHT);
    // An end of triage before the rcv still starts VT at its own moment.
    const early = directeOverdracht({ triagetafel: true, triageAfgerondOp: '2026-03-06T09:00:00.000Z', verzondenOp: sent });
    const ordinary = buildLedger([{ bericht: early, rcv }], profiel('zuid-limburg'), { nu: new Date(VR_10) });
    expect(ordinary.vtVerantwoordelijkSinds).toBe('2026-03-06T09:00:00.000Z');
    // Q345: in the ordinary case VT holds zicht from its end of triage until the rcv, and the team from the rcv.
    expect(ordinary.perioden.map((p) => [p.verantwoordelijke.rol, p.van, p.tot])).toEqual([['vt', '2026-03-06T09:00:00.000Z', rcv], ['lokaal-team', rcv, undefined]]);
  });
});
