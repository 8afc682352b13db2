/**
 * FHIR R4 message Bundle → bericht. Reads an untrusted Bundle: first the message structure
 * (FHIR-001..004: a message Bundle, a Zicht event, a focus of the right type, references that resolve),
 * then the envelope and the type's content. Values are taken as they are, not coerced: a value of the
 * wrong type or shape is left for the spec's validator, which reports it with the same rule id as on
 * the native route. Origins say, for each part of the bericht, where in the Bundle it came from.
 */
import type { BerichtType } from '../../src/model/bericht.js';
import { MAPPINGS, isBerichtType } from './berichttypen/index.js';
import { fhirIssue, type FhirIssue } from './issues.js';
import { Origins } from './origins.js';
import { BundleIndex, FhirNode } from './reader.js';
import { compact } from './resource.js';
import { CS, MESSAGE_DEFINITION, NS, extUrl } from './vocabulary.js';

/** The result of reading a Bundle. */
export type BundleReading =
  | { readonly ok: true; readonly bericht: Record<string, unknown>; readonly origins: Origins; readonly messageId: string; readonly event: BerichtType }
  | { readonly ok: false; readonly issues: readonly FhirIssue[]; readonly messageId?: string; readonly event?: BerichtType };

function signatureOf(signature: FhirNode): Record<string, unknown> {
  const data = signature.value('data');
  const compactForm = typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : '';
  const parts = compactForm.split('..');
  return parts.length === 2 ? { protected: parts[0], signature: parts[1] } : { protected: compactForm, signature: '' };
}

/** Maps a parsed FHIR message Bundle to a bericht (not yet validated). */
export function bundleToBericht(json: unknown): BundleReading {
  const index = new BundleIndex(new FhirNode(json, 'Bundle', undefined).list('entry'));
  const bundle = new FhirNode(json, 'Bundle', index);
  const header = bundle.first('entry').get('resource');
  const messageId = header.value('id');
  if (bundle.value('resourceType') !== 'Bundle' || bundle.value('type') !== 'message' || header.value('resourceType') !== 'MessageHeader' || typeof messageId !== 'string') {
    return { ok: false, issues: [fhirIssue('FHIR-001', 'Bundle')] };
  }
  const eventCoding = header.get('eventCoding');
  const event = eventCoding.value('code');
  if (eventCoding.value('system') !== CS.berichttype || !isBerichtType(event)) {
    return { ok: false, issues: [fhirIssue('FHIR-002', eventCoding.path)], messageId };
  }
  const mapping = MAPPINGS[event];
  const focus = header.list('focus').map((reference) => reference.resolve());
  const first = focus[0];
  if (first?.value('resourceType') !== mapping.focus) {
    return { ok: false, issues: index.issues.length > 0 ? index.issues : [fhirIssue('FHIR-003', `${header.path}.focus`)], messageId, event };
  }

  const origins = new Origins();
  origins.note([], bundle);
  origins.note(['berichtId'], header.get('id'));
  origins.note(['berichtType'], eventCoding);
  origins.note(['verzondenOp'], bundle.get('timestamp'));
  const definition = header.value('definition');
  origins.note(['specVersie'], header.get('definition'));
  const specVersie = typeof definition === 'string' && definition.startsWith(`${MESSAGE_DEFINITION}|`) ? definition.slice(MESSAGE_DEFINITION.length + 1) : undefined;

  const participant = (organization: FhirNode | undefined) => compact({ oin: organization?.identifier(NS.oin)?.value('value'), rol: organization?.first('type').code(CS.deelnemersrol) });
  const senderOrganization = header.resolve('sender');
  origins.note(['verzender'], senderOrganization ?? header.get('sender'));
  const ontvangers = header.list('destination').map((destination, i) => {
    origins.note(['ontvangers', i], destination);
    return compact({
      ...participant(destination.resolve('receiver')),
      gemeentecode: destination.extensionValue(extUrl('gemeentecode'), 'valueCode'),
      kopie: destination.extensionValue(extUrl('kopie'), 'valueBoolean'),
    });
  });
  origins.note(['ontvangers'], header.get('destination'));
  const dossier = header.extensions(extUrl('dossier'))[0];
  if (dossier) origins.note(['dossier'], dossier);

  const content = mapping.fromFhir(focus.filter((f): f is FhirNode => f !== undefined), { origins });
  const provenance = bundle.list('entry').map((e) => e.get('resource')).find((r) => r.value('resourceType') === 'Provenance');
  const signatures = provenance?.list('signature').map((s, i) => {
    origins.note(['signatures', i], s);
    return signatureOf(s);
  });
  if (provenance) origins.note(['signatures'], provenance);
  if (index.issues.length > 0) return { ok: false, issues: index.issues, messageId, event };

  const bericht = compact({
    specVersie,
    berichtId: messageId,
    berichtType: event,
    verzender: participant(senderOrganization),
    ontvangers,
    verzondenOp: bundle.value('timestamp'),
    dossier: dossier ? compact({ referentie: dossier.extensionValue('referentie', 'valueString'), volgnummer: dossier.extensionValue('volgnummer', 'valuePositiveInt') }) : undefined,
    inAntwoordOp: content.inAntwoordOp,
    inhoud: content.inhoud,
    signatures: signatures !== undefined && signatures.length > 0 ? signatures : undefined,
  });
  return { ok: true, bericht, origins, messageId, event };
}
