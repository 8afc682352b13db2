/**
 * The validation context: the berichten already known in a dossier's trail. Rules of stage `trail`
 * (sequence numbers, what a receipt answers, which conditions an update replaces) look up earlier
 * berichten here. A context is `complete` when it holds every bericht of the dossier (the gateway's
 * store); only then is a reference to an unknown bericht itself an error. A partial trail, such as
 * the files given to `zicht validate`, checks what it can.
 */
import type { Bericht } from '../model/bericht.js';

/** What trail rules may ask about earlier berichten. */
export interface ValidationContext {
  /** True when the trail holds every bericht of the dossier, so an unknown reference is an error. */
  readonly complete: boolean;
  /** The bericht with this id, if the trail holds it. */
  findBericht(berichtId: string): Bericht | undefined;
  /** The trail's berichten in this dossier. */
  berichtenInDossier(referentie: string): readonly Bericht[];
}

/** A context with no earlier berichten: trail rules find nothing to compare with. */
export const noTrail: ValidationContext = {
  complete: false,
  findBericht: () => undefined,
  berichtenInDossier: () => [],
};

/**
 * Builds a context from earlier berichten (e.g. the files given to `zicht validate`, or a store
 * query). Pass `complete: true` only when these are all berichten of the dossiers concerned.
 */
export function trailOf(berichten: readonly Bericht[], options: { complete?: boolean } = {}): ValidationContext {
  const byId = new Map<string, Bericht>();
  const byDossier = new Map<string, Bericht[]>();
  for (const bericht of berichten) {
    byId.set(bericht.berichtId.toLowerCase(), bericht);
    const list = byDossier.get(bericht.dossier.referentie);
    if (list) list.push(bericht);
    else byDossier.set(bericht.dossier.referentie, [bericht]);
  }
  return {
    complete: options.complete ?? false,
    findBericht: (berichtId) => byId.get(berichtId.toLowerCase()),
    berichtenInDossier: (referentie) => byDossier.get(referentie) ?? [],
  };
}
