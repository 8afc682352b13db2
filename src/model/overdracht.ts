/**
 * Overdracht (handover) from Veilig Thuis to a receiving party: a discriminated union of its two
 * moments, each with the content its source section requires.
 */
import { z } from 'zod';
import { Directbetrokkene, Melder, PersoonRef } from './persoon.js';
import { Datum, KorteTekst, Tekst, Tijdstip, VtRegio } from './primitives.js';
import { Veiligheidsvoorwaarden } from './veiligheidsvoorwaarden.js';

/**
 * To whom VT hands over: the lokaal team (local team) of a gemeente, a GI (gecertificeerde
 * instelling) with the gemeente in cc (Z-L Bijlage 3a.1), or another gemeente because a
 * professional of the household's own gemeente is involved (Z-L Bijlage 3a.11).
 */
export const OverdrachtAan = z
  .strictObject({
    soort: z.enum(['lokaal-team', 'gi', 'andere-gemeente']),
    toelichting: Tekst.optional().meta({ description: 'Why the handover goes to another gemeente (required for andere-gemeente, OVD-009).' }),
  })
  .meta({ id: 'OverdrachtAan', description: 'The kind of receiving party of the handover.' });

/** The melding (report) as VT received it. */
export const Melding = z
  .strictObject({
    ontvangenOp: Tijdstip.meta({ description: 'When VT received the melding.' }),
    urgent: z.boolean().meta({ description: 'Whether VT judged the melding urgent (Z-L Bijlage 1).' }),
    samenvatting: Tekst.meta({ description: 'The content of the melding (Z-L 5.1.3, 5.2.4).' }),
  })
  .meta({ id: 'Melding', description: 'The melding (report) the handover concerns.' });

/** Who informs a directbetrokkene about the melding and the handover, and by when (Z-L 5.1.2). */
export const Informeren = z
  .strictObject({
    persoon: PersoonRef,
    door: z.enum(['vt', 'lokaal-team', 'gi']),
    uiterlijkOp: Datum,
  })
  .meta({ id: 'Informeren', description: 'Who informs which directbetrokkene, and by when (Z-L 5.1.2).' });

const gemeenschappelijk = {
  vtRegio: VtRegio,
  overdrachtAan: OverdrachtAan,
  melding: Melding,
  melder: Melder,
  directbetrokkenen: z.array(Directbetrokkene).min(1).max(30),
  toestemming: z
    .array(PersoonRef)
    .max(30)
    .optional()
    .meta({ description: 'The gezaghebbende ouders who consented to the handover; one of two suffices (Z-L Bijlage 3a.5).' }),
};

/** Handover directly after the veiligheidsbeoordeling (Z-L 5.1). */
export const OverdrachtNaVeiligheidsbeoordeling = z
  .strictObject({
    moment: z.literal('na-veiligheidsbeoordeling'),
    ...gemeenschappelijk,
    triage: z
      .strictObject({
        afgerondOp: Tijdstip.meta({ description: 'When VT completed the veiligheidsbeoordeling (Z-L 5.1.1).' }),
        besluit: Tekst.meta({ description: 'The triage decision (triagebesluit).' }),
        onderbouwing: Tekst.meta({ description: 'The reasoning behind the decision (Z-L 5.1.3).' }),
        triagetafel: z.boolean().meta({ description: 'Handed over at the triage table; no separate receipt is then needed (Z-L 2i).' }),
      })
      .meta({ id: 'Triage', description: 'The outcome of the veiligheidsbeoordeling (safety assessment, triage).' }),
    beoordelingsinformatie: Tekst.meta({
      description: 'Information from the assessment, as far as the lokale veld needs it for its task (Z-L 5.1.3).',
    }),
    advies: Tekst.optional().meta({ description: 'Advice on stopping the violence (Z-L 5.1.3).' }),
    informeren: z.array(Informeren).min(1).max(30),
  })
  .meta({ id: 'OverdrachtNaVeiligheidsbeoordeling', description: 'Handover directly after the veiligheidsbeoordeling (Z-L 5.1).' });

/** VT's judgement whether violence or abuse occurred; only after dienst Onderzoek (Z-L 5.2.4). */
export const Oordeel = z
  .strictObject({
    huiselijkGeweld: z.enum(['ja', 'nee', 'niet-vast-te-stellen']),
    kindermishandeling: z.enum(['ja', 'nee', 'niet-vast-te-stellen']),
  })
  .meta({ id: 'Oordeel', description: "VT's judgement whether domestic violence and/or child abuse occurred (only after Onderzoek, Z-L 5.2.4)." });

/** Agreements about VT's monitoring after the handover (Z-L 5.2.6, Bijlage 2). */
export const Monitoring = z
  .strictObject({
    doorVt: z.boolean(),
    momentenInMaanden: z.array(z.int().min(1).max(36)).max(12),
    toelichting: Tekst.optional(),
  })
  .meta({ id: 'Monitoring', description: "Agreements about VT's monitoring of the safety conditions (Z-L 5.2.6, Bijlage 2)." });

/** Handover after dienst Onderzoek or dienst Voorwaarden & vervolg (Z-L 5.2). */
export const OverdrachtNaDienst = z
  .strictObject({
    moment: z.literal('na-dienst'),
    ...gemeenschappelijk,
    dienst: z.enum(['onderzoek', 'voorwaarden-en-vervolg']),
    dienstAfgerondOp: Datum,
    oordeel: Oordeel.optional(),
    veiligheidsvoorwaarden: Veiligheidsvoorwaarden,
    veiligheidsafspraken: Tekst.optional().meta({ description: 'Safety agreements, when made (Z-L 5.2.4).' }),
    veiligheidsplan: Tekst.optional().meta({ description: 'The safety plan, when made (Z-L 5.2.4).' }),
    consequenties: Tekst.meta({ description: 'Consequences if safety is not (sufficiently) restored (Z-L 5.2.3, 5.2.4).' }),
    afsprakenPlan: Tekst.meta({
      description: 'Agreements about drawing up the veiligheids-, hulpverlenings- en herstelplan (Z-L 5.2.3, 5.2.4).',
    }),
    monitoring: Monitoring,
    informeren: z.array(Informeren).max(30).optional(),
    contactpersoonVt: KorteTekst.optional().meta({ description: 'The VT professional the lokale veld can call about the case.' }),
  })
  .meta({ id: 'OverdrachtNaDienst', description: 'Handover after dienst Onderzoek or dienst Voorwaarden & vervolg (Z-L 5.2).' });

/** The content of an `overdracht` bericht. */
export const Overdracht = z
  .discriminatedUnion('moment', [OverdrachtNaVeiligheidsbeoordeling, OverdrachtNaDienst])
  .meta({ id: 'Overdracht', description: 'Handover (overdracht) from Veilig Thuis, at one of its two moments.' });

export type Overdracht = z.infer<typeof Overdracht>;
export type OverdrachtNaVeiligheidsbeoordeling = z.infer<typeof OverdrachtNaVeiligheidsbeoordeling>;
export type OverdrachtNaDienst = z.infer<typeof OverdrachtNaDienst>;
