/**
 * ONT: rules of the ontvangstbevestiging (receipt acknowledgement), Z-L 2i and 5.2.1, FS.
 */
import { MAX_KLOKAFWIJKING_MS } from './levenscyclus.js';
import { defineRule, type Rule } from './rule.js';

export const ontvangstbevestigingRules: readonly Rule[] = [
  defineRule({
    id: 'ONT-001',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [{ document: 'Z-L', section: '5.2.1' }],
    text: 'A receipt with status niet-geaccepteerd (not accepted) states the reason (reden).',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, _context, report) {
      if (bericht.inhoud.status === 'niet-geaccepteerd' && bericht.inhoud.reden === undefined) report(['inhoud', 'reden']);
    },
  }),
  defineRule({
    id: 'ONT-002',
    stage: 'content',
    severity: 'warning',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '5.2.1' }],
    text: 'A reason (reden) is given only with status niet-geaccepteerd.',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, _context, report) {
      if (bericht.inhoud.status !== 'niet-geaccepteerd' && bericht.inhoud.reden !== undefined) report(['inhoud', 'reden']);
    },
  }),
  defineRule({
    id: 'ONT-003',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [
      { document: 'Z-L', section: '2i' },
      { document: 'FS', section: 'Inhoud van de samenwerkingsafspraken' },
    ],
    text: 'A receipt refers (inAntwoordOp) to the handover it acknowledges.',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, _context, report) {
      if (bericht.inAntwoordOp === undefined) report(['inAntwoordOp']);
    },
  }),
  defineRule({
    id: 'ONT-004',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '2i' }],
    text: 'A receipt answers a known handover that was addressed to the receipt\'s sender (its OIN, in any entry of ontvangers), and goes back to that handover\'s sender: one of its ontvangers has that sender\'s OIN. Further receivers are not refused by this rule (BER-012 lets only VT receive a receipt); a receiver sends its receipt to the handover\'s sender alone (receiver.md §9).',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, context, report) {
      if (bericht.inAntwoordOp === undefined) return;
      const overdracht = context.findBericht(bericht.inAntwoordOp);
      if (overdracht?.berichtType !== 'overdracht') {
        if (overdracht || context.complete) report(['inAntwoordOp'], 'Refers to no overdracht in the dossier.');
        return;
      }
      if (!overdracht.ontvangers.some((o) => o.oin === bericht.verzender.oin)) {
        report(['verzender', 'oin'], 'The handover was not addressed to the sender of this receipt.');
      }
      if (!bericht.ontvangers.some((o) => o.oin === overdracht.verzender.oin)) {
        report(['ontvangers'], 'The receipt is not addressed to the sender of the handover.');
      }
    },
  }),
  defineRule({
    id: 'ONT-005',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '2i' }],
    text: 'A handover is received (ontvangenOp) no later than the receipt is sent.',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, _context, report) {
      if (Date.parse(bericht.inhoud.ontvangenOp) > Date.parse(bericht.verzondenOp)) report(['inhoud', 'ontvangenOp']);
    },
  }),
  defineRule({
    id: 'ONT-006',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '2i' }],
    text: `A handover is received (ontvangenOp) no earlier than it was sent, less the allowed clock skew between the two parties (${MAX_KLOKAFWIJKING_MS / 60_000} minutes): ontvangenOp is read from the receiver's clock, verzondenOp from VT's; the 5 minutes are part of this rule, not the configurable skew of SIG-007.`,
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, context, report) {
      if (bericht.inAntwoordOp === undefined) return;
      const overdracht = context.findBericht(bericht.inAntwoordOp);
      if (overdracht?.berichtType === 'overdracht' && Date.parse(bericht.inhoud.ontvangenOp) < Date.parse(overdracht.verzondenOp) - MAX_KLOKAFWIJKING_MS) {
        report(['inhoud', 'ontvangenOp']);
      }
    },
  }),
  defineRule({
    id: 'ONT-007',
    stage: 'content',
    severity: 'warning',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '2i' }],
    text: 'A receipt with status ontvangen says, where possible, who picks the case up (behandelaar); an acceptance must (ONT-009).',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, _context, report) {
      if (bericht.inhoud.status === 'ontvangen' && bericht.inhoud.behandelaar === undefined) report(['inhoud', 'behandelaar']);
    },
  }),
  defineRule({
    id: 'ONT-008',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '5.2.1' }],
    text: 'A receiving party accepts a handover once: a second receipt with status geaccepteerd for the same handover is refused.',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, context, report) {
      if (bericht.inhoud.status !== 'geaccepteerd' || bericht.inAntwoordOp === undefined) return;
      const answered = bericht.inAntwoordOp.toLowerCase();
      const earlier = context
        .berichtenInDossier(bericht.dossier.referentie)
        .some(
          (b) =>
            b.berichtType === 'ontvangstbevestiging' &&
            b.berichtId.toLowerCase() !== bericht.berichtId.toLowerCase() &&
            b.verzender.oin === bericht.verzender.oin &&
            b.inAntwoordOp?.toLowerCase() === answered &&
            b.inhoud.status === 'geaccepteerd',
        );
      if (earlier) report(['inhoud', 'status'], 'This party accepted this handover before.');
    },
  }),
  defineRule({
    id: 'ONT-009',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [
      { document: 'Z-L', section: '2i' },
      { document: 'Z-L', section: '5.1.1' },
      { document: 'Z-L', section: '5.1.4' },
      { document: 'Z-L', section: '5.2.1' },
    ],
    text: 'A receipt with status geaccepteerd names who picks the case up and how to reach them: behandelaar with naam or team, and telefoon or email. Without it nothing is belegd (assigned) and the acceptance is refused.',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, _context, report) {
      if (bericht.inhoud.status !== 'geaccepteerd') return;
      const behandelaar = bericht.inhoud.behandelaar;
      if (behandelaar === undefined) {
        report(['inhoud', 'behandelaar']);
        return;
      }
      if (behandelaar.naam === undefined && behandelaar.team === undefined) report(['inhoud', 'behandelaar'], 'Names neither naam nor team.');
      if (behandelaar.telefoon === undefined && behandelaar.email === undefined) report(['inhoud', 'behandelaar'], 'Gives neither telefoon nor email.');
      },
    }),
  defineRule({
    id: 'ONT-013',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '2i' },
      { document: 'Z-L', section: 'Bijlage 3a.1' },
    ],
    text: 'A receipt comes from a receiver of the handover that is not in cc (kopie): a participant all of whose entries in the handover are in cc takes note and sends no receipt.',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, context, report) {
      if (bericht.inAntwoordOp === undefined) return;
      const overdracht = context.findBericht(bericht.inAntwoordOp);
      if (overdracht?.berichtType !== 'overdracht') return;
      const own = overdracht.ontvangers.filter((o) => o.oin === bericht.verzender.oin);
      if (own.length > 0 && own.every((o) => o.kopie === true)) report(['verzender', 'oin'], 'The sender of this receipt received the handover in cc.');
    },
  }),
];
