/**
 * Termijnsignaal (the gateway's signal that a term of the region profile expired) as FHIR: a requested
 * Task (the focus) owned by the participant that must act, on the bericht whose term expired; the term
 * is its reasonCode and the period it had ends at `verlopenOp` (Task.restriction.period: when the task
 * was to be done). The profile, its rule and the monitoring month are Task.input, typed by CodeSystem
 * gegeven. A Task rather than a Communication: the signal asks someone to act, and a vendor's work
 * queue already lists Tasks by owner.
 */
import { TermijnSoort } from '../../../src/model/levenscyclus.js';
import { compact } from '../resource.js';
import { CS, NS } from '../vocabulary.js';
import { answered, concept, gegeven, slot } from './codes.js';
import { berichtIdOf, type BerichttypeMapping } from './mapping.js';

/** The codes of the term, for the published CodeSystem. */
export const TERMIJNEN = TermijnSoort.options;

/** The termijnsignaal mapping. */
export const termijnsignaalMapping: BerichttypeMapping<'termijnsignaal'> = {
  type: 'termijnsignaal',
  focus: 'Task',
  summary: "The gateway's signal that a term of the region profile expired, to the party that must act and the sender.",
  rationale:
    "The signal asks a participant to act, which is a Task (a vendor's work queue lists Tasks by owner), not a Communication. Task.restriction.period is the period in which the task was to be done, so its end is the expired term. The profile, rule and month are inputs of the task, typed by CodeSystem gegeven, rather than extensions. No Zicht extension is needed.",
  table: [
    ['inhoud (the signal)', 'Task (MessageHeader.focus[0]), status requested, intent order, code termijnsignaal (CodeSystem berichttype); for: the household as a logical Group reference (identifier NamingSystem/dossier)'],
    ['inhoud.termijn', 'Task.reasonCode (CodeSystem termijn)'],
    ['inhoud.verlopenOp', 'Task.restriction.period.end'],
    ['inhoud.moetHandelen', 'Task.owner: a logical Organization reference, identifier NamingSystem/oin'],
    ['inhoud.profiel', 'Task.input with type profiel (CodeSystem gegeven), valueString (the profile of spec/v1/profiles/)'],
    ['inhoud.regel', 'Task.input with type regel (CodeSystem gegeven), valueString (e.g. eersteContact.naDienst)'],
    ['inhoud.maand', 'Task.input with type maand (CodeSystem gegeven), valueInteger; only for a monitoring moment'],
    ['inAntwoordOp', 'Task.focus.identifier (urn:uuid:berichtId of the bericht whose term expired)'],
  ],

  toFhir(bericht, { writer, dossierSubject }) {
    const { termijn, verlopenOp, moetHandelen, profiel, regel, maand } = bericht.inhoud;
    return [
      writer.add('termijnsignaal', compact({
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        code: concept(CS.berichttype, 'termijnsignaal'),
        focus: answered(bericht.inAntwoordOp)?.[0],
        for: dossierSubject,
        owner: { type: 'Organization', identifier: { system: NS.oin, value: moetHandelen } },
        reasonCode: concept(CS.termijn, termijn),
        restriction: { period: { end: verlopenOp } },
        input: [
          { type: gegeven('profiel'), valueString: profiel },
          { type: gegeven('regel'), valueString: regel },
          ...(maand === undefined ? [] : [{ type: gegeven('maand'), valueInteger: maand }]),
        ],
      })),
    ];
  },

  fromFhir([task], { origins }) {
    if (!task) return { inhoud: undefined, inAntwoordOp: undefined };
    origins.note(['inhoud'], task);
    const inputs = task.list('input');
    const input = (code: string): unknown => {
      const found = slot(inputs, 'type', code);
      if (found) origins.note(['inhoud', code], found);
      return found?.value(code === 'maand' ? 'valueInteger' : 'valueString');
    };
    origins.note(['inhoud', 'termijn'], task.get('reasonCode'));
    origins.note(['inhoud', 'verlopenOp'], task.get('restriction'));
    const owner = task.get('owner');
    origins.note(['inhoud', 'moetHandelen'], owner);
    return {
      inhoud: compact({
        termijn: task.get('reasonCode').code(CS.termijn),
        verlopenOp: task.get('restriction').get('period').value('end'),
        moetHandelen: owner.get('identifier').value('system') === NS.oin ? owner.get('identifier').value('value') : undefined,
        profiel: input('profiel'),
        regel: input('regel'),
        maand: input('maand'),
      }),
      inAntwoordOp: berichtIdOf(task.get('focus'), ['inAntwoordOp'], origins),
    };
  },
};
