/**
 * StoredBericht: the row the gateway keeps of one accepted bericht (message). The envelope fields the
 * gateway routes, orders and de-duplicates on are columns; the whole bericht is kept as JSON text.
 */
import { z } from 'zod';
import { BERICHT_TYPES, Dossier, type Bericht } from '../model/bericht.js';
import type { Geboekt } from '../model/geboekt.js';
import { Oin, Uuid } from '../model/primitives.js';

/** SHA-256 of the bericht's canonical (RFC 8785) bytes, as 64 lower-case hex digits. */
export const ContentHash = z.string().regex(/^[0-9a-f]{64}$/);

/** JSON text the store keeps verbatim (a bericht body, a receipt). Not parsed by the store. */
export const JsonText = z.string().min(2);

/**
 * One accepted bericht as stored. `berichtId` is unique in the whole store, not only per sender: the
 * spec refers to earlier berichten by id alone (`inAntwoordOp`), so two senders may not share an id.
 * This subsumes the idempotency key (sender OIN, berichtId).
 */
export const StoredBericht = z.strictObject({
  /** The sender's id of the bericht (`berichtId`). */
  berichtId: Uuid,
  /** The sender's OIN (`verzender.oin`). */
  senderOin: Oin,
  /** `overdracht`, `veiligheidsvoorwaarden` or `ontvangstbevestiging`. */
  berichtType: z.enum(BERICHT_TYPES),
  /** The pseudonymous dossier (case) reference (`dossier.referentie`). */
  dossierReferentie: Dossier.shape.referentie,
  /** The sender's sequence number in the dossier (`dossier.volgnummer`). */
  volgnummer: Dossier.shape.volgnummer,
  /** The berichtId this bericht answers or updates, if any. */
  inAntwoordOp: Uuid.optional(),
  /** SHA-256 of the canonical bytes: the same id with another hash is a different bericht (`409`). */
  contentHash: ContentHash,
  /** The bericht as JSON text, including its signatures and the gateway's countersignature. */
  body: JsonText,
  /** When the gateway accepted the bericht. */
  receivedAt: z.date(),
  /** The gateway's signed transport receipt as JSON text, returned again for a repeated bericht. */
  receipt: JsonText,
  /** The W3C traceparent of the request that brought the bericht, carried to its deliveries. */
  traceparent: z.string().regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/).optional(),
  /**
   * When the payload was purged (src/retention/): `body` is then the metadata residue (envelope and the
   * lifecycle fields of `inhoud`, src/retention/residue.ts), not the bericht as sent. Set by the store only.
   */
  purgedAt: z.date().optional(),
});

/** One accepted bericht as stored; the input of `insertBericht` and the output of every bericht query. */
export type StoredBericht = z.infer<typeof StoredBericht>;

/** A stored bericht as the ledger takes it: the bericht (or its residue) with the instant the gateway accepted it. */
export function geboekt(stored: StoredBericht): Geboekt {
  return { bericht: JSON.parse(stored.body) as Bericht, rcv: stored.receivedAt.toISOString() };
}
