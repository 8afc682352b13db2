/**
 * A set of veiligheidsvoorwaarden (safety conditions, Z-L 2l, 6.2) as a CarePlan with a Goal per
 * condition: the term as the Goal's due date, the consequence as its note, the risk factors as the
 * display of what it `addresses`. The set's version is a Zicht extension.
 */
import type { Veiligheidsvoorwaarden } from '../../../src/model/veiligheidsvoorwaarden.js';
import type { PathSegments } from '../../../src/rules/rule.js';
import type { Origins } from '../origins.js';
import type { FhirNode } from '../reader.js';
import { compact, type BundleWriter, type FhirJson, type FhirReference } from '../resource.js';
import { NS, extUrl } from '../vocabulary.js';

/** Writes the set as a CarePlan and its Goals; `extra` adds members to the CarePlan (note, replaces). */
export function voorwaardenToFhir(set: Veiligheidsvoorwaarden, writer: BundleWriter, subject: FhirJson, extra: FhirJson = {}): FhirReference {
  const goals = set.voorwaarden.map((v, i) =>
    writer.add(`voorwaarde/${String(i)}`, {
      resourceType: 'Goal',
      identifier: [{ system: NS.voorwaarde, value: v.id }],
      lifecycleStatus: 'active',
      description: { text: v.omschrijving },
      subject,
      target: [{ dueDate: v.termijn }],
      ...(v.risicofactoren.length === 0 ? {} : { addresses: v.risicofactoren.map((r) => ({ display: r })) }),
      note: [{ text: v.consequentie }],
    }),
  );
  return writer.add('voorwaarden', {
    resourceType: 'CarePlan',
    extension: [{ url: extUrl('voorwaardenVersie'), valuePositiveInt: set.versie }],
    status: 'active',
    intent: 'order',
    subject,
    created: set.vastgesteldOp,
    goal: goals,
    ...extra,
  });
}

/** Reads a set of veiligheidsvoorwaarden from a CarePlan and its Goals. */
export function voorwaardenFromFhir(plan: FhirNode, path: PathSegments, origins: Origins): Record<string, unknown> {
  origins.note(path, plan);
  const voorwaarden = plan.list('goal').map((reference, i) => {
    const goal = reference.resolve();
    const at = [...path, 'voorwaarden', i];
    origins.note(at, goal ?? reference);
    if (!goal) return {};
    const id = goal.identifier(NS.voorwaarde);
    if (id) origins.note([...at, 'id'], id);
    return compact({
      id: id?.value('value'),
      omschrijving: goal.get('description').value('text'),
      termijn: goal.first('target').value('dueDate'),
      consequentie: goal.first('note').value('text'),
      risicofactoren: goal.list('addresses').map((a) => a.value('display')),
    });
  });
  origins.note([...path, 'voorwaarden'], plan.get('goal'));
  return compact({
    versie: plan.extensionValue(extUrl('voorwaardenVersie'), 'valuePositiveInt'),
    vastgesteldOp: plan.value('created'),
    voorwaarden,
  });
}
