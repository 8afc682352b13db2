/**
 * Ontvangstbevestiging (receipt acknowledgement) from the receiving party to Veilig Thuis
 * (Z-L 2i; FS): received, accepted, or not accepted with a reason. After a service, acceptance is
 * what transfers responsibility (Z-L 5.2.1).
 */
import { z } from 'zod';
import { Naam } from './persoon.js';
import { Email, KorteTekst, Oin, Telefoonnummer, Tekst, Tijdstip } from './primitives.js';

/** The professional who picks the case up, where known (Z-L 2i). */
export const Behandelaar = z
  .strictObject({
    naam: Naam.optional(),
    team: KorteTekst.optional(),
    telefoon: Telefoonnummer.optional(),
    email: Email.optional(),
  })
  .meta({ id: 'Behandelaar', description: 'Who picks the case up at the receiving party, where known (Z-L 2i).' });

/**
 * The afstemming (coordination) of the gemeenten when a household lives in two or more of them and the
 * handover went to each (Z-L 5.2.4: "wordt ook aan 2 gemeenten overgedragen en dient afstemming plaats te
 * vinden"; 6.2): which of the addressed teams leads. Zicht op veiligheid passes from VT to that team once
 * every addressed team has confirmed as the profile requires and all name the same one (VRW-001..003).
 */
export const Afstemming = z
  .strictObject({
    regie: Oin.meta({ description: 'The receiver (not in cc) of the handover that leads and holds zicht op veiligheid, as the gemeenten agreed (VRW-002).' }),
  })
  .meta({ id: 'Afstemming', description: 'Which of the addressed lokale teams leads, as the gemeenten of a household in two or more gemeenten agreed (Z-L 5.2.4, 6.2).' });

/** The content of an `ontvangstbevestiging` bericht. */
export const Ontvangstbevestiging = z
  .strictObject({
    status: z.enum(['ontvangen', 'geaccepteerd', 'niet-geaccepteerd']),
    reden: Tekst.optional().meta({ description: 'Why the case is not accepted (required for niet-geaccepteerd, ONT-001).' }),
    ontvangenOp: Tijdstip.meta({ description: 'When the receiving party received the handover.' }),
    behandelaar: Behandelaar.optional().meta({ description: 'Who picks the case up; required with status geaccepteerd, with naam or team and telefoon or email (ONT-009).' }),
    afstemming: Afstemming.optional().meta({ description: 'Which addressed team leads, for a handover to two or more gemeenten (required there with status geaccepteerd, VRW-001).' }),
  })
  .meta({ id: 'Ontvangstbevestiging', description: 'Receipt acknowledgement (ontvangstbevestiging) of a handover.' });

export type Ontvangstbevestiging = z.infer<typeof Ontvangstbevestiging>;
export type Afstemming = z.infer<typeof Afstemming>;
export type Behandelaar = z.infer<typeof Behandelaar>;
