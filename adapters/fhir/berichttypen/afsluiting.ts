/**
 * Afsluiting (the responsible party closes the dossier, Z-L 6.1) as FHIR: a completed Task (the focus)
 * on the handover, code afsluiting, whose statusReason is the reason (and the explanation as its text),
 * completed at `afgeslotenOp`. An EpisodeOfCare with status finished would fit the meaning, but R4
 * requires its `patient`, and a closure concerns the household (the dossier), not one person.
 */
import { Afsluiting } from '../../../src/model/levenscyclus.js';
import { compact } from '../resource.js';
import { CS } from '../vocabulary.js';
import { answered, concept } from './codes.js';
import { berichtIdOf, type BerichttypeMapping } from './mapping.js';

/** The codes of the reason, for the published CodeSystem. */
export const AFSLUITREDENEN = Afsluiting.shape.reden.options;

/** The afsluiting mapping. */
export const afsluitingMapping: BerichttypeMapping<'afsluiting'> = {
  type: 'afsluiting',
  focus: 'Task',
  summary: 'The party responsible for zicht op veiligheid closes the dossier (Z-L 6.1).',
  rationale:
    "EpisodeOfCare with status finished would say \"the care episode ended\", but R4 requires EpisodeOfCare.patient and a closure concerns the household (the dossier), not one person. A completed Task on the handover carries the same meaning with a coded statusReason, the same shape as the ontvangstbevestiging Task. No Zicht extension is needed.",
  table: [
    ['inhoud (the closure)', 'Task (MessageHeader.focus[0]), status completed, intent order, code afsluiting (CodeSystem berichttype); for: the household as a logical Group reference (identifier NamingSystem/dossier)'],
    ['inhoud.reden', 'Task.statusReason.coding (CodeSystem afsluitreden)'],
    ['inhoud.toelichting', 'Task.statusReason.text (required with reden anders, LVC-006)'],
    ['inhoud.afgeslotenOp', 'Task.executionPeriod.end'],
    ['inAntwoordOp', 'Task.focus.identifier (urn:uuid:berichtId of the handover whose case is closed)'],
  ],

  toFhir(bericht, { writer, dossierSubject }) {
    const { afgeslotenOp, reden, toelichting } = bericht.inhoud;
    return [
      writer.add('afsluiting', compact({
        resourceType: 'Task',
        status: 'completed',
        statusReason: compact({ ...concept(CS.afsluitreden, reden), text: toelichting }),
        intent: 'order',
        code: concept(CS.berichttype, 'afsluiting'),
        focus: answered(bericht.inAntwoordOp)?.[0],
        for: dossierSubject,
        executionPeriod: { end: afgeslotenOp },
      })),
    ];
  },

  fromFhir([task], { origins }) {
    if (!task) return { inhoud: undefined, inAntwoordOp: undefined };
    origins.note(['inhoud'], task);
    origins.note(['inhoud', 'reden'], task.get('statusReason'));
    origins.note(['inhoud', 'toelichting'], task.get('statusReason'));
    origins.note(['inhoud', 'afgeslotenOp'], task.get('executionPeriod'));
    return {
      inhoud: compact({
        afgeslotenOp: task.get('executionPeriod').value('end'),
        reden: task.get('statusReason').code(CS.afsluitreden),
        toelichting: task.get('statusReason').value('text'),
      }),
      inAntwoordOp: berichtIdOf(task.get('focus'), ['inAntwoordOp'], origins),
    };
  },
};
