/**
 * Escalatie-antwoord (the gemeente's answer to an escalation, Z-L 5.5) as FHIR: a Communication (the
 * focus) in response to the escalation's Communication, whose payload is the steps the gemeente takes.
 */
import { compact } from '../resource.js';
import { CS } from '../vocabulary.js';
import { answered, answeredFrom, concept } from './codes.js';
import type { BerichttypeMapping } from './mapping.js';

/** The escalatie-antwoord mapping. */
export const escalatieAntwoordMapping: BerichttypeMapping<'escalatie-antwoord'> = {
  type: 'escalatie-antwoord',
  focus: 'Communication',
  summary: "The responsible gemeente's answer to an escalation: the steps it takes (Z-L 5.5).",
  rationale:
    "Communication.inResponseTo is FHIR's own link from an answer to the Communication it answers (here the escalatie). No Zicht extension is needed.",
  table: [
    ['inhoud (the answer)', 'Communication (MessageHeader.focus[0]), status completed, category escalatie-antwoord (CodeSystem berichttype); subject: the household as a logical Group reference (identifier NamingSystem/dossier)'],
    ['inhoud.stappen', 'Communication.payload[0].contentString'],
    ['inAntwoordOp', 'Communication.inResponseTo[0].identifier (urn:uuid:berichtId of the escalatie)'],
  ],

  toFhir(bericht, { writer, dossierSubject }) {
    return [
      writer.add('escalatie-antwoord', compact({
        resourceType: 'Communication',
        status: 'completed',
        category: [concept(CS.berichttype, 'escalatie-antwoord')],
        subject: dossierSubject,
        inResponseTo: answered(bericht.inAntwoordOp),
        payload: [{ contentString: bericht.inhoud.stappen }],
      })),
    ];
  },

  fromFhir([communication], { origins }) {
    if (!communication) return { inhoud: undefined, inAntwoordOp: undefined };
    origins.note(['inhoud'], communication);
    origins.note(['inhoud', 'stappen'], communication.first('payload'));
    return {
      inhoud: compact({ stappen: communication.first('payload').value('contentString') }),
      inAntwoordOp: answeredFrom(communication, 'inResponseTo', origins),
    };
  },
};
