/**
 * Profiel (region profile): the agreements between one Veilig Thuis and its gemeenten about who is
 * responsible for zicht op veiligheid (oversight of the household's safety) and by when things must
 * happen, as data. Every rule names its source section and quotes it, so that a reader of the ledger
 * sees why a party is responsible. A new region is a new file in spec/v1/profiles/, not new code.
 */
import { z } from 'zod';

/** The documents a profile rule can cite (the seeds, see spec/v1/README.md "Sources"; `Zicht` for a default of this standard). */
export const BronDocument = z.enum(['Z-L', 'W-B', 'FS', 'EIND', 'VNG', 'Zicht']);

/** The source of one profile rule: document, section and the quoted text. */
export const Bron = z
  .strictObject({
    document: BronDocument,
    sectie: z.string().min(1).max(120),
    citaat: z.string().min(1).max(1000).meta({ description: 'The source text the rule encodes, quoted exactly (Dutch); `[...]` marks an omission.' }),
    standaard: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: 'Where the quoted source is silent on what the field does: what it does not say, and the default this profile uses with that default\'s source. Absent when the quote says it all.' }),
  })
  .meta({ id: 'Bron', description: 'The source of a profile rule: document, section and quote.' });

/** A term: a number of werkdagen (working days), weeks or months. */
export const Termijn = z
  .strictObject({
    aantal: z.int().min(1).max(1000),
    eenheid: z.enum(['werkdagen', 'weken', 'maanden']),
  })
  .meta({ id: 'Termijn', description: 'A term in werkdagen (Monday to Friday minus public holidays, Europe/Amsterdam), weeks or months.' });

/**
 * When responsibility passes from VT to the receiving party (one receiver not in cc; for two or more see
 * {@link MeerdereGemeenten}): on its receipt (`ontvangst`: an ontvangstbevestiging `ontvangen` or
 * `geaccepteerd`), only on its acceptance (`acceptatie`: `geaccepteerd`, valid per ONT-009; `ontvangen`
 * never transfers), or a term after the handover (`termijn`, receipt or not). In every case a
 * `niet-geaccepteerd` keeps (or brings back) responsibility with VT. See spec/v1/responsibility.md.
 */
export const Overgang = z
  .discriminatedUnion('bij', [
    z.strictObject({ bij: z.literal('ontvangst'), bron: Bron }),
    z.strictObject({ bij: z.literal('acceptatie'), bron: Bron }),
    z.strictObject({ bij: z.literal('termijn'), termijn: Termijn, bron: Bron }),
  ])
  .meta({ id: 'Overgang', description: 'When responsibility for zicht op veiligheid passes from VT to the receiving party.' });

/** Whether a handover at the triage table is assigned (belegd) at once, without a receipt. */
export const Triagetafel = z
  .strictObject({
    belegd: z.boolean().meta({ description: 'A direct handover with triage.triagetafel true passes responsibility to its one receiver (not in cc) when it is sent; false: the moment\'s own rule applies.' }),
    bron: Bron,
  })
  .meta({ id: 'Triagetafel', description: 'Whether a handover at the triage table is belegd (assigned) at once.' });

/**
 * A household in two or more gemeenten (a handover with two or more receivers not in cc): VT keeps
 * responsibility until every such receiver has confirmed as the moment's rule requires (or answered
 * niet-geaccepteerd naming another to lead) and all of them name the same one of them to lead
 * (`afstemming.regie` in their ontvangstbevestiging, VRW-001..003); then that team holds it. Never the
 * first to answer.
 */
export const MeerdereGemeenten = z
  .strictObject({ bij: z.literal('afstemming'), bron: Bron })
  .meta({ id: 'MeerdereGemeenten', description: 'How responsibility passes when the handover goes to the lokale teams of two or more gemeenten.' });

/** A rule with a term and its source. */
export const TermijnRegel = z.strictObject({ termijn: Termijn, bron: Bron }).meta({ id: 'TermijnRegel', description: 'A term and its source.' });

/** A region profile. */
export const Profiel = z
  .strictObject({
    id: z.string().regex(/^[a-z]+(?:-[a-z]+)*$/).max(40).meta({ description: 'Slug of the profile, also its file name.' }),
    naam: z.string().min(1).max(200),
    beschrijving: z.string().min(1).max(2000),
    feestdagen: z
      .strictObject({
        goedeVrijdag: z.boolean().meta({ description: 'Good Friday is not a werkdag.' }),
        bevrijdingsdag: z.boolean().meta({ description: 'Liberation Day (5 May) is not a werkdag.' }),
        bron: Bron,
      })
      .meta({ description: 'Which optional holidays are not werkdagen; the national public holidays never are.' }),
    vtVerantwoordelijk: z
      .strictObject({ triagetermijn: Termijn, bron: Bron })
      .meta({ description: 'VT is responsible when it learns of an urgent melding; otherwise from the end of triage, or from when the triage term is exceeded.' }),
    overgang: z.strictObject({ naVeiligheidsbeoordeling: Overgang, naDienst: Overgang, triagetafel: Triagetafel, meerdereGemeenten: MeerdereGemeenten }),
    ontvangstbevestiging: TermijnRegel.meta({ description: 'The term for the receipt of a handover, from its sending.' }),
    eersteContact: z.strictObject({ naVeiligheidsbeoordeling: TermijnRegel, naDienst: TermijnRegel }).meta({ description: 'The term for starting contact with the household, from the handover.' }),
    monitoring: z
      .strictObject({ momentenInMaanden: z.array(z.int().min(1).max(36)).min(1).max(12), bron: Bron })
      .meta({ description: "VT's monitoring moments after a handover after a service, in months from the handover." }),
    escalatie: z.strictObject({ antwoordtermijn: Termijn, bron: Bron }).meta({ description: 'The term within which the responsible gemeente answers an escalation.' }),
  })
  .meta({ id: 'Profiel', description: 'A region profile: who is responsible for zicht op veiligheid when, and the terms, each with its source.' });

export type Bron = z.infer<typeof Bron>;
export type Termijn = z.infer<typeof Termijn>;
export type Overgang = z.infer<typeof Overgang>;
export type Profiel = z.infer<typeof Profiel>;

/** The profile that applies when a gemeente's participant record names none. */
export const STANDAARD_PROFIEL = 'landelijk-minimum';
