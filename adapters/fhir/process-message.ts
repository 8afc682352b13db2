/**
 * FHIR `$process-message` over the accept path: the Bundle is mapped to a bericht and goes through
 * exactly `acceptBericht` (validation, the caller-is-sender check, signature verification, storage,
 * routing), as POST /v1/berichten does. The answer is a FHIR response message (MessageHeader.response
 * ok / transient-error / fatal-error) with the gateway's countersignature as a Provenance when
 * accepted, or an OperationOutcome when not. Reliable messaging comes from the accept path: the same
 * message again gets the original response (built only from the stored receipt, so it is the same
 * Bundle); the same id with other content is a fatal-error (BER-015).
 */
import { randomUUID } from 'node:crypto';
import { acceptBericht, type AcceptDeps, type Refusal } from '../../src/accept/accept.js';
import { JsonError, StoreUnavailableError } from '../../src/errors.js';
import { parseStrictJson } from '../../src/json/strict-json.js';
import type { BerichtType } from '../../src/model/bericht.js';
import type { Transportbevestiging } from '../../src/model/transportbevestiging.js';
import { issueFor } from '../../src/rules/issue.js';
import { bundleToBericht } from './from-bundle.js';
import { fhirIssue, type FhirIssue } from './issues.js';
import { operationOutcome } from './outcome.js';
import { berichtReference } from './berichttypen/mapping.js';
import { derivedUuid, type FhirResource } from './resource.js';
import { oinEndpoint, signatureData } from './to-bundle.js';
import { CS, NS, SIGNATURE_TYPE } from './vocabulary.js';

/** The FHIR response code of a message (R4 ValueSet response-code). */
export type ResponseCode = 'ok' | 'transient-error' | 'fatal-error';

/** What `$process-message` answers: an HTTP status and a FHIR resource (a response Bundle or an OperationOutcome). */
export interface ProcessOutcome {
  readonly status: 200 | 400 | 403 | 409 | 413 | 422 | 503;
  readonly body: FhirResource;
  /** A new bericht was accepted (not a resend). */
  readonly accepted: boolean;
  /** Seconds after which the same message may be sent again (a `Retry-After` header); only with 503. */
  readonly retryAfter?: number;
}

const REFUSAL_STATUS: Readonly<Record<Refusal, ProcessOutcome['status']>> = { malformed: 400, 'too-large': 413, forbidden: 403, conflict: 409, rules: 422, busy: 503 };

/**
 * A full outbox (RTE-004) is the only refusal that goes away by itself: the same message later may be
 * accepted, so FHIR's `transient-error`, as for an unavailable database. Every other refusal is final.
 */
const REFUSAL_CODE: Readonly<Record<Refusal, ResponseCode>> = { malformed: 'fatal-error', 'too-large': 'fatal-error', forbidden: 'fatal-error', conflict: 'fatal-error', rules: 'fatal-error', busy: 'transient-error' };

/** As the native route's Retry-After for `busy` (src/http/app.ts). */
const BUSY_RETRY_SECONDS = 60;
/** Seconds a sender waits while the database is unavailable (CFG-010), as POST /v1/berichten says. */
const UNAVAILABLE_RETRY_SECONDS = 5;

interface Message {
  readonly id: string;
  readonly event: BerichtType;
}

function responseMessage(request: Message, gatewayOin: string, callerOin: string, code: ResponseCode, parts: { id: string; timestamp: string; outcome?: FhirResource; provenance?: FhirResource }): FhirResource {
  const outcomeUrl = `urn:uuid:${derivedUuid(parts.id, 'outcome')}`;
  return {
    resourceType: 'Bundle',
    id: parts.id,
    type: 'message',
    timestamp: parts.timestamp,
    entry: [
      {
        fullUrl: `urn:uuid:${parts.id}`,
        resource: {
          resourceType: 'MessageHeader',
          id: parts.id,
          eventCoding: { system: CS.berichttype, code: request.event },
          destination: [{ endpoint: oinEndpoint(callerOin) }],
          source: { endpoint: oinEndpoint(gatewayOin) },
          response: { identifier: request.id, code, ...(parts.outcome ? { details: { reference: outcomeUrl } } : {}) },
        },
      },
      ...(parts.outcome ? [{ fullUrl: outcomeUrl, resource: parts.outcome }] : []),
      ...(parts.provenance ? [{ fullUrl: `urn:uuid:${derivedUuid(parts.id, 'provenance')}`, resource: parts.provenance }] : []),
    ],
  };
}

/** The gateway's countersignature from the transport receipt, as a Provenance on the accepted message. */
function countersignature(receipt: Transportbevestiging, gatewayOin: string): FhirResource {
  const gateway = { type: 'Organization', identifier: { system: NS.oin, value: gatewayOin } };
  return {
    resourceType: 'Provenance',
    target: [berichtReference(receipt.berichtId)],
    recorded: receipt.ontvangenOp,
    agent: [{ who: gateway }],
    signature: [{ type: [{ system: SIGNATURE_TYPE.system, code: SIGNATURE_TYPE.verification }], when: receipt.ontvangenOp, who: gateway, targetFormat: 'application/json', sigFormat: 'application/jose', data: signatureData(receipt.handtekening) }],
  };
}

/** Processes one FHIR message Bundle (bytes) sent by the participant `callerOin`. */
export async function processMessage(bytes: Uint8Array, callerOin: string, deps: AcceptDeps, request: { traceparent?: string } = {}): Promise<ProcessOutcome> {
  let json: unknown;
  try {
    json = parseStrictJson(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (error) {
    // A Bundle naming a member twice is refused like a bericht (BER-017): two readers would read two messages.
    const issue = error instanceof JsonError && error.code === 'ZICHT_JSON_DUPLICATE_MEMBER' ? issueFor('BER-017', [], 'An object of the Bundle names a member twice; refused, never read last-one-wins (ZICHT_JSON_DUPLICATE_MEMBER).', 'ZICHT_JSON_DUPLICATE_MEMBER') : issueFor('BER-001', []);
    return { status: 400, body: operationOutcome([{ ...issue, expression: 'Bundle' }]), accepted: false };
  }
  const reading = bundleToBericht(json);
  const gatewayOin = deps.gateway.oin;
  const refuse = (status: ProcessOutcome['status'], issues: readonly FhirIssue[], message?: Message, code: ResponseCode = 'fatal-error'): ProcessOutcome => {
    const outcome = operationOutcome(issues);
    const body = message ? responseMessage(message, gatewayOin, callerOin, code, { id: randomUUID(), timestamp: new Date().toISOString(), outcome }) : outcome;
    return { status, body, accepted: false, ...(code === 'transient-error' ? { retryAfter: BUSY_RETRY_SECONDS } : {}) };
  };
  if (!reading.ok) {
    const message = reading.messageId !== undefined && reading.event !== undefined ? { id: reading.messageId, event: reading.event } : undefined;
    return refuse(reading.issues.some((i) => i.rule === 'FHIR-001') ? 400 : 422, reading.issues, message);
  }
  const message = { id: reading.messageId, event: reading.event };
  try {
    const outcome = await acceptBericht(new TextEncoder().encode(JSON.stringify(reading.bericht)), callerOin, deps, request);
    if (outcome.kind === 'accepted') {
      const id = derivedUuid(outcome.receipt.berichtId, 'response');
      return {
        status: 200,
        body: responseMessage(message, gatewayOin, callerOin, 'ok', { id, timestamp: outcome.receipt.ontvangenOp, provenance: countersignature(outcome.receipt, gatewayOin) }),
        accepted: !outcome.duplicate,
      };
    }
    const issues: FhirIssue[] =
      outcome.reason === 'forbidden'
        ? [fhirIssue('FHIR-006', 'Bundle.entry[0].resource.sender')]
        : outcome.issues.map((issue) => ({ rule: issue.rule, severity: issue.severity, expression: reading.origins.expressionFor(issue.path), message: issue.message }));
    return refuse(REFUSAL_STATUS[outcome.reason], issues, message, REFUSAL_CODE[outcome.reason]);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    const outcome = operationOutcome([], { code: 'transient', text: 'The database is unavailable; nothing was stored. Send the same message again later.' });
    // Retry-After as on every other 503 of the gateway (CFG-010; openapi.json declares it).
    return { status: 503, body: responseMessage(message, gatewayOin, callerOin, 'transient-error', { id: randomUUID(), timestamp: new Date().toISOString(), outcome }), accepted: false, retryAfter: UNAVAILABLE_RETRY_SECONDS };
  }
}
