/**
 * The validation context: the berichten already known in a dossier's trail. Rules of stage `trail`
 * (sequence numbers, what a receipt answers) need it; without it they are not evaluated.
 */
import type { Bericht } from '../model/bericht.js';

/** What trail rules may ask about earlier berichten. */
export interface ValidationContext {
  /** True when a trail was supplied, so trail rules run and an unknown reference is an error. */
  readonly hasTrail: boolean;
  /** The bericht with this id, if the trail holds it. */
  findBericht(berichtId: string): Bericht | undefined;
  /** The trail's berichten in this dossier. */
  berichtenInDossier(referentie: string): readonly Bericht[];
}

/** A context with no trail: trail rules are skipped. */
export const noTrail: ValidationContext = {
  hasTrail: false,
  findBericht: () => undefined,
  berichtenInDossier: () => [],
};

/** Builds a context from a list of earlier berichten (e.g. the files given to `zicht validate`, or a store query). */
export function trailOf(berichten: readonly Bericht[]): ValidationContext {
  const byId = new Map<string, Bericht>();
  const byDossier = new Map<string, Bericht[]>();
  for (const bericht of berichten) {
    byId.set(bericht.berichtId.toLowerCase(), bericht);
    const list = byDossier.get(bericht.dossier.referentie);
    if (list) list.push(bericht);
    else byDossier.set(bericht.dossier.referentie, [bericht]);
  }
  return {
    hasTrail: true,
    findBericht: (berichtId) => byId.get(berichtId.toLowerCase()),
    berichtenInDossier: (referentie) => byDossier.get(referentie) ?? [],
  };
}
