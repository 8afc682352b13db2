/**
 * Contact-gestart (first contact with the household started, Z-L 2f, 2j) as FHIR: an Encounter (the
 * focus) of the receiving party with the household, in progress since `gestartOp`, based on the
 * handover it follows up. An Encounter is what FHIR has for "an interaction with the subject"; a
 * Communication would describe the message, not the contact. The bericht does not say how contact was
 * made, so the required Encounter.class carries data-absent-reason `unknown` rather than a guess.
 */
import { compact } from '../resource.js';
import { DATA_ABSENT_REASON } from '../vocabulary.js';
import { answered, answeredFrom } from './codes.js';
import type { BerichttypeMapping } from './mapping.js';

/** The contact-gestart mapping. */
export const contactGestartMapping: BerichttypeMapping<'contact-gestart'> = {
  type: 'contact-gestart',
  focus: 'Encounter',
  summary: 'The receiving party started contact with the household (Z-L 2f: within 3 weeks of a direct handover; 2j: within 5 werkdagen after a service).',
  rationale:
    "An Encounter is what FHIR has for an interaction with the subject; a Communication would describe the message, not the contact. The bericht does not say how contact was made, so the required Encounter.class carries only data-absent-reason `unknown` instead of an invented mode. basedOn points at the handover because a handover is the referral the contact follows up. No Zicht extension is needed.",
  table: [
    ['inhoud (the contact)', 'Encounter (MessageHeader.focus[0]), status in-progress; subject: the household as a logical Group reference (identifier NamingSystem/dossier)'],
    ['inhoud.gestartOp', 'Encounter.period.start'],
    ['(how contact was made)', 'not in the bericht: Encounter.class has only the extension data-absent-reason = unknown (class is required in R4; no mode is invented)'],
    ['inAntwoordOp', 'Encounter.basedOn[0].identifier (urn:uuid:berichtId of the handover: the referral this contact follows up)'],
  ],

  toFhir(bericht, { writer, dossierSubject }) {
    return [
      writer.add('contact-gestart', compact({
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { extension: [{ url: DATA_ABSENT_REASON, valueCode: 'unknown' }] },
        subject: dossierSubject,
        basedOn: answered(bericht.inAntwoordOp),
        period: { start: bericht.inhoud.gestartOp },
      })),
    ];
  },

  fromFhir([encounter], { origins }) {
    if (!encounter) return { inhoud: undefined, inAntwoordOp: undefined };
    origins.note(['inhoud'], encounter);
    origins.note(['inhoud', 'gestartOp'], encounter.get('period'));
    return {
      inhoud: compact({ gestartOp: encounter.get('period').value('start') }),
      inAntwoordOp: answeredFrom(encounter, 'basedOn', origins),
    };
  },
};
