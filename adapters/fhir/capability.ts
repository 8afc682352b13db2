/**
 * The gateway's FHIR CapabilityStatement: published in spec/v1/fhir (kind `requirements`, what every
 * Zicht gateway does) and served by a running gateway at `GET /v1/fhir/metadata` (kind `instance`,
 * with the base URL it answers at), so that a FHIR client's `capabilityStatement()` works.
 */
import type { BerichtType } from '../../src/model/bericht.js';
import { MAPPINGS } from './berichttypen/index.js';
import { FHIR_BASE, MESSAGE_DEFINITION } from './vocabulary.js';

const TYPES = Object.keys(MAPPINGS) as BerichtType[];

/** The published CapabilityStatement (kind `requirements`). */
export function capabilityStatement(): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    id: 'zicht-gateway',
    url: `${FHIR_BASE}/CapabilityStatement/zicht-gateway`,
    version: '1.0.0',
    name: 'ZichtGateway',
    status: 'draft',
    date: '2026-01-01',
    kind: 'requirements',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    description: 'A Zicht gateway takes Zicht berichten as FHIR R4 messages at POST /v1/fhir/$process-message and delivers them as FHIR messages to receivers that chose FHIR delivery.',
    rest: [{ mode: 'server', operation: [{ name: 'process-message', definition: 'http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message' }] }],
    messaging: [
      {
        reliableCache: 43_200,
        documentation: 'Reliable messaging: the gateway keeps every accepted message for as long as it keeps the bericht (the whole dossier); the same message again (same MessageHeader.id, same content) gets the original response, the same id with other content a fatal-error (BER-015). The reliableCache value is a lower bound in minutes (30 days).',
        supportedMessage: TYPES.flatMap((type) => [
          { mode: 'receiver', definition: `${MESSAGE_DEFINITION}|1.0#${type}` },
          { mode: 'sender', definition: `${MESSAGE_DEFINITION}|1.0#${type}` },
        ]),
      },
    ],
  };
}

/** The CapabilityStatement of one running gateway whose FHIR base URL is `base` (kind `instance`). */
export function instanceCapabilityStatement(base: string): Record<string, unknown> {
  return { ...capabilityStatement(), kind: 'instance', implementation: { description: 'Zicht gateway', url: base } };
}
