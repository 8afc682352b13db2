/**
 * LVC: rules of the lifecycle berichten (contact-gestart, monitoring, afsluiting, escalatie,
 * escalatie-antwoord, termijnsignaal) and of the dossier's ledger. The ledger rules (stage `ledger`)
 * need the region profile and the gateway's clock; src/lifecycle/ checks them.
 */
import type { Bericht, BerichtType } from '../model/bericht.js';
import type { ValidationContext } from './context.js';
import { defineRule, type Report, type Rule } from './rule.js';

/** The berichten that follow up a handover and refer to it. */
const VERVOLG = ['contact-gestart', 'monitoring', 'afsluiting', 'escalatie'] as const satisfies readonly BerichtType[];
const LEVENSCYCLUS = [...VERVOLG, 'escalatie-antwoord', 'termijnsignaal'] as const satisfies readonly BerichtType[];

/** How far a sender's clock may run ahead of the gateway's (LVC-010). */
export const MAX_KLOKAFWIJKING_MS = 5 * 60 * 1000;

/** The overdracht a follow-up refers to, reporting LVC-002 when it is not one. */
function verwezenOverdracht(bericht: Bericht, context: ValidationContext, report?: Report) {
  if (bericht.inAntwoordOp === undefined) return undefined;
  const earlier = context.findBericht(bericht.inAntwoordOp);
  if (earlier?.berichtType === 'overdracht') return earlier;
  if (report && (earlier || context.complete)) report(['inAntwoordOp'], 'Refers to no overdracht in the dossier.');
  return undefined;
}

/** The moment a lifecycle bericht reports, with its path. */
function gemeldMoment(bericht: Bericht): [string, string] | undefined {
  switch (bericht.berichtType) {
    case 'contact-gestart':
      return ['gestartOp', bericht.inhoud.gestartOp];
    case 'monitoring':
      return ['uitgevoerdOp', bericht.inhoud.uitgevoerdOp];
    case 'afsluiting':
      return ['afgeslotenOp', bericht.inhoud.afgeslotenOp];
    case 'termijnsignaal':
      return ['verlopenOp', bericht.inhoud.verlopenOp];
    case 'overdracht':
    case 'veiligheidsvoorwaarden':
    case 'ontvangstbevestiging':
    case 'escalatie':
    case 'escalatie-antwoord':
      return undefined;
  }
}

export const levenscyclusRules: readonly Rule[] = [
  defineRule({
    id: 'LVC-001',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [
      { document: 'Z-L', section: '2f, 2j, 5.2.6, 5.5, 6.1' },
      { document: 'Zicht', section: 'v1 "The lifecycle"' },
    ],
    text: 'A lifecycle bericht refers (inAntwoordOp) to the bericht it follows up: the handover, the escalatie it answers, or the bericht whose term expired.',
    appliesTo: LEVENSCYCLUS,
    check(bericht, _context, report) {
      if (bericht.inAntwoordOp === undefined) report(['inAntwoordOp']);
    },
  }),
  defineRule({
    id: 'LVC-002',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "The lifecycle"' }],
    text: 'A contact-gestart, monitoring, afsluiting or escalatie refers to an overdracht of the dossier.',
    appliesTo: VERVOLG,
    check(bericht, context, report) {
      verwezenOverdracht(bericht, context, report);
    },
  }),
  defineRule({
    id: 'LVC-003',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '2f, 2j' },
      { document: 'Z-L', section: '5.2.6' },
    ],
    text: 'A contact-gestart comes from a receiver of the handover not in cc (a participant with an entry not in cc); a monitoring from the handover\'s sender; an afsluiting or escalatie from the handover\'s sender or one of its receivers, in cc or not. Each is compared by OIN (verzender.oin), never by role or gemeentecode.',
    appliesTo: VERVOLG,
    check(bericht, context, report) {
      const overdracht = verwezenOverdracht(bericht, context);
      if (!overdracht) return;
      const oin = bericht.verzender.oin;
      // A participant named more than once (once per gemeente, BER-008) is a receiver not in cc when any of its entries is not (as ONT-013).
      const entries = overdracht.ontvangers.filter((o) => o.oin === oin);
      const fits =
        bericht.berichtType === 'contact-gestart'
          ? entries.some((o) => o.kopie !== true)
          : bericht.berichtType === 'monitoring'
            ? oin === overdracht.verzender.oin
            : oin === overdracht.verzender.oin || entries.length > 0;
      if (!fits) report(['verzender', 'oin'], `The sender has no part in the handover that lets it send a ${bericht.berichtType}.`);
    },
  }),
  defineRule({
    id: 'LVC-004',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "The lifecycle"' }],
    text: 'The moment a lifecycle bericht reports (gestartOp, uitgevoerdOp, afgeslotenOp, verlopenOp) is no later than the bericht is sent.',
    // The types that report such a moment; an escalatie and its answer report none (implementation-questions Q187).
    appliesTo: ['contact-gestart', 'monitoring', 'afsluiting', 'termijnsignaal'],
    check(bericht, _context, report) {
      const moment = gemeldMoment(bericht);
      if (moment && Date.parse(moment[1]) > Date.parse(bericht.verzondenOp)) report(['inhoud', moment[0]]);
    },
  }),
  defineRule({
    id: 'LVC-005',
    stage: 'trail',
    severity: 'warning',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '5.1.5' },
      { document: 'Z-L', section: '5.2.6' },
      { document: 'FS', section: 'Afspraken over monitoring' },
    ],
    text: 'VT monitors after a handover after a service whose monitoring agreement says so, not after a direct handover (unless recorded in the dossier).',
    appliesTo: ['monitoring'],
    check(bericht, context, report) {
      const overdracht = verwezenOverdracht(bericht, context);
      if (overdracht && (overdracht.inhoud.moment !== 'na-dienst' || !overdracht.inhoud.monitoring.doorVt)) report(['inAntwoordOp']);
    },
  }),
  defineRule({
    id: 'LVC-006',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [{ document: 'Z-L', section: '6.1' }],
    text: 'An afsluiting with reden anders explains it (toelichting).',
    appliesTo: ['afsluiting'],
    check(bericht, _context, report) {
      if (bericht.inhoud.reden === 'anders' && bericht.inhoud.toelichting === undefined) report(['inhoud', 'toelichting']);
    },
  }),
  defineRule({
    id: 'LVC-007',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '5.5' }],
    text: 'An escalatie-antwoord answers an escalatie of the dossier that was addressed to its sender.',
    appliesTo: ['escalatie-antwoord'],
    check(bericht, context, report) {
      if (bericht.inAntwoordOp === undefined) return;
      const escalatie = context.findBericht(bericht.inAntwoordOp);
      if (escalatie?.berichtType !== 'escalatie') {
        if (escalatie || context.complete) report(['inAntwoordOp'], 'Refers to no escalatie in the dossier.');
      } else if (!escalatie.ontvangers.some((o) => o.oin === bericht.verzender.oin)) {
        report(['verzender', 'oin'], 'The escalatie was not addressed to the sender of this answer.');
      }
    },
  }),
  defineRule({
    id: 'LVC-008',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '5.5' },
      { document: 'FS', section: 'Inhoud van de samenwerkingsafspraken' },
    ],
    text: 'An escalatie is addressed to the responsible gemeente: at least one receiver with role gemeente, not in cc.',
    appliesTo: ['escalatie'],
    check(bericht, _context, report) {
      if (!bericht.ontvangers.some((o) => o.rol === 'gemeente' && o.kopie !== true)) report(['ontvangers']);
    },
  }),
  defineRule({
    id: 'LVC-009',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "The lifecycle"' }],
    text: 'A termijnsignaal is addressed to the participant that must act (moetHandelen): an entry of ontvangers with that OIN, in cc or not (an entry in cc counts; the gateway addresses that participant not in cc).',
    appliesTo: ['termijnsignaal'],
    check(bericht, _context, report) {
      if (!bericht.ontvangers.some((o) => o.oin === bericht.inhoud.moetHandelen)) report(['inhoud', 'moetHandelen']);
    },
  }),
  {
    id: 'LVC-010',
    stage: 'ledger',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "The lifecycle"' }],
    text: "A bericht is not sent in the future: verzondenOp is at most 5 minutes after the gateway's clock when it arrives.",
  },
  {
    id: 'LVC-011',
    stage: 'ledger',
    severity: 'error',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '6.1' },
      { document: 'Z-L', section: 'Bijlage 1' },
    ],
    text: 'Only the party responsible for zicht op veiligheid when the gateway accepts the afsluiting (by the clock of the gateway, not by verzondenOp) closes the dossier, per the region profile.',
  },
  {
    id: 'LVC-012',
    stage: 'ledger',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '6.1' }],
    text: 'A closed dossier takes no further berichten; a new melding is a new dossier.',
  },
];
