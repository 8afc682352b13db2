/**
 * Veiligheidsvoorwaarden (safety conditions): set by Veilig Thuis during a service; the lokale veld
 * turns them into safety agreements and a plan (Z-L 2l, 6.2). They travel with a handover after a
 * service and can be updated afterwards with a bericht of type `veiligheidsvoorwaarden`.
 */
import { z } from 'zod';
import { Datum, KorteTekst, Tekst } from './primitives.js';

/** One safety condition with its term, the consequence if it is not met, and its risk factors (Z-L 6.2). */
export const Veiligheidsvoorwaarde = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,19}$/),
    omschrijving: Tekst.meta({ description: 'The condition as VT formulated it.' }),
    termijn: Datum.meta({ description: 'Date by which the condition must be met.' }),
    consequentie: Tekst.meta({ description: 'What follows if the condition is not (or not in time) met.' }),
    risicofactoren: z.array(KorteTekst).max(20).meta({ description: 'Risk factors the condition addresses (Z-L 2m, 6.2).' }),
  })
  .meta({ id: 'Veiligheidsvoorwaarde', description: 'A safety condition (veiligheidsvoorwaarde).' });

/** A versioned set of safety conditions. Version 1 travels with the handover; updates count up. */
export const Veiligheidsvoorwaarden = z
  .strictObject({
    versie: z.int().min(1).max(1000),
    vastgesteldOp: Datum.meta({ description: 'Date VT set this version of the conditions.' }),
    voorwaarden: z.array(Veiligheidsvoorwaarde).min(1).max(50),
  })
  .meta({ id: 'Veiligheidsvoorwaarden', description: 'A versioned set of safety conditions (veiligheidsvoorwaarden).' });

/** The content of a `veiligheidsvoorwaarden` bericht: a new version of the conditions and why they changed. */
export const VeiligheidsvoorwaardenUpdate = Veiligheidsvoorwaarden.extend({
  wijzigingsreden: Tekst.meta({ description: 'Why the conditions changed since the previous version.' }),
}).meta({
  id: 'VeiligheidsvoorwaardenUpdate',
  description: 'Content of a veiligheidsvoorwaarden bericht: an updated version of the safety conditions of an earlier handover.',
});

export type Veiligheidsvoorwaarden = z.infer<typeof Veiligheidsvoorwaarden>;
export type VeiligheidsvoorwaardenUpdate = z.infer<typeof VeiligheidsvoorwaardenUpdate>;
