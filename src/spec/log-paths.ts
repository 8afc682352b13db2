/**
 * The OpenAPI description of the audit log's routes (src/http/log-routes.ts), registered by
 * `buildOpenApi` (src/spec/openapi.ts) with the document's shared headers, problems and security.
 */
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/** The tag of the log's operations. */
export const LOG_TAG = { name: 'log', description: 'The audit log: a verifiable transparency log (RFC 9162 Merkle tree, C2SP signed checkpoints) of every event, metadata only.' };

/** What the log paths take from the rest of the document. */
export interface LogPathContext {
  readonly versionHeader: ResponseConfig['headers'];
  readonly problem: (description: string) => ResponseConfig;
  readonly security: Record<string, string[]>[];
  /** `security: []`: an operation anyone may call. */
  readonly publicOperation: Record<string, string[]>[];
  readonly authenticated: Record<number, ResponseConfig>;
}

const Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/).meta({ description: 'A SHA-256 hash in standard base64.' });
const Proof = z.array(Hash).max(128);
const Decimal = (description: string) => z.string().regex(/^(0|[1-9][0-9]{0,14})$/).meta({ param: { description } });

const LogKey = z
  .strictObject({
    origin: z.string().meta({ description: "The log's origin: the first line of its checkpoints and its key name." }),
    verifierKey: z.string().meta({ description: 'The C2SP signed-note verifier key name+keyid+base64(0x01 || Ed25519 public key).' }),
  })
  .meta({ id: 'LogKey', description: 'The key that signs the checkpoints of this gateway\'s audit log.' });

const InclusionProof = z
  .strictObject({ index: z.int().min(0), size: z.int().min(1), proof: Proof })
  .meta({ id: 'InclusionProof', description: 'RFC 9162 section 2.1.3 inclusion proof of leaf index in the tree of size leaves.' });

const ConsistencyProof = z
  .strictObject({ from: z.int().min(1), to: z.int().min(1), proof: Proof })
  .meta({ id: 'ConsistencyProof', description: 'RFC 9162 section 2.1.4 consistency proof between the trees of from and to leaves.' });

const LogEntries = z
  .strictObject({
    checkpoint: z.string().meta({ description: 'The signed checkpoint (C2SP tlog-checkpoint) the proofs lead to.' }),
    size: z.int().min(0),
    view: z.enum(['all', 'participant']).meta({ description: 'all: every entry of the range (auditor); participant: those concerning the caller.' }),
    entries: z
      .array(
        z.strictObject({
          index: z.int().min(0),
          leaf: z.string().meta({ description: 'The leaf: RFC 8785 canonical JSON of the event metadata; its UTF-8 bytes are the Merkle leaf.' }),
          proof: Proof,
        }),
      )
      .max(1000),
  })
  .meta({ id: 'LogEntries', description: 'Entries of the audit log with inclusion proofs in the tree of the checkpoint.' });

/** Registers the log's paths. */
export function registerLogPaths(registry: OpenAPIRegistry, ctx: LogPathContext): void {
  const ok = (description: string, schema: z.ZodType) => ({ description, headers: ctx.versionHeader, content: { 'application/json': { schema } } });
  registry.registerPath({
    method: 'get',
    path: '/log/key',
    operationId: 'getLogKey',
    tags: [LOG_TAG.name],
    summary: "The log's verifier key",
    description: 'The Ed25519 key (C2SP signed-note verifier key) that signs the checkpoints of the audit log.',
    security: ctx.publicOperation,
    responses: { 200: ok('The verifier key.', LogKey) },
  });
  registry.registerPath({
    method: 'get',
    path: '/log/checkpoint',
    operationId: 'getLogCheckpoint',
    tags: [LOG_TAG.name],
    summary: 'The latest signed checkpoint',
    description: 'The latest checkpoint of the audit log (C2SP tlog-checkpoint in a signed note): origin, tree size, root hash. A new one follows new leaves within a second.',
    security: ctx.publicOperation,
    responses: {
      200: { description: 'The signed checkpoint note.', headers: ctx.versionHeader, content: { 'text/plain': { schema: z.string() } } },
      404: ctx.problem('The log has no checkpoint yet.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/log/proof/consistency',
    operationId: 'getLogConsistencyProof',
    tags: [LOG_TAG.name],
    summary: 'A consistency proof',
    description: 'Proves that the tree of from leaves is a prefix of the tree of to leaves (0 < from <= to <= the log size).',
    security: ctx.publicOperation,
    request: { query: z.object({ from: Decimal('The smaller tree size.'), to: Decimal('The larger tree size.') }) },
    responses: { 200: ok('The proof.', ConsistencyProof), 400: ctx.problem('The sizes are missing, not decimal or out of range of the log (BER-030).') },
  });
  registry.registerPath({
    method: 'get',
    path: '/log/proof/inclusion',
    operationId: 'getLogInclusionProof',
    tags: [LOG_TAG.name],
    summary: 'An inclusion proof',
    description: 'Proves that leaf index is in the tree of size leaves (index < size <= the log size).',
    security: ctx.security,
    request: { query: z.object({ index: Decimal('The leaf index, from 0.'), size: Decimal('The tree size.') }) },
    responses: { 200: ok('The proof.', InclusionProof), ...ctx.authenticated },
  });
  registry.registerPath({
    method: 'get',
    path: '/log/entries',
    operationId: 'getLogEntries',
    tags: [LOG_TAG.name],
    summary: 'Entries of the audit log',
    description:
      'The leaves with index in [start, end) (at most 1000) that concern the caller (its OIN as sender or receiver; the auditor role sees all), each with its inclusion proof in the tree of the latest checkpoint. end is cut to that tree size.',
    security: ctx.security,
    request: { query: z.object({ start: Decimal('The first index.'), end: Decimal('One past the last index.') }) },
    responses: { 200: ok('The entries.', LogEntries), ...ctx.authenticated, 404: ctx.problem('The log has no checkpoint yet.') },
  });
}
