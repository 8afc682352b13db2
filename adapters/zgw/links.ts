/**
 * What the adapter remembers per handover: the zaak it made for it and how far it got, so a
 * redelivered handover (delivery is at least once) or a retry after a failure continues where it
 * stopped instead of making a second zaak.
 */
import { createHash } from 'node:crypto';
import type { Bericht } from '../../src/model/bericht.js';
import { canonicalBericht } from '../../src/signing/canonical.js';

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
  /** SHA-256 (base64url) of the handover's canonical form without signatures: a push of its berichtId with other content is BER-015. */
  readonly inhoud?: string;
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

/** The hash a link keeps of its handover's content ({@link ZaakLink.inhoud}): the bytes every signature covers. */
export function inhoudVan(bericht: Bericht): string {
  return createHash('sha256').update(canonicalBericht(bericht)).digest('base64url');
}

/**
 * Where links live: `zicht zgw` keeps them in a SQLite file (./links-sqlite.ts), unit tests in memory. A read
 * returns the caller's own copy; a change counts once it is saved (change it with {@link updateLink}).
 */
export interface ZaakLinks {
  byBericht(berichtId: string): ZaakLink | undefined;
  byZaak(zaakUrl: string): ZaakLink | undefined;
  /** Stores the link, replacing the one with its berichtId; durable once it returns. */
  save(link: ZaakLink): void;
  /** The links with a signed receipt the gateway has not accepted yet ({@link awaitsGateway}): sent again after a restart (Q98). */
  unsent(): ZaakLink[];
  /** The next volgnummer of the gemeente in a dossier (BER-011: increasing with the time of sending). */
  nextVolgnummer(dossier: string): number;
}

/**
 * Whether a signed receipt of the link (the automatic `ontvangen`, or the acceptance) waits for the gateway. Q98: it
 * is sent again after a restart, since the handover it answers is never delivered again once it was stored.
 */
export const awaitsGateway = (link: ZaakLink): boolean =>
  (link.ontvangen !== undefined && link.ontvangenVerzonden !== true) || (link.ontvangstbevestiging !== undefined && !link.geaccepteerd);

/**
 * Changes a link and saves it in one synchronous step, on the stored link rather than on `held` (a copy an
 * earlier step read): a task that held its copy across an await (a retry, a notification) then never writes
 * it back over what another task saved meanwhile. Returns the link as saved.
 */
export function updateLink(links: ZaakLinks, held: ZaakLink, change: (link: ZaakLink) => void): ZaakLink {
  const link = links.byBericht(held.berichtId) ?? held;
  change(link);
  links.save(link);
  return link;
}

/** Links in memory, copied in and out as the SQLite store does; a restart forgets them (for unit tests only). */
export function memoryZaakLinks(): ZaakLinks {
  const links = new Map<string, ZaakLink>();
  const volgnummers = new Map<string, number>();
  const copy = (link: ZaakLink | undefined) => (link === undefined ? undefined : structuredClone(link));
  return {
    byBericht: (berichtId) => copy(links.get(berichtId)),
    byZaak: (zaakUrl) => copy([...links.values()].find((l) => l.zaak === zaakUrl)),
    save: (link) => links.set(link.berichtId, structuredClone(link)),
    unsent: () => [...links.values()].filter(awaitsGateway).map((link) => structuredClone(link)),
    nextVolgnummer(dossier) {
      const next = (volgnummers.get(dossier) ?? 0) + 1;
      volgnummers.set(dossier, next);
      return next;
    },
  };
}
