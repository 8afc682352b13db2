/**
 * A dossier's ledger from the store: its berichten, the gateway's events and the profile of the
 * participant its handover is addressed to. Used by the HTTP API, the CLI and the accept path.
 */
import type { Bericht } from '../model/bericht.js';
import type { Geboekt } from '../model/geboekt.js';
import type { Issue } from '../model/outcome.js';
import { profielById } from '../profiles/load.js';
import { STANDAARD_PROFIEL, type Profiel } from '../profiles/profiel.js';
import type { Deelnemer } from '../registry/deelnemer.js';
import type { StoreOperations } from '../store/store.js';
import { geboekt } from '../store/stored-bericht.js';
import { publishedProfielen } from '../profiles/load.js';
import { buildLedger, ledgerRuleIssues, type Ledger } from './ledger.js';

/**
 * The profile of a dossier: that of the first receiver (not in cc) of its first handover, as its
 * participant record names it; `landelijk-minimum` when it names none or there is no handover yet.
 */
export function profielVoorDossier(berichten: readonly Bericht[], deelnemers: readonly Deelnemer[], profielen: ReadonlyMap<string, Profiel>): Profiel {
  const overdracht = berichten.find((b) => b.berichtType === 'overdracht');
  const lead = overdracht?.ontvangers.find((o) => o.kopie !== true);
  const record = lead === undefined ? undefined : deelnemers.find((d) => d.oin === lead.oin);
  return profielById(profielen, record?.profiel ?? STANDAARD_PROFIEL);
}

/**
 * The ledger rules (LVC-010..012) for a bericht about to be accepted, against the dossier's accepted berichten (the
 * trail). The trail rules are not checked again here: the accept path checks them before, in the same transaction.
 */
export function lifecycleIssues(trail: readonly Geboekt[], bericht: Bericht, deelnemers: readonly Deelnemer[], profielen: ReadonlyMap<string, Profiel>, now: Date): Issue[] {
  return ledgerRuleIssues(trail, bericht, profielVoorDossier([...trail.map((g) => g.bericht), bericht], deelnemers, profielen), now);
}

/** Every participant of a dossier: the senders and receivers of its berichten. */
export function deelnemersVan(berichten: readonly Bericht[]): Set<string> {
  return new Set(berichten.flatMap((b) => [b.verzender.oin, ...b.ontvangers.map((o) => o.oin)]));
}

/** The ledger of a stored dossier as of `nu`, or `undefined` when the store has no bericht in it. */
export async function dossierLedger(
  store: StoreOperations,
  referentie: string,
  deelnemers: readonly Deelnemer[],
  profielen: ReadonlyMap<string, Profiel>,
  nu: Date,
): Promise<{ ledger: Ledger; deelnemers: Set<string> } | undefined> {
  const dossier = (await store.listBerichtenByDossier(referentie)).map(geboekt);
  const berichten = dossier.map((g) => g.bericht);
  if (berichten.length === 0) return undefined;
  const events = await store.listEventsOfDossier(referentie);
  const ledger = buildLedger(dossier, profielVoorDossier(berichten, deelnemers, profielen), { nu, events });
  return { ledger, deelnemers: deelnemersVan(berichten) };
}

/** The accept path's ledger check (AcceptDeps.ledgerCheck) over the profiles (default: the published ones). */
export function ledgerCheck(profielen: ReadonlyMap<string, Profiel> = publishedProfielen()) {
  return (trail: readonly Geboekt[], bericht: Bericht, deelnemers: readonly Deelnemer[], now: Date): Promise<readonly Issue[]> => Promise.resolve(lifecycleIssues(trail, bericht, deelnemers, profielen, now));
}
