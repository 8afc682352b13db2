/**
 * The published FHIR mapping, spec/v1/fhir/, generated from the mapping code itself: a page per
 * bericht type (from each mapping's table), a StructureDefinition per Zicht extension, CodeSystems, a
 * CapabilityStatement (messaging with reliableCache, the $process-message operation) and every spec
 * example as a Bundle. `npm run spec:check` fails when any of it drifts from the code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Bericht, BerichtType } from '../../src/model/bericht.js';
import { Deelnemersrol } from '../../src/model/bericht.js';
import { Betrokkenenrol, Melderrelatie } from '../../src/model/persoon.js';
import { Oordeel, OverdrachtAan, OverdrachtNaDienst } from '../../src/model/overdracht.js';
import { MAPPINGS } from './berichttypen/index.js';
import { TEKSTSOORTEN } from './berichttypen/overdracht.js';
import { AFSLUITREDENEN } from './berichttypen/afsluiting.js';
import { AFSPRAKEN } from './berichttypen/escalatie.js';
import { MONITORING_UITKOMSTEN } from './berichttypen/monitoring.js';
import { TERMIJNEN } from './berichttypen/termijnsignaal.js';
import { FHIR_RULES, FHIR_RULE_SYSTEM } from './issues.js';
import { capabilityStatement } from './capability.js';
import { berichtToBundle } from './to-bundle.js';
import { CS, FHIR_BASE, HL7_EXT, MESSAGE_DEFINITION, NS, ZICHT_EXTENSIONS, type ZichtExtension } from './vocabulary.js';

const DIR = 'spec/v1/fhir';
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const GENERATED = '<!-- Generated from adapters/fhir/ by `npm run spec:build`. Do not edit: `npm run spec:check` fails on any difference. -->';
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const TYPES = Object.keys(MAPPINGS) as BerichtType[];

function structureDefinition(e: ZichtExtension): Record<string, unknown> {
  const url = `${FHIR_BASE}/StructureDefinition/${e.id}`;
  const valueType = (type: string) => [{ code: type }];
  const elements: Record<string, unknown>[] = [
    { id: 'Extension', path: 'Extension', short: e.description.split('. ')[0], definition: e.description, max: e.max },
  ];
  if (e.type === 'complex') {
    for (const slice of e.slices ?? []) {
      const id = `Extension.extension:${slice.url}`;
      elements.push(
        { id, path: 'Extension.extension', sliceName: slice.url, short: slice.description, min: slice.min, max: slice.max },
        { id: `${id}.url`, path: 'Extension.extension.url', fixedUri: slice.url },
        { id: `${id}.value[x]`, path: 'Extension.extension.value[x]', min: 1, type: valueType(slice.type) },
      );
    }
    elements.push({ id: 'Extension.url', path: 'Extension.url', fixedUri: url }, { id: 'Extension.value[x]', path: 'Extension.value[x]', max: '0' });
  } else {
    elements.push({ id: 'Extension.extension', path: 'Extension.extension', max: '0' }, { id: 'Extension.url', path: 'Extension.url', fixedUri: url }, { id: 'Extension.value[x]', path: 'Extension.value[x]', min: 1, type: valueType(e.type) });
  }
  return {
    resourceType: 'StructureDefinition',
    id: `zicht-${e.id}`,
    url,
    version: '1.0.0',
    name: `Zicht${e.id.split('-').map(capitalise).join('')}`,
    status: 'draft',
    description: e.description,
    fhirVersion: '4.0.1',
    kind: 'complex-type',
    abstract: false,
    context: e.context.map((expression) => ({ type: 'element', expression })),
    type: 'Extension',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    derivation: 'constraint',
    differential: { element: elements },
  };
}

function codeSystem(id: string, url: string, title: string, codes: readonly string[]): Record<string, unknown> {
  return {
    resourceType: 'CodeSystem',
    id: `zicht-${id}`,
    url,
    version: '1.0.0',
    name: `Zicht${id.split('-').map(capitalise).join('')}`,
    title,
    status: 'draft',
    caseSensitive: true,
    content: 'complete',
    concept: codes.map((code) => ({ code })),
  };
}

function typePage(type: BerichtType): string {
  const mapping = MAPPINGS[type];
  return [
    `# Zicht v1 in FHIR R4: ${type}`,
    '',
    GENERATED,
    '',
    `${mapping.summary} The envelope maps as in [README.md](README.md#the-envelope); this page gives the content.`,
    `MessageHeader.eventCoding = \`${CS.berichttype}#${type}\`, MessageHeader.focus[0] is a **${mapping.focus}**.`,
    '',
    ...(mapping.rationale === undefined ? [] : [`Why: ${mapping.rationale}`, '']),
    '| bericht | FHIR R4 |',
    '|---|---|',
    ...mapping.table.map(([from, to]) => `| \`${from}\` | ${to} |`),
    '',
    `Examples: ${examples().filter((e) => e.bericht.berichtType === type).map((e) => `[${e.name}](examples/${e.name}.bundle.json)`).join(', ')}.`,
    '',
  ].join('\n');
}

function readme(): string {
  const ext = Object.values(ZICHT_EXTENSIONS);
  return [
    '# Zicht v1 in FHIR R4',
    '',
    GENERATED,
    '',
    'Every Zicht bericht has one FHIR R4 message Bundle and back, without loss: mapping a bericht to a Bundle and back gives',
    'the same bericht, member for member, so its signatures still verify. The gateway accepts such a Bundle at',
    '`POST /v1/fhir/$process-message` and runs exactly the accept path of `POST /v1/berichten` on the mapped bericht; a',
    'receiver whose afleveradres has `kanaal: fhir` gets the mapped Bundle at `POST {url}/$process-message`.',
    '',
    `Pages: ${TYPES.map((t) => `[${t}](${t}.md)`).join(', ')} · [CapabilityStatement](CapabilityStatement-zicht-gateway.json) · extensions and code systems below · [examples](examples/)`,
    '',
    '## The envelope',
    '',
    '| bericht | FHIR R4 |',
    '|---|---|',
    '| (the bericht) | `Bundle` with `type = message`, `id` = berichtId, first entry the `MessageHeader` |',
    '| `berichtId` | `MessageHeader.id` (the id reliable messaging de-duplicates on; `Bundle.id` carries the same value and is not read) |',
    `| \`berichtType\` | \`MessageHeader.eventCoding\`, system \`${CS.berichttype}\` |`,
    `| \`specVersie\` | the version of \`MessageHeader.definition\` = \`${MESSAGE_DEFINITION}|1.0\` |`,
    `| \`verzender\` | \`MessageHeader.sender\` → Organization, identifier system \`${NS.oin}\` = OIN, type (CodeSystem deelnemersrol) = rol; \`source.endpoint\` = \`urn:zicht:oin:{oin}\` |`,
    '| `ontvangers[]` | `MessageHeader.destination[]` in order: `receiver` → Organization as for the sender, `endpoint` = `urn:zicht:oin:{oin}`, extensions gemeentecode and kopie |',
    '| `verzondenOp` | `Bundle.timestamp` |',
    '| `dossier` | extension dossier (referentie, volgnummer) on the MessageHeader |',
    '| `inAntwoordOp` | the focus resource’s link to an earlier message, by `urn:uuid:{berichtId}` (see each type) |',
    '| `inhoud` | the resources of the type, from `MessageHeader.focus` (see each type) |',
    '| `signatures[]` | one `Provenance` (target the MessageHeader): a `signature` per JWS in order, `data` = base64 of the compact detached JWS `protected..signature`, `sigFormat` application/jose, `targetFormat` application/json (the JWS signs the canonical bericht, RFC 8785, not the Bundle); `when` and `who` from the protected header |',
    '',
    'Identifiers: OIN `' + NS.oin + '`, BSN `' + NS.bsn + '` (Nictiz), the local person id `' + NS.persoon + '`, the voorwaarde id `' + NS.voorwaarde + '`, the dossier `' + NS.dossier + '`, the VT region `' + NS.vtRegio + '`.',
    `Names and addresses use the core HL7 extensions ${Object.values(HL7_EXT).map((u) => `\`${u.replace('http://hl7.org/fhir/StructureDefinition/', '')}\``).join(', ')}: \`voorvoegsel\` as own-prefix (family = voorvoegsel + geslachtsnaam), \`huisletter\` as buildingNumberSuffix, \`huisnummertoevoeging\` as unitID; the gemeentecode of an address is \`Address.district\`.`,
    '',
    '## Zicht extensions',
    '',
    'Only where no element of the R4 resource fits:',
    '',
    '| extension | on | value | why |',
    '|---|---|---|---|',
    ...ext.map((e) => `| [${e.id}](StructureDefinition-zicht-${e.id}.json) | ${e.context.join(', ')} | ${e.type}${e.max === '*' ? ' (repeats)' : ''} | ${e.description} |`),
    '',
    '## Rejections',
    '',
    'The response to `$process-message` is a FHIR response message: a Bundle of type message whose MessageHeader has',
    '`response.identifier` = the MessageHeader.id of the request and `response.code` `ok`, `transient-error` (the gateway’s',
    'database is unavailable, or a receiver’s outbox is full: 503 with `Retry-After` and RTE-004; nothing was stored; send the',
    'same message again later) or `fatal-error`, with an OperationOutcome',
    '(`response.details`) for errors. Each issue carries the rule id in `details.coding[0]` (system `urn:zicht:spec:v1:rules`',
    `for the spec’s rules, \`${FHIR_RULE_SYSTEM}\` for the adapter’s own) and a FHIRPath \`expression\` into the submitted Bundle,`,
    'never a value of it. A Bundle that maps to an invalid bericht is refused with the same rule ids as on `POST /v1/berichten`.',
    'The adapter’s own rules, checked before a bericht exists:',
    '',
    '| id | rule |',
    '|---|---|',
    ...Object.entries(FHIR_RULES).map(([id, rule]) => `| ${id} | ${rule.text} |`),
    '',
  ].join('\n');
}

function repositoryRoot(): URL {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    if (existsSync(new URL('package.json', dir))) return dir;
    if (dir.pathname === '/') throw new Error('the repository root is not found');
  }
}

function examples(): { name: string; bericht: Bericht }[] {
  const dir = new URL('spec/v1/examples/valid/', repositoryRoot());
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), bericht: JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Bericht }));
}

/** Every generated file of spec/v1/fhir/, by path from the repository root. */
export function fhirSpecFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(`${DIR}/README.md`, readme());
  for (const type of TYPES) files.set(`${DIR}/${type}.md`, typePage(type));
  for (const e of Object.values(ZICHT_EXTENSIONS)) files.set(`${DIR}/StructureDefinition-zicht-${e.id}.json`, json(structureDefinition(e)));
  for (const [id, url, title, codes] of [
    ['berichttype', CS.berichttype, 'Zicht bericht types (MessageHeader.eventCoding)', TYPES],
    ['deelnemersrol', CS.deelnemersrol, 'Roles of participants', Deelnemersrol.options],
    ['betrokkenenrol', CS.betrokkenenrol, 'Roles of directbetrokkenen', Betrokkenenrol.options],
    ['melderrelatie', CS.melderrelatie, 'How the melder relates to the household', Melderrelatie.options],
    ['tekstsoort', CS.tekstsoort, 'Texts of a handover in Communication.payload', TEKSTSOORTEN],
    ['overdrachtmoment', CS.overdrachtmoment, 'The two moments of a handover (Communication.category)', ['na-veiligheidsbeoordeling', 'na-dienst']],
    ['overdracht-aan', CS.overdrachtAan, 'Who receives the handover (Communication.topic)', OverdrachtAan.shape.soort.options],
    ['beoordeling', CS.beoordeling, 'The assessment behind a handover (ClinicalImpression.code)', ['veiligheidsbeoordeling', ...OverdrachtNaDienst.shape.dienst.options]],
    ['oordeel-huiselijk-geweld', CS.oordeelHuiselijkGeweld, 'VT’s judgement: domestic violence', Oordeel.shape.huiselijkGeweld.options],
    ['oordeel-kindermishandeling', CS.oordeelKindermishandeling, 'VT’s judgement: child abuse', Oordeel.shape.kindermishandeling.options],
    ['taak', CS.taak, 'Tasks in a handover (Task.code)', ['informeren']],
    ['monitoringuitkomst', CS.monitoringuitkomst, 'The outcome of a monitoring moment (Observation.valueCodeableConcept)', MONITORING_UITKOMSTEN],
    ['afsluitreden', CS.afsluitreden, 'Why a dossier is closed (Task.statusReason of an afsluiting)', AFSLUITREDENEN],
    ['afspraak', CS.afspraak, 'The agreement an escalation is about (Communication.reasonCode)', AFSPRAKEN],
    ['termijn', CS.termijn, 'The terms the gateway watches (Task.reasonCode of a termijnsignaal)', TERMIJNEN],
    ['gegeven', CS.gegeven, 'Named parts of lifecycle berichten in typed slots (Observation.component.code, Task.input.type)', ['maand', 'profiel', 'regel', 'regie']],
  ] as const) {
    files.set(`${DIR}/CodeSystem-zicht-${id}.json`, json(codeSystem(id, url, title, codes)));
  }
  files.set(`${DIR}/CapabilityStatement-zicht-gateway.json`, json(capabilityStatement()));
  for (const { name, bericht } of examples()) files.set(`${DIR}/examples/${name}.bundle.json`, json(berichtToBundle(bericht)));
  return files;
}
