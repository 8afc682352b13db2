/**
 * The small berichten of a dossier's lifecycle after the handover: first contact started (Z-L 2f, 2j),
 * a monitoring moment done (Z-L 5.2.6, Bijlage 2), an escalation and its answer (Z-L 5.5; FS), the
 * closure (Z-L 6.1) and the gateway's signal that a term expired. They carry times and codes: what the
 * ledger needs to say who is responsible for zicht op veiligheid, and little else.
 */
import { z } from 'zod';
import { Oin, Tekst, Tijdstip } from './primitives.js';

/** The content of a `contact-gestart` bericht: the receiving party started contact with the household. */
export const ContactGestart = z
  .strictObject({
    gestartOp: Tijdstip.meta({ description: 'When the receiving party started contact with the household (Z-L 2f, 2j).' }),
  })
  .meta({ id: 'ContactGestart', description: 'First contact with the household started (Z-L 2f: within 3 weeks of a direct handover; 2j: within 5 werkdagen after a service).' });

/** The content of a `monitoring` bericht: VT did one of its monitoring moments. */
export const MonitoringVerslag = z
  .strictObject({
    maand: z.int().min(1).max(36).meta({ description: 'The monitoring moment, in months after the handover (Z-L 5.2.6: at least 3 and 12).' }),
    uitgevoerdOp: Tijdstip.meta({ description: 'When VT did the monitoring.' }),
    uitkomst: z
      .enum(['voorwaarden-nageleefd', 'voorwaarden-niet-nageleefd', 'stabiel-veilig'])
      .meta({ description: 'Whether the veiligheidsvoorwaarden are met, or safety is stable (Z-L Bijlage 2).' }),
  })
  .meta({ id: 'MonitoringVerslag', description: "VT's monitoring moment done (Z-L 5.2.6, Bijlage 2)." });

/** The content of an `afsluiting` bericht: the responsible party closes the dossier. */
export const Afsluiting = z
  .strictObject({
    afgeslotenOp: Tijdstip.meta({ description: 'When the responsible party closed the case.' }),
    reden: z.enum(['stabiel-veilig', 'geen-vervolg-nodig', 'anders']).meta({ description: 'stabiel-veilig: six months without incidents, risk factors handled, recovery started (Z-L 6.1).' }),
    toelichting: Tekst.optional().meta({ description: 'Required with reden anders (LVC-006).' }),
  })
  .meta({ id: 'Afsluiting', description: 'The closure of the dossier by the party responsible for zicht op veiligheid (Z-L 6.1).' });

/** The content of an `escalatie` bericht: VT or the lokale veld informs the responsible gemeente. */
export const Escalatie = z
  .strictObject({
    afspraak: z
      .enum(['ontvangstbevestiging', 'eerste-contact', 'monitoring', 'veiligheidsvoorwaarden', 'anders'])
      .meta({ description: 'Which agreement is repeatedly not met.' }),
    toelichting: Tekst,
  })
  .meta({ id: 'Escalatie', description: 'Escalation to the responsible gemeente when agreements are repeatedly not met (Z-L 5.5; FS). It answers within six weeks.' });

/** The content of an `escalatie-antwoord` bericht: the gemeente's steps. */
export const EscalatieAntwoord = z
  .strictObject({ stappen: Tekst.meta({ description: 'The steps the gemeente takes (Z-L 5.5).' }) })
  .meta({ id: 'EscalatieAntwoord', description: "The responsible gemeente's answer to an escalation (Z-L 5.5)." });

/** The terms the gateway watches. */
export const TermijnSoort = z
  .enum(['ontvangstbevestiging', 'eerste-contact', 'monitoring', 'escalatie-antwoord'])
  .meta({ id: 'TermijnSoort', description: 'A term the gateway watches: the receipt, first contact, a monitoring moment, the answer to an escalation.' });

/** The content of a `termijnsignaal` bericht: the gateway reports that a term expired. */
export const Termijnsignaal = z
  .strictObject({
    termijn: TermijnSoort,
    verlopenOp: Tijdstip.meta({ description: 'When the term expired.' }),
    moetHandelen: Oin.meta({ description: 'The participant that must act.' }),
    profiel: z.string().regex(/^[a-z]+(?:-[a-z]+)*$/).max(40).meta({ description: 'The region profile the term comes from (spec/v1/profiles/).' }),
    regel: z.string().regex(/^[A-Za-z.]+$/).max(80).meta({ description: 'The rule of the profile, e.g. eersteContact.naDienst.' }),
    maand: z.int().min(1).max(36).optional().meta({ description: 'For a monitoring moment: which one.' }),
  })
  .meta({ id: 'Termijnsignaal', description: "The gateway's signal that a term of the region profile expired, to the party that must act and the sender." });

export type ContactGestart = z.infer<typeof ContactGestart>;
export type MonitoringVerslag = z.infer<typeof MonitoringVerslag>;
export type Afsluiting = z.infer<typeof Afsluiting>;
export type Escalatie = z.infer<typeof Escalatie>;
export type EscalatieAntwoord = z.infer<typeof EscalatieAntwoord>;
export type TermijnSoort = z.infer<typeof TermijnSoort>;
export type Termijnsignaal = z.infer<typeof Termijnsignaal>;
