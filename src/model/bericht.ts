/**
 * Bericht (message): the envelope every Zicht message travels in, discriminated by `berichtType`.
 * Everything a gateway needs to route and audit a bericht is in the envelope; the sensitive
 * content is in `inhoud`.
 */
import { z } from 'zod';
import { Afsluiting, ContactGestart, Escalatie, EscalatieAntwoord, MonitoringVerslag, Termijnsignaal } from './levenscyclus.js';
import { Ontvangstbevestiging } from './ontvangstbevestiging.js';
import { Overdracht } from './overdracht.js';
import { Gemeentecode, Oin, Tijdstip, Uuid } from './primitives.js';
import { VeiligheidsvoorwaardenUpdate } from './veiligheidsvoorwaarden.js';

/** The spec versions this implementation understands. See spec/v1/README.md, "Versioning". */
export const SPEC_VERSIES = ['1.0'] as const;

/** Role of a participant in a bericht exchange. */
export const Deelnemersrol = z
  .enum(['vt', 'gemeente', 'lokaal-team', 'gi', 'gateway'])
  .meta({
    id: 'Deelnemersrol',
    description: 'Role of a participant: vt (Veilig Thuis), gemeente (municipality), lokaal-team (local team), gi (gecertificeerde instelling), gateway (sends termijnsignalen only).',
  });

/** The sender of a bericht. */
export const Verzender = z
  .strictObject({ oin: Oin, rol: Deelnemersrol })
  .meta({ id: 'Verzender', description: 'The participant that sends the bericht.' });

/** A receiver of a bericht; `kopie` marks a receiver in cc (e.g. the gemeente when VT hands over to a GI). */
export const Ontvanger = z
  .strictObject({
    oin: Oin,
    rol: Deelnemersrol,
    gemeentecode: Gemeentecode.optional().meta({ description: 'The gemeente this receiver acts for (gemeente and lokaal-team).' }),
    kopie: z.boolean().optional().meta({ description: 'Receives the bericht in cc (Z-L Bijlage 3a.1).' }),
  })
  .meta({ id: 'Ontvanger', description: 'A participant that receives the bericht.' });

/** The dossier a bericht belongs to: a pseudonymous VT case reference, never a BSN (BER-009). */
export const Dossier = z
  .strictObject({
    referentie: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/)
      .meta({ description: 'Pseudonymous case reference assigned by VT; never a BSN (BER-009).', examples: ['VTZL-2026-004711'] }),
    volgnummer: z.int().min(1).max(2_147_483_647).meta({ description: "The sender's sequence number within the dossier (BER-011)." }),
  })
  .meta({ id: 'Dossier', description: 'The dossier (case) the bericht belongs to.' });

/** One JWS signature over the canonical bericht (RFC 7515 general JSON serialisation, detached payload). */
export const Handtekening = z
  .strictObject({
    protected: z.string().regex(/^[A-Za-z0-9_-]+$/).max(4096),
    signature: z.string().regex(/^[A-Za-z0-9_-]+$/).max(1024),
  })
  .meta({ id: 'Handtekening', description: 'A detached JWS signature (RFC 7515 §7.2.1, Appendix F) over the canonical bericht.' });

const envelop = {
  specVersie: z.enum(SPEC_VERSIES).meta({ description: 'The version of this standard the bericht follows.' }),
  berichtId: Uuid.meta({ description: 'Unique id of this bericht, chosen by the sender.' }),
  verzender: Verzender,
  ontvangers: z.array(Ontvanger).min(1).max(10),
  verzondenOp: Tijdstip.meta({ description: 'When the sender sent the bericht.' }),
  dossier: Dossier,
  inAntwoordOp: Uuid.optional().meta({ description: 'The berichtId of the bericht this one answers or updates.' }),
  signatures: z.array(Handtekening).min(1).max(4).optional().meta({ description: "The sender's signature and the gateway's countersignature." }),
};

/** A bericht carrying an overdracht (handover). */
export const OverdrachtBericht = z
  .strictObject({ ...envelop, berichtType: z.literal('overdracht'), inhoud: Overdracht })
  .meta({ id: 'OverdrachtBericht', description: 'A bericht carrying a handover (overdracht).' });

/** A bericht carrying an update of the veiligheidsvoorwaarden of an earlier handover. */
export const VeiligheidsvoorwaardenBericht = z
  .strictObject({ ...envelop, berichtType: z.literal('veiligheidsvoorwaarden'), inhoud: VeiligheidsvoorwaardenUpdate })
  .meta({ id: 'VeiligheidsvoorwaardenBericht', description: 'A bericht carrying updated safety conditions (veiligheidsvoorwaarden).' });

/** A bericht carrying an ontvangstbevestiging (receipt). */
export const OntvangstbevestigingBericht = z
  .strictObject({ ...envelop, berichtType: z.literal('ontvangstbevestiging'), inhoud: Ontvangstbevestiging })
  .meta({ id: 'OntvangstbevestigingBericht', description: 'A bericht carrying a receipt acknowledgement (ontvangstbevestiging).' });

/** A bericht reporting that first contact with the household started (Z-L 2f, 2j). */
export const ContactGestartBericht = z
  .strictObject({ ...envelop, berichtType: z.literal('contact-gestart'), inhoud: ContactGestart })
  .meta({ id: 'ContactGestartBericht', description: 'A bericht reporting that first contact with the household started (contact-gestart).' });

/** A bericht reporting one of VT's monitoring moments (Z-L 5.2.6). */
export const MonitoringBericht = z
  .strictObject({ ...envelop, berichtType: z.literal('monitoring'), inhoud: MonitoringVerslag })
  .meta({ id: 'MonitoringBericht', description: "A bericht reporting one of VT's monitoring moments (monitoring)." });

/** A bericht closing the dossier (Z-L 6.1). */
export const AfsluitingBericht = z
  .strictObject({ ...envelop, berichtType: z.literal('afsluiting'), inhoud: Afsluiting })
  .meta({ id: 'AfsluitingBericht', description: 'A bericht closing the dossier (afsluiting).' });

/** A bericht escalating to the responsible gemeente (Z-L 5.5). */
export const EscalatieBericht = z
  .strictObject({ ...envelop, berichtType: z.literal('escalatie'), inhoud: Escalatie })
  .meta({ id: 'EscalatieBericht', description: 'A bericht escalating to the responsible gemeente (escalatie).' });

/** The gemeente's answer to an escalation (Z-L 5.5). */
export const EscalatieAntwoordBericht = z
  .strictObject({ ...envelop, berichtType: z.literal('escalatie-antwoord'), inhoud: EscalatieAntwoord })
  .meta({ id: 'EscalatieAntwoordBericht', description: "A bericht carrying the gemeente's answer to an escalation (escalatie-antwoord)." });

/** The gateway's signal that a term expired. */
export const TermijnsignaalBericht = z
  .strictObject({ ...envelop, berichtType: z.literal('termijnsignaal'), inhoud: Termijnsignaal })
  .meta({ id: 'TermijnsignaalBericht', description: "The gateway's signed signal that a term expired (termijnsignaal)." });

/** Any Zicht bericht. */
export const Bericht = z
  .discriminatedUnion('berichtType', [
    OverdrachtBericht,
    VeiligheidsvoorwaardenBericht,
    OntvangstbevestigingBericht,
    ContactGestartBericht,
    MonitoringBericht,
    AfsluitingBericht,
    EscalatieBericht,
    EscalatieAntwoordBericht,
    TermijnsignaalBericht,
  ])
  .meta({ id: 'Bericht', description: 'A Zicht bericht (message): envelope and content, discriminated by berichtType.' });

export type Bericht = z.infer<typeof Bericht>;
export type BerichtType = Bericht['berichtType'];
export type OverdrachtBericht = z.infer<typeof OverdrachtBericht>;
export type VeiligheidsvoorwaardenBericht = z.infer<typeof VeiligheidsvoorwaardenBericht>;
export type OntvangstbevestigingBericht = z.infer<typeof OntvangstbevestigingBericht>;
export type TermijnsignaalBericht = z.infer<typeof TermijnsignaalBericht>;

/** Every bericht type, in the order of the union. */
export const BERICHT_TYPES = [
  'overdracht',
  'veiligheidsvoorwaarden',
  'ontvangstbevestiging',
  'contact-gestart',
  'monitoring',
  'afsluiting',
  'escalatie',
  'escalatie-antwoord',
  'termijnsignaal',
] as const satisfies readonly BerichtType[];
/** Compile-time check that {@link BERICHT_TYPES} lists every type of the union: `true` only then. */
export const BERICHT_TYPES_COMPLETE: Exclude<BerichtType, (typeof BERICHT_TYPES)[number]> extends never ? true : never = true;
export type Deelnemersrol = z.infer<typeof Deelnemersrol>;
