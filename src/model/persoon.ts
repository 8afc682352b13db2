/**
 * Persons in a melding: the directbetrokkenen (directly involved persons) and the melder (reporter).
 * These are the most sensitive fields of the standard; no value of them ever appears in an error.
 */
import { z } from 'zod';
import { Bsn, Datum, Email, Gemeentecode, KorteTekst, Postcode, Telefoonnummer } from './primitives.js';

/** A person's name, split as the BRP (Dutch population register) splits it. */
export const Naam = z
  .strictObject({
    voornamen: KorteTekst.optional(),
    voorvoegsel: z.string().min(1).max(20).optional(),
    geslachtsnaam: KorteTekst,
  })
  .meta({ id: 'Naam', description: 'Name: voornamen (given names), voorvoegsel (prefix such as "de"), geslachtsnaam (surname).' });

/** A Dutch address, with the gemeente it lies in (used for routing a household in two gemeenten). */
export const Adres = z
  .strictObject({
    straat: KorteTekst,
    huisnummer: z.int().min(1).max(99_999),
    huisletter: z.string().regex(/^[A-Za-z]$/).optional(),
    huisnummertoevoeging: z.string().min(1).max(4).optional(),
    postcode: Postcode,
    woonplaats: KorteTekst,
    gemeentecode: Gemeentecode,
  })
  .meta({ id: 'Adres', description: 'Residential address (woonadres), including the CBS gemeentecode of the gemeente it lies in.' });

/** Ways to reach a person. A contact may be empty only where the rules allow it. */
export const Contactgegevens = z
  .strictObject({
    telefoon: Telefoonnummer.optional(),
    email: Email.optional(),
  })
  .meta({ id: 'Contactgegevens', description: 'Contact details (telephone, e-mail).' });

/** The roles a directbetrokkene can have in a melding; a person can have several. */
export const Betrokkenenrol = z
  .enum(['slachtoffer', 'vermoedelijke-pleger', 'kind', 'gezaghebbende-ouder', 'ouder-zonder-gezag', 'huisgenoot', 'overig'])
  .meta({
    id: 'Betrokkenenrol',
    description:
      'Role of a directbetrokkene: slachtoffer (victim), vermoedelijke-pleger (alleged perpetrator), kind (child), gezaghebbende-ouder (parent with custody), ouder-zonder-gezag (parent without custody), huisgenoot (member of the household), overig (other).',
  });

/** Local reference of a person within one bericht, used by `informeren` and `toestemming`. */
export const PersoonRef = z.string().regex(/^[a-z0-9][a-z0-9-]{0,19}$/);

/** A directbetrokkene: a person directly involved in the melding (Z-L 5.1.3, 5.2.4). */
export const Directbetrokkene = z
  .strictObject({
    id: PersoonRef,
    rollen: z.array(Betrokkenenrol).min(1).max(7),
    naam: Naam,
    geboortedatum: Datum.optional(),
    bsn: Bsn.optional(),
    adres: Adres.optional(),
    contact: Contactgegevens.optional(),
  })
  .meta({
    id: 'Directbetrokkene',
    description: 'A directly involved person (directbetrokkene) with their roles, name, address and contact details.',
  });

/** How the melder relates to the household. */
export const Melderrelatie = z.enum(['beroepskracht', 'politie', 'familie', 'buurtbewoner', 'betrokkene-zelf', 'anders']);

/**
 * The melder (reporter). An anonymous melder carries no name or contact details (OVD-002); a
 * known melder's contact details go with a direct handover (OVD-003) and, after a service, only
 * when contact is needed (OVD-004).
 */
export const Melder = z
  .strictObject({
    anoniem: z.boolean(),
    relatie: Melderrelatie.optional(),
    naam: Naam.optional(),
    contact: Contactgegevens.optional(),
    contactNodig: z
      .boolean()
      .optional()
      .meta({ description: 'After a VT service: whether the lokale veld needs to contact the melder (Z-L 5.2.4).' }),
  })
  .meta({ id: 'Melder', description: 'The person or organisation that made the melding (reporter), possibly anonymous.' });

export type Directbetrokkene = z.infer<typeof Directbetrokkene>;
export type Melder = z.infer<typeof Melder>;
export type Adres = z.infer<typeof Adres>;
