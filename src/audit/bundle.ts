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
import { checkCosignatures, type CosignatureCheck, type CosignerVerifier } from './cosignature.js';
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
export type FindingKind =
  | 'checkpoint-signature'
  | 'earlier-checkpoint'
  | 'entry-not-included'
  | 'entry-missing'
  | 'entry-order'
  | 'selection-mismatch'
  | 'cosignature-invalid'
  | 'cosignature-quorum'
  | 'fork'
  | 'truncated'
  | 'inconsistent';

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

/** The witnesses a verifier requires, and how many of them must have cosigned (LOG-003). */
export interface WitnessPolicy {
  readonly keys: readonly CosignerVerifier[];
  readonly quorum: number;
  /** The latest cosignature timestamp accepted (POSIX seconds): the verifier's clock plus the allowed skew. */
  readonly latest?: bigint;
}

/** The allowed clock skew for cosignature timestamps, in seconds (the project's 5 minutes). */
export const COSIGNATURE_SKEW_SECONDS = 300n;

/**
 * LOG-003: a checkpoint counts as witnessed when at least `quorum` of the configured witnesses cosigned it
 * validly; a cosignature line of a configured witness that does not verify is a finding of its own.
 */
export function witnessFindings(note: string, policy: WitnessPolicy): { findings: Finding[]; checks: CosignatureCheck[] } {
  const checks = checkCosignatures(note, policy.keys, policy.latest);
  const findings: Finding[] = checks
    .filter((c) => c.state === 'invalid')
    .map((c) => ({ kind: 'cosignature-invalid' as const, message: `the cosignature of witness ${c.witness} does not verify (LOG-003): forged, for another checkpoint, or dated in the future` }));
  const valid = checks.filter((c) => c.state === 'valid').length;
  if (valid < policy.quorum) {
    const absent = checks.filter((c) => c.state !== 'valid').map((c) => c.witness);
    findings.push({ kind: 'cosignature-quorum', message: `the checkpoint has ${valid} valid cosignature(s) of the ${policy.keys.length} witness(es) given, ${policy.quorum} required (LOG-003); not cosigned by: ${absent.join(', ')}. A checkpoint the witnesses did not see may be a split view` });
  }
  return { findings, checks };
}

/** A run of consecutive leaf indices, `[start, end)`. */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

/** The sorted, distinct indices as runs of consecutive ones. */
export function indexRanges(indices: Iterable<number>): IndexRange[] {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const ranges: IndexRange[] = [];
  for (const index of sorted) {
    const last = ranges.at(-1);
    if (last?.end === index) ranges[ranges.length - 1] = { start: last.start, end: index + 1 };
    else ranges.push({ start: index, end: index + 1 });
  }
  return ranges;
}

/** The indices of `[0, size)` that `verified` does not hold, as ranges (LOG-002: the signed size decides). */
export function missingRanges(verified: readonly IndexRange[], size: number): IndexRange[] {
  const missing: IndexRange[] = [];
  let next = 0;
  for (const range of verified) {
    if (range.start >= size) break;
    if (range.start > next) missing.push({ start: next, end: range.start });
    next = Math.max(next, range.end);
  }
  if (next < size) missing.push({ start: next, end: size });
  return missing;
}

/** What a verification established, from signed and verified data only (LOG-002). */
export interface BundleReport {
  readonly findings: Finding[];
  /** The signed checkpoint, when its signature verified with a trusted key. */
  readonly checkpoint?: { readonly origin: string; readonly size: number; readonly verifiedBy: readonly string[] };
  /** The indices whose leaves verified against the signed checkpoint. */
  readonly verified: readonly IndexRange[];
  /** The indices of the signed tree that were not verified. */
  readonly unverified: readonly IndexRange[];
  /** Whether every leaf of the signed tree verified (the whole log, as of the checkpoint), with no finding. */
  readonly complete: boolean;
  /** What each required witness said, when a witness policy was given. */
  readonly cosignatures?: readonly CosignatureCheck[];
}

/**
 * Verifies a bundle: the checkpoint's signature by a trusted key (the caller's trust anchor, LOG-001: never the
 * bundle's own `verifierKey`), every entry's inclusion proof against it, the entries' order, and consistency
 * with an earlier checkpoint (a signed note, verified with the same keys) when given. The unsigned `selection`
 * decides nothing (LOG-002): which indices were verified and whether that is the whole log follow from the
 * signed size and the proofs; a selection that claims a complete export is held to it (every index of the
 * signed tree), and one whose start or end contradicts the signed size is itself a finding.
 */
export function verifyBundleReport(
  bundle: AuditBundle,
  options: {
    trusted: readonly NoteVerifier[];
    earlier?: string;
    /** Witnesses whose cosignatures the checkpoint must carry (LOG-003). */
    witnesses?: WitnessPolicy;
    /** Called after every `every` entries checked (and after the last), for progress on large bundles. */
    progress?: { readonly every: number; readonly report: (checked: number, total: number) => void };
  },
): BundleReport {
  let checkpoint: Checkpoint & { readonly verifiedBy: readonly string[] };
  try {
    checkpoint = openCheckpoint(bundle.checkpoint, options.trusted);
  } catch (error) {
    const code = error instanceof AuditError ? error.code : 'unknown';
    return { findings: [{ kind: 'checkpoint-signature', message: `the checkpoint is not validly signed by the log key (${code})` }], verified: [], unverified: [], complete: false };
  }
  const size = Number(checkpoint.size);
  const witnessed = options.witnesses === undefined ? undefined : witnessFindings(bundle.checkpoint, options.witnesses);
  const findings: Finding[] = [...(witnessed?.findings ?? [])];
  const included: number[] = [];
  let previous = -1;
  const total = bundle.entries.length;
  for (const [checked, entry] of bundle.entries.entries()) {
    if (options.progress && ((checked + 1) % options.progress.every === 0 || checked + 1 === total)) options.progress.report(checked + 1, total);
    if (entry.index <= previous) findings.push({ kind: 'entry-order', index: entry.index, message: `entry ${entry.index} is out of order or repeated` });
    previous = Math.max(previous, entry.index);
    try {
      verifyInclusion(BigInt(entry.index), checkpoint.size, leafHash(Buffer.from(entry.leaf, 'utf8')), entry.proof.map(b64), checkpoint.root);
      included.push(entry.index);
    } catch (error) {
      const code = error instanceof AuditError ? error.code : 'unknown';
      findings.push({ kind: 'entry-not-included', index: entry.index, message: `entry ${entry.index} is not the leaf at that index in the signed tree (${code}): changed, moved or forged` });
    }
  }
  const verified = indexRanges(included);
  const unverified = missingRanges(verified, size);
  const { selection } = bundle;
  if (selection.start !== 0 || selection.end !== size) {
    findings.push({ kind: 'selection-mismatch', message: `the bundle's unsigned selection claims [${selection.start}, ${selection.end}) but the signed checkpoint has size ${size}: the selection was edited` });
  }
  if (selection.complete) {
    const present = new Set(bundle.entries.map((e) => e.index));
    for (let i = 0; i < size; i += 1) {
      if (!present.has(i)) findings.push({ kind: 'entry-missing', index: i, message: `entry ${i} is missing from an export that claims to be complete` });
    }
  }
  if (options.earlier !== undefined) {
    let earlier: Checkpoint | undefined;
    try {
      earlier = openCheckpoint(options.earlier, options.trusted, checkpoint.origin);
    } catch (error) {
      const code = error instanceof AuditError ? error.code : 'unknown';
      findings.push({ kind: 'earlier-checkpoint', message: `the earlier checkpoint is not validly signed by the log key for this origin (${code})` });
    }
    if (earlier !== undefined) {
      const proof = bundle.consistency?.from === Number(earlier.size) ? bundle.consistency.proof.map(b64) : undefined;
      findings.push(...checkConsistency(earlier, checkpoint, proof));
    }
  }
  return {
    findings,
    checkpoint: { origin: checkpoint.origin, size, verifiedBy: checkpoint.verifiedBy },
    verified,
    unverified,
    complete: findings.length === 0 && unverified.length === 0,
    ...(witnessed === undefined ? {} : { cosignatures: witnessed.checks }),
  };
}

/** The findings of {@link verifyBundleReport}; empty when everything that was in the bundle verified. */
export function verifyBundle(bundle: AuditBundle, options: Parameters<typeof verifyBundleReport>[1]): Finding[] {
  return verifyBundleReport(bundle, options).findings;
}
