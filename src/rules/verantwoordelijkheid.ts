/**
 * VRW: rules of responsibility (verantwoordelijkheid) for zicht op veiligheid that the berichten carry:
 * the afstemming of a household in two or more gemeenten (Z-L 5.2.4, 6.2). See spec/v1/responsibility.md.
 */
import type { OntvangstbevestigingBericht, OverdrachtBericht } from '../model/bericht.js';
import type { ValidationContext } from './context.js';
import { defineRule, type Rule } from './rule.js';

/** Receivers not in cc, each participant once: one serving several gemeenten is named once per gemeente (BER-008). */
export function nietInKopie(ontvangers: OverdrachtBericht['ontvangers']): OverdrachtBericht['ontvangers'] {
  const hoofd = ontvangers.filter((o) => o.kopie !== true);
  return hoofd.filter((o, i) => hoofd.findIndex((p) => p.oin === o.oin) === i);
}

/** The receivers (not in cc) of a handover: those it is handed over to, each participant once. */
export function hoofdontvangers(h: OverdrachtBericht): OverdrachtBericht['ontvangers'] {
  return nietInKopie(h.ontvangers);
}

/**
 * How many receivers (not in cc) a handover has as BER-008 counts them, one per OIN and gemeentecode: a team
 * named for two gemeenten of the household is two receivers, for the gemeenten coordinate (VRW-001, Q22, Z-L 6.2).
 */
export function ontvangersPerGemeente(h: OverdrachtBericht): number {
  return new Set(h.ontvangers.filter((o) => o.kopie !== true).map((o) => `${o.oin} ${o.gemeentecode ?? ''}`)).size;
}

function beantwoordeOverdracht(bericht: OntvangstbevestigingBericht, context: ValidationContext): OverdrachtBericht | undefined {
  if (bericht.inAntwoordOp === undefined) return undefined;
  const h = context.findBericht(bericht.inAntwoordOp);
  return h?.berichtType === 'overdracht' ? h : undefined;
}

const ZL_524 = { document: 'Z-L', section: '5.2.4' } as const;
const ZL_62 = { document: 'Z-L', section: '6.2' } as const;

export const verantwoordelijkheidRules: readonly Rule[] = [
  defineRule({
    id: 'VRW-001',
    stage: 'trail',
    severity: 'error',
    code: 'required',
    sources: [ZL_524, ZL_62],
    text: 'A receipt with status geaccepteerd of a handover to two or more receivers (not in cc) names the team that leads, as the gemeenten agreed (afstemming.regie). Receivers are counted as BER-008 defines them, one per gemeente: a team named for two gemeenten of the household is two receivers, and its one receipt names the lead (itself or another).',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, context, report) {
      if (bericht.inhoud.status !== 'geaccepteerd' || bericht.inhoud.afstemming !== undefined) return;
      const h = beantwoordeOverdracht(bericht, context);
      if (h !== undefined && ontvangersPerGemeente(h) >= 2) report(['inhoud', 'afstemming']);
    },
  }),
  defineRule({
    id: 'VRW-002',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [ZL_524],
    text: 'The team an afstemming names to lead (afstemming.regie) is a receiver (not in cc) of the handover the receipt answers; a niet-geaccepteerd that carries an afstemming names another team than its sender. The rule applies only where an afstemming is present: a niet-geaccepteerd needs none (VRW-001 asks for one in a geaccepteerd only), and one without it is not refused.',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, context, report) {
      const regie = bericht.inhoud.afstemming?.regie;
      const h = beantwoordeOverdracht(bericht, context);
      if (regie !== undefined && h !== undefined && !hoofdontvangers(h).some((o) => o.oin === regie)) report(['inhoud', 'afstemming', 'regie'], 'Names no receiver (not in cc) of the handover.');
      else if (regie === bericht.verzender.oin && bericht.inhoud.status === 'niet-geaccepteerd') report(['inhoud', 'afstemming', 'regie'], 'A team that does not accept the case does not lead it.');
    },
  }),
  defineRule({
    id: 'VRW-003',
    stage: 'trail',
    severity: 'warning',
    code: 'business-rule',
    sources: [ZL_524],
    text: 'The afstemming names the same team to lead as the other receivers\' receipts of the handover; until they agree, VT keeps zicht op veiligheid.',
    appliesTo: ['ontvangstbevestiging'],
    check(bericht, context, report) {
      const regie = bericht.inhoud.afstemming?.regie;
      if (regie === undefined || bericht.inAntwoordOp === undefined) return;
      const answered = bericht.inAntwoordOp.toLowerCase();
      const other = context
        .berichtenInDossier(bericht.dossier.referentie)
        .some((b) => b.berichtType === 'ontvangstbevestiging' && b.verzender.oin !== bericht.verzender.oin && b.inAntwoordOp?.toLowerCase() === answered && b.inhoud.afstemming !== undefined && b.inhoud.afstemming.regie !== regie);
      if (other) report(['inhoud', 'afstemming', 'regie'], 'Another receiver named a different team.');
    },
  }),
];
