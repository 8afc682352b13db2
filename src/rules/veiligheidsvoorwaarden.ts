/**
 * VVW: rules of the veiligheidsvoorwaarden (safety conditions), in a handover after a service and
 * in an update (Z-L 2l, 5.2.4, 6.2).
 */
import type { Bericht } from '../model/bericht.js';
import type { Veiligheidsvoorwaarden } from '../model/veiligheidsvoorwaarden.js';
import { amsterdamDatum } from '../profiles/werkdagen.js';
import { defineRule, type PathSegments, type Rule } from './rule.js';

/** The set of conditions a bericht carries, with its path, if it carries one. */
export function voorwaardenOf(bericht: Bericht): { set: Veiligheidsvoorwaarden; path: PathSegments } | undefined {
  switch (bericht.berichtType) {
    case 'overdracht':
      return bericht.inhoud.moment === 'na-dienst' ? { set: bericht.inhoud.veiligheidsvoorwaarden, path: ['inhoud', 'veiligheidsvoorwaarden'] } : undefined;
    case 'veiligheidsvoorwaarden':
      return { set: bericht.inhoud, path: ['inhoud'] };
    case 'ontvangstbevestiging':
    case 'contact-gestart':
    case 'monitoring':
    case 'afsluiting':
    case 'escalatie':
    case 'escalatie-antwoord':
    case 'termijnsignaal':
      return undefined;
  }
}

const CARRIERS = ['overdracht', 'veiligheidsvoorwaarden'] as const;

export const veiligheidsvoorwaardenRules: readonly Rule[] = [
  defineRule({
    id: 'VVW-001',
    stage: 'content',
    severity: 'error',
    code: 'value',
    sources: [{ document: 'Z-L', section: '6.2' }],
    text: 'Each veiligheidsvoorwaarde has an id of its own within its set, so that an update can refer to it.',
    appliesTo: CARRIERS,
    check(bericht, _context, report) {
      const found = voorwaardenOf(bericht);
      if (!found) return;
      const seen = new Set<string>();
      for (const [i, voorwaarde] of found.set.voorwaarden.entries()) {
        if (seen.has(voorwaarde.id)) report([...found.path, 'voorwaarden', i, 'id']);
        seen.add(voorwaarde.id);
      }
    },
  }),
  defineRule({
    id: 'VVW-002',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '6.2' }],
    text: 'The term (termijn) of a veiligheidsvoorwaarde is not before the date the conditions were set (both calendar dates in Europe/Amsterdam). This holds in an update too: a condition carried over whose term has passed is not sent as it was; the professional sets a new term on or after the update\'s vastgesteldOp, or leaves the condition out; a system never moves the term by itself.',
    appliesTo: CARRIERS,
    check(bericht, _context, report) {
      const found = voorwaardenOf(bericht);
      if (!found) return;
      for (const [i, voorwaarde] of found.set.voorwaarden.entries()) {
        if (voorwaarde.termijn < found.set.vastgesteldOp) report([...found.path, 'voorwaarden', i, 'termijn']);
      }
    },
  }),
  defineRule({
    id: 'VVW-003',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [{ document: 'Z-L', section: '2l' }],
    text: 'An update of veiligheidsvoorwaarden refers (inAntwoordOp) to the handover or earlier update it replaces; this rule asks for the reference, what it refers to is VVW-004.',
    appliesTo: ['veiligheidsvoorwaarden'],
    check(bericht, _context, report) {
      if (bericht.inAntwoordOp === undefined) report(['inAntwoordOp']);
    },
  }),
  defineRule({
    id: 'VVW-004',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Z-L', section: '2l' }],
    text: 'An update of veiligheidsvoorwaarden replaces the conditions of a known handover after a service or earlier update, with a higher version.',
    appliesTo: ['veiligheidsvoorwaarden'],
    check(bericht, context, report) {
      if (bericht.inAntwoordOp === undefined) return;
      const earlier = context.findBericht(bericht.inAntwoordOp);
      const previous = earlier && voorwaardenOf(earlier);
      if (!previous) {
        if (earlier || context.complete) report(['inAntwoordOp'], 'Refers to no handover after a service or update of veiligheidsvoorwaarden in the dossier.');
      } else if (bericht.inhoud.versie <= previous.set.versie) {
        report(['inhoud', 'versie'], 'The version is not higher than that of the conditions it replaces.');
      }
    },
  }),
  defineRule({
    id: 'VVW-005',
    stage: 'content',
    severity: 'warning',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '2m' },
      { document: 'Z-L', section: '6.2' },
    ],
    text: 'Each veiligheidsvoorwaarde names the risk factors (risicofactoren) it addresses.',
    appliesTo: CARRIERS,
    check(bericht, _context, report) {
      const found = voorwaardenOf(bericht);
      if (!found) return;
      for (const [i, voorwaarde] of found.set.voorwaarden.entries()) {
        if (voorwaarde.risicofactoren.length === 0) report([...found.path, 'voorwaarden', i, 'risicofactoren']);
      }
    },
  }),
  defineRule({
    id: 'VVW-006',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '2l' },
      { document: 'Z-L', section: '6.2' },
    ],
    text: 'An update of veiligheidsvoorwaarden goes to every receiver of the bericht it updates.',
    appliesTo: ['veiligheidsvoorwaarden'],
    check(bericht, context, report) {
      if (bericht.inAntwoordOp === undefined) return;
      const earlier = context.findBericht(bericht.inAntwoordOp);
      if (!earlier) return;
      const now = new Set(bericht.ontvangers.map((o) => o.oin));
      if (earlier.ontvangers.some((o) => !now.has(o.oin))) report(['ontvangers'], 'A receiver of the updated bericht is missing.');
    },
  }),
  defineRule({
    id: 'VVW-007',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "Veiligheidsvoorwaarden"' }],
    text: 'Veiligheidsvoorwaarden are not set (vastgesteldOp) after the bericht that carries them was sent: after the calendar date of verzondenOp in Europe/Amsterdam.',
    appliesTo: CARRIERS,
    check(bericht, _context, report) {
      const found = voorwaardenOf(bericht);
      if (found && found.set.vastgesteldOp > amsterdamDatum(new Date(bericht.verzondenOp))) report([...found.path, 'vastgesteldOp']);
    },
  }),
];
