/**
 * Escalatie (agreements repeatedly not met, Z-L 5.5; FS) as FHIR: a Communication (the focus) to the
 * responsible gemeente about the handover, whose reasonCode is the agreement not met and whose payload
 * is the explanation. A Communication, not a Task: the escalation informs; the answer it asks for
 * within six weeks is its own bericht (escalatie-antwoord, Communication.inResponseTo), and the
 * gateway watches that term (termijnsignaal).
 */
import { Escalatie } from '../../../src/model/levenscyclus.js';
import { compact } from '../resource.js';
import { CS } from '../vocabulary.js';
import { answered, answeredFrom, concept } from './codes.js';
import type { BerichttypeMapping } from './mapping.js';

/** The codes of the agreement, for the published CodeSystem. */
export const AFSPRAKEN = Escalatie.shape.afspraak.options;

/** The escalatie mapping. */
export const escalatieMapping: BerichttypeMapping<'escalatie'> = {
  type: 'escalatie',
  focus: 'Communication',
  summary: 'VT or the lokale veld informs the responsible gemeente that agreements are repeatedly not met; it answers within six weeks (Z-L 5.5; FS).',
  rationale:
    "A Communication informs; the escalation asks for an answer within six weeks, but that answer is its own bericht (escalatie-antwoord, inResponseTo this Communication) and the gateway, not the resource, watches the term (termijnsignaal). So no Task is needed. No Zicht extension is needed.",
  table: [
    ['inhoud (the escalation)', 'Communication (MessageHeader.focus[0]), status completed, category escalatie (CodeSystem berichttype); subject: the household as a logical Group reference (identifier NamingSystem/dossier)'],
    ['inhoud.afspraak', 'Communication.reasonCode[0] (CodeSystem afspraak)'],
    ['inhoud.toelichting', 'Communication.payload[0].contentString'],
    ['inAntwoordOp', 'Communication.about[0].identifier (urn:uuid:berichtId of the handover the agreements belong to)'],
  ],

  toFhir(bericht, { writer, dossierSubject }) {
    const { afspraak, toelichting } = bericht.inhoud;
    return [
      writer.add('escalatie', compact({
        resourceType: 'Communication',
        status: 'completed',
        category: [concept(CS.berichttype, 'escalatie')],
        subject: dossierSubject,
        about: answered(bericht.inAntwoordOp),
        reasonCode: [concept(CS.afspraak, afspraak)],
        payload: [{ contentString: toelichting }],
      })),
    ];
  },

  fromFhir([communication], { origins }) {
    if (!communication) return { inhoud: undefined, inAntwoordOp: undefined };
    origins.note(['inhoud'], communication);
    origins.note(['inhoud', 'afspraak'], communication.first('reasonCode'));
    origins.note(['inhoud', 'toelichting'], communication.first('payload'));
    return {
      inhoud: compact({
        afspraak: communication.first('reasonCode').code(CS.afspraak),
        toelichting: communication.first('payload').value('contentString'),
      }),
      inAntwoordOp: answeredFrom(communication, 'about', origins),
    };
  },
};
