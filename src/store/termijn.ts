/**
 * Termijn (term): the durable timer of one term the region profile sets on a dossier (src/lifecycle/):
 * a receipt, first contact, a monitoring moment or the answer to an escalation. It is written in the same
 * transaction as the bericht that starts the term and settled in the transaction of the bericht that
 * meets it; when it comes due first, the timer worker fires it exactly once.
 *
 * ```
 * open ──(the term is met)──────────> gehaald
 *   ├──(the dossier closed first)───> vervallen
 *   └──(due, fired by a worker)─────> verlopen   (the event and the termijnsignaal in that transaction)
 * ```
 */
import { z } from 'zod';
import { Dossier } from '../model/bericht.js';
import { TermijnSoort } from '../model/levenscyclus.js';
import { Oin, Uuid } from '../model/primitives.js';
import { WorkerId } from './delivery.js';

/** Where a timer stands. */
export const TermijnStatus = z.enum(['open', 'gehaald', 'vervallen', 'verlopen']);
export type TermijnStatus = z.infer<typeof TermijnStatus>;

/** The key of a timer: the term `soort` that bericht `berichtId` started for participant `moetHandelen` (for monitoring: month `maand`, else 0). */
export const TermijnKey = z.strictObject({
  berichtId: Uuid,
  soort: TermijnSoort,
  moetHandelen: Oin,
  maand: z.int().min(0).max(36),
});
export type TermijnKey = z.infer<typeof TermijnKey>;

/** A timer to open; `open` until settled or fired. */
export const NewTermijn = z.strictObject({
  ...TermijnKey.shape,
  dossierReferentie: Dossier.shape.referentie,
  /** The profile and its rule the term comes from (e.g. `zuid-limburg`, `eersteContact.naDienst`). */
  profiel: z.string().regex(/^[a-z]+(?:-[a-z]+)*$/).max(40),
  regel: z.string().regex(/^[A-Za-z.]+$/).max(80),
  /** When the term ends: due from then on. */
  dueAt: z.date(),
});
export type NewTermijn = z.infer<typeof NewTermijn>;

/** A stored timer. */
export const Termijn = z.strictObject({
  ...NewTermijn.shape,
  status: TermijnStatus,
  leaseOwner: WorkerId.optional(),
  leaseUntil: z.date().optional(),
  /** When it was settled or fired. */
  settledAt: z.date().optional(),
  /** The termijnsignaal the firing sent. */
  signaalId: Uuid.optional(),
});
export type Termijn = z.infer<typeof Termijn>;

/** Firing a claimed timer: by which worker, when, and the id of the termijnsignaal written with it. */
export const FireInput = z.strictObject({ workerId: WorkerId, at: z.date(), signaalId: Uuid });
export type FireInput = z.infer<typeof FireInput>;
