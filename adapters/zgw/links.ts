/**
 * What the adapter remembers per handover: the zaak it made for it and how far it got, so a
 * redelivered handover (delivery is at least once) or a retry after a failure continues where it
 * stopped instead of making a second zaak.
 */
import type { Bericht } from '../../src/model/bericht.js';

/** The adapter's record of one handover. */
export interface ZaakLink {
  readonly berichtId: string;
  readonly dossier: string;
  /** The VT that sent the handover (receives the ontvangstbevestiging). */
  readonly vtOin: string;
  /** When the adapter received the handover (the receipt's ontvangenOp). */
  readonly ontvangenOp: string;
  /** The handover's receivers (not in cc): two or more means a household in two gemeenten (Z-L 5.2.4). */
  readonly teams: readonly string[];
  zaak?: string;
  informatieobject?: string;
  zaakinformatieobject?: boolean;
  /** How many rollen are made, in the order of the handover's (person, role) pairs. */
  rollen: number;
  /** Done: every ZGW resource exists. */
  compleet: boolean;
  /** The signed ontvangstbevestiging geaccepteerd once made: a retry resends this same bericht, which the gateway de-duplicates. */
  ontvangstbevestiging?: Bericht;
  /** The ontvangstbevestiging geaccepteerd was accepted by the gateway. */
  geaccepteerd: boolean;
  /** The automatic ontvangstbevestiging ontvangen (AFL-005) once made and signed: a retry resends this same bericht. */
  ontvangen?: Bericht;
  /** The gateway accepted the ontvangen receipt. */
  ontvangenVerzonden?: boolean;
}

/** Where links live. A deployment keeps them in a database; tests and the demo in memory. */
export interface ZaakLinks {
  byBericht(berichtId: string): ZaakLink | undefined;
  byZaak(zaakUrl: string): ZaakLink | undefined;
  save(link: ZaakLink): void;
  /** The next volgnummer of the gemeente in a dossier (BER-011: increasing with the time of sending). */
  nextVolgnummer(dossier: string): number;
}

/** Links in memory. */
export function memoryZaakLinks(): ZaakLinks {
  const links = new Map<string, ZaakLink>();
  const volgnummers = new Map<string, number>();
  return {
    byBericht: (berichtId) => links.get(berichtId),
    byZaak: (zaakUrl) => [...links.values()].find((l) => l.zaak === zaakUrl),
    save: (link) => links.set(link.berichtId, link),
    nextVolgnummer(dossier) {
      const next = (volgnummers.get(dossier) ?? 0) + 1;
      volgnummers.set(dossier, next);
      return next;
    },
  };
}
