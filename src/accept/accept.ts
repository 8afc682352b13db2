/**
 * The accept path: one bericht from bytes to a durable, countersigned, routed record. Validate
 * (model + rules), check the caller is the sender, verify the signature (signing + registry), check
 * the dossier's trail, route (registry), and only then write everything in one transaction: the
 * bericht, its outbox rows and its events. The transport receipt goes back only after the commit.
 * No HTTP here: the handler maps the outcome to a status.
 */
import { leafHash } from '../audit/hash.js';
import type { NoteSigner } from '../audit/note-key.js';
import { signPromise } from '../audit/promise.js';
import { berichtLeaf, commitTo } from '../store/log-leaf.js';
import { createHash } from 'node:crypto';
import type { Bericht } from '../model/bericht.js';
import type { Geboekt } from '../model/geboekt.js';
import type { Issue } from '../model/outcome.js';
import { AuthError, CanonicalError, KeyError, SignatureError } from '../errors.js';
import type { Deelnemer } from '../registry/deelnemer.js';
import type { DeelnemerRepository } from '../registry/repository.js';
import { routeBericht } from '../routing/route.js';
import { trailOf } from '../rules/context.js';
import { signatureRuleFor } from '../rules/gateway.js';
import { issueFor } from '../rules/issue.js';
import { MAX_BERICHT_BYTES } from '../rules/bericht.js';
import { readJson } from '../rules/input.js';
import { checkRules, validateValue } from '../rules/validate.js';
import { canonicalBericht } from '../signing/canonical.js';
import { countersignBericht } from '../signing/countersign.js';
import type { KeyResolver } from '../signing/key-resolver.js';
import type { Signer } from '../signing/signer.js';
import { verifyBericht } from '../signing/verify.js';
import type { ClockPolicy } from '../signing/clock.js';
import { StoreConflictError } from '../errors.js';
import type { Commit } from '../store/group-commit.js';
import type { Store, StoreTransaction } from '../store/store.js';
import { geboekt, type StoredBericht } from '../store/stored-bericht.js';
import { Transportbevestiging } from '../model/transportbevestiging.js';

/** What the accept path needs. */
export interface AcceptDeps {
  readonly store: Store;
  readonly registry: DeelnemerRepository;
  /** Verification keys: the registry's, as {@link registryKeyResolver} gives them. */
  readonly keys: KeyResolver;
  /** The gateway's own signing key, for the countersignature. */
  readonly gateway: Signer;
  /** The gateway's own clock: it judges every key at the moment a request is received (spec/v1/time-and-keys.md). */
  readonly now?: () => Date;
  /** The bounds of a sender's `iat` around the gateway's clock (SIG-007, SIG-008); 5 minutes of skew, 7 days of age by default. */
  readonly clock?: ClockPolicy;
  /**
   * The ledger rules (LVC-010..012, src/lifecycle/), checked in the write transaction after the trail rules.
   * Injected by the entry points (see `ledgerCheck` in src/lifecycle/dossier.ts) so that accept does not import upward.
   * `deelnemers` is the registry as read before the transaction: nothing in the transaction may read the store
   * outside it (a registry cache refill would, and fail with ZICHT_STORE_MISUSE).
   */
  readonly ledgerCheck?: (trail: readonly Geboekt[], bericht: Bericht, deelnemers: readonly Deelnemer[], now: Date) => Promise<readonly Issue[]>;
  /**
   * The lifecycle's timers (see `termijnSync` in src/lifecycle/termijnen.ts), run in the write transaction
   * after the bericht is stored, with the dossier's berichten and when each was accepted (the new one last): opens the timers of the
   * terms it starts and settles those it meets. Injected like {@link ledgerCheck}.
   */
  readonly termijnen?: (tx: StoreTransaction, dossier: readonly Geboekt[], deelnemers: readonly Deelnemer[], now: Date) => Promise<void>;
  /** How the writes are committed; by default one transaction per bericht, a group commit under load. */
  readonly commit?: Commit;
  /** Whether a receiver's outbox is full (src/delivery/outbox-limit.ts); then the bericht is refused with RTE-004 for now. */
  readonly receiverFull?: (oin: string) => boolean;
  /** The log key and maximum merge delay (seconds) for the inclusion promise in each receipt (LOG-005); none without. */
  readonly promise?: { readonly signer: NoteSigner; readonly maxMergeDelay: number };
}

/**
 * A bearer token's jti to record in the write transaction (CFG-020: a write is answered only after its jti is
 * recorded), so that the bericht and its token share one commit. Recorded first: a jti the database has already
 * (a replay at another gateway process) makes the transaction write nothing, and acceptBericht throws
 * `ZICHT_AUTH_TOKEN_REPLAYED`. When the bericht never reaches the write transaction, `committed` is not called
 * and the caller records the jti otherwise.
 */
export interface TokenClaim {
  /** Records the jti in `tx`; false when the database has it already. */
  recordIn(tx: StoreTransaction): Promise<boolean>;
  /** The transaction `recordIn` ran in has committed. */
  committed(): void;
}

/** Why a bericht was refused, as the HTTP layer maps it. */
export type Refusal = 'malformed' | 'too-large' | 'forbidden' | 'conflict' | 'rules' | 'busy';

/** The outcome of accepting a bericht. */
export type AcceptOutcome =
  | { readonly kind: 'accepted'; readonly receipt: Transportbevestiging; readonly duplicate: boolean; readonly berichtType?: Bericht['berichtType'] }
  | { readonly kind: 'refused'; readonly reason: Refusal; readonly issues: readonly Issue[]; readonly berichtType?: Bericht['berichtType'] };

const refused = (reason: Refusal, issues: readonly Issue[] = []): AcceptOutcome => ({ kind: 'refused', reason, issues });

/** The outcome with the bericht's type (for the metrics), once the bericht could be read. */
const typed = (outcome: AcceptOutcome, bericht: Bericht): AcceptOutcome => ({ ...outcome, berichtType: bericht.berichtType });

/** SHA-256 of the canonical bericht without signatures: two berichten with the same hash have the same content. */
function hashCanonical(canonical: Uint8Array): string {
  return createHash('sha256').update(canonical).digest('hex');
}

function parseStored(stored: StoredBericht): Bericht {
  return JSON.parse(stored.body) as Bericht;
}

/** What the request brings besides the bytes: its W3C `traceparent`, and the bearer token's jti to record with the bericht. */
export interface AcceptRequest {
  readonly traceparent?: string;
  readonly token?: TokenClaim;
}

/**
 * Accepts one bericht sent by the participant `callerOin`. The request's W3C `traceparent` is kept
 * with the bericht and carried to its deliveries.
 *
 * @throws {StoreUnavailableError} when the database cannot be reached (the handler answers 503; nothing was accepted).
 * @throws {AuthError} `ZICHT_AUTH_TOKEN_REPLAYED` when `request.token` was recorded before (nothing was written).
 */
export async function acceptBericht(bytes: Uint8Array, callerOin: string, deps: AcceptDeps, request: AcceptRequest = {}): Promise<AcceptOutcome> {
  const read = readJson(bytes);
  const validated = read.ok ? validateValue(read.value) : { ok: false, issues: read.issues };
  if (!read.ok || !validated.ok || !validated.value) {
    const rules = new Set(validated.issues.map((i) => i.rule));
    if (rules.has('BER-002')) return refused('too-large', validated.issues);
    if (rules.has('BER-001') || rules.has('BER-003') || rules.has('BER-017')) return refused('malformed', validated.issues);
    if (read.ok) {
      const signing = await signatureShapeIssue(read.value, validated.issues, deps);
      if (signing !== undefined) return refused('rules', [signing]);
    }
    return refused('rules', validated.issues);
  }
  const bericht = validated.value;
  return typed(await acceptValid(bericht, read.value, callerOin, deps, request), bericht);
}

/**
 * @param bericht - the bericht as the model read it.
 * @param raw - the same bericht as it was sent (members in the sender's order), for telling a signature over
 *   non-canonical bytes (SIG-005, `ZICHT_SIGNATURE_NOT_CANONICAL`) from changed content, as every verifier does.
 */
async function acceptValid(bericht: Bericht, raw: unknown, callerOin: string, deps: AcceptDeps, request: AcceptRequest): Promise<AcceptOutcome> {
  if (bericht.verzender.oin !== callerOin) return refused('forbidden');

  const signatures = bericht.signatures ?? [];
  if (signatures.length !== 1) {
    return refused('rules', [issueFor('SIG-001', ['signatures'], 'A submitted bericht carries exactly one signature: its sender\'s.')]);
  }
  // The gateway's clock at receipt judges the sender's key and bounds its iat; it is also the countersignature's rcv.
  const receivedAt = deps.now?.() ?? new Date();
  // Canonicalised once: the signatures, the content hash and the countersignature all cover these bytes.
  let canonical: Uint8Array;
  try {
    canonical = canonicalBericht(bericht);
    await verifyBericht(raw, { keys: deps.keys, canonical, now: receivedAt, ...(deps.clock === undefined ? {} : { clock: deps.clock }) });
  } catch (error) {
    if (error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError) {
      // A bericht accepted before, sent again with the very signature the gateway verified then, gets its original
      // receipt (BER-015) even when that signature has aged past SIG-008 or its key was revoked since.
      if (TIME_CODES.has(error.code)) {
        const earlier = await deps.store.getBericht(bericht.berichtId);
        if (earlier && sameSignature(earlier, signatures[0])) return earlierOutcome(earlier, bericht, hashCanonical(canonicalBericht(bericht)));
      }
      return refused('rules', [issueFor(signatureRuleFor(error.code), ['signatures', 0], `The signature is refused (${error.code}).`, error.code)]);
    }
    throw error;
  }

  const hash = hashCanonical(canonical);
  const earlier = await deps.store.getBericht(bericht.berichtId);
  if (earlier) return earlierOutcome(earlier, bericht, hash);

  const deelnemers = await deps.registry.list();
  const route = routeBericht(bericht, deelnemers);
  if (!route.ok) return refused('rules', route.issues);
  const full = route.bestemmingen.findIndex((b) => deps.receiverFull?.(b.oin) === true);
  if (full >= 0) return refused('busy', [issueFor('RTE-004', ['ontvangers'], 'A receiver of this bericht has too many undelivered berichten; send it again later.')]);

  const countersigned = await countersignBericht(bericht, deps.gateway, receivedAt, { iat: receivedAt, canonical });
  const handtekening = countersigned.signatures.at(-1);
  if (handtekening === undefined) throw new Error('countersignBericht returned no signature');
  const body = JSON.stringify(countersigned);
  // BER-002 holds for the bericht as it is stored and pushed, countersignature included (receiver.md §2): a
  // receiver refuses a larger push with 413, so one that fits only without the countersignature is refused here.
  if (Buffer.byteLength(body, 'utf8') > MAX_BERICHT_BYTES) {
    return refused('too-large', [issueFor('BER-002', [], `The bericht with the gateway's countersignature would be larger than ${MAX_BERICHT_BYTES} bytes.`)]);
  }
  // The salt and commitment drawn here, so that the receipt can promise the leaf before it is written (LOG-005).
  const drawn = deps.promise === undefined ? undefined : commitTo(body, { canonical, contentHash: hash });
  const receipt: Transportbevestiging = {
    berichtId: bericht.berichtId,
    ontvangenOp: receivedAt.toISOString(),
    ontvangers: route.bestemmingen.map((b) => ({ oin: b.oin, aflevering: b.mode })),
    handtekening,
    ...(deps.promise === undefined || drawn === undefined ? {} : { logbelofte: inclusionPromise(deps.promise, bericht, route.bestemmingen.map((b) => b.oin), receivedAt, drawn.commitment) }),
  };
  let trailIssues: readonly Issue[] = [];
  try {
    // The trail is read and checked in the same transaction as the write, under the dossier's lock, so
    // two concurrent berichten of one dossier cannot both pass (e.g. with the same sequence number).
    const written = await (deps.commit ?? ((work) => deps.store.transaction(work)))(async (tx): Promise<'written' | 'refused' | 'replayed'> => {
      if (request.token !== undefined && !(await request.token.recordIn(tx))) return 'replayed';
      await tx.lockDossier(bericht.dossier.referentie);
      const geboekteTrail = (await tx.listBerichtenByDossier(bericht.dossier.referentie)).map(geboekt);
      // A bericht answering one from another dossier: fetch that one too, so that BER-013 (same dossier)
      // names the fault rather than a rule that only sees an unknown reference.
      const answered = bericht.inAntwoordOp;
      if (answered !== undefined && !geboekteTrail.some((g) => g.bericht.berichtId.toLowerCase() === answered.toLowerCase())) {
        const elsewhere = await tx.getBericht(answered);
        if (elsewhere) geboekteTrail.push(geboekt(elsewhere));
      }
      const trail = geboekteTrail.map((g) => g.bericht);
      trailIssues = checkRules(bericht, trailOf(trail, { complete: true }), 'trail');
      if (deps.ledgerCheck && !trailIssues.some((i) => i.severity === 'error')) trailIssues = [...trailIssues, ...(await deps.ledgerCheck(geboekteTrail, bericht, deelnemers, receivedAt))];
      if (trailIssues.some((i) => i.severity === 'error')) return 'refused';
      await tx.insertBericht({
        berichtId: bericht.berichtId,
        senderOin: bericht.verzender.oin,
        berichtType: bericht.berichtType,
        dossierReferentie: bericht.dossier.referentie,
        volgnummer: bericht.dossier.volgnummer,
        ...(bericht.inAntwoordOp === undefined ? {} : { inAntwoordOp: bericht.inAntwoordOp }),
        contentHash: hash,
        body,
        receivedAt,
        receipt: JSON.stringify(receipt),
        ...(request.traceparent === undefined ? {} : { traceparent: request.traceparent }),
      }, canonical, drawn);
      for (const bestemming of route.bestemmingen) {
        await tx.enqueueDelivery({ berichtId: bericht.berichtId, receiverOin: bestemming.oin, mode: bestemming.mode, nextAttemptAt: receivedAt });
      }
      await tx.appendEvent({ type: 'bericht.accepted', berichtId: bericht.berichtId, oin: bericht.verzender.oin, at: receivedAt, data: { berichtType: bericht.berichtType, ontvangers: route.bestemmingen.length } });
      if (bericht.berichtType === 'ontvangstbevestiging' && bericht.inAntwoordOp !== undefined) {
        const acknowledged = await tx.acknowledge({ berichtId: bericht.inAntwoordOp, receiverOin: bericht.verzender.oin }, receivedAt);
        if (acknowledged) {
          await tx.appendEvent({ type: 'delivery.acknowledged', berichtId: bericht.inAntwoordOp, oin: bericht.verzender.oin, at: receivedAt, data: { status: bericht.inhoud.status, viaBericht: bericht.berichtId } });
        }
      }
      if (deps.termijnen) {
        const dossier = geboekteTrail.filter((g) => g.bericht.dossier.referentie === bericht.dossier.referentie);
        await deps.termijnen(tx, [...dossier, { bericht: countersigned, rcv: receivedAt.toISOString() }], deelnemers, receivedAt);
      }
      return 'written';
    });
    request.token?.committed();
    if (written === 'replayed') throw new AuthError('ZICHT_AUTH_TOKEN_REPLAYED');
    if (written === 'refused') return refused('rules', trailIssues);
  } catch (error) {
    if (error instanceof StoreConflictError) {
      const winner = await deps.store.getBericht(bericht.berichtId);
      if (winner) return earlierOutcome(winner, bericht, hash);
    }
    throw error;
  }
  return { kind: 'accepted', receipt, duplicate: false };
}

/**
 * The receipt's inclusion promise (LOG-005): the hash of the `bericht.accepted` leaf the store will write for
 * this bericht (src/store/log-leaf.ts `berichtLeaf`, as `appendEvent` makes it), signed by the log key with the
 * received-at instant and the maximum merge delay.
 */
function inclusionPromise(promise: NonNullable<AcceptDeps['promise']>, bericht: Bericht, receivers: readonly string[], receivedAt: Date, commitment: string): NonNullable<Transportbevestiging['logbelofte']> {
  const receiverOins = [...receivers].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const data = { berichtType: bericht.berichtType, ontvangers: receivers.length };
  const leaf = berichtLeaf({ type: 'bericht.accepted', at: receivedAt, berichtId: bericht.berichtId, berichtType: bericht.berichtType, senderOin: bericht.verzender.oin, receiverOins, receivedAt, commitment, data });
  const hash = leafHash(Buffer.from(leaf, 'utf8'));
  const { signer, maxMergeDelay } = promise;
  return {
    bladhash: Buffer.from(hash).toString('base64'),
    maximaleVertraging: maxMergeDelay,
    belofte: signPromise({ origin: signer.name, leafHash: hash, at: BigInt(Math.floor(receivedAt.getTime() / 1000)), maxMergeDelay }, signer),
  };
}

/**
 * One defect, one code: when the schema's only objections are to `signatures` (an empty or oversized entry,
 * say), the signature checks name the defect as every other verifier does (SIG-001..008), not BER-006.
 */
async function signatureShapeIssue(raw: unknown, issues: readonly Issue[], deps: AcceptDeps): Promise<Issue | undefined> {
  if (!issues.every((issue) => issue.severity !== 'error' || issue.path.startsWith('$.signatures'))) return undefined;
  try {
    await verifyBericht(raw, { keys: deps.keys, now: deps.now?.() ?? new Date(), ...(deps.clock === undefined ? {} : { clock: deps.clock }) });
  } catch (error) {
    if (error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError) {
      return issueFor(signatureRuleFor(error.code), ['signatures', error instanceof CanonicalError ? 0 : (error.index ?? 0)], `The signature is refused (${error.code}).`, error.code);
    }
    throw error;
  }
  return undefined;
}

/** Refusals that depend on when the gateway judges a signature, not on what was signed. */
const TIME_CODES: ReadonlySet<string> = new Set(['ZICHT_SIGNATURE_IAT_STALE', 'ZICHT_KEY_REVOKED', 'ZICHT_KEY_EXPIRED']);

/** Whether a stored bericht carries exactly this sender signature (the one the gateway verified when it accepted it). */
function sameSignature(earlier: StoredBericht, signature: unknown): boolean {
  const stored = (parseStored(earlier).signatures ?? [])[0];
  return stored !== undefined && typeof signature === 'object' && signature !== null && 'protected' in signature && 'signature' in signature &&
    stored.protected === signature.protected && stored.signature === signature.signature;
}

/** A bericht id seen before: the same sender and content gets the original receipt; anything else is a conflict. */
function earlierOutcome(earlier: StoredBericht, bericht: Bericht, hash: string): AcceptOutcome {
  if (earlier.senderOin === bericht.verzender.oin && earlier.contentHash === hash) {
    return { kind: 'accepted', receipt: Transportbevestiging.parse(JSON.parse(earlier.receipt)), duplicate: true };
  }
  return refused('conflict', [issueFor('BER-015', ['berichtId'])]);
}
