/**
 * The OpenAPI 3.1 description of the Zicht exchange API, generated from the zod model with
 * @asteasolutions/zod-to-openapi. It must lint clean against the Dutch API Design Rules (ADR 2.2.1).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { Bericht } from '../model/bericht.js';
import { Issue } from '../model/outcome.js';
import { BerichtStatus, Postbus } from '../model/bericht-status.js';
import { Oin, Uuid } from '../model/primitives.js';
import { Transportbevestiging } from '../model/transportbevestiging.js';
import { registerDossierPaths } from './dossiers.js';
import { LOG_TAG, registerLogPaths } from './log-paths.js';
import { registerReceiverWebhook } from './receiver.js';
import { DeelnemerJwks } from '../registry/published-keys.js';

/** The full version of the API this document describes (sent in the API-Version header, ADR /core/version-header). */
export const API_VERSION = '1.0.0';

/** An RFC 9457 problem with the list of issues that caused it. */
export const Problem = z
  .strictObject({
    type: z.string().meta({ description: 'URI reference identifying the problem type.' }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    instance: z.string().optional(),
    issues: z.array(Issue).meta({ description: 'The findings, each with its rule id (spec/v1/rules.md) and JSON path; never input values.' }),
  })
  .meta({ id: 'Problem', description: 'An error response (RFC 9457 application/problem+json) with the issues that caused it.' });

/** A JWE compact serialization (RFC 7516 §7.1): what a receiver with a current encryption key gets instead of JSON (ENC-003). */
export const JweCompact = z
  .string()
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
  .meta({
    id: 'JweCompact',
    description:
      'A JWE compact serialization (RFC 7516 §7.1) to the caller\'s current encryption key: protected header alg RSA-OAEP-256 or ECDH-ES, enc A256GCM, kid, cty application/json. Its plaintext is the application/json body otherwise sent (ENC-003, ENC-004).',
  });

/** The headers of a response, as header objects or references. */
type HeaderMap = Exclude<NonNullable<ResponseConfig['headers']>, z.ZodObject>;

/** What a FHIR route answers: a FHIR R4 resource (a response Bundle, a CapabilityStatement or an OperationOutcome). */
const FhirResource = z
  .looseObject({ resourceType: z.string() })
  .meta({ id: 'FhirResource', description: 'A FHIR R4 resource as application/fhir+json: a message Bundle, a CapabilityStatement or an OperationOutcome (spec/v1/fhir).' });

/** A JWK Set of the gateway's signing key (RFC 7517 §5). */
const GatewayJwks = z
  .strictObject({
    keys: z
      .array(z.looseObject({ kty: z.string(), kid: z.string(), use: z.literal('sig'), alg: z.string() }))
      .min(1)
      .meta({ description: "The gateway's current signing key: public members only, with kid (RFC 7638 thumbprint), use sig and alg." }),
  })
  .meta({ id: 'GatewayJwks', description: "The gateway's public signing key as a JWK Set (RFC 7517): the key of its countersignatures, transport receipts and push tokens." });

/** The server of the paths outside /v1 (RFC 8615 well-known URIs). */
export const ROOT_SERVER = { url: 'https://gateway.zicht.example', description: 'The gateway\'s origin, for well-known URIs (RFC 8615) outside /v1.' };

/** Paths served at the gateway's origin rather than under /v1 (path-level `servers`). */
const ROOT_PATHS = ['/.well-known/jwks.json'] as const;

function buildRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  const apiVersion = registry.registerComponent('headers', 'API-Version', {
    description: 'The full version of the API (ADR /core/version-header). The gateway sends it with every response.',
    required: true,
    schema: { type: 'string', example: API_VERSION },
  });
  const traceparent = registry.registerComponent('headers', 'traceparent', {
    description: 'W3C Trace Context of this request: the caller\'s trace id when it sent a valid traceparent, otherwise a new one. Informative.',
    required: true,
    schema: { type: 'string', pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' },
  });
  const retryAfter = registry.registerComponent('headers', 'Retry-After', {
    description: 'Seconds to wait before sending the same request again (RFC 9110 §10.2.3).',
    required: true,
    schema: { type: 'integer', minimum: 1 },
  });
  const wwwAuthenticate = registry.registerComponent('headers', 'WWW-Authenticate', {
    description: 'The challenge (RFC 9110 §11.6.1, RFC 6750 §3): Bearer.',
    required: true,
    schema: { type: 'string', pattern: '^Bearer' },
  });
  const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
  const versionHeader: HeaderMap = { 'API-Version': ref(apiVersion.name), traceparent: ref(traceparent.name) };
  const retryHeaders = { ...versionHeader, 'Retry-After': ref(retryAfter.name) };
  const challengeHeaders = { ...versionHeader, 'WWW-Authenticate': ref(wwwAuthenticate.name) };
  // An early 413 leaves the rest of the body unread, so the connection is not reused (RFC 9112 §9.6).
  const closeHeaders: HeaderMap = { ...versionHeader, Connection: { description: 'close: the rest of the body is not read and the connection is not reused.', required: true, schema: { type: 'string' as const, enum: ['close'] } } };
  const problem = (description: string, headers: HeaderMap = versionHeader) => ({
    description,
    headers,
    content: { 'application/problem+json': { schema: Problem } },
  });
  const publicOperation: Record<string, string[]>[] = [];

  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    tags: ['meta'],
    summary: 'This OpenAPI document',
    description: 'Returns this OpenAPI document (ADR /core/publish-openapi), readable from any origin.',
    security: publicOperation,
    responses: {
      200: {
        description: 'The OpenAPI document.',
        headers: { ...versionHeader, 'Access-Control-Allow-Origin': { description: 'Any origin may read the document (ADR /core/publish-openapi).', required: true, schema: { type: 'string', enum: ['*'] } } },
        content: { 'application/json': { schema: z.looseObject({}) } },
      },
    },
  });

  const bearer = registry.registerComponent('securitySchemes', 'participantToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "A JWT signed with one of the participant's registered keys: iss = its OIN, aud = the gateway's OIN, at most 5 minutes from iat to exp, a jti never used before.",
  });
  const mtls = registry.registerComponent('securitySchemes', 'participantCertificate', {
    type: 'mutualTLS',
    description: "A client certificate from the configured CA (PKIoverheid in production); the participant's OIN is its Subject serialNumber.",
  });
  const security = [{ [bearer.name]: [] }, { [mtls.name]: [] }];
  const unavailable = problem('The database is unavailable (CFG-010); nothing was stored. Send the same request again after Retry-After.', retryHeaders);
  const authenticated = {
    400: problem('A path or query parameter does not have the form given here (BER-030); the issue names it.'),
    401: problem("Not authenticated as an active participant (BER-031); the issue's code says why.", challengeHeaders),
    429: problem('Too many requests from this participant; see Retry-After.', retryHeaders),
    503: unavailable,
  };
  const forbidden = (description: string) => ({ 403: problem(description) });
  const berichtId = z.object({ id: Uuid.meta({ param: { description: 'The berichtId.' } }) });

  registry.registerPath({
    method: 'post',
    path: '/berichten',
    operationId: 'postBericht',
    tags: ['berichten'],
    summary: 'Deliver a bericht',
    description:
      'Delivers a signed bericht of any type a participant sends: overdracht, veiligheidsvoorwaarden, ontvangstbevestiging, and the lifecycle berichten contact-gestart, monitoring, afsluiting, escalatie and escalatie-antwoord (the ninth type, termijnsignaal, only the gateway sends; README §2 and §5a). The receiver validates it against the schema and every rule of spec/v1/rules.md, verifies its signature, stores it durably, and only then answers 202 with its countersigned transport receipt. The same bericht again gets the original receipt. A rejection is application/problem+json listing every issue with its rule id; it never echoes values from the bericht.',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: Bericht } } } },
    responses: {
      202: {
        description: 'Validated, verified, routed and durably stored.',
        headers: versionHeader,
        content: { 'application/json': { schema: Transportbevestiging } },
      },
      ...authenticated,
      400: problem('The body is not one JSON text in UTF-8, is nested too deep or names a member twice (BER-001, BER-003, BER-017).'),
      ...forbidden('A participant can only send berichten as their sender (verzender.oin).'),
      409: problem('A bericht with this berichtId but other content or sender was accepted before (BER-015).'),
      413: problem('The bericht is larger than the limit of BER-002. The rest of the body is not read, so the gateway closes the connection after this answer.', closeHeaders),
      415: problem('The body is not application/json.'),
      422: problem('The bericht breaks one or more rules; `issues` lists them with their rule ids.'),
      503: problem('The database is unavailable (CFG-010), or a receiver cannot take more berichten now (RTE-004); nothing was stored. Send the same bericht again after Retry-After.', retryHeaders),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/berichten/{id}',
    operationId: 'getBerichtStatus',
    tags: ['berichten'],
    summary: 'Status of a bericht per receiver',
    description: 'Where the bericht stands for each receiver: queued, delivered, acknowledged or failed. Only for its sender and receivers.',
    security,
    request: { params: berichtId },
    responses: {
      200: { description: 'The status per receiver.', headers: versionHeader, content: { 'application/json': { schema: BerichtStatus } } },
      ...authenticated,
      ...forbidden('Only the sender and the receivers of a bericht can see its status.'),
      404: problem('No bericht with this id.'),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/postbus',
    operationId: 'getPostbus',
    tags: ['postbus'],
    summary: 'Read your postbus',
    description:
      'For receivers that cannot take pushes: the berichten waiting for the caller, oldest first. A bericht stays in the postbus until it is acknowledged. ' +
      'A caller with a current registered encryption key gets the page as a JWE (application/jose) encrypted to that key, whose plaintext is the application/json page (ENC-003): such a caller reads the body as text, not JSON.',
    security,
    request: {
      query: z.object({
        limit: z.int().min(1).max(1000).optional().meta({ param: { description: 'Page size (default 50).' } }),
        after: z.string().regex(/^\d{1,15}$/).optional().meta({ param: { description: 'Cursor from the previous page (volgende).' } }),
      }),
    },
    responses: {
      200: {
        description: 'One page of the postbus: as JSON, or (for a caller with a current encryption key) as a JWE of that JSON.',
        headers: versionHeader,
        content: { 'application/json': { schema: Postbus }, 'application/jose': { schema: JweCompact } },
      },
      ...authenticated,
      409: problem('None of the caller\'s encryption keys is valid now: register a new one to read the postbus (ENC-003).'),
    },
  });

  registry.registerPath({
    method: 'post',
    path: '/postbus/{id}/ack',
    operationId: 'ackPostbus',
    tags: ['postbus'],
    summary: 'Acknowledge a bericht from your postbus',
    description: 'Marks the bericht as received by the caller. (An ontvangstbevestiging bericht acknowledges a handover as well.)',
    security,
    request: { params: berichtId },
    responses: {
      204: { description: 'Acknowledged.', headers: versionHeader },
      ...authenticated,
      404: problem('No bericht with this id in your postbus.'),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/deelnemers/{oin}/jwks',
    operationId: 'getDeelnemerJwks',
    tags: ['deelnemers'],
    summary: "A participant's public keys",
    description: 'The JWK Set of a participant, each key with its kid (RFC 7638 thumbprint) and validity window (nbf, exp, revokedAt), so anyone can verify what it signed, also after rotation.',
    security: publicOperation,
    request: { params: z.object({ oin: Oin.meta({ param: { description: 'The participant OIN.' } }) }) },
    responses: {
      200: { description: 'The JWK Set.', headers: versionHeader, content: { 'application/json': { schema: DeelnemerJwks } } },
      400: problem('oin is not 20 digits (BER-030).'),
      404: problem('No participant with this OIN.'),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/.well-known/jwks.json',
    operationId: 'getGatewayJwks',
    tags: ['deelnemers'],
    summary: "The gateway's signing key",
    description: "The gateway's current public signing key as a JWK Set, at the well-known address outside /v1 (this path's server is the gateway's origin). The same key with its validity window is in GET /v1/deelnemers/{gatewayOin}/jwks.",
    security: publicOperation,
    responses: {
      200: { description: 'The JWK Set.', headers: versionHeader, content: { 'application/json': { schema: GatewayJwks } } },
    },
  });

  const fhir = (description: string, headers: HeaderMap = versionHeader) => ({ description, headers, content: { 'application/fhir+json': { schema: FhirResource } } });
  registry.registerPath({
    method: 'get',
    path: '/fhir/metadata',
    operationId: 'getFhirCapabilityStatement',
    tags: ['fhir'],
    summary: 'The FHIR CapabilityStatement',
    description: "The gateway's FHIR R4 CapabilityStatement (spec/v1/fhir/CapabilityStatement-zicht-gateway.json) with the base URL it was asked at: what a FHIR client's capabilityStatement() reads.",
    security: publicOperation,
    responses: { 200: fhir('The CapabilityStatement.') },
  });
  registry.registerPath({
    method: 'post',
    path: '/fhir/$process-message',
    operationId: 'processFhirMessage',
    tags: ['fhir'],
    summary: 'Deliver a bericht as a FHIR message',
    description:
      'FHIR R4 $process-message: a message Bundle (spec/v1/fhir) mapped to a bericht and taken as POST /berichten takes it. Every answer is FHIR, not problem+json: a response message Bundle, or an OperationOutcome whose issues cite the rule ids (details.coding, system urn:zicht:spec:v1:rules) with a FHIRPath expression.',
    security,
    request: { body: { required: true, content: { 'application/fhir+json': { schema: FhirResource } } } },
    responses: {
      200: fhir('Accepted and durably stored: the response message Bundle (response.code ok) with the transport receipt.'),
      400: fhir('The body is not one JSON text in UTF-8 or names a member twice (BER-001, BER-017): an OperationOutcome.'),
      401: fhir('Not authenticated as an active participant (BER-031): an OperationOutcome.', challengeHeaders),
      403: fhir('The message is not sent as the caller: a response Bundle with an OperationOutcome.'),
      409: fhir('A bericht with this berichtId but other content was accepted before (BER-015).'),
      413: fhir('Larger than the limit of BER-002: an OperationOutcome. The rest of the body is not read, so the gateway closes the connection after this answer.', closeHeaders),
      415: fhir('Not application/fhir+json: an OperationOutcome.'),
      422: fhir('The message or the bericht it maps to breaks rules: a response Bundle (response.code fatal-error) or an OperationOutcome, citing the rules.'),
      429: fhir('Too many requests from this participant; see Retry-After. An OperationOutcome.', retryHeaders),
      503: fhir('The database is unavailable (CFG-010) or a receiver cannot take more now (RTE-004); nothing was stored. Send the same message again after Retry-After.', retryHeaders),
    },
  });

  registerDossierPaths(registry, { versionHeader, security, authenticated, forbidden: forbidden("Only the dossier's participants and auditors can read its ledger."), problem });

  registry.registerPath({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    tags: ['meta'],
    summary: 'The gateway process is up',
    description: 'The gateway process is up and answers; for load balancers and monitoring. It does not ask the database (see /ready).',
    security: publicOperation,
    responses: { 200: { description: 'Up.', headers: versionHeader, content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
  });
  registry.registerPath({
    method: 'get',
    path: '/ready',
    operationId: 'getReady',
    tags: ['meta'],
    summary: 'The gateway can reach its database',
    description: 'The gateway can reach its database; for load balancers and monitoring.',
    security: publicOperation,
    responses: {
      200: { description: 'Ready.', headers: versionHeader, content: { 'application/json': { schema: z.object({ status: z.literal('ready') }) } } },
      503: unavailable,
    },
  });
  registerLogPaths(registry, { versionHeader, problem, security, publicOperation, authenticated });
  registerReceiverWebhook(registry, { jwe: JweCompact, problemSchema: Problem });
  return registry;
}

/** Generates the OpenAPI 3.1 document of the Zicht v1 exchange API. */
export function buildOpenApi(): Record<string, unknown> {
  const generator = new OpenApiGeneratorV31(buildRegistry().definitions);
  const document = generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Zicht berichten API',
      version: API_VERSION,
      description:
        'Exchange of handovers (overdrachten), safety conditions (veiligheidsvoorwaarden) and receipts (ontvangstbevestigingen) between Veilig Thuis and gemeenten. Normative text: spec/v1/README.md; rules: spec/v1/rules.md.',
      contact: { name: 'Zicht standaard', email: 'standaard@zicht.example', url: 'https://zicht.example/spec/v1' },
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
    },
    servers: [{ url: 'https://gateway.zicht.example/v1', description: 'A Zicht gateway or receiving system (example address).' }],
    tags: [
      { name: 'berichten', description: 'Delivering berichten and following their status.' },
      { name: 'postbus', description: 'Pull delivery for receivers that cannot take pushes.' },
      { name: 'deelnemers', description: 'The participants and their public keys.' },
      { name: 'dossiers', description: 'Who is responsible for zicht op veiligheid, the timeline and its terms.' },
      { name: 'meta', description: 'About this API.' },
      { name: 'fhir', description: 'The same exchange as FHIR R4 messaging (spec/v1/fhir): answers are FHIR resources, refusals OperationOutcomes.' },
      { name: 'aflevering', description: 'What the gateway pushes to a receiving system, and what the receiver answers (spec/v1/receiver.md).' },
      LOG_TAG,
    ],
  });
  const result = document as unknown as { paths: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  for (const path of ROOT_PATHS) {
    const item = result.paths[path];
    if (item !== undefined) result.paths[path] = { servers: [ROOT_SERVER], ...item };
  }
  return result;
}
