/**
 * StoreEvent: one entry of the append-only event table, written in the same transaction as the change it
 * records. The audit log and the lifecycle build on it. Events carry codes and counts, never personal data.
 */
import { z } from 'zod';
import { Oin, Uuid } from '../model/primitives.js';

/** A dotted lower-case event type, e.g. `bericht.accepted`, `delivery.dead-letter`. */
export const EventType = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+$/);

/**
 * Small, flat data of an event: at most 16 keys with short strings, numbers, booleans or null. Flat and
 * short on purpose, so that no bericht content fits in it.
 */
export const EventData = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), z.union([z.string().max(200), z.number(), z.boolean(), z.null()]))
  .refine((data) => Object.keys(data).length <= 16, { message: 'At most 16 keys.' });
export type EventData = z.infer<typeof EventData>;

/** An event to append. */
export const NewStoreEvent = z.strictObject({
  type: EventType,
  /** The bericht the event concerns; it must be stored already (or in the same transaction). */
  berichtId: Uuid,
  /** The participant the event concerns (the sender, or the receiver of a delivery). */
  oin: Oin,
  at: z.date(),
  data: EventData.optional(),
});
export type NewStoreEvent = z.infer<typeof NewStoreEvent>;

/** A stored event; `seq` is its place in the append order. */
export const StoreEvent = z.strictObject({
  ...NewStoreEvent.shape,
  seq: z.int().min(1),
  data: EventData,
});
export type StoreEvent = z.infer<typeof StoreEvent>;
