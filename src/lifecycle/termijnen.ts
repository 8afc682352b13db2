/**
 * The durable timers of a dossier's terms (src/store/termijn.ts), kept in step with its ledger. The ledger
 * (src/lifecycle/ledger.ts) says which terms the profile sets, until when, who must act and whether each
 * is met: this module only writes that down, so the deadline arithmetic lives in one place. Run in the
 * transaction that accepts a bericht: a bericht that starts a term opens its timer, one that meets a
 * term settles it, an afsluiting (closure) settles every open one as `vervallen`, and so does a bericht
 * after which the ledger no longer sets a term (first contact after a `niet-geaccepteerd` receipt).
 */
import type { Geboekt } from '../model/geboekt.js';
import type { Profiel } from '../profiles/profiel.js';
import { publishedProfielen } from '../profiles/load.js';
import type { Deelnemer } from '../registry/deelnemer.js';
import type { StoreOperations } from '../store/store.js';
import type { TermijnKey } from '../store/termijn.js';
import { profielVoorDossier } from './dossier.js';
import { ledgerTermijnen, type LedgerTermijn } from './ledger.js';

/** The timer key of a term of the ledger. */
export function termijnKey(t: Pick<LedgerTermijn, 'berichtId' | 'soort' | 'moetHandelen' | 'maand'>): TermijnKey {
  return { berichtId: t.berichtId, soort: t.soort, moetHandelen: t.moetHandelen, maand: t.maand ?? 0 };
}

const sameKey = (a: TermijnKey, b: TermijnKey) => a.berichtId.toLowerCase() === b.berichtId.toLowerCase() && a.soort === b.soort && a.moetHandelen === b.moetHandelen && a.maand === b.maand;

/** What a term of the ledger means for its timer: keep it open, or settle it. */
export function termijnActie(t: LedgerTermijn): 'open' | 'gehaald' | 'vervallen' {
  if (t.gehaaldMet !== undefined) return 'gehaald';
  if (t.status === 'vervallen') return 'vervallen';
  return 'open';
}

/**
 * Brings the timers of one dossier in line with its ledger as of `now`: opens a timer for each term that
 * is not met (also one already past its end, so that it fires at once), settles those met or lapsed.
 * `berichten` are the dossier's accepted berichten in accept order, the new one last.
 */
export async function syncTermijnen(tx: StoreOperations, berichten: readonly Geboekt[], profiel: Profiel, now: Date): Promise<void> {
  const first = berichten[0]?.bericht;
  if (first === undefined) return;
  const ledger = ledgerTermijnen(berichten, profiel, now);
  const timers = await tx.listTermijnenOfDossier(first.dossier.referentie);
  for (const t of ledger.termijnen) {
    const key = termijnKey(t);
    const timer = timers.find((x) => sameKey(x, key));
    const actie = termijnActie(t);
    if (actie === 'open') {
      if (timer === undefined) {
        await tx.openTermijn({ ...key, dossierReferentie: first.dossier.referentie, profiel: ledger.profiel, regel: t.regel, dueAt: new Date(t.uiterlijk) });
      }
    } else if (timer?.status === 'open') {
      await tx.settleTermijn(key, actie, now);
    }
  }
  // A term the ledger no longer sets (first contact after a niet-geaccepteerd receipt) lapses.
  for (const timer of timers) {
    if (timer.status === 'open' && !ledger.termijnen.some((t) => sameKey(termijnKey(t), timer))) await tx.settleTermijn(termijnKey(timer), 'vervallen', now);
  }
}

/**
 * The accept path's timer step (AcceptDeps.termijnen) over the registry as read before the transaction and the profiles (default: the
 * published ones): the dossier's profile is that of its first handover's receiver, as for the ledger.
 */
export function termijnSync(profielen: ReadonlyMap<string, Profiel> = publishedProfielen()) {
  return async (tx: StoreOperations, dossier: readonly Geboekt[], deelnemers: readonly Deelnemer[], now: Date): Promise<void> => {
    await syncTermijnen(tx, dossier, profielVoorDossier(dossier.map((g) => g.bericht), deelnemers, profielen), now);
  };
}
