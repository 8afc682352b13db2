/**
 * An audit bundle: what an auditor exports from the log (entries with inclusion proofs, the signed
 * checkpoint they lead to, the log's verifier key at export, optionally a consistency proof from an
 * earlier checkpoint) and checks offline with {@link verifyBundle}. Each problem found is a finding that
 * names the entry (by index) or the checkpoints concerned; none carries log content.
 */
import { z } from 'zod';
import { AuditError } from '../errors.js';
import { openCheckpoint, type Checkpoint } from './checkpoint.js';
import { leafHash, sameBytes } from './hash.js';
import type { NoteVerifier } from './note-key.js';
import { verifyConsistency, verifyInclusion } from './verify.js';

/** The format tag of a bundle file. */
export const BUNDLE_FORMAT = 'zicht-audit-bundle/1';

const Base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/);

/** A bundle as written to and read from a file. */
export const AuditBundle = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  /** The log's verifier key as published at export (`GET /v1/log/key`); `verify --key` overrides it. */
  verifierKey: z.string(),
  checkpoint: z.string(),
  /** What was exported: all entries of `[start, end)` (`complete`), or a selection (a dossier, a time range, a participant's view). */
  selection: z.strictObject({
    complete: z.boolean(),
    start: z.int().min(0),
    end: z.int().min(0),
    dossier: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
  }),
  entries: z.array(z.strictObject({ index: z.int().min(0), leaf: z.string(), proof: z.array(Base64Hash) })),
  /** A consistency proof from an earlier checkpoint's size to this checkpoint's size. */
  consistency: z.strictObject({ from: z.int().min(1), proof: z.array(Base64Hash) }).optional(),
});
export type AuditBundle = z.infer<typeof AuditBundle>;

/** What went wrong, by kind. */
export type FindingKind = 'checkpoint-signature' | 'earlier-checkpoint' | 'entry-not-included' | 'entry-missing' | 'entry-order' | 'fork' | 'truncated' | 'inconsistent';

/** One problem found. */
export interface Finding {
  readonly kind: FindingKind;
  /** The entry concerned, by leaf index. */
  readonly index?: number;
  readonly message: string;
}

const b64 = (text: string): Buffer => Buffer.from(text, 'base64');

/**
 * Checks a consistency proof between an earlier checkpoint and a later one: same size means same root (else a
 * fork); a smaller later size means truncation; otherwise the proof must verify.
 */
export function checkConsistency(earlier: Checkpoint, later: Checkpoint, proof: readonly Uint8Array[] | undefined): Finding[] {
  if (earlier.size > later.size) {
    return [{ kind: 'truncated', message: `the earlier checkpoint has size ${earlier.size}, this one ${later.size}: the log was truncated or rolled back` }];
  }
  if (earlier.size === later.size) {
    return sameBytes(earlier.root, later.root) ? [] : [{ kind: 'fork', message: `two checkpoints of size ${later.size} have different roots: the log forked` }];
  }
  if (earlier.size === 0n) return [];
  if (proof === undefined) return [{ kind: 'inconsistent', message: `no consistency proof from size ${earlier.size} to ${later.size} is available` }];
  try {
    verifyConsistency(earlier.size, later.size, earlier.root, later.root, proof);
    return [];
  } catch (error) {
    const code = error instanceof AuditError ? error.code : 'unknown';
    return [{ kind: 'inconsistent', message: `the checkpoint of size ${later.size} is not an extension of the earlier one of size ${earlier.size} (${code}): the log was rewritten` }];
  }
}

/**
 * Verifies a bundle: the checkpoint's signature by a trusted key, every entry's inclusion proof against it,
 * the entries' order and (for a complete export) that none is missing, and consistency with an earlier
 * checkpoint (a signed note, verified with the same keys) when given.
 *
 * @returns the findings; empty when everything verified.
 */
export function verifyBundle(
  bundle: AuditBundle,
  options: {
    trusted: readonly NoteVerifier[];
    earlier?: string;
    /** Called after every `every` entries checked (and after the last), for progress on large bundles. */
    progress?: { readonly every: number; readonly report: (checked: number, total: number) => void };
  },
): Finding[] {
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(bundle.checkpoint, options.trusted);
  } catch (error) {
    const code = error instanceof AuditError ? error.code : 'unknown';
    return [{ kind: 'checkpoint-signature', message: `the checkpoint is not validly signed by the log key (${code})` }];
  }
  const findings: Finding[] = [];
  let previous = -1;
  const total = bundle.entries.length;
  for (const [checked, entry] of bundle.entries.entries()) {
    if (options.progress && ((checked + 1) % options.progress.every === 0 || checked + 1 === total)) options.progress.report(checked + 1, total);
    if (entry.index <= previous) findings.push({ kind: 'entry-order', index: entry.index, message: `entry ${entry.index} is out of order or repeated` });
    previous = Math.max(previous, entry.index);
    try {
      verifyInclusion(BigInt(entry.index), checkpoint.size, leafHash(Buffer.from(entry.leaf, 'utf8')), entry.proof.map(b64), checkpoint.root);
    } catch (error) {
      const code = error instanceof AuditError ? error.code : 'unknown';
      findings.push({ kind: 'entry-not-included', index: entry.index, message: `entry ${entry.index} is not the leaf at that index in the signed tree (${code}): changed, moved or forged` });
    }
  }
  if (bundle.selection.complete) {
    const present = new Set(bundle.entries.map((e) => e.index));
    const end = Math.min(bundle.selection.end, Number(checkpoint.size));
    for (let i = bundle.selection.start; i < end; i += 1) {
      if (!present.has(i)) findings.push({ kind: 'entry-missing', index: i, message: `entry ${i} is missing from a complete export` });
    }
  }
  if (options.earlier !== undefined) {
    let earlier: Checkpoint;
    try {
      earlier = openCheckpoint(options.earlier, options.trusted, checkpoint.origin);
    } catch (error) {
      const code = error instanceof AuditError ? error.code : 'unknown';
      return [...findings, { kind: 'earlier-checkpoint', message: `the earlier checkpoint is not validly signed by the log key for this origin (${code})` }];
    }
    const proof = bundle.consistency?.from === Number(earlier.size) ? bundle.consistency.proof.map(b64) : undefined;
    findings.push(...checkConsistency(earlier, checkpoint, proof));
  }
  return findings;
}
