/**
 * The OpenAPI 3.1 description of the Zicht exchange API, generated from the zod model with
 * @asteasolutions/zod-to-openapi. It must lint clean against the Dutch API Design Rules (ADR 2.2.1).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
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

function buildRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  const apiVersion = registry.registerComponent('headers', 'API-Version', {
    description: 'The full version of the API (ADR /core/version-header).',
    schema: { type: 'string', example: API_VERSION },
  });
  const versionHeader = { 'API-Version': { $ref: `#/components/headers/${apiVersion.name}` } };
  const problem = (description: string) => ({
    description,
    headers: versionHeader,
    content: { 'application/problem+json': { schema: Problem } },
  });

  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    tags: ['meta'],
    summary: 'This OpenAPI document',
    description: 'Returns this OpenAPI document (ADR /core/publish-openapi).',
    responses: {
      200: {
        description: 'The OpenAPI document.',
        headers: versionHeader,
        content: { 'application/json': { schema: z.looseObject({}) } },
      },
      400: problem('Bad request.'),
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
  const authenticated = {
    400: problem('Bad request.'),
    401: problem('Not authenticated as an active participant.'),
    403: problem('Authenticated, but not allowed: not the sender, or not a party of this bericht.'),
    429: problem('Too many requests from this participant; see Retry-After.'),
    503: problem('The database is unavailable; nothing was stored.'),
  };
  const berichtId = z.object({ id: Uuid.meta({ param: { description: 'The berichtId.' } }) });

  registry.registerPath({
    method: 'post',
    path: '/berichten',
    operationId: 'postBericht',
    tags: ['berichten'],
    summary: 'Deliver a bericht',
    description:
      'Delivers a signed bericht (overdracht, veiligheidsvoorwaarden or ontvangstbevestiging). The receiver validates it against the schema and every rule of spec/v1/rules.md, verifies its signature, stores it durably, and only then answers 202 with its countersigned transport receipt. The same bericht again gets the original receipt. A rejection is application/problem+json listing every issue with its rule id; it never echoes values from the bericht.',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: Bericht } } } },
    responses: {
      202: {
        description: 'Validated, verified, routed and durably stored.',
        headers: versionHeader,
        content: { 'application/json': { schema: Transportbevestiging } },
      },
      ...authenticated,
      400: problem('The body is not one JSON text in UTF-8 (BER-001, BER-003).'),
      409: problem('A bericht with this berichtId but other content or sender was accepted before (BER-015).'),
      413: problem('The bericht is larger than the limit of BER-002.'),
      415: problem('The body is not application/json.'),
      422: problem('The bericht breaks one or more rules; `issues` lists them with their rule ids.'),
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
      'A caller with a current registered encryption key gets the page as a JWE (application/jose) encrypted to that key, whose plaintext is the application/json page (ENC-003).',
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
    request: { params: z.object({ oin: Oin.meta({ param: { description: 'The participant OIN.' } }) }) },
    responses: {
      200: { description: 'The JWK Set.', headers: versionHeader, content: { 'application/json': { schema: DeelnemerJwks } } },
      400: problem('Bad request.'),
      404: problem('No participant with this OIN.'),
    },
  });

  registerDossierPaths(registry, { versionHeader, security, authenticated, problem });

  for (const [path, operationId, summary] of [
    ['/health', 'getHealth', 'The gateway process is up'],
    ['/ready', 'getReady', 'The gateway can reach its database'],
  ] as const) {
    registry.registerPath({
      method: 'get',
      path,
      operationId,
      tags: ['meta'],
      summary,
      description: `${summary}; for load balancers and monitoring.`,
      responses: {
        200: { description: 'Yes.', headers: versionHeader, content: { 'application/json': { schema: z.object({ status: z.string() }) } } },
        400: problem('Bad request.'),
        503: problem('No.'),
      },
    });
  }
  registerLogPaths(registry, { versionHeader, problem, security, authenticated });
  registerReceiverWebhook(registry, { problem, jwe: JweCompact, versionHeader });
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
      { name: 'aflevering', description: 'What the gateway pushes to a receiving system, and what the receiver answers (spec/v1/receiver.md).' },
      LOG_TAG,
    ],
  });
  return document as unknown as Record<string, unknown>;
}
