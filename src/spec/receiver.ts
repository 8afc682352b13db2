/**
 * The receiver's side of the exchange in the OpenAPI document (spec/v1/receiver.md): the push as an OpenAPI 3.1
 * webhook, `POST {endpoint}/berichten` at the address a receiving system registered, with its body (the
 * countersigned bericht, or a JWE of it), the gateway's push token, every answer a receiver may give and what
 * the gateway does with each (AFL-001..008). Registered once from buildOpenApi.
 */
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { outcomeOfStatus } from '../../adapters/webhook/push.js';
import { Bericht } from '../model/bericht.js';
import { Oin } from '../model/primitives.js';
import { SIGNING_ALGORITHMS } from '../signing/algorithms.js';
import { MAX_TOKEN_SECONDS } from '../signing/bearer-token.js';

/** The protected header of a Zicht bearer token: the participant's token to the gateway and the gateway's push token alike. */
export const TokenHeader = z
  .strictObject({
    alg: z.enum(SIGNING_ALGORITHMS).meta({ description: 'The algorithm of the signing key (ES256, PS256 or EdDSA); never none or HS*.' }),
    kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/).meta({ description: "The RFC 7638 thumbprint of the issuer's signing key, as in its published key set." }),
    typ: z.literal('JWT'),
  })
  .meta({ id: 'TokenHeader', description: 'The JWS protected header of a Zicht bearer token (RFC 7519 in JWS compact form). No crit, b64 or other members.' });

/** The claims of a Zicht bearer token. */
export const TokenClaims = z
  .strictObject({
    iss: Oin.meta({ description: "The issuer's OIN: the participant calling the gateway, or the gateway pushing to a receiver." }),
    aud: z
      .union([Oin, z.array(Oin).min(1)])
      .meta({ description: "The OIN of the party called: the gateway's, or the receiver's for a push. Zicht writes one string; a party called also takes an array that contains its OIN (RFC 7519 4.1.3, receiver.md §3)." }),
    iat: z.int().min(0).meta({ description: 'Issued at (NumericDate, seconds since the epoch, UTC).' }),
    nbf: z.int().min(0).optional().meta({ description: 'Not before (NumericDate), optional: Zicht does not write it; when present it lies at most the clock skew (5 minutes) after the called party\'s clock (receiver.md §3, Q188).' }),
    exp: z.int().min(0).meta({ description: `Expires (NumericDate): after now minus the clock skew (5 minutes, receiver.md §3, Q188), and at most ${MAX_TOKEN_SECONDS} seconds after iat. The gateway's push tokens live 60 seconds.` }),
    jti: z.string().min(1).max(200).meta({ description: 'A unique id (the gateway uses a UUID, a new one for every attempt); the party called refuses a jti it has seen until the token\'s exp plus the clock skew (5 minutes) has passed (receiver.md §3, Q210).' }),
  })
  .meta({ id: 'TokenClaims', description: 'The claims of a Zicht bearer token. A party called checks every one of them (AFL-002 for the push token).' });

/** The headers of a response, as header objects or references. */
type HeaderMap = Exclude<NonNullable<ResponseConfig['headers']>, z.ZodObject>;

/** What buildOpenApi shares with this module. */
export interface ReceiverSpecParts {
  readonly jwe: z.ZodType;
  /** The schema of an application/problem+json body. */
  readonly problemSchema: z.ZodType;
}

/** The API-Version response header of a receiver (ADR /core/version-header): a receiver SHOULD send it (receiver.md §7), so it is not required. */
const receiverVersionHeader = { 'API-Version': { description: 'The version of Zicht the receiver implements; SHOULD be sent (receiver.md §7).', required: false, schema: { type: 'string' as const } } };

/** What the gateway does after a status, in words, from the delivery code itself (AFL-008). */
function consequence(status: number): string {
  return outcomeOfStatus(status) === 'retry'
    ? 'The gateway tries again (backoff with jitter, not before a Retry-After of at most one hour) until the retry window of 5 days ends, then the delivery is a dead letter (AFL-008).'
    : 'The gateway does not try again: the delivery is a dead letter at once, status failed for the sender (AFL-008).';
}

/** Registers the push to a receiver (webhook `bericht`) and the gateway's push token. */
export function registerReceiverWebhook(registry: OpenAPIRegistry, { jwe, problemSchema }: ReceiverSpecParts): void {
  const versionHeader = receiverVersionHeader;
  const problem = (description: string, headers: HeaderMap = {}): ResponseConfig => ({
    description,
    headers: { ...versionHeader, ...headers },
    content: { 'application/problem+json': { schema: problemSchema } },
  });
  const pushToken = registry.registerComponent('securitySchemes', 'gatewayPushToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "The gateway's push token (AFL-002): a JWT (spec/v1/schemas/TokenHeader.schema.json, TokenClaims.schema.json) signed with the gateway's signing key, the key it countersigns with, published in the gateway's key set GET /v1/deelnemers/{gatewayOin}/jwks (the set that verifies it; /.well-known/jwks.json shows the current key for tools and is not used for this). iss is the gateway's OIN, aud the receiver's OIN, exp 60 seconds after iat, jti new for every attempt. The receiver checks the signature with a gateway key valid now by its own clock (from a key set fetched at most 300 seconds before), iss, aud, exp and iat within the clock skew of 5 minutes of now (exp after now minus the skew, iat at most the skew after now), as for participants' tokens (spec/v1/time-and-keys.md, Q188), and that no instance of it has taken the jti, also before a restart; otherwise it answers 401, and 503 when the gateway's key set cannot be obtained (AFL-004; spec/v1/receiver.md §3, §4).",
  });
  const answer = (status: number, description: string, headers: HeaderMap = {}) => problem(`${description} ${consequence(status)}`, headers);
  const retryAfter = { 'Retry-After': { description: 'Seconds (at most an hour is honoured) before the gateway tries again.', required: false, schema: { type: 'integer' as const, minimum: 0 } } };

  registry.registerWebhook({
    method: 'post',
    path: 'bericht',
    operationId: 'pushBericht',
    tags: ['aflevering'],
    summary: 'The gateway pushes a bericht to a receiving system',
    description:
      'The gateway delivers each accepted bericht to each receiver with a delivery address by POST {endpoint}/berichten, where {endpoint} is the address the receiver registered (spec/v1/receiver.md). ' +
      'The body is the bericht as the sender signed it with the gateway\'s countersignature added (exactly two signatures), as application/json; to a receiver with a current encryption key it is instead a JWE of those bytes, application/jose (ENC-003), and then every push is one. ' +
      'The receiver checks the push token, the media type, decrypts, validates (input, version, schema, content rules), then recognises a resend of a bericht it holds with the same content and answers it 2xx with nothing more, before the signatures and the addressing (AFL-006; receiver.md §6, Q136), verifies the signatures, checks it is addressed (AFL-003), refuses a berichtId held with other content (BER-015), checks the trail rules over what it holds, stores the bericht durably and only then answers 2xx, within 10 seconds (AFL-001). ' +
      'Receipts follow as berichten of their own through the gateway (AFL-005), never in the answer. Delivery is at least once and in the order of acceptance within a dossier.',
    security: [{ [pushToken.name]: [] }],
    request: {
      headers: z.object({
        traceparent: z
          .string()
          .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/)
          .optional()
          .meta({ description: 'W3C Trace Context of the request that sent the bericht, with a new span id; informative.' }),
      }),
      body: {
        required: true,
        content: {
          'application/json': { schema: Bericht },
          'application/jose': { schema: jwe },
        },
      },
    },
    responses: {
      200: { description: 'Taken: stored durably before the answer, or held already (a resend, AFL-006). Any 2xx counts as delivered; the body is ignored.', headers: versionHeader },
      202: { description: 'Taken, as 200.', headers: versionHeader },
      204: { description: 'Taken, as 200.', headers: versionHeader },
      400: answer(400, 'The body is not one JSON text in UTF-8 or is nested too deep (BER-001, BER-003), names a member twice (BER-017), or is a JWE that does not decrypt (ENC-004).'),
      401: answer(401, 'No push token, or one the receiver does not take (AFL-002), with WWW-Authenticate: Bearer. Each attempt of the gateway carries a new token.', { 'WWW-Authenticate': { description: 'The challenge (RFC 6750 §3): Bearer.', required: true, schema: { type: 'string' as const, pattern: '^Bearer' } } }),
      409: answer(409, 'The berichtId was taken before with other content (BER-015).'),
      413: answer(413, 'Larger than 1,048,576 bytes (BER-002).'),
      415: answer(415, 'Neither application/json nor application/jose (AFL-007).'),
      422: answer(422, 'A rule is broken: the schema, a content rule, the signatures (any SIG rule), the bericht does not name this receiver with its OIN and a gemeentecode it serves (AFL-003), or a trail rule; issues cite the rules.'),
      429: answer(429, 'The receiver takes no more now; Retry-After says when to try again.', retryAfter),
      503: answer(503, 'The receiver cannot decide now: it cannot read the key directory (AFL-004) or its own store (AFL-001), or an attempt with the same berichtId is still in progress (AFL-006); nothing was taken.', retryAfter),
    },
  });
}
