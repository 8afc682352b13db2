/**
 * The ledgers of many dossiers at once: for the console's overview of overdue and escalated items and for the
 * metrics' deadlines (pending and missed). Read from the store's berichten, as {@link dossierLedger} does for one.
 */
import type { Profiel } from '../profiles/profiel.js';
import type { Deelnemer } from '../registry/deelnemer.js';
import type { StoreOperations } from '../store/store.js';
import { dossierLedger } from './dossier.js';
import type { Ledger, LedgerTermijn } from './ledger.js';

/** How many dossiers one overview reads at most (newest first). */
export const MAX_OVERZICHT_DOSSIERS = 1000;

/** The ledgers of the newest dossiers `oin` takes part in (all dossiers without `oin`), as of `nu`. */
export async function dossierLedgers(
  store: StoreOperations,
  deelnemers: readonly Deelnemer[],
  profielen: ReadonlyMap<string, Profiel>,
  nu: Date,
  query: { readonly oin?: string; readonly limit?: number } = {},
): Promise<Ledger[]> {
  const refs = await store.listDossierReferenties({ ...(query.oin === undefined ? {} : { oin: query.oin }), limit: query.limit ?? MAX_OVERZICHT_DOSSIERS });
  const ledgers: Ledger[] = [];
  for (const ref of refs) {
    const found = await dossierLedger(store, ref, deelnemers, profielen, nu);
    if (found) ledgers.push(found.ledger);
  }
  return ledgers;
}

/** Terms counted by kind and status: the metrics' deadlines. Keys are `soort` and `status`, never a dossier. */
export function telTermijnen(ledgers: readonly Ledger[]): Map<string, { soort: LedgerTermijn['soort']; status: LedgerTermijn['status']; aantal: number }> {
  const counts = new Map<string, { soort: LedgerTermijn['soort']; status: LedgerTermijn['status']; aantal: number }>();
  for (const termijn of ledgers.flatMap((l) => l.termijnen)) {
    const key = `${termijn.soort} ${termijn.status}`;
    const entry = counts.get(key) ?? { soort: termijn.soort, status: termijn.status, aantal: 0 };
    entry.aantal += 1;
    counts.set(key, entry);
  }
  return counts;
}
