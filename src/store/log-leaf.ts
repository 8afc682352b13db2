/**
 * The leaves of the audit log (src/audit/) as the store writes and keeps them. The store writes a leaf
 * with every event (`appendEvent`) and every registry change (`putDeelnemerRecord`), in the same
 * transaction, so no caller can forget it. A leaf is the RFC 8785 canonical JSON of metadata only: event
 * type, bericht id and type, sender and receiver OINs, times, the event's flat codes, and a commitment
 * SHA-256(salt || canonical bericht) with a random per-bericht salt kept apart (table `bericht_salts`).
 * No personal data: OINs identify organisations, and the commitment cannot be opened without the salt.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CanonicalError, StoreError } from '../errors.js';
import { Oin } from '../model/primitives.js';
import { canonicalBericht, canonicalJson } from '../signing/canonical.js';
import type { EventData } from './store-event.js';

/** The version of the leaf format, the `v` member of every leaf. */
export const LEAF_FORMAT = 1;

/** A leaf as stored: its canonical JSON text, who it concerns, and its place in the log once sequenced. */
export const LogLeaf = z.strictObject({
  /** The leaf's position in the log; absent until the sequencer numbered it. */
  index: z.int().min(0).optional(),
  /** The RFC 8785 JSON text whose UTF-8 bytes are the Merkle leaf. */
  data: z.string().min(2),
  /** The sender of the bericht (or the participant a registry change concerns). */
  senderOin: Oin,
  /** The receivers the leaf concerns. */
  receiverOins: z.array(Oin),
  at: z.date(),
});
export type LogLeaf = z.infer<typeof LogLeaf>;

/** A leaf waiting for the sequencer: its insertion id and text. */
export type PendingLeaf = { readonly id: number; readonly data: string };

/** A complete subtree of the log's tree, hash in lower-case hex. */
export const LogNode = z.strictObject({ level: z.int().min(0).max(63), index: z.int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) });
export type LogNode = z.infer<typeof LogNode>;

/** A signed checkpoint as stored: the tree size, root (hex) and the signed note. */
export const LogCheckpoint = z.strictObject({ size: z.int().min(0), root: z.string().regex(/^[0-9a-f]{64}$/), note: z.string().min(1), at: z.date() });
export type LogCheckpoint = z.infer<typeof LogCheckpoint>;

/** Which leaves a reader may see: all (an auditor) or those concerning one OIN. */
export type LeafFilter = { readonly oin?: string };

const SALT_BYTES = 32;
const SALTS_PER_DRAW = 256;
let salts = Buffer.alloc(0);
let saltOffset = 0;

/**
 * 32 fresh random bytes, each handed out once. Drawn from the CSPRNG 256 salts at a time: one call per salt
 * cost more than the rest of the commitment (the same reason Node pools the bytes of `randomUUID`).
 */
function nextSalt(): Buffer {
  if (saltOffset === salts.length) {
    salts = randomBytes(SALT_BYTES * SALTS_PER_DRAW);
    saltOffset = 0;
  }
  saltOffset += SALT_BYTES;
  return salts.subarray(saltOffset - SALT_BYTES, saltOffset);
}

/**
 * A fresh random salt and the commitment to a bericht body under it. `canonical`, when given, is the body's
 * canonical form without signatures as the caller already has it (the accept path): it is used only when its
 * SHA-256 is `contentHash`, the hash the bericht is stored under, so a commitment never covers other bytes.
 */
export function commitTo(body: string, known?: KnownCanonical): { salt: string; commitment: string } {
  const canonical = isContentOf(known) ? known.canonical : canonicalBody(body);
  const salt = nextSalt();
  return { salt: salt.toString('hex'), commitment: createHash('sha256').update(salt).update(canonical).digest('hex') };
}

/** A body's canonical form as the caller has it, with the content hash the bericht is stored under. */
type KnownCanonical = { readonly canonical: Uint8Array; readonly contentHash: string };

function isContentOf(known: KnownCanonical | undefined): known is KnownCanonical {
  if (known === undefined) return false;
  return createHash('sha256').update(known.canonical).digest('hex') === known.contentHash;
}

function canonicalBody(body: string): Uint8Array {
  try {
    return canonicalBericht(JSON.parse(body));
  } catch (error) {
    if (error instanceof CanonicalError || error instanceof SyntaxError) throw new StoreError('ZICHT_STORE_INVALID', { message: 'The bericht body is not a JSON object with a canonical form.' });
    throw error;
  }
}

/** What a bericht event's leaf says. */
export type BerichtLeafInput = {
  readonly type: string;
  readonly at: Date;
  readonly berichtId: string;
  readonly berichtType: string;
  readonly senderOin: string;
  readonly receiverOins: readonly string[];
  readonly receivedAt: Date;
  /** SHA-256(salt || canonical bericht), hex; null for a bericht stored before the audit log existed. */
  readonly commitment: string | null;
  readonly data: EventData;
};

/** The canonical leaf of an event of a bericht. */
export function berichtLeaf(input: BerichtLeafInput): string {
  return canonicalJson({
    v: LEAF_FORMAT,
    type: input.type,
    at: input.at.toISOString(),
    berichtId: input.berichtId,
    berichtType: input.berichtType,
    sender: input.senderOin,
    receivers: [...input.receiverOins],
    receivedAt: input.receivedAt.toISOString(),
    commitment: input.commitment,
    data: input.data,
  });
}

/** The canonical leaf of a change of a participant's registry record (`registry.changed`, `key.rotated`). */
export function registryLeaf(type: 'registry.changed' | 'key.rotated', oin: string, at: Date, record: string, kids: readonly string[]): string {
  return canonicalJson({
    v: LEAF_FORMAT,
    type,
    at: at.toISOString(),
    participant: oin,
    record: createHash('sha256').update(record, 'utf8').digest('hex'),
    kids: [...kids],
  });
}

/** What a `dossier.expired` leaf says: that a dossier's metadata was deleted after the audit period, and how much. */
export type ExpiryLeafInput = {
  readonly at: Date;
  /** The dossier's last activity (its newest bericht or event). */
  readonly lastActivity: Date;
  readonly removed: { readonly berichten: number; readonly deliveries: number; readonly events: number; readonly termijnen: number };
};

/**
 * The canonical leaf recording that a dossier's metadata was deleted (src/retention/expire.ts): counts and
 * times only, not even the (pseudonymous) dossier reference; it concerns the dossier's participants.
 */
export function expiryLeaf(input: ExpiryLeafInput): string {
  return canonicalJson({
    v: LEAF_FORMAT,
    type: 'dossier.expired',
    at: input.at.toISOString(),
    lastActivity: input.lastActivity.toISOString(),
    removed: { ...input.removed },
  });
}

const KeyEntries = z.array(z.object({ kid: z.string(), revokedAt: z.string().optional() })).optional();
const KeyedRecord = z.object({ sleutels: KeyEntries, versleutelingssleutels: KeyEntries });

/**
 * The kids of a registry record's keys with their revocation, to tell a key change from another change:
 * signing keys as `kid`, encryption keys (ENC-001) as `enc:kid`, a revoked one with `@revokedAt`.
 */
export function keyState(record: string | undefined): string[] {
  if (record === undefined) return [];
  const parsed = KeyedRecord.safeParse(JSON.parse(record));
  if (!parsed.success) return [];
  const state = (s: { kid: string; revokedAt?: string | undefined }) => (s.revokedAt === undefined ? s.kid : `${s.kid}@${s.revokedAt}`);
  return [...(parsed.data.sleutels ?? []).map(state), ...(parsed.data.versleutelingssleutels ?? []).map((s) => `enc:${state(s)}`)];
}
