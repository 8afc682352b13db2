/**
 * Routing: who must receive a validated bericht, according to the participant registry. The
 * content rules already tie the addressed receivers to the bericht (every gemeente of the household,
 * OVD-007; a GI with the gemeente in cc, OVD-008; a receipt back to the handover's sender, ONT-004;
 * an update to the handover's receivers, VVW-006). Routing checks those receivers against the
 * registry (RTE-001..003) and says how each is reached. Pure: no I/O, no HTTP, no SQL.
 */
import type { Bericht } from '../model/bericht.js';
import type { Issue } from '../model/outcome.js';
import type { Deelnemer } from '../registry/deelnemer.js';
import { issueFor } from '../rules/issue.js';

/** One party the gateway delivers a bericht to. */
export interface Bestemming {
  readonly oin: string;
  /** Receives a copy (cc), e.g. the gemeente when VT hands over to a GI. */
  readonly kopie: boolean;
  /** `push` to the participant's first delivery address, or `pull` from its postbus when it has none. */
  readonly mode: 'push' | 'pull';
  readonly url?: string;
}

/** The receivers of a bericht, or why it cannot be routed. */
export type RouteResult = { readonly ok: true; readonly bestemmingen: readonly Bestemming[] } | { readonly ok: false; readonly issues: readonly Issue[] };

const isActive = (d: Deelnemer | undefined): d is Deelnemer => d?.status === 'actief';

/** Routes a bericht that passed validation, given every registered participant. */
export function routeBericht(bericht: Bericht, deelnemers: readonly Deelnemer[]): RouteResult {
  const byOin = new Map(deelnemers.map((d) => [d.oin, d]));
  const issues: Issue[] = [];

  const sender = byOin.get(bericht.verzender.oin);
  if (!isActive(sender) || sender.rol !== bericht.verzender.rol) issues.push(issueFor('RTE-001', ['verzender']));

  // A participant serving several gemeenten is named once per gemeente (BER-008) and gets the bericht once: one
  // delivery per OIN, in cc only when every mention of it is in cc.
  const bestemmingen = new Map<string, Bestemming>();
  for (const [i, ontvanger] of bericht.ontvangers.entries()) {
    const deelnemer = byOin.get(ontvanger.oin);
    const servesGemeente = ontvanger.gemeentecode === undefined || deelnemer?.gemeentecodes.includes(ontvanger.gemeentecode) === true;
    if (!isActive(deelnemer) || deelnemer.rol !== ontvanger.rol || !servesGemeente) {
      issues.push(issueFor('RTE-002', ['ontvangers', i]));
      continue;
    }
    const adres = deelnemer.afleveradressen[0];
    const kopie = ontvanger.kopie === true && bestemmingen.get(deelnemer.oin)?.kopie !== false;
    bestemmingen.set(deelnemer.oin, adres ? { oin: deelnemer.oin, kopie, mode: 'push', url: adres.url } : { oin: deelnemer.oin, kopie, mode: 'pull' });
  }

  if (bericht.berichtType === 'overdracht' && bericht.inhoud.overdrachtAan.soort !== 'andere-gemeente') {
    const served = new Set(deelnemers.filter((d) => isActive(d) && (d.rol === 'gemeente' || d.rol === 'lokaal-team')).flatMap((d) => d.gemeentecodes));
    for (const [i, persoon] of bericht.inhoud.directbetrokkenen.entries()) {
      const code = persoon.adres?.gemeentecode;
      if (code !== undefined && !served.has(code)) issues.push(issueFor('RTE-003', ['inhoud', 'directbetrokkenen', i, 'adres', 'gemeentecode']));
    }
  }

  return issues.length > 0 ? { ok: false, issues } : { ok: true, bestemmingen: [...bestemmingen.values()] };
}
