/**
 * The answer to "who holds zicht op veiligheid at instant `op`, since when, on what evidence", derived
 * from a dossier's ledger by one pure function. The gateway's query (GET /v1/dossiers/{ref}/verantwoordelijkheid),
 * the console's dossier page, `zicht dossier` (from a gateway, its database, or signed berichten files)
 * and the conformance suite all call it, so they cannot disagree. Metadata only: OINs, roles, times,
 * bericht ids and the profile rule with its source.
 */
import type { Geboekt } from '../model/geboekt.js';
import type { Profiel } from '../profiles/profiel.js';
import { buildLedger, overdrachtStandOp, verantwoordelijkeOp, type Ledger, type OverdrachtStand, type TrailEvent, type Verantwoordelijke } from './ledger.js';

/** Who holds zicht at `op`: not yet begun, a party, or closed. */
export interface Verantwoordelijkheid {
  readonly dossier: string;
  readonly op: string;
  readonly profiel: string;
  /**
   * `nog-niet-begonnen`: before VT became responsible (`begintOp`; absent without a handover);
   * `verantwoordelijk`: `verantwoordelijke` holds zicht; `afgesloten`: closed at `afgeslotenOp`.
   */
  readonly stand: 'nog-niet-begonnen' | 'verantwoordelijk' | 'afgesloten';
  /** When VT became (or becomes) responsible. */
  readonly begintOp?: string;
  readonly verantwoordelijke?: Verantwoordelijke;
  readonly afgeslotenOp?: string;
  /** Where each handover sent by `op` stands at `op`: its receivers, their answers, the agreed lead. */
  readonly overdrachten: readonly OverdrachtStand[];
}

/** The answer at `op` from a ledger (built as of `op` or later). */
export function verantwoordelijkheid(ledger: Ledger, op: Date): Verantwoordelijkheid {
  const t = op.getTime();
  const base = {
    dossier: ledger.dossier,
    op: op.toISOString(),
    profiel: ledger.profiel,
    ...(ledger.vtVerantwoordelijkSinds === undefined ? {} : { begintOp: ledger.vtVerantwoordelijkSinds }),
    overdrachten: ledger.overdrachten.filter((o) => Date.parse(o.rcv) <= t).map((o) => overdrachtStandOp(o, t)),
  };
  if (ledger.afgeslotenOp !== undefined && t >= Date.parse(ledger.afgeslotenOp)) return { ...base, stand: 'afgesloten', afgeslotenOp: ledger.afgeslotenOp };
  const verantwoordelijke = verantwoordelijkeOp(ledger, op);
  if (verantwoordelijke === undefined) return { ...base, stand: 'nog-niet-begonnen' };
  return { ...base, stand: 'verantwoordelijk', verantwoordelijke };
}

/** The one line that says it, in Dutch (for the CLI and the console). */
export function verantwoordelijkheidTekst(v: Verantwoordelijkheid): string {
  switch (v.stand) {
    case 'nog-niet-begonnen':
      return v.begintOp === undefined ? 'nog niet begonnen: er is geen overdracht' : `nog niet begonnen: Veilig Thuis is verantwoordelijk vanaf ${v.begintOp}`;
    case 'afgesloten':
      return `niemand meer: het dossier is afgesloten op ${v.afgeslotenOp ?? ''}`;
    case 'verantwoordelijk':
      return `${v.verantwoordelijke?.oin ?? ''} (${v.verantwoordelijke?.rol ?? ''}) sinds ${v.verantwoordelijke?.sinds ?? ''}`;
  }
}

/**
 * The dossier's ledger as of `nu` and the answer at `op` (default `nu`), from its berichten in accept
 * order, each with the instant the gateway accepted it: the pure function behind the gateway's answers and
 * the offline evaluation alike.
 */
export function evalueerDossier(berichten: readonly Geboekt[], profiel: Profiel, opties: { readonly nu: Date; readonly op?: Date; readonly events?: readonly TrailEvent[] }): { ledger: Ledger; verantwoordelijkheid: Verantwoordelijkheid } {
  const ledger = buildLedger(berichten, profiel, { nu: opties.nu, ...(opties.events ? { events: opties.events } : {}) });
  return { ledger, verantwoordelijkheid: verantwoordelijkheid(ledger, opties.op ?? opties.nu) };
}
