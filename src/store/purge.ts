/**
 * Purging a bericht's payload (src/retention/ decides when): the store's side. The store finds the
 * berichten whose every delivery is settled long enough ago, and replaces a payload by its metadata
 * residue, deleting the salt of its audit commitment and the wrapped key of its encrypted body.
 */
import { z } from 'zod';
import { BERICHT_TYPES } from '../model/bericht.js';
import { Oin, Uuid } from '../model/primitives.js';

/**
 * The moments before which a settled delivery releases its bericht's payload, one per way of settling.
 * A bericht is purgeable when none of its deliveries is `queued`, or a pull delivery read but not yet
 * acknowledged (it stays in the receiver's postbus), and every other delivery settled at or before its cutoff.
 */
export const PurgeCutoffs = z.strictObject({
  /** An `acknowledged` delivery (ontvangstbevestiging or postbus ack) at or before this releases. */
  acknowledged: z.date(),
  /** A push delivery `delivered` (the endpoint answered 2xx) but never acknowledged, at or before this. */
  delivered: z.date(),
  /** A dead letter (`failed`) at or before this. */
  deadLetter: z.date(),
  /** A bericht without deliveries (nobody to deliver to) received at or before this. */
  unrouted: z.date(),
});
export type PurgeCutoffs = z.infer<typeof PurgeCutoffs>;

/** Why a payload goes: every receiver acknowledged, some were only delivered, some were dead letters, or it had no receivers. */
export const PurgeReason = z.enum(['acknowledged', 'delivered', 'dead-letter', 'unrouted']);
export type PurgeReason = z.infer<typeof PurgeReason>;

/** A bericht whose payload is due: metadata only, safe to print (`zicht purge --dry-run`). */
export const PurgeCandidate = z.strictObject({
  berichtId: Uuid,
  berichtType: z.enum(BERICHT_TYPES),
  senderOin: Oin,
  dossierReferentie: z.string(),
  receivedAt: z.date(),
  /** How many receivers it had. */
  deliveries: z.int().min(0),
  reason: PurgeReason,
});
export type PurgeCandidate = z.infer<typeof PurgeCandidate>;
