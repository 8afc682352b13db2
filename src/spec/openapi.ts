/**
 * The OpenAPI 3.1 description of the Zicht exchange API, generated from the zod model with
 * @asteasolutions/zod-to-openapi. It must lint clean against the Dutch API Design Rules (ADR 2.2.1).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { Bericht } from '../model/bericht.js';
import { Issue } from '../model/outcome.js';
import { Transportbevestiging } from '../model/transportbevestiging.js';

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

  registry.registerPath({
    method: 'post',
    path: '/berichten',
    operationId: 'postBericht',
    tags: ['berichten'],
    summary: 'Deliver a bericht',
    description:
      'Delivers a signed bericht (overdracht, veiligheidsvoorwaarden or ontvangstbevestiging). The receiver validates it against the schema and every rule of spec/v1/rules.md, stores it durably, and only then answers 202. A rejection is application/problem+json listing every issue with its rule id; it never echoes values from the bericht.',
    request: { body: { required: true, content: { 'application/json': { schema: Bericht } } } },
    responses: {
      202: {
        description: 'Validated and durably stored.',
        headers: versionHeader,
        content: { 'application/json': { schema: Transportbevestiging } },
      },
      400: problem('The bericht breaks one or more rules; `issues` lists them.'),
      413: problem('The bericht is larger than the limit of BER-002.'),
      415: problem('The body is not application/json.'),
    },
  });
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
      { name: 'berichten', description: 'Delivering berichten.' },
      { name: 'meta', description: 'About this API.' },
    ],
  });
  return document as unknown as Record<string, unknown>;
}
