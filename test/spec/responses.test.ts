/**
 * spec/v1/openapi.json against a real gateway (issue 20): every documented operation and every documented status is
 * driven over HTTP against running gateways (SQLite and PostgreSQL), and each answer is checked against the document:
 * the status, the media type (every documented media type of a status is produced by some driver), the body against
 * the schema, the documented required headers present and valid, and no header the document does not describe
 * (beyond transport and browser-security headers, listed below). The list of operations comes from openapi.json
 * itself: an operation or status documented without a driver here fails, as does a driver for one not documented.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berichtToBundle } from '../../adapters/fhir/to-bundle.js';
import { createDemoKeys, createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork, type DemoParty } from '../../src/demo/network.js';
import { generateEncryptionKey } from '../../src/delivery/decrypt.js';
import type { Bericht } from '../../src/model/bericht.js';
import { MAX_BERICHT_BYTES } from '../../src/rules/bericht.js';
import { createApp } from '../../src/http/app.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import { storeReplayGuard } from '../../src/http/replay.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { startGateway } from '../../src/server/gateway.js';
import { drain, listenOn, urlOf } from '../../src/server/listen.js';
import { openStore } from '../../src/store/open.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { createSigner, type Signer } from '../../src/signing/signer.js';
import { BACKENDS, type StoreHarness } from '../store/backends.js';

// ---------------------------------------------------------------------------------------------------------------
// The document and a validator for it.

interface HeaderObject { readonly required?: boolean; readonly schema?: Record<string, unknown>; readonly $ref?: string }
interface ResponseObject { readonly headers?: Record<string, HeaderObject>; readonly content?: Record<string, { schema: unknown }> }
interface Operation { readonly operationId: string; readonly responses: Record<string, ResponseObject> }
interface OpenApi {
  readonly servers: { url: string }[];
  readonly paths: Record<string, Record<string, Operation> & { servers?: { url: string }[] }>;
  readonly components: { headers: Record<string, HeaderObject> };
}

const doc = JSON.parse(readFileSync(join(import.meta.dirname, '../../spec/v1/openapi.json'), 'utf8')) as OpenApi;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
ajv.addSchema(doc, 'openapi.json');
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every documented operation: its id, method, path prefix (its server's path) and path template. */
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.has(method))
    .map(([method, operation]) => ({ method, path, prefix: new URL((item.servers ?? doc.servers)[0]?.url ?? '').pathname.replace(/\/$/, ''), operation: operation as Operation })),
);
const operationById = new Map(operations.map((o) => [o.operation.operationId, o]));

const pointer = (...segments: string[]) => `openapi.json#/${segments.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
const validators = new Map<string, ValidateFunction>();
function validatorAt(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

const resolveHeader = (header: HeaderObject): HeaderObject => (header.$ref === undefined ? header : (doc.components.headers[header.$ref.split('/').pop() ?? ''] ?? {}));

/**
 * Headers every response may carry without the document describing them: HTTP transport (RFC 9110, 9112) and the
 * browser-security headers the gateway adds to every answer (hono secureHeaders); they say nothing about the API.
 */
const TRANSPORT_HEADERS = new Set([
  'content-type', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'vary',
  'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster', 'referrer-policy', 'strict-transport-security',
  'x-content-type-options', 'x-dns-prefetch-control', 'x-download-options', 'x-frame-options', 'x-permitted-cross-domain-policies', 'x-xss-protection',
]);

/** An answer as the client got it. */
interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/** The findings of checking an answer against the document for `operationId`; empty when it conforms. Returns the media type too. */
function check(operationId: string, answer: Answer): { findings: string[]; mediaType: string | undefined } {
  const entry = operationById.get(operationId);
  if (entry === undefined) return { findings: [`${operationId} is not documented`], mediaType: undefined };
  const { path, method } = entry;
  const response = entry.operation.responses[String(answer.status)];
  if (response === undefined) return { findings: [`status ${answer.status} is not documented`], mediaType: undefined };
  const findings: string[] = [];

  const documentedHeaders = new Map(Object.entries(response.headers ?? {}).map(([name, header]) => [name.toLowerCase(), resolveHeader(header)]));
  for (const [name, header] of documentedHeaders) {
    const value = answer.headers[name];
    if (value === undefined) {
      if (header.required === true) findings.push(`required header ${name} is missing`);
      continue;
    }
    const schema = header.schema ?? {};
    const typed = schema.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
    const validate = ajv.compile(schema);
    if (!validate(typed)) findings.push(`header ${name}: ${ajv.errorsText(validate.errors)}`);
  }
  for (const name of Object.keys(answer.headers)) {
    if (!TRANSPORT_HEADERS.has(name) && !documentedHeaders.has(name)) findings.push(`header ${name} is not documented for ${answer.status}`);
  }

  const content = response.content ?? {};
  const contentType = answer.headers['content-type'];
  if (Object.keys(content).length === 0) {
    if (answer.text !== '') findings.push(`a body is sent where none is documented (${contentType ?? 'no content type'})`);
    return { findings, mediaType: undefined };
  }
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === undefined || content[mediaType] === undefined) {
    findings.push(`media type ${mediaType ?? '(none)'} is not documented (documented: ${Object.keys(content).join(', ')})`);
    return { findings, mediaType };
  }
  let body: unknown = answer.text;
  if (/[/+]json$/.test(mediaType)) {
    try {
      body = JSON.parse(answer.text);
    } catch {
      findings.push(`the ${mediaType} body is not JSON`);
      return { findings, mediaType };
    }
  }
  const validate = validatorAt(pointer('paths', path, method, 'responses', String(answer.status), 'content', mediaType, 'schema'));
  if (!validate(body)) findings.push(`body: ${ajv.errorsText(validate.errors)}`);
  return { findings, mediaType };
}

// ---------------------------------------------------------------------------------------------------------------
// The gateways the drivers call.

/** An outsider: an active gemeente participant that is party to nothing the tests send (for 403s). */
const OUTSIDER_OIN = '00000001000000009990';

/** A gateway listening over HTTP. */
interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

interface Gateways {
  /** Everything works; holds one handover (`handover`) and its checkpoint. */
  readonly up: Listening;
  /**
   * The gateway's HTTP app on a fresh database, served over HTTP without the background log task, which signs the
   * empty tree's checkpoint at its first round: the state of any gateway before that round (no checkpoint, 404).
   * Kerkrade's only encryption key has expired here (ENC-003).
   */
  readonly empty: Listening;
  /** A rate limit no participant stays under. */
  readonly limited: Listening;
  /** Its database is closed: unavailable (CFG-010). */
  readonly down: Listening;
  readonly network: DemoNetwork;
  readonly outsider: Signer;
  readonly handover: Bericht;
}

type Caller = DemoParty | 'outsider' | undefined;

interface Call {
  readonly method?: 'GET' | 'POST';
  /** The path after the operation's server (e.g. /berichten/{id} filled in). */
  readonly path: string;
  readonly prefix?: string;
  readonly as?: Caller;
  readonly body?: string | Buffer;
  readonly contentType?: string;
  readonly contentLength?: number;
}

async function call(ctx: Gateways, gateway: Listening, c: Call): Promise<Answer> {
  const signer = c.as === undefined ? undefined : c.as === 'outsider' ? ctx.outsider : ctx.network.signers[c.as];
  const headers: Record<string, string> = {
    ...(signer === undefined ? {} : { authorization: `Bearer ${await createBearerToken(signer, DEMO_OIN.gateway)}` }),
    ...(c.body === undefined ? {} : { 'content-type': c.contentType ?? 'application/json' }),
    ...(c.contentLength === undefined ? {} : { 'content-length': String(c.contentLength) }),
  };
  const response = await request(`${gateway.url}${c.prefix ?? '/v1'}${c.path}`, { method: c.method ?? 'GET', headers, ...(c.body === undefined ? {} : { body: c.body }) });
  const text = await response.body.text();
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return { status: response.statusCode, headers: flat, text };
}

/** One way to make an operation answer one status; `expectBody` checks what the status alone does not show. */
interface Driver {
  readonly name: string;
  readonly run: (ctx: Gateways) => Promise<Answer>;
  readonly expectBody?: (body: unknown) => void;
}

const signed = (ctx: Gateways, party: DemoParty, bericht: Bericht) => signAs(ctx.network, party, bericht);
/** A handover in a dossier of its own (volgnummer 1, BER-011). */
const newHandover = (): Bericht => ({ ...exampleBericht('overdracht-na-dienst-onderzoek'), dossier: { referentie: `VTZL-2026-${randomUUID().slice(0, 8)}`, volgnummer: 1 } });
/** A handover whose signature no longer covers it: a field changed after signing (SIG-005). */
const tampered = async (ctx: Gateways): Promise<Bericht> => ({ ...(await signed(ctx, 'vtZuidLimburg', newHandover())), verzondenOp: new Date(Date.now() - 60_000).toISOString() });
/** The handover's berichtId again, with other content (BER-015). */
const conflicting = async (ctx: Gateways): Promise<Bericht> => signed(ctx, 'vtZuidLimburg', { ...ctx.handover, signatures: undefined, verzondenOp: new Date(Date.now() - 120_000).toISOString() });

const issuesOf = (body: unknown) => (body as { issues: { rule: string; path: string; code?: string }[] }).issues;
const parameterIssue = (path: string) => (body: unknown) => {
  expect(issuesOf(body)).toEqual([expect.objectContaining({ rule: 'BER-030', path })]);
};
const authIssue = (body: unknown) => {
  expect(issuesOf(body)).toEqual([expect.objectContaining({ rule: 'BER-031', code: 'ZICHT_AUTH_MISSING' })]);
};
const d = (name: string, run: Driver['run'], expectBody?: Driver['expectBody']): Driver => ({ name, run, ...(expectBody === undefined ? {} : { expectBody }) });

/** The refusals every authenticated operation shares: no token, over the rate limit, database down. */
const authenticatedRefusals = (c: Omit<Call, 'as'>, opts: { fhir?: boolean } = {}): Record<number, Driver[]> => ({
  401: [d('no token', (ctx) => call(ctx, ctx.up, c), opts.fhir === true ? undefined : authIssue)],
  429: [d('over the rate limit', (ctx) => call(ctx, ctx.limited, { ...c, as: 'vtZuidLimburg' }))],
  503: [d('database closed', (ctx) => call(ctx, ctx.down, { ...c, as: 'vtZuidLimburg' }))],
});

const json = (value: unknown) => JSON.stringify(value);
const dossierRef = (ctx: Gateways) => ctx.handover.dossier.referentie;

const DRIVERS: Record<string, Record<number, Driver[]>> = {
  getOpenApi: { 200: [d('the document', (ctx) => call(ctx, ctx.up, { path: '/openapi.json' }))] },
  postBericht: {
    202: [d('a signed handover', async (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/berichten', as: 'vtZuidLimburg', body: json(await signed(ctx, 'vtZuidLimburg', newHandover())) }))],
    400: [d('not JSON', (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/berichten', as: 'vtZuidLimburg', body: '{"berichtId":' }))],
    403: [d('sent as another participant', async (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/berichten', as: 'heerlen', body: json(await signed(ctx, 'vtZuidLimburg', newHandover())) }))],
    409: [d('a berichtId used before', async (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/berichten', as: 'vtZuidLimburg', body: json(await conflicting(ctx)) }))],
    413: [d('over the size limit', (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/berichten', as: 'vtZuidLimburg', body: Buffer.alloc(MAX_BERICHT_BYTES + 1, 0x20) }))],
    415: [d('text/plain', (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/berichten', as: 'vtZuidLimburg', body: '{}', contentType: 'text/plain' }))],
    422: [
      d('a signature that does not cover the bericht', async (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/berichten', as: 'vtZuidLimburg', body: json(await tampered(ctx)) }), (body) => {
        expect(issuesOf(body)).toEqual([expect.objectContaining({ rule: 'SIG-005', path: '$.signatures[0]', code: 'ZICHT_SIGNATURE_INVALID' })]);
      }),
    ],
    ...authenticatedRefusals({ method: 'POST', path: '/berichten', body: '{}' }),
  },
  getBerichtStatus: {
    200: [d('its sender asks', (ctx) => call(ctx, ctx.up, { path: `/berichten/${ctx.handover.berichtId}`, as: 'vtZuidLimburg' }))],
    400: [d('an id that is no UUID', (ctx) => call(ctx, ctx.up, { path: '/berichten/abc', as: 'vtZuidLimburg' }), parameterIssue('$.path.id'))],
    403: [d('a participant not party to it', (ctx) => call(ctx, ctx.up, { path: `/berichten/${ctx.handover.berichtId}`, as: 'outsider' }))],
    404: [d('an unknown id', (ctx) => call(ctx, ctx.up, { path: `/berichten/${randomUUID()}`, as: 'vtZuidLimburg' }))],
    ...authenticatedRefusals({ path: `/berichten/${randomUUID()}` }),
  },
  getPostbus: {
    200: [
      d('a receiver without an encryption key (JSON)', (ctx) => call(ctx, ctx.up, { path: '/postbus?limit=10', as: 'heerlen' })),
      d('a receiver with a current encryption key (JWE)', (ctx) => call(ctx, ctx.up, { path: '/postbus', as: 'kerkrade' })),
    ],
    400: [d('limit 0', (ctx) => call(ctx, ctx.up, { path: '/postbus?limit=0', as: 'heerlen' }), parameterIssue('$.query.limit'))],
    409: [d('a receiver whose only encryption key expired', (ctx) => call(ctx, ctx.empty, { path: '/postbus', as: 'kerkrade' }))],
    ...authenticatedRefusals({ path: '/postbus' }),
  },
  ackPostbus: {
    204: [d('a bericht in the postbus', (ctx) => call(ctx, ctx.up, { method: 'POST', path: `/postbus/${ctx.handover.berichtId}/ack`, as: 'heerlen' }))],
    400: [d('an id that is no UUID', (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/postbus/abc/ack', as: 'heerlen' }), parameterIssue('$.path.id'))],
    404: [d('an id not in the postbus', (ctx) => call(ctx, ctx.up, { method: 'POST', path: `/postbus/${randomUUID()}/ack`, as: 'heerlen' }))],
    ...authenticatedRefusals({ method: 'POST', path: `/postbus/${randomUUID()}/ack` }),
  },
  getDeelnemerJwks: {
    200: [d('a participant', (ctx) => call(ctx, ctx.up, { path: `/deelnemers/${DEMO_OIN.vtZuidLimburg}/jwks` }))],
    400: [d('an OIN that is not 20 digits', (ctx) => call(ctx, ctx.up, { path: '/deelnemers/abc/jwks' }), parameterIssue('$.path.oin'))],
    404: [d('no such participant', (ctx) => call(ctx, ctx.up, { path: '/deelnemers/99999999999999999999/jwks' }))],
  },
  getGatewayJwks: { 200: [d('the key set', (ctx) => call(ctx, ctx.up, { prefix: '', path: '/.well-known/jwks.json' }))] },
  getFhirCapabilityStatement: { 200: [d('the statement', (ctx) => call(ctx, ctx.up, { path: '/fhir/metadata' }))] },
  processFhirMessage: {
    200: [d('a message Bundle', async (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/fhir/$process-message', as: 'vtZuidLimburg', contentType: 'application/fhir+json', body: json(berichtToBundle(await signed(ctx, 'vtZuidLimburg', newHandover()))) }))],
    400: [d('not JSON', (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/fhir/$process-message', as: 'vtZuidLimburg', contentType: 'application/fhir+json', body: '{"resourceType":' }))],
    403: [d('sent as another participant', async (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/fhir/$process-message', as: 'heerlen', contentType: 'application/fhir+json', body: json(berichtToBundle(await signed(ctx, 'vtZuidLimburg', newHandover()))) }))],
    409: [d('a berichtId used before', async (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/fhir/$process-message', as: 'vtZuidLimburg', contentType: 'application/fhir+json', body: json(berichtToBundle(await conflicting(ctx))) }))],
    413: [d('over the size limit', (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/fhir/$process-message', as: 'vtZuidLimburg', contentType: 'application/fhir+json', body: Buffer.alloc(MAX_BERICHT_BYTES + 1, 0x20) }))],
    415: [d('text/plain', (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/fhir/$process-message', as: 'vtZuidLimburg', contentType: 'text/plain', body: '{}' }))],
    422: [d('a signature that does not cover the bericht', async (ctx) => call(ctx, ctx.up, { method: 'POST', path: '/fhir/$process-message', as: 'vtZuidLimburg', contentType: 'application/fhir+json', body: json(berichtToBundle(await tampered(ctx))) }))],
    ...authenticatedRefusals({ method: 'POST', path: '/fhir/$process-message', contentType: 'application/fhir+json', body: '{}' }, { fhir: true }),
  },
  getVerantwoordelijkheid: {
    200: [d('a party of the dossier', (ctx) => call(ctx, ctx.up, { path: `/dossiers/${dossierRef(ctx)}/verantwoordelijkheid`, as: 'vtZuidLimburg' }))],
    400: [
      d('a reference that cannot be one', (ctx) => call(ctx, ctx.up, { path: '/dossiers/a/verantwoordelijkheid', as: 'vtZuidLimburg' }), parameterIssue('$.path.ref')),
      d('op not a date-time', (ctx) => call(ctx, ctx.up, { path: `/dossiers/${dossierRef(ctx)}/verantwoordelijkheid?op=gisteren`, as: 'vtZuidLimburg' }), parameterIssue('$.query.op')),
    ],
    403: [d('not a party of the dossier', (ctx) => call(ctx, ctx.up, { path: `/dossiers/${dossierRef(ctx)}/verantwoordelijkheid`, as: 'outsider' }))],
    404: [d('an unknown dossier', (ctx) => call(ctx, ctx.up, { path: '/dossiers/ONBEKEND-2026-1/verantwoordelijkheid', as: 'vtZuidLimburg' }))],
    ...authenticatedRefusals({ path: '/dossiers/ONBEKEND-2026-1/verantwoordelijkheid' }),
  },
  getTijdlijn: {
    200: [d('a party of the dossier', (ctx) => call(ctx, ctx.up, { path: `/dossiers/${dossierRef(ctx)}/tijdlijn`, as: 'vtZuidLimburg' }))],
    400: [d('a reference that cannot be one', (ctx) => call(ctx, ctx.up, { path: '/dossiers/a/tijdlijn', as: 'vtZuidLimburg' }), parameterIssue('$.path.ref'))],
    403: [d('not a party of the dossier', (ctx) => call(ctx, ctx.up, { path: `/dossiers/${dossierRef(ctx)}/tijdlijn`, as: 'outsider' }))],
    404: [d('an unknown dossier', (ctx) => call(ctx, ctx.up, { path: '/dossiers/ONBEKEND-2026-1/tijdlijn', as: 'vtZuidLimburg' }))],
    ...authenticatedRefusals({ path: '/dossiers/ONBEKEND-2026-1/tijdlijn' }),
  },
  getHealth: { 200: [d('up', (ctx) => call(ctx, ctx.up, { path: '/health' }))] },
  getReady: {
    200: [d('database reachable', (ctx) => call(ctx, ctx.up, { path: '/ready' }))],
    503: [d('database closed', (ctx) => call(ctx, ctx.down, { path: '/ready' }))],
  },
  getLogKey: { 200: [d('the key', (ctx) => call(ctx, ctx.up, { path: '/log/key' }))] },
  getLogCheckpoint: {
    200: [d('after a bericht', (ctx) => call(ctx, ctx.up, { path: '/log/checkpoint' }))],
    404: [d('nothing logged yet', (ctx) => call(ctx, ctx.empty, { path: '/log/checkpoint' }))],
  },
  getLogConsistencyProof: {
    200: [d('from 1 to 1', (ctx) => call(ctx, ctx.up, { path: '/log/proof/consistency?from=1&to=1' }))],
    400: [d('from not decimal', (ctx) => call(ctx, ctx.up, { path: '/log/proof/consistency?from=x&to=1' }), parameterIssue('$.query.from'))],
  },
  getLogInclusionProof: {
    200: [d('leaf 0 of 1', (ctx) => call(ctx, ctx.up, { path: '/log/proof/inclusion?index=0&size=1', as: 'vtZuidLimburg' }))],
    400: [d('size missing', (ctx) => call(ctx, ctx.up, { path: '/log/proof/inclusion?index=0', as: 'vtZuidLimburg' }), parameterIssue('$.query.size'))],
    ...authenticatedRefusals({ path: '/log/proof/inclusion?index=0&size=1' }),
  },
  getLogEntries: {
    200: [d('the first entry', (ctx) => call(ctx, ctx.up, { path: '/log/entries?start=0&end=1', as: 'vtZuidLimburg' }))],
    400: [d('end not decimal', (ctx) => call(ctx, ctx.up, { path: '/log/entries?start=0&end=-1', as: 'vtZuidLimburg' }), parameterIssue('$.query.end'))],
    404: [d('nothing logged yet', (ctx) => call(ctx, ctx.empty, { path: '/log/entries?start=0&end=1', as: 'vtZuidLimburg' }))],
    ...authenticatedRefusals({ path: '/log/entries?start=0&end=1' }),
  },
};

const documented = operations.flatMap(({ operation }) => Object.keys(operation.responses).map((status) => `${operation.operationId} ${status}`)).sort();
const driven = Object.entries(DRIVERS).flatMap(([id, byStatus]) => Object.keys(byStatus).map((status) => `${id} ${status}`)).sort();

describe('the drivers of spec/v1/openapi.json', () => {
  it('drive every documented operation and status, and nothing undocumented', () => {
    expect(operations.length).toBeGreaterThan(15);
    expect(driven).toEqual(documented);
  });
});

/** The gateway's app (createApp, as startGateway builds it) on a fresh store, listening over HTTP, no background tasks. */
async function serveWithoutTasks(h: StoreHarness | undefined, net: DemoNetwork): Promise<Listening> {
  if (h === undefined) throw new Error('a harness per gateway');
  const store = await openStore(h.url, h.options);
  const app = createApp({ store, registry: net.registry, keys: registryKeyResolver(net.registry), gateway: net.gateway, replay: storeReplayGuard(store), rateLimit: tokenBucket({ perSecond: 100, burst: 1000 }) });
  const server = await listenOn({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  return {
    url: urlOf(server),
    close: async () => {
      await drain(server, 1000);
      await store.close();
    },
  };
}

async function startAll(harnesses: StoreHarness[]): Promise<Gateways> {
  const keys = await createDemoKeys();
  const current = await generateEncryptionKey('ECDH-ES P-256');
  const expired = await generateEncryptionKey('ECDH-ES P-256');
  const network = await createDemoNetwork({}, keys, { kerkrade: [current.sleutel] });
  const expiredNetwork = await createDemoNetwork({}, keys, { kerkrade: [{ ...expired.sleutel, nbf: '2025-01-01T00:00:00Z', exp: '2025-06-01T00:00:00Z' }] });
  const outsider = await createSigner({ privateJwk: (await generateSigningKey('ES256')).privateJwk, oin: OUTSIDER_OIN });
  for (const registry of [network.registry, expiredNetwork.registry]) {
    await registry.add({ oin: OUTSIDER_OIN, rol: 'lokaal-team', naam: 'Sociaal team elders (test)', gemeentecodes: ['GM0935'], status: 'actief', sleutels: [{ kid: outsider.kid, jwk: outsider.publicJwk }] });
  }
  const start = (h: StoreHarness | undefined, net: DemoNetwork, extra: { rateLimit?: number } = {}) => {
    if (h === undefined) throw new Error('a harness per gateway');
    return startGateway({ registry: net.registry, gateway: net.gateway, db: h.url, storeOptions: h.options, port: 0, deliver: false, timers: false, retention: false, console: false, ...extra });
  };
  const [up, limited, down] = await Promise.all([start(harnesses[0], network), start(harnesses[2], network, { rateLimit: 0.001 }), start(harnesses[3], network)]);
  await down.store.close();
  const empty = await serveWithoutTasks(harnesses[1], expiredNetwork);

  const ctx: Gateways = { up, empty, limited, down, network, outsider, handover: await signAs(network, 'vtZuidLimburg', newHandover()) };
  const accepted = await call(ctx, up, { method: 'POST', path: '/berichten', as: 'vtZuidLimburg', body: json(ctx.handover) });
  if (accepted.status !== 202) throw new Error(`the handover was not accepted: ${accepted.status} ${accepted.text}`);
  // The log signs a checkpoint within a second of new leaves.
  for (let i = 0; (await call(ctx, up, { path: '/log/checkpoint' })).status !== 200; i++) {
    if (i > 100) throw new Error('no checkpoint after 10 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return ctx;
}

const cases = Object.entries(DRIVERS).flatMap(([operationId, byStatus]) =>
  Object.entries(byStatus).flatMap(([status, drivers]) => drivers.map((driver) => ({ operationId, status: Number(status), driver }))),
);

describe.each(BACKENDS)('every documented answer of a running gateway on $name', ({ harness }) => {
  let ctx: Gateways;
  const harnesses: StoreHarness[] = [];
  /** The media types each operation and status was seen with. */
  const seen = new Map<string, Set<string>>();

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) harnesses.push(await harness());
    ctx = await startAll(harnesses);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([ctx.up.close(), ctx.empty.close(), ctx.limited.close(), ctx.down.close()]);
    for (const h of harnesses) await h.cleanup();
  }, 60_000);

  it.each(cases)('$operationId answers $status as documented: $driver.name', async ({ operationId, status, driver }) => {
    const answer = await driver.run(ctx);
    expect(answer.status, answer.text.slice(0, 500)).toBe(status);
    const { findings, mediaType } = check(operationId, answer);
    expect(findings).toEqual([]);
    const key = `${operationId} ${status}`;
    if (!seen.has(key)) seen.set(key, new Set());
    if (mediaType !== undefined) seen.get(key)?.add(mediaType);
    if (driver.expectBody !== undefined) driver.expectBody(JSON.parse(answer.text));
  });

  it('produced every documented media type of every status', () => {
    for (const { operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const key = `${operation.operationId} ${status}`;
        expect([...(seen.get(key) ?? [])].sort(), key).toEqual(Object.keys(response.content ?? {}).sort());
      }
    }
  });
});

describe('the response check itself', () => {
  const ok: Answer = { status: 200, headers: { 'content-type': 'application/json', 'api-version': '1.0.0', traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` }, text: '{"status":"ok"}' };
  it('passes a conforming answer and fails each kind of departure from the document', () => {
    expect(check('getHealth', ok).findings).toEqual([]);
    expect(check('getHealth', { ...ok, status: 503 }).findings).toEqual(['status 503 is not documented']);
    expect(check('getHealth', { ...ok, headers: { ...ok.headers, 'x-zicht-debug': '1' } }).findings).toEqual(['header x-zicht-debug is not documented for 200']);
    const withoutVersion = Object.fromEntries(Object.entries(ok.headers).filter(([name]) => name !== 'api-version'));
    expect(check('getHealth', { ...ok, headers: withoutVersion }).findings).toEqual(['required header api-version is missing']);
    expect(check('getHealth', { ...ok, text: '{"status":"down"}' }).findings[0]).toMatch(/^body: /);
    expect(check('getHealth', { ...ok, headers: { ...ok.headers, 'content-type': 'text/plain' } }).findings[0]).toMatch(/^media type text\/plain is not documented/);
    const postbusItem = { status: 200, headers: ok.headers, text: '{"berichten":[{}]}' };
    expect(check('getPostbus', postbusItem).findings[0]).toMatch(/^body: /);
  });
});
