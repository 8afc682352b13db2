/**
 * Parsing the rows both drivers return into the store's records. SQLite gives times as millisecond
 * integers and PostgreSQL as `Date`s; PostgreSQL gives `bigint` columns as strings.
 */
import { z } from 'zod';
import { BERICHT_TYPES } from '../model/bericht.js';
import type { Delivery } from './delivery.js';
import { EventData, type StoreEvent } from './store-event.js';
import type { StoredBericht } from './stored-bericht.js';
import { TermijnSoort } from '../model/levenscyclus.js';
import { TermijnStatus, type Termijn } from './termijn.js';

const Timestamp = z.union([z.date(), z.number()]).transform((value) => new Date(value));
const Integer = z.union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)]);
const optional = <T extends z.ZodType>(schema: T) => schema.nullable().transform((value) => value ?? undefined);

/** The bericht columns, aliased to the record's names. */
export const BERICHT_COLUMNS = `bericht_id AS "berichtId", sender_oin AS "senderOin", bericht_type AS "berichtType",
  dossier_referentie AS "dossierReferentie", volgnummer, in_antwoord_op AS "inAntwoordOp", content_hash AS "contentHash",
  body, received_at AS "receivedAt", receipt, traceparent, purged_at AS "purgedAt", body_kek AS "bodyKek", body_dek AS "bodyDek"`;

const BerichtRow = z.object({
  berichtId: z.string(),
  senderOin: z.string(),
  berichtType: z.enum(BERICHT_TYPES),
  dossierReferentie: z.string(),
  volgnummer: Integer,
  inAntwoordOp: optional(z.string()),
  contentHash: z.string(),
  body: z.string(),
  receivedAt: Timestamp,
  receipt: z.string(),
  traceparent: optional(z.string()),
  purgedAt: optional(Timestamp),
  bodyKek: optional(z.string()),
  bodyDek: optional(z.string()),
});

/** The delivery columns, aliased to the record's names, plus `seq` (the bericht's accept order). */
export const DELIVERY_COLUMNS = `bericht_id AS "berichtId", receiver_oin AS "receiverOin", mode, status, attempts,
  next_attempt_at AS "nextAttemptAt", last_error_code AS "lastErrorCode", lease_owner AS "leaseOwner",
  lease_until AS "leaseUntil", delivered_at AS "deliveredAt", acknowledged_at AS "acknowledgedAt",
  failed_at AS "failedAt", bericht_seq AS "seq"`;

const DeliveryRow = z.object({
  berichtId: z.string(),
  receiverOin: z.string(),
  mode: z.enum(['push', 'pull']),
  status: z.enum(['queued', 'delivered', 'acknowledged', 'failed']),
  attempts: Integer,
  nextAttemptAt: Timestamp,
  lastErrorCode: optional(z.string()),
  leaseOwner: optional(z.string()),
  leaseUntil: optional(Timestamp),
  deliveredAt: optional(Timestamp),
  acknowledgedAt: optional(Timestamp),
  failedAt: optional(Timestamp),
  seq: Integer,
});

/** The event columns, aliased to the record's names. */
export const EVENT_COLUMNS = 'e.seq AS seq, e.type AS type, e.bericht_id AS "berichtId", e.oin AS oin, e.at AS at, e.data AS data';

const EventRow = z.object({
  seq: Integer,
  type: z.string(),
  berichtId: z.string(),
  oin: z.string(),
  at: Timestamp,
  data: z.string().transform((text): unknown => JSON.parse(text)).pipe(EventData),
});

/** `value` without its `undefined` members: a column that is NULL is an absent property, not an undefined one. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

/** A body encrypted at rest (src/store/body-cipher.ts): the KEK id and the wrapped data key of its row. */
export type SealedBody = { readonly kek: string; readonly dek: string };

/**
 * A bericht row as a record, with the keys of its body when that is encrypted (then `body` is the
 * ciphertext until the store opens it).
 */
export function toBerichtRow(row: unknown): { bericht: StoredBericht; sealed?: SealedBody } {
  const { bodyKek, bodyDek, ...bericht } = BerichtRow.parse(row);
  const record = compact(bericht);
  return bodyKek === undefined || bodyDek === undefined ? { bericht: record } : { bericht: record, sealed: { kek: bodyKek, dek: bodyDek } };
}

/** A delivery row as a record, with the accept order of its bericht (for ordering and postbus cursors). */
export function toDelivery(row: unknown): { delivery: Delivery; seq: number } {
  const { seq, ...delivery } = DeliveryRow.parse(row);
  return { delivery: compact(delivery), seq };
}

/** An event row as a record. */
export function toEvent(row: unknown): StoreEvent {
  return EventRow.parse(row);
}

/** The timer columns, aliased to the record's names. */
export const TERMIJN_COLUMNS = `bericht_id AS "berichtId", soort, moet_handelen AS "moetHandelen", maand, dossier_referentie AS "dossierReferentie",
  profiel, regel, due_at AS "dueAt", status, lease_owner AS "leaseOwner", lease_until AS "leaseUntil", settled_at AS "settledAt", signaal_id AS "signaalId"`;

const TermijnRow = z.object({
  berichtId: z.string(),
  soort: TermijnSoort,
  moetHandelen: z.string(),
  maand: Integer,
  dossierReferentie: z.string(),
  profiel: z.string(),
  regel: z.string(),
  dueAt: Timestamp,
  status: TermijnStatus,
  leaseOwner: optional(z.string()),
  leaseUntil: optional(Timestamp),
  settledAt: optional(Timestamp),
  signaalId: optional(z.string()),
});

/** A timer row as a record. */
export function toTermijn(row: unknown): Termijn {
  return compact(TermijnRow.parse(row));
}
