/**
 * BerichtStatus: where a bericht stands for each of its receivers, as the gateway reports it to the
 * sender and the receivers (`GET /v1/berichten/{id}`). Metadata only.
 */
import { z } from 'zod';
import { BERICHT_TYPES, Bericht } from './bericht.js';
import { Oin, Tijdstip, Uuid } from './primitives.js';

export const BerichtStatus = z
  .strictObject({
    berichtId: Uuid,
    berichtType: z.enum(BERICHT_TYPES),
    ontvangenOp: Tijdstip,
    ontvangers: z.array(
      z.strictObject({
        oin: Oin,
        status: z.enum(['queued', 'delivered', 'acknowledged', 'failed']).meta({ description: 'queued (to deliver), delivered, acknowledged (receipt confirmed), failed (dead letter).' }),
        aflevering: z.enum(['push', 'pull']),
        pogingen: z.int().min(0).meta({ description: 'Failed delivery attempts so far.' }),
        laatsteFout: z.string().optional().meta({ description: 'Code of the last failed attempt (e.g. HTTP_503) while the delivery is queued or failed; absent once it is delivered or acknowledged.' }),
        afgeleverdOp: Tijdstip.optional(),
        bevestigdOp: Tijdstip.optional(),
      }),
    ),
  })
  .meta({ id: 'BerichtStatus', description: 'The status of a bericht per receiver.' });

export type BerichtStatus = z.infer<typeof BerichtStatus>;

/** One page of a pull receiver's postbus (mailbox). */
export const Postbus = z
  .strictObject({
    berichten: z.array(Bericht).meta({ description: 'The berichten, each as its sender signed it with the gateway countersignature added.' }),
    volgende: z.string().optional().meta({ description: 'Cursor of the next page (query parameter after).' }),
  })
  .meta({ id: 'Postbus', description: 'Berichten waiting for a pull receiver, oldest first; each stays until acknowledged.' });

export type Postbus = z.infer<typeof Postbus>;
