/**
 * The rules the answers of spec/v1/implementation-questions.md changed or made precise, each at the
 * boundary the old text left open: a receiver is OIN plus gemeentecode (BER-008), "a number" in a dossier
 * reference (BER-009), the calendar date of a date-time in Europe/Amsterdam (OVD-015, VVW-007), the clock
 * skew between two parties (ONT-006), receipts from receivers in cc (ONT-013).
 */
import { describe, expect, it } from 'vitest';
import { trailOf } from '../../src/rules/context.js';
import { validateValue } from '../../src/rules/validate.js';
import type { Bericht, OverdrachtBericht, VeiligheidsvoorwaardenBericht } from '../../src/model/bericht.js';
import { example } from '../helpers/examples.js';

const findings = (bericht: unknown, trail: readonly Bericht[] = []): string[] =>
  validateValue(bericht, trail.length > 0 ? { context: trailOf(trail) } : {}).issues.filter((i) => i.severity === 'error').map((i) => `${i.rule} ${i.path}`);

describe('BER-008: a receiver is its OIN with the gemeentecode it acts for (question 6)', () => {
  it('takes one participant named once for each gemeente of the household it serves', () => {
    const handover = example('overdracht-na-dienst-onderzoek');
    const [heerlen, kerkrade] = handover.ontvangers;
    const regional = { ...handover, ontvangers: [heerlen!, { ...kerkrade!, oin: heerlen!.oin }] };
    expect(findings(regional)).toEqual([]);
  });

  it('refuses the same OIN twice for the same gemeente, and the sender among the receivers', () => {
    const handover = example('overdracht-na-dienst-onderzoek');
    const [heerlen] = handover.ontvangers;
    expect(findings({ ...handover, ontvangers: [...handover.ontvangers, { ...heerlen! }] })).toEqual(['BER-008 $.ontvangers[2].oin']);
    expect(findings({ ...handover, ontvangers: [...handover.ontvangers, { ...heerlen!, oin: handover.verzender.oin }] })).toEqual(['BER-008 $.ontvangers[2].oin']);
  });
});

describe('BER-009: a number is a run of exactly nine digits with no digit next to it (question 5)', () => {
  const withReferentie = (referentie: string) => {
    const handover = example('overdracht-na-veiligheidsbeoordeling');
    return { ...handover, dossier: { ...handover.dossier, referentie } };
  };
  it('refuses a BSN standing alone or between letters and separators', () => {
    expect(findings(withReferentie('VT-111222333-Z'))).toEqual(['BER-009 $.dossier.referentie']);
    expect(findings(withReferentie('VT111222333'))).toEqual(['BER-009 $.dossier.referentie']);
  });
  it('does not look inside longer runs or across separators, nor at nine digits failing the 11-proof', () => {
    expect(findings(withReferentie('VT-1112223330'))).toEqual([]);
    expect(findings(withReferentie('VT-111-222-333'))).toEqual([]);
    expect(findings(withReferentie('VT-111222334'))).toEqual([]);
  });
});

describe('dates against date-times: the calendar date in Europe/Amsterdam (question 4)', () => {
  const update = example('veiligheidsvoorwaarden-update') as VeiligheidsvoorwaardenBericht;
  const setOn = (vastgesteldOp: string, verzondenOp: string) => ({ ...update, verzondenOp, inhoud: { ...update.inhoud, vastgesteldOp, voorwaarden: update.inhoud.voorwaarden.map((v) => ({ ...v, termijn: '2026-12-31' })) } });

  it('VVW-007: sent at 00:30 in Amsterdam, written in UTC (still the day before there), sets conditions that day', () => {
    expect(findings(setOn('2026-09-19', '2026-09-18T22:30:00Z'))).toEqual([]);
  });

  it('VVW-007: sent at 23:30 in Amsterdam, written with a far-east offset (already the next day there), is still that day', () => {
    expect(findings(setOn('2026-09-19', '2026-09-19T06:30:00+09:00'))).toEqual(['VVW-007 $.inhoud.vastgesteldOp']);
    expect(findings(setOn('2026-09-18', '2026-09-19T06:30:00+09:00'))).toEqual([]);
  });

  it('OVD-015: the day a service ended is compared with the Amsterdam date of the melding and of sending', () => {
    const handover = example('overdracht-na-dienst-onderzoek') as OverdrachtBericht;
    const ended = (dienstAfgerondOp: string, ontvangenOp: string) => ({ ...handover, inhoud: { ...handover.inhoud, dienstAfgerondOp, melding: { ...handover.inhoud.melding, ontvangenOp } } });
    // 23:30 UTC on 1 March is 00:30 on 2 March in Amsterdam: a service ending on 2 March ended after the melding.
    expect(findings(ended('2026-03-02', '2026-03-01T23:30:00Z'))).toEqual([]);
    expect(findings(ended('2026-03-01', '2026-03-01T23:30:00Z'))).toEqual(['OVD-015 $.inhoud.dienstAfgerondOp']);
  });
});

describe('ONT-006: received no earlier than sent, less the allowed clock skew of 5 minutes (question 8)', () => {
  const handover = example('overdracht-na-veiligheidsbeoordeling');
  const receipt = example('ontvangstbevestiging-ontvangen');
  const receivedAt = (offsetMs: number) => ({ ...receipt, inhoud: { ...receipt.inhoud, ontvangenOp: new Date(Date.parse(handover.verzondenOp) + offsetMs).toISOString() } });

  it('takes a receiver clock up to 5 minutes behind the sender', () => {
    expect(findings(receivedAt(-5 * 60_000), [handover])).toEqual([]);
  });

  it('refuses one further behind', () => {
    expect(findings(receivedAt(-5 * 60_000 - 1000), [handover])).toEqual(['ONT-006 $.inhoud.ontvangenOp']);
  });
});

describe('ONT-013: a receiver in cc sends no receipt (question 10)', () => {
  const handover = example('overdracht-gi');
  const receipt = example('ontvangstbevestiging-ontvangen');
  const from = (oin: string, rol: 'gi' | 'gemeente') => ({ ...receipt, verzender: { oin, rol }, verzondenOp: '2026-07-07T14:00:00+02:00', dossier: { ...handover.dossier }, inAntwoordOp: handover.berichtId, inhoud: { status: 'ontvangen', ontvangenOp: '2026-07-07T12:00:04+02:00' } });

  it('takes the receipt of the GI, refuses that of the gemeente in cc', () => {
    const [gi, cc] = handover.ontvangers;
    expect(findings(from(gi!.oin, 'gi'), [handover])).toEqual([]);
    expect(findings(from(cc!.oin, 'gemeente'), [handover])).toEqual(['ONT-013 $.verzender.oin']);
  });
});

describe('the third reading round (Q107–Q129): each answer at its boundary', () => {
  it('BER-012 checks every receiver, cc included; an escalatie-antwoord goes to vt, lokaal-team or gi, never to a gemeente (Q107)', () => {
    const answer = example('escalatie-antwoord');
    const [vt, team] = answer.ontvangers;
    expect(findings({ ...answer, ontvangers: [vt!, { ...team!, kopie: true }] })).toEqual([]);
    expect(findings({ ...answer, ontvangers: [vt!, { ...team!, rol: 'gemeente', kopie: true }] })).toEqual(['BER-012 $.ontvangers[1].rol']);
    // An afsluiting may go from one lokaal team to another (another party, any receiving role).
    const afsluiting = example('afsluiting');
    expect(findings({ ...afsluiting, ontvangers: [{ oin: '00000001000000009280', rol: 'lokaal-team', gemeentecode: 'GM0928' }] }, [example('overdracht-na-dienst-onderzoek')])).toEqual([]);
  });

  it('OVD-002 and OVD-003 look at what is there: an empty contact is contact details for OVD-002 and none for OVD-003; relatie is neither (Q110)', () => {
    const handover = example('overdracht-na-veiligheidsbeoordeling') as OverdrachtBericht;
    const melder = (m: Record<string, unknown>) => ({ ...handover, inhoud: { ...handover.inhoud, melder: m } });
    expect(findings(melder({ anoniem: true, relatie: 'politie' }))).toEqual([]);
    expect(findings(melder({ anoniem: true, contact: {} }))).toEqual(['OVD-002 $.inhoud.melder.contact']);
    expect(findings(melder({ anoniem: false, relatie: 'politie', contact: {} }))).toEqual(['OVD-003 $.inhoud.melder.contact']);
  });

  it('OVD-005: an oordeel on a direct handover is refused by its schema (BER-007), not by OVD-005 (Q111)', () => {
    const handover = example('overdracht-na-veiligheidsbeoordeling') as OverdrachtBericht;
    const withOordeel = { ...handover, inhoud: { ...handover.inhoud, oordeel: { huiselijkGeweld: 'ja', kindermishandeling: 'nee' } } };
    const rules = findings(withOordeel).map((f) => f.split(' ')[0]);
    expect(rules).toContain('BER-007');
    expect(rules).not.toContain('OVD-005');
  });

  it('OVD-012: an empty informeren records that nobody informs, so every gezaghebbende ouder is missing from it (Q114)', () => {
    const handover = example('overdracht-na-dienst-onderzoek') as OverdrachtBericht;
    const parents = handover.inhoud.directbetrokkenen.filter((p) => p.rollen.includes('gezaghebbende-ouder'));
    expect(parents.length).toBeGreaterThan(0);
    const without = { ...handover.inhoud, informeren: undefined };
    expect(JSON.stringify(without)).not.toContain('"informeren"');
    expect(findings({ ...handover, inhoud: JSON.parse(JSON.stringify(without)) as unknown })).toEqual([]);
    expect(findings({ ...handover, inhoud: { ...handover.inhoud, informeren: [] } }).filter((f) => f.startsWith('OVD-012'))).toHaveLength(parents.length);
  });

  it('OVD-013: 000000000 fails the 11-proof although its sum is 0 (Q115)', () => {
    const handover = example('overdracht-na-dienst-onderzoek') as OverdrachtBericht;
    const [first, ...rest] = handover.inhoud.directbetrokkenen;
    expect(findings({ ...handover, inhoud: { ...handover.inhoud, directbetrokkenen: [{ ...first!, bsn: '000000000' }, ...rest] } })).toEqual(['OVD-013 $.inhoud.directbetrokkenen[0].bsn']);
  });

  it('ONT-013 and LVC-003: a participant named in cc for one gemeente and not for another is a receiver not in cc (Q126, Q127)', () => {
    const handover = example('overdracht-na-dienst-onderzoek') as OverdrachtBericht;
    const [heerlen] = handover.ontvangers;
    const both = { ...handover, ontvangers: [{ ...heerlen!, gemeentecode: 'GM0928', kopie: true }, heerlen!] };
    const ccOnly = { ...handover, ontvangers: [{ ...heerlen!, kopie: true }] };
    const contact = example('contact-gestart');
    expect(findings(contact, [both])).toEqual([]);
    expect(findings(contact, [ccOnly])).toEqual(['LVC-003 $.verzender.oin']);
    // A receiver in cc may close (LVC-003 names the handover's receivers, cc included).
    expect(findings(example('afsluiting'), [ccOnly])).toEqual([]);
  });
});

describe('VRW-001: receivers counted as BER-008 counts them, one per gemeente (Q22)', () => {
  const handover = example('overdracht-na-dienst-onderzoek') as OverdrachtBericht;
  const [heerlen, kerkrade] = handover.ontvangers;
  const regional: OverdrachtBericht = { ...handover, ontvangers: [heerlen!, { ...kerkrade!, oin: heerlen!.oin }] };
  const acceptance = example('ontvangstbevestiging-geaccepteerd');
  const withoutAfstemming = Object.fromEntries(Object.entries(acceptance.inhoud).filter(([name]) => name !== 'afstemming'));
  const rules = (bericht: unknown, trail: readonly Bericht[]) => findings(bericht, trail).filter((f) => f.startsWith('VRW-'));

  it('asks the lead of a team named for two gemeenten of the household, as of two teams', () => {
    expect(rules({ ...acceptance, inhoud: withoutAfstemming }, [regional])).toEqual(['VRW-001 $.inhoud.afstemming']);
    expect(rules({ ...acceptance, inhoud: withoutAfstemming }, [handover])).toEqual(['VRW-001 $.inhoud.afstemming']);
    expect(rules(acceptance, [regional])).toEqual([]);
  });

  it('does not ask it of a handover to one team for one gemeente', () => {
    expect(rules({ ...acceptance, inhoud: withoutAfstemming }, [{ ...handover, ontvangers: [heerlen!] }])).toEqual([]);
  });
});

describe('the fifth from-the-text round: VRW-002, LVC-009 and ONT-004 at their boundaries (Q143, Q146, Q150)', () => {
  const handover = example('overdracht-na-dienst-onderzoek') as OverdrachtBericht;
  const refusal = example('ontvangstbevestiging-niet-geaccepteerd');
  const acceptance = example('ontvangstbevestiging-geaccepteerd');
  const only = (prefix: string, bericht: unknown, trail: readonly Bericht[] = []) => findings(bericht, trail).filter((f) => f.startsWith(prefix));

  it('VRW-002: takes a niet-geaccepteerd without afstemming, refuses one that names its own sender to lead', () => {
    const withoutAfstemming = { ...refusal, inhoud: Object.fromEntries(Object.entries(refusal.inhoud).filter(([name]) => name !== 'afstemming')) };
    expect(findings(withoutAfstemming, [handover])).toEqual([]);
    expect(only('VRW-', { ...refusal, inhoud: { ...refusal.inhoud, afstemming: { regie: refusal.verzender.oin } } }, [handover])).toEqual(['VRW-002 $.inhoud.afstemming.regie']);
  });

  it('LVC-009: an entry in cc for the participant that must act counts; no entry at all is refused', () => {
    const signal = example('termijnsignaal');
    const moetHandelen = (signal.inhoud as { moetHandelen: string }).moetHandelen;
    const inCc = signal.ontvangers.map((o) => (o.oin === moetHandelen ? { ...o, kopie: true } : o));
    expect(only('LVC-009', { ...signal, ontvangers: inCc })).toEqual([]);
    expect(only('LVC-009', { ...signal, ontvangers: signal.ontvangers.filter((o) => o.oin !== moetHandelen) })).toEqual(['LVC-009 $.inhoud.moetHandelen']);
  });

  it('ONT-004: the handover sender among the receipt receivers holds, another VT beside it included; without it refused', () => {
    const otherVt = { oin: '00000004000000020002', rol: 'vt' as const };
    expect(only('ONT-004', { ...acceptance, ontvangers: [...acceptance.ontvangers, otherVt] }, [handover])).toEqual([]);
    expect(only('ONT-004', { ...acceptance, ontvangers: [otherVt] }, [handover])).toEqual(['ONT-004 $.ontvangers']);
  });
});
