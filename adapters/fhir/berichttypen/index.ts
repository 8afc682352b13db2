/**
 * The mapping of every bericht type, by type. Exhaustive: when the model gains a bericht type, this
 * record does not compile until the type has its mapping.
 */
import type { BerichtType } from '../../../src/model/bericht.js';
import { afsluitingMapping } from './afsluiting.js';
import { contactGestartMapping } from './contact-gestart.js';
import { escalatieAntwoordMapping } from './escalatie-antwoord.js';
import { escalatieMapping } from './escalatie.js';
import type { BerichttypeMapping } from './mapping.js';
import { monitoringMapping } from './monitoring.js';
import { ontvangstbevestigingMapping } from './ontvangstbevestiging.js';
import { overdrachtMapping } from './overdracht.js';
import { termijnsignaalMapping } from './termijnsignaal.js';
import { veiligheidsvoorwaardenMapping } from './veiligheidsvoorwaarden.js';

/** Every bericht type's mapping. */
export const MAPPINGS: { readonly [T in BerichtType]: BerichttypeMapping<T> } = {
  overdracht: overdrachtMapping,
  veiligheidsvoorwaarden: veiligheidsvoorwaardenMapping,
  ontvangstbevestiging: ontvangstbevestigingMapping,
  'contact-gestart': contactGestartMapping,
  monitoring: monitoringMapping,
  afsluiting: afsluitingMapping,
  escalatie: escalatieMapping,
  'escalatie-antwoord': escalatieAntwoordMapping,
  termijnsignaal: termijnsignaalMapping,
};

/** Whether a code is a bericht type with a mapping. */
export const isBerichtType = (code: unknown): code is BerichtType => typeof code === 'string' && Object.hasOwn(MAPPINGS, code);
