/**
 * What the per-aggregate SQL of the store (berichten.ts, outbox.ts, events.ts, …) shares: where a statement
 * runs, the berichten written in the current transaction, and the small helpers and row schemas several use.
 * The SQL is written once in a form both SQLite and PostgreSQL understand.
 */
import { z } from 'zod';
import { StoreError } from '../errors.js';
import { Dossier } from '../model/bericht.js';
import { WorkerId } from './delivery.js';
import type { Keyring } from './keyring.js';
import type { Dialect, Executor } from './sql.js';

/** A bericht written in the current transaction: its place, what its leaves say of it, its receivers so far. */
export type FreshBericht = {
  readonly seq: number;
  readonly dossierReferentie: string;
  readonly senderOin: string;
  readonly berichtType: string;
  readonly receivedAt: Date;
  readonly commitment: string;
  readonly receivers: string[];
};

/** Where the statements of an aggregate run: the store (autocommit, or its own transaction) or a transaction handle. */
export interface SqlContext {
  readonly dialect: Dialect;
  /** The KEKs of payloads at rest; without one, payloads are stored as they come (src/store/body-cipher.ts). */
  readonly keyring: Keyring | undefined;
  /**
   * The berichten written in this transaction (a handle's only), with their deliveries so far: what the leaves
   * and deliveries of such a bericht need, known without reading it back.
   */
  readonly fresh: Map<string, FreshBericht> | undefined;
  /** Runs `work` in autocommit mode (the store) or in the current transaction (a handle). */
  use<T>(work: (ex: Executor) => Promise<T>): Promise<T>;
  /** Runs `work` atomically: its own transaction (the store) or the current one (a handle). */
  atomic<T>(work: (ex: Executor) => Promise<T>): Promise<T>;
}

export const ClaimInput = z
  .strictObject({ now: z.date(), limit: z.int().min(1).max(1000), leaseUntil: z.date(), workerId: WorkerId })
  .refine((claim) => claim.leaseUntil.getTime() > claim.now.getTime(), { path: ['leaseUntil'], message: 'Must be after now.' });
export const DossierReferentie = Dossier.shape.referentie;
export const RefRow = z.object({ ref: z.string() });
export const Timestamp = z.union([z.date(), z.number()]).transform((value) => new Date(value));
export const Count = z.union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)]);
export const SeqRow = z.object({ seq: Count });
export const LEASE_FREE_OR_MINE = '(lease_owner = ? OR lease_until IS NULL OR lease_until <= ?)';

/** Writes a leaf of the audit log, not yet sequenced. */
export async function insertLeaf(ex: Executor, leaf: { senderOin: string; receiverOins: readonly string[]; at: Date; data: string }): Promise<void> {
  await ex.run('INSERT INTO log_leaves (sender_oin, receiver_oins, at, data) VALUES (?, ?, ?, ?)', [leaf.senderOin, `,${leaf.receiverOins.join(',')},`, leaf.at, leaf.data]);
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The one row a statement with `RETURNING` gives. */
export function single(rows: unknown[]): unknown {
  if (rows.length !== 1) throw new StoreError('ZICHT_STORE_FAILED', { message: 'The database returned an unexpected number of rows.' });
  return rows[0];
}
