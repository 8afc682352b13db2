/**
 * Bericht (message): the envelope every Zicht message travels in, discriminated by `berichtType`.
 * Everything a gateway needs to route and audit a bericht is in the envelope; the sensitive
 * content is in `inhoud`.
 */
import { z } from 'zod';
import { Ontvangstbevestiging } from './ontvangstbevestiging.js';
import { Overdracht } from './overdracht.js';
import { Gemeentecode, Oin, Tijdstip, Uuid } from './primitives.js';
import { VeiligheidsvoorwaardenUpdate } from './veiligheidsvoorwaarden.js';

/** The spec versions this implementation understands. See spec/v1/README.md, "Versioning". */
export const SPEC_VERSIES = ['1.0'] as const;

/** Role of a participant in a bericht exchange. */
export const Deelnemersrol = z
  .enum(['vt', 'gemeente', 'lokaal-team', 'gi'])
  .meta({
    id: 'Deelnemersrol',
    description: 'Role of a participant: vt (Veilig Thuis), gemeente (municipality), lokaal-team (local team), gi (gecertificeerde instelling).',
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

/** Any Zicht bericht. */
export const Bericht = z
  .discriminatedUnion('berichtType', [OverdrachtBericht, VeiligheidsvoorwaardenBericht, OntvangstbevestigingBericht])
  .meta({ id: 'Bericht', description: 'A Zicht bericht (message): envelope and content, discriminated by berichtType.' });

export type Bericht = z.infer<typeof Bericht>;
export type BerichtType = Bericht['berichtType'];
export type OverdrachtBericht = z.infer<typeof OverdrachtBericht>;
export type VeiligheidsvoorwaardenBericht = z.infer<typeof VeiligheidsvoorwaardenBericht>;
export type OntvangstbevestigingBericht = z.infer<typeof OntvangstbevestigingBericht>;
export type Deelnemersrol = z.infer<typeof Deelnemersrol>;
