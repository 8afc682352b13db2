/**
 * The rule catalogue: every rule of the standard in one list, in the order spec/v1/rules.md shows
 * them. Ids are stable; a retired rule keeps its id reserved (see spec/v1/README.md, "Versioning").
 */
import { BERICHT_TYPES, type BerichtType } from '../model/bericht.js';
import { afleveringRules } from './aflevering.js';
import { levenscyclusRules } from './levenscyclus.js';
import { berichtRules } from './bericht.js';
import { configurationRules } from './configuration.js';
import { encryptionRules } from './encryption.js';
import { routingRules, signatureRules } from './gateway.js';
import { requestRules } from './request.js';
import { ontvangstbevestigingRules } from './ontvangstbevestiging.js';
import { overdrachtRules } from './overdracht.js';
import type { CheckedRule, Rule } from './rule.js';
import { veiligheidsvoorwaardenRules } from './veiligheidsvoorwaarden.js';
import { verantwoordelijkheidRules } from './verantwoordelijkheid.js';

/** All rules of spec v1. */
export const catalogue: readonly Rule[] = [
  ...berichtRules,
  ...requestRules,
  ...overdrachtRules,
  ...veiligheidsvoorwaardenRules,
  ...ontvangstbevestigingRules,
  ...levenscyclusRules,
  ...verantwoordelijkheidRules,
  ...signatureRules,
  ...routingRules,
  ...encryptionRules,
  ...afleveringRules,
  ...configurationRules,
];

const byId = new Map(catalogue.map((rule) => [rule.id, rule]));

/** The rule with this id; throws for an id that is not in the catalogue (a programming error). */
export function ruleById(id: string): Rule {
  const rule = byId.get(id);
  if (!rule) throw new Error(`rule ${id} is not in the catalogue`);
  return rule;
}

const isChecked = (rule: Rule): rule is CheckedRule => rule.stage === 'content' || rule.stage === 'trail';

/** The checked rules that apply to a bericht type, in catalogue order. */
export const checksFor = Object.fromEntries(
  BERICHT_TYPES.map((type) => [type, catalogue.filter(isChecked).filter((r) => r.appliesTo.includes(type))]),
) as unknown as Readonly<Record<BerichtType, readonly CheckedRule[]>>;
