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
    logbelofte: z
      .strictObject({
        bladhash: z.string().regex(/^[A-Za-z0-9+/]{43}=$/).meta({ description: "SHA-256(0x00 || leaf) of the bericht's bericht.accepted leaf of the audit log, standard base64." }),
        maximaleVertraging: z.int().min(1).meta({ description: 'The log\'s maximum merge delay in seconds: the leaf is in a checkpoint by ontvangenOp plus this.' }),
        belofte: z.string().meta({ description: 'The promise as a signed note by the log key (zicht-inclusion-promise/v1; spec/v1/log.md LOG-005).' }),
      })
      .optional()
      .meta({ description: 'Inclusion promise (LOG-005): the log key\'s signed promise that the bericht\'s leaf is in the log within the maximum merge delay. A repeated submission of the same bericht gets the same receipt, promise included.' }),
  })
  .meta({ id: 'Transportbevestiging', description: 'Transport receipt: the bericht was validated, verified, routed and durably stored.' });

export type Transportbevestiging = z.infer<typeof Transportbevestiging>;
