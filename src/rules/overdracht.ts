/**
 * OVD: rules of the overdracht (handover) content, from Z-L chapter 5 and Bijlage 3a.
 */
import type { OverdrachtBericht } from '../model/bericht.js';
import type { Directbetrokkene } from '../model/persoon.js';
import { amsterdamDatum } from '../profiles/werkdagen.js';
import { isValidBsn } from './elfproef.js';
import { defineRule, type Rule } from './rule.js';

const isGezaghebbend = (persoon: Directbetrokkene): boolean => persoon.rollen.includes('gezaghebbende-ouder');

const hasContact = (persoon: Directbetrokkene): boolean =>
  persoon.adres !== undefined || persoon.contact?.telefoon !== undefined || persoon.contact?.email !== undefined;

/** The gemeenten the household lives in: every gemeentecode of a directbetrokkene's address. */
export function householdGemeenten(bericht: OverdrachtBericht): ReadonlySet<string> {
  const codes = new Set<string>();
  for (const persoon of bericht.inhoud.directbetrokkenen) if (persoon.adres) codes.add(persoon.adres.gemeentecode);
  return codes;
}

/** The calendar date (YYYY-MM-DD) of an RFC 3339 date-time in Europe/Amsterdam, whatever offset it is written in. */
const dateOf = (tijdstip: string): string => amsterdamDatum(new Date(tijdstip));

export const overdrachtRules: readonly Rule[] = [
  defineRule({
    id: 'OVD-001',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [{ document: 'Z-L', section: '5.1.3' }],
    text: 'Every gezaghebbende ouder (parent with custody) has contact details: an address (adres), a telephone number (contact.telefoon) or an e-mail address (contact.email); the presence of one of them counts.',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      for (const [i, persoon] of bericht.inhoud.directbetrokkenen.entries()) {
        if (isGezaghebbend(persoon) && !hasContact(persoon)) report(['inhoud', 'directbetrokkenen', i]);
      }
    },
  }),
  defineRule({
    id: 'OVD-002',
    stage: 'content',
    severity: 'error',
    code: 'security',
    sources: [
      { document: 'Z-L', section: '5.1.3' },
      { document: 'Z-L', section: 'Bijlage 3a.8' },
    ],
    text: 'An anonymous melder carries no name and no contact details: no naam and no contact member, not even an empty one; relatie is allowed.',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const melder = bericht.inhoud.melder;
      if (!melder.anoniem) return;
      if (melder.naam !== undefined) report(['inhoud', 'melder', 'naam']);
      if (melder.contact !== undefined) report(['inhoud', 'melder', 'contact']);
    },
  }),
  defineRule({
    id: 'OVD-003',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [{ document: 'Z-L', section: '5.1.3' }],
    text: 'A direct handover (na-veiligheidsbeoordeling) carries the contact details of a melder who is not anonymous: contact.telefoon or contact.email (an empty contact is none).',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const { moment, melder } = bericht.inhoud;
      if (moment !== 'na-veiligheidsbeoordeling' || melder.anoniem) return;
      if (melder.contact?.telefoon === undefined && melder.contact?.email === undefined) report(['inhoud', 'melder', 'contact']);
    },
  }),
  defineRule({
    id: 'OVD-004',
    stage: 'content',
    severity: 'warning',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '5.2.4' }],
    text: "After a service, the melder's contact details go along only when the lokale veld needs them (contactNodig).",
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const { moment, melder } = bericht.inhoud;
      if (moment === 'na-dienst' && melder.contact !== undefined && melder.contactNodig !== true) {
        report(['inhoud', 'melder', 'contact']);
      }
    },
  }),
  defineRule({
    id: 'OVD-005',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '5.2.4' }],
    text: "VT's judgement on domestic violence or child abuse (oordeel) appears only after dienst Onderzoek: a handover after dienst Voorwaarden en vervolg carries none (a direct handover has no oordeel member, and its schema refuses one: BER-007).",
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const inhoud = bericht.inhoud;
      if (inhoud.moment === 'na-dienst' && inhoud.dienst !== 'onderzoek' && inhoud.oordeel !== undefined) {
        report(['inhoud', 'oordeel']);
      }
    },
  }),
  defineRule({
    id: 'OVD-006',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [{ document: 'Z-L', section: '5.2.4' }],
    text: "A handover after dienst Onderzoek carries VT's judgement (oordeel).",
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const inhoud = bericht.inhoud;
      if (inhoud.moment === 'na-dienst' && inhoud.dienst === 'onderzoek' && inhoud.oordeel === undefined) {
        report(['inhoud', 'oordeel']);
      }
    },
  }),
  defineRule({
    id: 'OVD-007',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '5.2.4' },
      { document: 'Z-L', section: '6.2' },
    ],
    text: 'A household that lives in more than one gemeente is handed over to each of them: every gemeentecode of a directbetrokkene address is the gemeentecode of some receiver, in cc or not (for a handover to a GI, normally the gemeente in cc, OVD-008); not for a handover to another gemeente (OVD-009, OVD-010).',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      if (bericht.inhoud.overdrachtAan.soort === 'andere-gemeente') return;
      const addressed = new Set(bericht.ontvangers.map((o) => o.gemeentecode));
      for (const [i, persoon] of bericht.inhoud.directbetrokkenen.entries()) {
        const code = persoon.adres?.gemeentecode;
        if (code !== undefined && !addressed.has(code)) {
          report(['inhoud', 'directbetrokkenen', i, 'adres', 'gemeentecode'], 'No receiver acts for the gemeente of this address.');
          addressed.add(code);
        }
      }
    },
  }),
  defineRule({
    id: 'OVD-008',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: 'Bijlage 3a.1' }],
    text: 'A handover to a GI (gecertificeerde instelling) is addressed to a GI (not in cc) and, in cc (kopie), to a gemeente or lokaal team; which gemeenten must be named is OVD-007.',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      if (bericht.inhoud.overdrachtAan.soort !== 'gi') return;
      if (!bericht.ontvangers.some((o) => o.rol === 'gi' && o.kopie !== true)) {
        report(['ontvangers'], 'No receiver with role gi.');
      }
      if (!bericht.ontvangers.some((o) => (o.rol === 'gemeente' || o.rol === 'lokaal-team') && o.kopie === true)) {
        report(['ontvangers'], 'No gemeente or lokaal-team receiver in cc (kopie: true).');
      }
    },
  }),
  defineRule({
    id: 'OVD-009',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [{ document: 'Z-L', section: 'Bijlage 3a.11' }],
    text: 'A handover to another gemeente (andere-gemeente) states why (toelichting).',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const aan = bericht.inhoud.overdrachtAan;
      if (aan.soort === 'andere-gemeente' && aan.toelichting === undefined) report(['inhoud', 'overdrachtAan', 'toelichting']);
    },
  }),
  defineRule({
    id: 'OVD-010',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: 'Bijlage 3a.11' }],
    text: "A handover to another gemeente is not addressed, outside cc, to a gemeente the household lives in (an entry in cc is allowed, implementation-questions.md Q19).",
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      if (bericht.inhoud.overdrachtAan.soort !== 'andere-gemeente') return;
      const household = householdGemeenten(bericht);
      for (const [i, ontvanger] of bericht.ontvangers.entries()) {
        if (ontvanger.gemeentecode !== undefined && ontvanger.kopie !== true && household.has(ontvanger.gemeentecode)) {
          report(['ontvangers', i, 'gemeentecode']);
        }
      }
    },
  }),
  defineRule({
    id: 'OVD-011',
    stage: 'content',
    severity: 'error',
    code: 'value',
    sources: [{ document: 'Zicht', section: 'v1 "Overdracht"' }],
    text: 'Every person referred to in informeren or toestemming is one of the directbetrokkenen.',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const ids = new Set(bericht.inhoud.directbetrokkenen.map((p) => p.id));
      for (const [i, item] of (bericht.inhoud.informeren ?? []).entries()) {
        if (!ids.has(item.persoon)) report(['inhoud', 'informeren', i, 'persoon']);
      }
      for (const [i, ref] of (bericht.inhoud.toestemming ?? []).entries()) {
        if (!ids.has(ref)) report(['inhoud', 'toestemming', i]);
      }
    },
  }),
  defineRule({
    id: 'OVD-012',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: 'Bijlage 3a.5' },
      { document: 'Z-L', section: '5.1.2' },
    ],
    text: 'Where the handover records who informs the directbetrokkenen (an informeren member, also an empty one), every gezaghebbende ouder is among them.',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const informeren = bericht.inhoud.informeren;
      if (informeren === undefined) return;
      const informed = new Set(informeren.map((item) => item.persoon));
      for (const [i, persoon] of bericht.inhoud.directbetrokkenen.entries()) {
        if (isGezaghebbend(persoon) && !informed.has(persoon.id)) report(['inhoud', 'directbetrokkenen', i]);
      }
    },
  }),
  defineRule({
    id: 'OVD-013',
    stage: 'content',
    severity: 'error',
    code: 'value',
    sources: [{ document: 'RvIG', section: 'Logisch Ontwerp BSN, elfproef' }],
    text: 'A BSN passes the 11-proof: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11, and it is not 000000000.',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      for (const [i, persoon] of bericht.inhoud.directbetrokkenen.entries()) {
        if (persoon.bsn !== undefined && !isValidBsn(persoon.bsn)) report(['inhoud', 'directbetrokkenen', i, 'bsn']);
      }
    },
  }),
  defineRule({
    id: 'OVD-014',
    stage: 'content',
    severity: 'error',
    code: 'value',
    sources: [{ document: 'Zicht', section: 'v1 "Overdracht"' }],
    text: 'Each directbetrokkene has an id of its own within the bericht.',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const seen = new Set<string>();
      for (const [i, persoon] of bericht.inhoud.directbetrokkenen.entries()) {
        if (seen.has(persoon.id)) report(['inhoud', 'directbetrokkenen', i, 'id']);
        seen.add(persoon.id);
      }
    },
  }),
  defineRule({
    id: 'OVD-015',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '5.1.1' },
      { document: 'Z-L', section: '5.2.1' },
    ],
    text: 'The assessment (triage.afgerondOp) or service (dienstAfgerondOp) ended no earlier than the melding was received (melding.ontvangenOp) and no later than the bericht was sent (verzondenOp), equal on either side allowed; date-times are compared as instants, a date (dienstAfgerondOp) with the calendar date of a date-time in Europe/Amsterdam.',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const inhoud = bericht.inhoud;
      const ontvangen = Date.parse(inhoud.melding.ontvangenOp);
      const verzonden = Date.parse(bericht.verzondenOp);
      if (inhoud.moment === 'na-veiligheidsbeoordeling') {
        const afgerond = Date.parse(inhoud.triage.afgerondOp);
        if (afgerond < ontvangen) report(['inhoud', 'triage', 'afgerondOp'], 'The assessment ended before the melding was received.');
        if (afgerond > verzonden) report(['inhoud', 'triage', 'afgerondOp'], 'The assessment ended after the bericht was sent.');
      } else {
        if (inhoud.dienstAfgerondOp < dateOf(inhoud.melding.ontvangenOp)) {
          report(['inhoud', 'dienstAfgerondOp'], 'The service ended before the melding was received.');
        }
        if (inhoud.dienstAfgerondOp > dateOf(bericht.verzondenOp)) {
          report(['inhoud', 'dienstAfgerondOp'], 'The service ended after the bericht was sent.');
        }
      }
    },
  }),
  defineRule({
    id: 'OVD-016',
    stage: 'content',
    severity: 'warning',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '5.2.6' },
      { document: 'Z-L', section: 'Bijlage 2' },
    ],
    text: 'When VT monitors after a service, the monitoring moments include 3 and 12 months after the handover.',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const inhoud = bericht.inhoud;
      if (inhoud.moment !== 'na-dienst' || !inhoud.monitoring.doorVt) return;
      const momenten = inhoud.monitoring.momentenInMaanden;
      if (!momenten.includes(3) || !momenten.includes(12)) report(['inhoud', 'monitoring', 'momentenInMaanden']);
    },
  }),
  defineRule({
    id: 'OVD-017',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [{ document: 'Z-L', section: '5.2.6' }],
    text: 'A handover after a service without monitoring by VT states why the dossier can be closed (monitoring.toelichting).',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const inhoud = bericht.inhoud;
      if (inhoud.moment === 'na-dienst' && !inhoud.monitoring.doorVt && inhoud.monitoring.toelichting === undefined) {
        report(['inhoud', 'monitoring', 'toelichting']);
      }
    },
  }),
  defineRule({
    id: 'OVD-018',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: 'Bijlage 3a.5' }],
    text: 'Consent to the handover (toestemming) is given by gezaghebbende ouders only.',
    appliesTo: ['overdracht'],
    check(bericht, _context, report) {
      const byId = new Map(bericht.inhoud.directbetrokkenen.map((p) => [p.id, p]));
      for (const [i, ref] of (bericht.inhoud.toestemming ?? []).entries()) {
        const persoon = byId.get(ref);
        if (persoon && !isGezaghebbend(persoon)) report(['inhoud', 'toestemming', i]);
      }
    },
  }),
];
