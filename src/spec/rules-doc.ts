/**
 * spec/v1/rules.md, generated from the rule catalogue: one anchor per rule id, so a failing case
 * or an error message leads a vendor to the rule and from there to its source section.
 */
import { catalogue } from '../rules/catalogue.js';
import type { Rule, Source, Stage } from '../rules/rule.js';

const STAGE_TEXT: Readonly<Record<Stage, string>> = {
  input: 'reading the input',
  schema: 'the schema',
  content: 'the content of the bericht',
  trail: "the dossier's earlier berichten",
  signature: 'signature verification',
  registry: 'the participant registry (gateway)',
  ledger: "the dossier's ledger, its region profile and the gateway's clock (gateway)",
  aflevering: "the push to a receiver and the receiver's answer (receiver and gateway)",
  gateway: "the gateway's configuration and operation (gateway)",
};

const PREFIXES = [
  ['BER', 'Bericht: the envelope and reading the input'],
  ['OVD', 'Overdracht: the handover'],
  ['VVW', 'Veiligheidsvoorwaarden: the safety conditions'],
  ['ONT', 'Ontvangstbevestiging: the receipt'],
  ['LVC', 'Levenscyclus: contact, monitoring, escalation, closure, the gateway\'s signals and the ledger'],
  ['VRW', 'Verantwoordelijkheid: who holds zicht op veiligheid (see responsibility.md)'],
  ['SIG', 'Signatures'],
  ['RTE', 'Routing against the participant registry'],
  ['ENC', 'End-to-end encryption towards a receiver'],
  ['AFL', 'Aflevering: the push to a receiver, its answer and its receipts (receiver.md)'],
  ['CFG', "Configuration and operation of a gateway (docs/configuration.md)"],
] as const;

const source = (s: Source): string => `${s.document} ${s.section}`;

function appliesTo(rule: Rule): string {
  return rule.stage === 'content' || rule.stage === 'trail' ? rule.appliesTo.join(', ') : 'every bericht';
}

/** Renders the catalogue as Markdown. */
export function renderRulesMarkdown(): string {
  const lines: string[] = [
    '# Zicht v1: rules',
    '',
    '<!-- Generated from src/rules/ by `npm run spec:build`. Do not edit: `npm run spec:check` fails on any difference. -->',
    '',
    'Every rule has a stable id. Validators, the gateway, error messages (`issues[].rule`, `OperationOutcome.issue[].details.coding[0].code`) and',
    'conformance cases cite these ids. An **error** rejects the bericht; a **warning** is reported and does not. Sources refer to the',
    'documents listed in [README.md § Sources](README.md#1-sources). The table row is the whole rule; the section of each rule below',
    'repeats it word for word and adds its OperationOutcome issue code, and refines nothing (implementation-questions.md Q240).',
    '',
    '| id | severity | checked against | applies to | rule | source |',
    '|---|---|---|---|---|---|',
  ];
  for (const rule of catalogue) {
    lines.push(
      `| [${rule.id}](#${rule.id.toLowerCase()}) | ${rule.severity} | ${STAGE_TEXT[rule.stage]} | ${appliesTo(rule)} | ${rule.text.replaceAll('|', '\\|')} | ${rule.sources.map(source).join('; ')} |`,
    );
  }
  for (const [prefix, title] of PREFIXES) {
    lines.push('', `## ${prefix}: ${title}`);
    for (const rule of catalogue.filter((r) => r.id.startsWith(`${prefix}-`))) {
      lines.push(
        '',
        `### ${rule.id}`,
        '',
        rule.text,
        '',
        `- Severity: **${rule.severity}** (OperationOutcome issue code \`${rule.code}\`)`,
        `- Checked against: ${STAGE_TEXT[rule.stage]}`,
        `- Applies to: ${appliesTo(rule)}`,
        `- Source: ${rule.sources.map(source).join('; ')}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
