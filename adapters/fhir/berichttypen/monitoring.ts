/**
 * Monitoring (VT's monitoring moment done, Z-L 5.2.6, Bijlage 2) as FHIR: an Observation (the focus)
 * of the household whose value is the outcome (conditions met, not met, stable and safe), effective
 * when VT did it, with the moment in months after the handover as a component. Its `focus` is the
 * handover being monitored. Observation is FHIR's resource for "a finding about the subject at a time";
 * a Procedure would describe the act of monitoring, not what it found.
 */
import { MonitoringVerslag } from '../../../src/model/levenscyclus.js';
import { compact } from '../resource.js';
import { CS } from '../vocabulary.js';
import { answered, answeredFrom, concept, gegeven, slot } from './codes.js';
import type { BerichttypeMapping } from './mapping.js';

/** The codes of the outcome, for the published CodeSystem. */
export const MONITORING_UITKOMSTEN = MonitoringVerslag.shape.uitkomst.options;

/** The monitoring mapping. */
export const monitoringMapping: BerichttypeMapping<'monitoring'> = {
  type: 'monitoring',
  focus: 'Observation',
  summary: "VT's monitoring moment done, with its outcome (Z-L 5.2.6, Bijlage 2).",
  rationale:
    "Observation is FHIR's resource for a finding about the subject at a time, which is what a monitoring moment reports; a Procedure would describe the act of monitoring, not its outcome. The month is a component (a typed value of the same finding), the monitored handover is Observation.focus. No Zicht extension is needed.",
  table: [
    ['inhoud (the moment)', 'Observation (MessageHeader.focus[0]), status final, code monitoring (CodeSystem berichttype); subject: the household as a logical Group reference (identifier NamingSystem/dossier)'],
    ['inhoud.uitkomst', 'Observation.valueCodeableConcept (CodeSystem monitoringuitkomst)'],
    ['inhoud.uitgevoerdOp', 'Observation.effectiveDateTime'],
    ['inhoud.maand', 'Observation.component with code maand (CodeSystem gegeven), valueInteger (months after the handover)'],
    ['inAntwoordOp', 'Observation.focus[0].identifier (urn:uuid:berichtId of the handover being monitored)'],
  ],

  toFhir(bericht, { writer, dossierSubject }) {
    const { maand, uitgevoerdOp, uitkomst } = bericht.inhoud;
    return [
      writer.add('monitoring', compact({
        resourceType: 'Observation',
        status: 'final',
        code: concept(CS.berichttype, 'monitoring'),
        subject: dossierSubject,
        focus: answered(bericht.inAntwoordOp),
        effectiveDateTime: uitgevoerdOp,
        valueCodeableConcept: concept(CS.monitoringuitkomst, uitkomst),
        component: [{ code: gegeven('maand'), valueInteger: maand }],
      })),
    ];
  },

  fromFhir([observation], { origins }) {
    if (!observation) return { inhoud: undefined, inAntwoordOp: undefined };
    origins.note(['inhoud'], observation);
    const moment = slot(observation.list('component'), 'code', 'maand');
    if (moment) origins.note(['inhoud', 'maand'], moment);
    origins.note(['inhoud', 'uitgevoerdOp'], observation.get('effectiveDateTime'));
    origins.note(['inhoud', 'uitkomst'], observation.get('valueCodeableConcept'));
    return {
      inhoud: compact({
        maand: moment?.value('valueInteger'),
        uitgevoerdOp: observation.value('effectiveDateTime'),
        uitkomst: observation.get('valueCodeableConcept').code(CS.monitoringuitkomst),
      }),
      inAntwoordOp: answeredFrom(observation, 'focus', origins),
    };
  },
};
