/**
 * ONT: rules of the ontvangstbevestiging (receipt acknowledgement), Z-L 2i and 5.2.1, FS.
 */
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
    *check(bericht) {
      if (bericht.inhoud.status === 'niet-geaccepteerd' && bericht.inhoud.reden === undefined) yield { path: ['inhoud', 'reden'] };
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
    *check(bericht) {
      if (bericht.inhoud.status !== 'niet-geaccepteerd' && bericht.inhoud.reden !== undefined) yield { path: ['inhoud', 'reden'] };
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
    *check(bericht) {
      if (bericht.inAntwoordOp === undefined) yield { path: ['inAntwoordOp'] };
    },
  }),
  defineRule({
    id: 'ONT-004',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '2i' }],
    text: 'A receipt answers a known handover that was addressed to the receipt\'s sender, and goes back to that handover\'s sender.',
    appliesTo: ['ontvangstbevestiging'],
    *check(bericht, context) {
      if (bericht.inAntwoordOp === undefined) return;
      const overdracht = context.findBericht(bericht.inAntwoordOp);
      if (overdracht?.berichtType !== 'overdracht') {
        yield { path: ['inAntwoordOp'], message: 'Refers to no known overdracht in the trail.' };
        return;
      }
      if (!overdracht.ontvangers.some((o) => o.oin === bericht.verzender.oin)) {
        yield { path: ['verzender', 'oin'], message: 'The handover was not addressed to the sender of this receipt.' };
      }
      if (!bericht.ontvangers.some((o) => o.oin === overdracht.verzender.oin)) {
        yield { path: ['ontvangers'], message: 'The receipt is not addressed to the sender of the handover.' };
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
    *check(bericht) {
      if (Date.parse(bericht.inhoud.ontvangenOp) > Date.parse(bericht.verzondenOp)) yield { path: ['inhoud', 'ontvangenOp'] };
    },
  }),
  defineRule({
    id: 'ONT-006',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '2i' }],
    text: 'A handover is received (ontvangenOp) no earlier than it was sent.',
    appliesTo: ['ontvangstbevestiging'],
    *check(bericht, context) {
      if (bericht.inAntwoordOp === undefined) return;
      const overdracht = context.findBericht(bericht.inAntwoordOp);
      if (overdracht && Date.parse(bericht.inhoud.ontvangenOp) < Date.parse(overdracht.verzondenOp)) yield { path: ['inhoud', 'ontvangenOp'] };
    },
  }),
  defineRule({
    id: 'ONT-007',
    stage: 'content',
    severity: 'warning',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '2i' }],
    text: 'A receipt that accepts the case says, where possible, who picks it up (behandelaar).',
    appliesTo: ['ontvangstbevestiging'],
    *check(bericht) {
      if (bericht.inhoud.status === 'geaccepteerd' && bericht.inhoud.behandelaar === undefined) yield { path: ['inhoud', 'behandelaar'] };
    },
  }),
];
