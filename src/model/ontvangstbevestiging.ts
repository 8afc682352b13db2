/**
 * Ontvangstbevestiging (receipt acknowledgement) from the receiving party to Veilig Thuis
 * (Z-L 2i; FS): received, accepted, or not accepted with a reason. After a service, acceptance is
 * what transfers responsibility (Z-L 5.2.1).
 */
import { z } from 'zod';
import { Naam } from './persoon.js';
import { Email, KorteTekst, Telefoonnummer, Tekst, Tijdstip } from './primitives.js';

/** The professional who picks the case up, where known (Z-L 2i). */
export const Behandelaar = z
  .strictObject({
    naam: Naam.optional(),
    team: KorteTekst.optional(),
    telefoon: Telefoonnummer.optional(),
    email: Email.optional(),
  })
  .meta({ id: 'Behandelaar', description: 'Who picks the case up at the receiving party, where known (Z-L 2i).' });

/** The content of an `ontvangstbevestiging` bericht. */
export const Ontvangstbevestiging = z
  .strictObject({
    status: z.enum(['ontvangen', 'geaccepteerd', 'niet-geaccepteerd']),
    reden: Tekst.optional().meta({ description: 'Why the case is not accepted (required for niet-geaccepteerd, ONT-001).' }),
    ontvangenOp: Tijdstip.meta({ description: 'When the receiving party received the handover.' }),
    behandelaar: Behandelaar.optional(),
  })
  .meta({ id: 'Ontvangstbevestiging', description: 'Receipt acknowledgement (ontvangstbevestiging) of a handover.' });

export type Ontvangstbevestiging = z.infer<typeof Ontvangstbevestiging>;
