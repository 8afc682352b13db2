/**
 * Delivery: the outbox row of one bericht for one receiver, and the states it moves through.
 *
 * ```
 * queued ──(push: delivered)──> delivered ──(ontvangstbevestiging)──> acknowledged
 *   │  └──(retry: attempts+1, later)──┘                                   ^
 *   └──(dead letter)──> failed          (an acknowledgement counts from any state)
 * ```
 */
import { z } from 'zod';
import { Oin, Uuid } from '../model/primitives.js';
import { StoredBericht } from './stored-bericht.js';

/** Where a delivery stands: `queued` (to do), `delivered`, `acknowledged` (receipt confirmed), `failed` (dead letter). */
export const DeliveryStatus = z.enum(['queued', 'delivered', 'acknowledged', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** How the receiver gets its berichten: `push` (the gateway calls its endpoint) or `pull` (it reads its postbus, mailbox). */
export const DeliveryMode = z.enum(['push', 'pull']);
export type DeliveryMode = z.infer<typeof DeliveryMode>;

/**
 * Why the last attempt failed, as a code (`HTTP_503`, `UND_ERR_CONNECT_TIMEOUT`, `ZICHT_…`), never a message:
 * upper-case letters, digits and underscores, so no data from a response can slip in.
 */
export const DeliveryErrorCode = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/);

/** Identifies the delivery worker that holds a lease (e.g. `host:pid:n`). */
export const WorkerId = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/);

/** The key of a delivery: one bericht to one receiver. */
export const DeliveryKey = z.strictObject({ berichtId: Uuid, receiverOin: Oin });
export type DeliveryKey = z.infer<typeof DeliveryKey>;

/** A delivery to put in the outbox, in the same transaction as its bericht. It starts `queued` with 0 attempts. */
export const NewDelivery = z.strictObject({
  ...DeliveryKey.shape,
  mode: DeliveryMode,
  /** The first time the worker may try (usually the bericht's `receivedAt`). */
  nextAttemptAt: z.date(),
});
export type NewDelivery = z.infer<typeof NewDelivery>;

/** One outbox row: the state of one bericht for one receiver. */
export const Delivery = z.strictObject({
  ...NewDelivery.shape,
  status: DeliveryStatus,
  /** Failed attempts so far (each retry and the dead letter count one). */
  attempts: z.int().min(0),
  /** The code of the last failure, if any. */
  lastErrorCode: DeliveryErrorCode.optional(),
  /** The worker holding the lease; cleared when the delivery moves on (delivered, retry, dead letter, acknowledged). */
  leaseOwner: WorkerId.optional(),
  /** Until when that lease keeps other workers off; after it, the delivery is claimable again. Cleared with `leaseOwner`. */
  leaseUntil: z.date().optional(),
  deliveredAt: z.date().optional(),
  acknowledgedAt: z.date().optional(),
  failedAt: z.date().optional(),
});
export type Delivery = z.infer<typeof Delivery>;

/** A delivery with the bericht it carries: what the worker pushes and what the postbus serves. */
export const DeliveryWithBericht = z.strictObject({ delivery: Delivery, bericht: StoredBericht });
export type DeliveryWithBericht = z.infer<typeof DeliveryWithBericht>;

/** Input of `scheduleRetry`: the attempt failed and will be tried again at `nextAttemptAt`. */
export const RetryInput = z.strictObject({
  workerId: WorkerId,
  /** When the attempt failed; a lease of another worker still running at this time blocks the call. */
  at: z.date(),
  nextAttemptAt: z.date(),
  errorCode: DeliveryErrorCode,
});
export type RetryInput = z.infer<typeof RetryInput>;

/** Input of `markFailed`: the delivery goes to the dead letter state. */
export const FailInput = z.strictObject({ workerId: WorkerId, at: z.date(), errorCode: DeliveryErrorCode });
export type FailInput = z.infer<typeof FailInput>;

/** How to page through a postbus (mailbox): at most `limit` items after the `after` cursor of the previous page. */
export const MailboxQuery = z.strictObject({
  limit: z.int().min(1).max(1000),
  after: z.string().regex(/^\d{1,15}$/).optional(),
});
export type MailboxQuery = z.infer<typeof MailboxQuery>;

/** One page of a postbus: the oldest unacknowledged pull deliveries first, and the cursor of the next page. */
export type MailboxPage = {
  items: DeliveryWithBericht[];
  /** Pass as `after` to get the next page; absent on the last page. Opaque to callers. */
  next?: string;
};
