/**
 * Responsibility recomputed without the gateway (issue 17): from the signed berichten a participant or an
 * auditor holds, each validated and its sender signature and gateway countersignature verified against keys
 * obtained independently (a registry file or a JWKS), then the same pure evaluation the gateway's answers use
 * ({@link evalueerDossier}). The gateway's database is not trusted for the answer: only signatures are.
 */
import { verifyBundle, type AuditBundle } from '../audit/bundle.js';
import type { NoteVerifier } from '../audit/note-key.js';
import { CanonicalError, KeyError, SignatureError } from '../errors.js';
import type { Geboekt } from '../model/geboekt.js';
import type { Profiel } from '../profiles/profiel.js';
import { validateBericht } from '../rules/validate.js';
import type { KeyResolver } from '../signing/key-resolver.js';
import { verifyBericht } from '../signing/verify.js';
import type { Ledger } from './ledger.js';
import { evalueerDossier, type Verantwoordelijkheid } from './verantwoordelijkheid.js';

/** One file of a trail: its name (for reports) and its bytes (one signed bericht). */
export interface TrailBestand {
  readonly naam: string;
  readonly bytes: Uint8Array;
}

/** A file that could not be used, and why: a rule id or an error code, never content. */
export interface TrailFout {
  readonly bestand: string;
  readonly code: string;
}

/**
 * The verified berichten of a trail, in the order the gateway received them, each with its first
 * countersignature's `rcv` (verified with the gateway's key): the instant the ledger counts it from.
 */
export interface GeverifieerdeTrail {
  readonly berichten: readonly Geboekt[];
  readonly fouten: readonly TrailFout[];
}

/**
 * Reads and verifies a trail: each file must be a valid bericht (schema and content rules) with a valid
 * sender signature and a valid gateway countersignature. Files that fail are listed in `fouten` and left out.
 * The berichten are ordered by the countersignature's received-at, then id; a bericht held twice counts once.
 * `now` is the verifier's clock (spec/v1/time-and-keys.md): no countersignature may lie ahead of it; the
 * verifier's real now by default.
 */
export async function verifieerTrail(bestanden: readonly TrailBestand[], keys: KeyResolver, now: Date = new Date()): Promise<GeverifieerdeTrail> {
  const gelezen: Geboekt[] = [];
  const fouten: TrailFout[] = [];
  for (const bestand of bestanden) {
    const result = validateBericht(bestand.bytes);
    const value = result.value;
    if (!result.ok || value === undefined) {
      fouten.push({ bestand: bestand.naam, code: result.issues.find((i) => i.severity === 'error')?.rule ?? 'BER-006' });
      continue;
    }
    try {
      const verified = await verifyBericht(value, { keys, requireCountersignature: true, now });
      const rcv = verified.countersignatures[0]?.rcv;
      if (rcv === undefined) fouten.push({ bestand: bestand.naam, code: 'ZICHT_SIGNATURE_MISSING' });
      else gelezen.push({ bericht: value, rcv });
    } catch (error) {
      if (error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError) fouten.push({ bestand: bestand.naam, code: error.code });
      else throw error;
    }
  }
  const seen = new Set<string>();
  const berichten = gelezen
    .sort((a, b) => Date.parse(a.rcv) - Date.parse(b.rcv) || a.bericht.berichtId.localeCompare(b.bericht.berichtId))
    .filter(({ bericht: b }) => {
      const id = b.berichtId.toLowerCase();
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  return { berichten, fouten };
}

/**
 * Who held zicht op veiligheid in dossier `dossier` at `op`, and its ledger, from verified berichten: the
 * gateway's own function over the berichten of that dossier, deterministic. The ledger is taken as of the
 * later of `op` and the last bericht's `rcv` (the gateway's clock as its countersignatures show it, the trail's
 * own evidence of time), so every bericht the gateway accepted counts and the answer at `op` is the gateway's;
 * its terms are as of that moment.
 */
export function evalueerTrail(berichten: readonly Geboekt[], dossier: string, profiel: Profiel, op: Date): { ledger: Ledger; verantwoordelijkheid: Verantwoordelijkheid } | undefined {
  const vanDossier = berichten.filter((g) => g.bericht.dossier.referentie === dossier);
  if (vanDossier.length === 0) return undefined;
  const laatste = Math.max(...vanDossier.map((g) => Date.parse(g.rcv)));
  return evalueerDossier(vanDossier, profiel, { nu: new Date(Math.max(op.getTime(), laatste)), op });
}

/**
 * Checks verified berichten of a dossier against an audit bundle (an export of the gateway's log) and puts them
 * in the log's order. The bundle must verify with `trusted` (the log key obtained independently, never the
 * bundle's own); every held bericht of the dossier must have a `bericht.accepted` leaf in it (the gateway
 * logged accepting it); and when the bundle is an export of this dossier, every bericht it logged as accepted
 * must be held, so that the answer does not rest on a partial trail. Problems are listed in `fouten`
 * (the bericht id or `bundle`, with a code); the berichten come back in leaf order.
 */
export function toetsAanBundel(berichten: readonly Geboekt[], dossier: string, bundle: AuditBundle, trusted: readonly NoteVerifier[]): GeverifieerdeTrail {
  const fouten: TrailFout[] = verifyBundle(bundle, { trusted }).map((f) => ({ bestand: f.index === undefined ? 'bundle' : `bundle entry ${f.index}`, code: f.kind }));
  const geaccepteerd = new Map<string, number>();
  for (const entry of bundle.entries) {
    const leaf = JSON.parse(entry.leaf) as { type?: unknown; berichtId?: unknown };
    if (leaf.type === 'bericht.accepted' && typeof leaf.berichtId === 'string') geaccepteerd.set(leaf.berichtId.toLowerCase(), entry.index);
  }
  const vanDossier = berichten.filter((g) => g.bericht.dossier.referentie === dossier);
  for (const { bericht: b } of vanDossier) if (!geaccepteerd.has(b.berichtId.toLowerCase())) fouten.push({ bestand: b.berichtId, code: 'not-in-log' });
  if (bundle.selection.dossier === dossier) {
    const held = new Set(vanDossier.map((g) => g.bericht.berichtId.toLowerCase()));
    for (const id of geaccepteerd.keys()) if (!held.has(id)) fouten.push({ bestand: id, code: 'logged-not-held' });
  }
  const index = (g: Geboekt) => geaccepteerd.get(g.bericht.berichtId.toLowerCase()) ?? Number.MAX_SAFE_INTEGER;
  return { berichten: [...vanDossier].sort((a, b) => index(a) - index(b)), fouten };
}
