/**
 * The console's dossiers overview (issue 21): a page of dossiers with, for each, who holds zicht op veiligheid
 * now, its state and its missed terms. Two store queries a page (the page's references, then all their berichten
 * at once), whatever the number of dossiers; each dossier's answer is the one pure function's, on a ledger built
 * as for the dossier page (src/lifecycle/dossier.ts) from the same berichten.
 */
import { profielVoorDossier } from '../lifecycle/dossier.js';
import { buildLedger } from '../lifecycle/ledger.js';
import { verantwoordelijkheid, type Verantwoordelijkheid } from '../lifecycle/verantwoordelijkheid.js';
import type { Geboekt } from '../model/geboekt.js';
import type { Profiel } from '../profiles/profiel.js';
import type { Deelnemer } from '../registry/deelnemer.js';
import type { DossierListQuery } from '../store/dossier-list.js';
import type { StoreOperations } from '../store/store.js';
import { geboekt } from '../store/stored-bericht.js';

/** One dossier of the overview. */
export interface DossierRij {
  readonly referentie: string;
  readonly profiel: string;
  readonly stand: Verantwoordelijkheid;
  /** Terms missed (gemist) and terms running (open). */
  readonly gemist: number;
  readonly open: number;
  /** When the gateway received its newest bericht. */
  readonly laatsteOp: Date;
}

/** A page of the overview and the key of the next page (none on the last). */
export interface DossierPagina {
  readonly rijen: readonly DossierRij[];
  readonly volgende?: number;
}

/** One page of dossiers as of `nu`. */
export async function dossierOverzicht(
  store: StoreOperations,
  deelnemers: readonly Deelnemer[],
  profielen: ReadonlyMap<string, Profiel>,
  nu: Date,
  query: DossierListQuery,
): Promise<DossierPagina> {
  const page = await store.listDossierPage(query);
  const perDossier = new Map<string, { berichten: Geboekt[]; laatsteOp: Date }>(page.map((p) => [p.referentie, { berichten: [], laatsteOp: new Date(0) }]));
  for (const stored of await store.listBerichtenOfDossiers(page.map((p) => p.referentie))) {
    const entry = perDossier.get(stored.dossierReferentie);
    if (entry === undefined) continue;
    entry.berichten.push(geboekt(stored));
    if (stored.receivedAt > entry.laatsteOp) entry.laatsteOp = stored.receivedAt;
  }
  const rijen = page.flatMap((p): DossierRij[] => {
    const entry = perDossier.get(p.referentie);
    if (entry === undefined || entry.berichten.length === 0) return [];
    const ledger = buildLedger(entry.berichten, profielVoorDossier(entry.berichten.map((g) => g.bericht), deelnemers, profielen), { nu });
    return [{
      referentie: p.referentie,
      profiel: ledger.profiel,
      stand: verantwoordelijkheid(ledger, nu),
      gemist: ledger.termijnen.filter((t) => t.status === 'gemist').length,
      open: ledger.termijnen.filter((t) => t.status === 'open').length,
      laatsteOp: entry.laatsteOp,
    }];
  });
  const last = page.at(-1);
  return { rijen, ...(last !== undefined && page.length >= query.limit ? { volgende: last.laatste } : {}) };
}
