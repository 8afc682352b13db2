/**
 * Transportbevestiging (transport receipt): what the gateway answers once a bericht is validated,
 * verified, routed and durably stored. It carries the gateway's countersignature, which covers the
 * canonical bericht and the received-at instant: the sender's proof of what was handed over, and when.
 */
import { z } from 'zod';
import { Handtekening } from './bericht.js';
import { Oin, Tijdstip, Uuid } from './primitives.js';

export const Transportbevestiging = z
  .strictObject({
    berichtId: Uuid,
    ontvangenOp: Tijdstip.meta({ description: 'When the gateway received and stored the bericht.' }),
    ontvangers: z
      .array(z.strictObject({ oin: Oin, aflevering: z.enum(['push', 'pull']) }))
      .meta({ description: 'Every receiver the bericht is routed to, and whether it is pushed to it or waits in its postbus.' }),
    handtekening: Handtekening.meta({
      description: "The gateway's countersignature (typ zicht-ontvangst+jws, with the received-at instant in its protected header rcv).",
    }),
  })
  .meta({ id: 'Transportbevestiging', description: 'Transport receipt: the bericht was validated, verified, routed and durably stored.' });

export type Transportbevestiging = z.infer<typeof Transportbevestiging>;
