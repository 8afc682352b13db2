/**
 * Ontvangstbevestiging (receipt, spec §5) as FHIR: a Task (the focus) on the handover whose status
 * is the receipt's: received, accepted or rejected, with the reason as statusReason. Who picks the
 * case up is the Task's owner, a CareTeam (team, telephone, e-mail) with the professional as a
 * Practitioner.
 */
import type { Ontvangstbevestiging } from '../../../src/model/ontvangstbevestiging.js';
import { contactToFhir, naamFromFhir, naamToFhir } from '../persons.js';
import { compact } from '../resource.js';
import { CS, NS } from '../vocabulary.js';
import { gegeven, slot } from './codes.js';
import { berichtIdOf, berichtReference, type BerichttypeMapping } from './mapping.js';

const TASK_STATUS = { ontvangen: 'received', geaccepteerd: 'accepted', 'niet-geaccepteerd': 'rejected' } as const satisfies Record<Ontvangstbevestiging['status'], string>;
const STATUS_OF: Readonly<Record<string, Ontvangstbevestiging['status']>> = Object.fromEntries(Object.entries(TASK_STATUS).map(([status, task]) => [task, status as Ontvangstbevestiging['status']]));

/** The ontvangstbevestiging mapping. */
export const ontvangstbevestigingMapping: BerichttypeMapping<'ontvangstbevestiging'> = {
  type: 'ontvangstbevestiging',
  focus: 'Task',
  summary: 'A receipt of a handover: received, accepted, or not accepted because … (spec §5).',
  table: [
    ['inhoud (the receipt)', 'Task (MessageHeader.focus[0]), intent order, code ontvangstbevestiging (CodeSystem berichttype)'],
    ['inhoud.status', 'Task.status: ontvangen = received, geaccepteerd = accepted, niet-geaccepteerd = rejected'],
    ['inhoud.reden', 'Task.statusReason.text'],
    ['inhoud.ontvangenOp', 'Task.executionPeriod.start (the receiving party’s work starts when the handover arrives)'],
    ['inhoud.behandelaar', 'Task.owner → CareTeam: name = team, telecom = telefoon/email, participant[0].member → Practitioner with name = naam'],
    ['inhoud.afstemming.regie', 'Task.input with type regie (CodeSystem gegeven), valueIdentifier (system OIN): the team that leads, as the gemeenten agreed (Z-L 5.2.4)'],
    ['inAntwoordOp', 'Task.focus.identifier (urn:uuid:berichtId of the handover)'],
  ],

  toFhir(bericht, { writer }) {
    const { status, reden, ontvangenOp, behandelaar, afstemming } = bericht.inhoud;
    const practitioner = behandelaar?.naam === undefined ? undefined : writer.add('behandelaar', { resourceType: 'Practitioner', name: [naamToFhir(behandelaar.naam)] });
    const team =
      behandelaar === undefined
        ? undefined
        : writer.add('team', compact({
            resourceType: 'CareTeam',
            name: behandelaar.team,
            participant: practitioner === undefined ? undefined : [{ member: practitioner }],
            telecom: contactToFhir({ ...(behandelaar.telefoon === undefined ? {} : { telefoon: behandelaar.telefoon }), ...(behandelaar.email === undefined ? {} : { email: behandelaar.email }) }),
          }));
    return [
      writer.add('ontvangstbevestiging', compact({
        resourceType: 'Task',
        status: TASK_STATUS[status],
        statusReason: reden === undefined ? undefined : { text: reden },
        intent: 'order',
        code: { coding: [{ system: CS.berichttype, code: 'ontvangstbevestiging' }] },
        focus: bericht.inAntwoordOp === undefined ? undefined : berichtReference(bericht.inAntwoordOp),
        executionPeriod: { start: ontvangenOp },
        owner: team,
        input: afstemming === undefined ? undefined : [{ type: gegeven('regie'), valueIdentifier: { system: NS.oin, value: afstemming.regie } }],
      })),
    ];
  },

  fromFhir([task], { origins }) {
    if (!task) return { inhoud: undefined, inAntwoordOp: undefined };
    origins.note(['inhoud'], task);
    origins.note(['inhoud', 'status'], task.get('status'));
    origins.note(['inhoud', 'reden'], task.get('statusReason'));
    origins.note(['inhoud', 'ontvangenOp'], task.get('executionPeriod'));
    const status = task.value('status');
    const team = task.resolve('owner');
    let behandelaar: Record<string, unknown> | undefined;
    if (team) {
      origins.note(['inhoud', 'behandelaar'], team);
      const practitioner = team.first('participant').resolve('member');
      const telecom = team.list('telecom');
      behandelaar = compact({
        naam: practitioner ? naamFromFhir(practitioner.first('name'), ['inhoud', 'behandelaar', 'naam'], origins) : undefined,
        team: team.value('name'),
        telefoon: telecom.find((t) => t.value('system') === 'phone')?.value('value'),
        email: telecom.find((t) => t.value('system') === 'email')?.value('value'),
      });
    }
    const regie = slot(task.list('input'), 'type', 'regie');
    if (regie) origins.note(['inhoud', 'afstemming'], regie);
    return {
      inhoud: compact({
        status: typeof status === 'string' ? (STATUS_OF[status] ?? status) : status,
        reden: task.get('statusReason').value('text'),
        ontvangenOp: task.get('executionPeriod').value('start'),
        behandelaar,
        afstemming: regie === undefined ? undefined : { regie: regie.get('valueIdentifier').value('system') === NS.oin ? regie.get('valueIdentifier').value('value') : undefined },
      }),
      inAntwoordOp: berichtIdOf(task.get('focus'), ['inAntwoordOp'], origins),
    };
  },
};
