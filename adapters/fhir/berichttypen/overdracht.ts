/**
 * Overdracht (handover, Z-L 5.1, 5.2) as FHIR: the handover is a Communication (the focus) about the
 * melding (a Communication from the melder, a RelatedPerson), VT's assessment (a ClinicalImpression:
 * the triage, or the service with its judgement as findings) and, after a service, the
 * veiligheidsvoorwaarden (CarePlan/Goal). Its subject is the household, a Group of Patients, one per
 * directbetrokkene. Each `informeren` agreement is a Task in MessageHeader.focus after the handover.
 */
import type { Directbetrokkene } from '../../../src/model/persoon.js';
import type { Overdracht, OverdrachtNaDienst } from '../../../src/model/overdracht.js';
import { melderFromFhir, melderToFhir, persoonFromFhir, persoonToFhir, emptyMarker, isMarkedEmpty } from '../persons.js';
import type { Origins } from '../origins.js';
import type { FhirNode } from '../reader.js';
import { compact, nonEmpty, type FhirJson, type FhirReference, type FhirResource } from '../resource.js';
import { CS, NS, extUrl } from '../vocabulary.js';
import { berichtIdOf, berichtReference, type BerichttypeMapping } from './mapping.js';
import { voorwaardenFromFhir, voorwaardenToFhir } from './voorwaarden.js';

/** The free texts of a handover that travel as Communication.payload, each marked with its tekstsoort. */
export const TEKSTSOORTEN = ['advies', 'veiligheidsafspraken', 'veiligheidsplan', 'consequenties', 'afsprakenPlan', 'contactpersoonVt'] as const;
type Tekstsoort = (typeof TEKSTSOORTEN)[number];
const isTekstsoort = (code: unknown): code is Tekstsoort => TEKSTSOORTEN.includes(code as Tekstsoort);

/** melding.urgent as Communication.priority: urgent or routine (any other value is left for the validator). */
const urgentOf = (priority: unknown): unknown => (priority === 'urgent' ? true : priority === 'routine' ? false : priority);

function meldingFromFhir(melding: FhirNode, origins: Origins): Record<string, unknown> {
  origins.note(['inhoud', 'melding'], melding);
  return compact({
    ontvangenOp: melding.value('received'),
    urgent: urgentOf(melding.value('priority')),
    samenvatting: melding.first('payload').value('contentString'),
  });
}

function beoordelingToFhir(inhoud: Overdracht, subject: FhirReference): FhirResource {
  if (inhoud.moment === 'na-veiligheidsbeoordeling') {
    return {
      resourceType: 'ClinicalImpression',
      extension: [{ url: extUrl('triagetafel'), valueBoolean: inhoud.triage.triagetafel }],
      status: 'completed',
      code: { coding: [{ system: CS.beoordeling, code: 'veiligheidsbeoordeling' }] },
      subject,
      date: inhoud.triage.afgerondOp,
      description: inhoud.triage.onderbouwing,
      summary: inhoud.triage.besluit,
      note: [{ text: inhoud.beoordelingsinformatie }],
    };
  }
  return compact({
    resourceType: 'ClinicalImpression',
    status: 'completed',
    code: { coding: [{ system: CS.beoordeling, code: inhoud.dienst }] },
    subject,
    date: inhoud.dienstAfgerondOp,
    finding:
      inhoud.oordeel === undefined
        ? undefined
        : [
            { itemCodeableConcept: { coding: [{ system: CS.oordeelHuiselijkGeweld, code: inhoud.oordeel.huiselijkGeweld }] } },
            { itemCodeableConcept: { coding: [{ system: CS.oordeelKindermishandeling, code: inhoud.oordeel.kindermishandeling }] } },
          ],
  });
}

function monitoringToFhir(monitoring: OverdrachtNaDienst['monitoring']): FhirJson {
  return {
    url: extUrl('monitoring'),
    extension: [
      { url: 'doorVt', valueBoolean: monitoring.doorVt },
      ...monitoring.momentenInMaanden.map((m) => ({ url: 'momentInMaanden', valuePositiveInt: m })),
      ...(monitoring.toelichting === undefined ? [] : [{ url: 'toelichting', valueString: monitoring.toelichting }]),
    ],
  };
}

const persoonRef = (id: string): FhirJson => ({ type: 'Patient', identifier: { system: NS.persoon, value: id } });

/** The overdracht mapping. */
export const overdrachtMapping: BerichttypeMapping<'overdracht'> = {
  type: 'overdracht',
  focus: 'Communication',
  summary: 'A handover from Veilig Thuis to a lokaal team, GI or another gemeente (spec §3).',
  table: [
    ['inhoud (the handover)', 'Communication (MessageHeader.focus[0]), status completed'],
    ['inhoud.moment', 'Communication.category[0] (CodeSystem overdrachtmoment)'],
    ['inhoud.vtRegio', 'Communication.sender: logical Organization reference, identifier system NamingSystem/vt-regio'],
    ['inhoud.overdrachtAan.soort / .toelichting', 'Communication.topic coding (CodeSystem overdracht-aan) / topic.text'],
    ['inhoud.melding', 'Communication in Communication.about: received = ontvangenOp, priority urgent|routine = urgent, payload[0].contentString = samenvatting'],
    ['inhoud.melder', 'RelatedPerson, the melding’s sender: relationship (CodeSystem melderrelatie), name, telecom; extensions anoniem, contact-nodig'],
    ['inhoud.directbetrokkenen[]', 'Patient per person, in order as the members of the household Group (Communication.subject); identifier NamingSystem/persoon = id, NamingSystem bsn = bsn; extension betrokkenenrol per role; name, birthDate, address, telecom'],
    ['inhoud.toestemming[]', 'extension toestemming (Identifier, NamingSystem/persoon) on the Communication'],
    ['inhoud.informeren[]', 'Task per agreement in MessageHeader.focus[1..]: code informeren, for = the person (logical), performerType = door, restriction.period.end = uiterlijkOp'],
    ['inhoud.triage (na-veiligheidsbeoordeling)', 'ClinicalImpression in Communication.about, code veiligheidsbeoordeling: date = afgerondOp, summary = besluit, description = onderbouwing, extension triagetafel'],
    ['inhoud.beoordelingsinformatie', 'ClinicalImpression.note[0].text'],
    ['inhoud.dienst / .dienstAfgerondOp (na-dienst)', 'ClinicalImpression in Communication.about: code (CodeSystem beoordeling) / date'],
    ['inhoud.oordeel', 'ClinicalImpression.finding[].itemCodeableConcept (CodeSystems oordeel-huiselijk-geweld, oordeel-kindermishandeling)'],
    ['inhoud.veiligheidsvoorwaarden', 'CarePlan in Communication.about with a Goal per voorwaarde (see veiligheidsvoorwaarden)'],
    ['inhoud.advies, veiligheidsafspraken, veiligheidsplan, consequenties, afsprakenPlan, contactpersoonVt', 'Communication.payload[].contentString, extension tekstsoort = the member name'],
    ['inhoud.monitoring', 'extension monitoring (doorVt, momentInMaanden*, toelichting) on the Communication'],
    ['inAntwoordOp', 'Communication.inResponseTo[0].identifier (urn:uuid:berichtId)'],
  ],

  toFhir(bericht, { writer }) {
    const inhoud = bericht.inhoud;
    const patients = inhoud.directbetrokkenen.map((p: Directbetrokkene, i) => writer.add(`persoon/${String(i)}`, persoonToFhir(p)));
    const household = writer.add('huishouden', {
      resourceType: 'Group',
      identifier: [{ system: NS.dossier, value: bericht.dossier.referentie }],
      type: 'person',
      actual: true,
      member: patients.map((entity) => ({ entity })),
    });
    const melder = writer.add('melder', melderToFhir(inhoud.melder, patients[0]));
    const melding = writer.add('melding', {
      resourceType: 'Communication',
      status: 'completed',
      subject: household,
      priority: inhoud.melding.urgent ? 'urgent' : 'routine',
      received: inhoud.melding.ontvangenOp,
      sender: melder,
      payload: [{ contentString: inhoud.melding.samenvatting }],
    });
    const beoordeling = writer.add('beoordeling', beoordelingToFhir(inhoud, household));
    const plan = inhoud.moment === 'na-dienst' ? voorwaardenToFhir(inhoud.veiligheidsvoorwaarden, writer, household) : undefined;
    const texts: Partial<Record<Tekstsoort, string>> = inhoud;
    const handover = writer.add('overdracht', compact({
      resourceType: 'Communication',
      extension: nonEmpty([
        ...(inhoud.toestemming ?? []).map((id) => ({ url: extUrl('toestemming'), valueIdentifier: { system: NS.persoon, value: id } })),
        ...(inhoud.moment === 'na-dienst' ? [monitoringToFhir(inhoud.monitoring)] : []),
        ...emptyMarker([...(inhoud.toestemming?.length === 0 ? ['toestemming'] : []), ...(inhoud.informeren?.length === 0 ? ['informeren'] : [])]),
      ]),
      inResponseTo: bericht.inAntwoordOp === undefined ? undefined : [berichtReference(bericht.inAntwoordOp)],
      status: 'completed',
      category: [{ coding: [{ system: CS.overdrachtmoment, code: inhoud.moment }] }],
      subject: household,
      topic: compact({ coding: [{ system: CS.overdrachtAan, code: inhoud.overdrachtAan.soort }], text: inhoud.overdrachtAan.toelichting }),
      about: [melding, beoordeling, ...(plan ? [plan] : [])],
      sender: { type: 'Organization', identifier: { system: NS.vtRegio, value: inhoud.vtRegio } },
      payload: nonEmpty(TEKSTSOORTEN.flatMap((soort) => {
        const text = texts[soort];
        return text === undefined ? [] : [{ extension: [{ url: extUrl('tekstsoort'), valueCode: soort }], contentString: text }];
      })),
    }));
    const tasks = (inhoud.informeren ?? []).map((informeren, i) =>
      writer.add(`informeren/${String(i)}`, {
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        code: { coding: [{ system: CS.taak, code: 'informeren' }] },
        focus: handover,
        for: persoonRef(informeren.persoon),
        performerType: [{ coding: [{ system: CS.deelnemersrol, code: informeren.door }] }],
        restriction: { period: { end: informeren.uiterlijkOp } },
      }),
    );
    return [handover, ...tasks];
  },

  fromFhir([handover, ...tasks], { origins }) {
    if (!handover) return { inhoud: undefined, inAntwoordOp: undefined };
    origins.note(['inhoud'], handover);
    const about = handover.list('about').map((reference) => reference.resolve()).filter((r): r is FhirNode => r !== undefined);
    const ofType = (type: string) => about.find((r) => r.value('resourceType') === type);
    const melding = ofType('Communication');
    const beoordeling = ofType('ClinicalImpression');
    const plan = ofType('CarePlan');
    const household = handover.resolve('subject');
    const moment = handover.first('category').code(CS.overdrachtmoment);
    origins.note(['inhoud', 'moment'], handover.first('category'));

    const directbetrokkenen = (household?.list('member') ?? []).map((member, i) => {
      const patient = member.resolve('entity');
      return patient ? persoonFromFhir(patient, ['inhoud', 'directbetrokkenen', i], origins) : {};
    });
    if (household) origins.note(['inhoud', 'directbetrokkenen'], household);
    const melderNode = melding?.resolve('sender');
    const informeren = tasks
      .filter((t) => t.get('code').code(CS.taak) === 'informeren')
      .map((task, i) => {
        origins.note(['inhoud', 'informeren', i], task);
        return compact({
          persoon: task.get('for').get('identifier').value('value'),
          door: task.first('performerType').code(CS.deelnemersrol),
          uiterlijkOp: task.get('restriction').get('period').value('end'),
        });
      });
    const toestemming = handover.extensions(extUrl('toestemming')).map((e, i) => {
      origins.note(['inhoud', 'toestemming', i], e);
      return e.get('valueIdentifier').value('value');
    });
    const texts: Record<string, unknown> = {};
    for (const [i, payload] of handover.list('payload').entries()) {
      const soort = payload.extensionValue(extUrl('tekstsoort'), 'valueCode');
      if (!isTekstsoort(soort)) {
        handover.index?.issues.push({ rule: 'FHIR-005', severity: 'error', expression: `${payload.path}.extension`, message: 'A code that selects a member of the bericht is not in its Zicht code system.' });
        continue;
      }
      origins.note(['inhoud', soort], `${handover.path}.payload[${String(i)}]`);
      texts[soort] = payload.value('contentString');
    }
    const topic = handover.get('topic');
    origins.note(['inhoud', 'overdrachtAan'], topic);
    const common = {
      moment,
      vtRegio: handover.get('sender').get('identifier').value('value'),
      overdrachtAan: compact({ soort: topic.code(CS.overdrachtAan), toelichting: topic.value('text') }),
      melding: melding ? meldingFromFhir(melding, origins) : undefined,
      melder: melderNode ? melderFromFhir(melderNode, ['inhoud', 'melder'], origins) : undefined,
      directbetrokkenen,
      toestemming: toestemming.length > 0 ? toestemming : isMarkedEmpty(handover, 'toestemming') ? [] : undefined,
      informeren: informeren.length > 0 ? informeren : isMarkedEmpty(handover, 'informeren') ? [] : undefined,
      ...texts,
    };
    if (beoordeling) origins.note(['inhoud', moment === 'na-dienst' ? 'dienst' : 'triage'], beoordeling);
    let specific: Record<string, unknown> = {};
    if (moment === 'na-veiligheidsbeoordeling') {
      specific = {
        triage: beoordeling
          ? compact({
              afgerondOp: beoordeling.value('date'),
              besluit: beoordeling.value('summary'),
              onderbouwing: beoordeling.value('description'),
              triagetafel: beoordeling.extensionValue(extUrl('triagetafel'), 'valueBoolean'),
            })
          : undefined,
        beoordelingsinformatie: beoordeling?.first('note').value('text'),
      };
    } else if (moment === 'na-dienst') {
      const findings = beoordeling?.list('finding').map((f) => f.get('itemCodeableConcept')) ?? [];
      const hg = findings.map((f) => f.code(CS.oordeelHuiselijkGeweld)).find((c) => c !== undefined);
      const km = findings.map((f) => f.code(CS.oordeelKindermishandeling)).find((c) => c !== undefined);
      const monitoring = handover.extensions(extUrl('monitoring'))[0];
      if (monitoring) origins.note(['inhoud', 'monitoring'], monitoring);
      specific = {
        dienst: beoordeling?.get('code').code(CS.beoordeling),
        dienstAfgerondOp: beoordeling?.value('date'),
        oordeel: findings.length > 0 ? compact({ huiselijkGeweld: hg, kindermishandeling: km }) : undefined,
        veiligheidsvoorwaarden: plan ? voorwaardenFromFhir(plan, ['inhoud', 'veiligheidsvoorwaarden'], origins) : undefined,
        monitoring: monitoring
          ? compact({
              doorVt: monitoring.extensionValue('doorVt', 'valueBoolean'),
              momentenInMaanden: monitoring.extensions('momentInMaanden').map((m) => m.value('valuePositiveInt')),
              toelichting: monitoring.extensionValue('toelichting', 'valueString'),
            })
          : undefined,
      };
    }
    return {
      inhoud: compact({ ...common, ...specific }),
      inAntwoordOp: berichtIdOf(handover.list('inResponseTo')[0], ['inAntwoordOp'], origins),
    };
  },
};
