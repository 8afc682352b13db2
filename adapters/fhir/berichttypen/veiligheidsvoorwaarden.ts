/**
 * Veiligheidsvoorwaarden (an update of the safety conditions, spec §4) as FHIR: the new set is a
 * CarePlan (the focus) with a Goal per condition; it `replaces` the bericht it updates and carries
 * the wijzigingsreden as its note. Its subject is the household, by the dossier reference.
 */
import { voorwaardenFromFhir, voorwaardenToFhir } from './voorwaarden.js';
import { berichtIdOf, berichtReference, type BerichttypeMapping } from './mapping.js';

/** The veiligheidsvoorwaarden mapping. */
export const veiligheidsvoorwaardenMapping: BerichttypeMapping<'veiligheidsvoorwaarden'> = {
  type: 'veiligheidsvoorwaarden',
  focus: 'CarePlan',
  summary: 'A new version of the safety conditions of an earlier handover (spec §4).',
  table: [
    ['inhoud (the set)', 'CarePlan (MessageHeader.focus[0]), status active, intent order; subject: the household as a logical Group reference (identifier NamingSystem/dossier)'],
    ['inhoud.versie', 'extension voorwaarden-versie (positiveInt)'],
    ['inhoud.vastgesteldOp', 'CarePlan.created'],
    ['inhoud.voorwaarden[]', 'Goal per voorwaarde, in order, in CarePlan.goal: identifier NamingSystem/voorwaarde = id, description.text = omschrijving, target[0].dueDate = termijn, note[0].text = consequentie, addresses[].display = risicofactoren'],
    ['inhoud.wijzigingsreden', 'CarePlan.note[0].text'],
    ['inAntwoordOp', 'CarePlan.replaces[0].identifier (urn:uuid:berichtId of the bericht it updates)'],
  ],

  toFhir(bericht, { writer, dossierSubject }) {
    const { wijzigingsreden, ...set } = bericht.inhoud;
    return [
      voorwaardenToFhir(set, writer, dossierSubject, {
        ...(bericht.inAntwoordOp === undefined ? {} : { replaces: [berichtReference(bericht.inAntwoordOp)] }),
        note: [{ text: wijzigingsreden }],
      }),
    ];
  },

  fromFhir([plan], { origins }) {
    if (!plan) return { inhoud: undefined, inAntwoordOp: undefined };
    const inhoud = voorwaardenFromFhir(plan, ['inhoud'], origins);
    const note = plan.first('note');
    origins.note(['inhoud', 'wijzigingsreden'], note);
    const reden = note.value('text');
    return {
      inhoud: reden === undefined ? inhoud : { ...inhoud, wijzigingsreden: reden },
      inAntwoordOp: berichtIdOf(plan.list('replaces')[0], ['inAntwoordOp'], origins),
    };
  },
};
