/**
 * The gateway's HTTP API (hono): thin handlers that authenticate the caller, call one domain
 * function and map its outcome. Every response carries API-Version and security headers; every
 * refusal is application/problem+json with issues, never echoing the request.
 */
import { DEFAULT_MAX_MERGE_DELAY } from '../audit/promise.js';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import { acceptBericht, type AcceptDeps, type Refusal } from '../accept/accept.js';
import { AuthError, isStoreUnavailable } from '../errors.js';
import type { Bericht } from '../model/bericht.js';
import type { BerichtStatus, Postbus } from '../model/bericht-status.js';
import { Oin, Uuid } from '../model/primitives.js';
import { publishedKeySet } from '../registry/published-keys.js';
import { versleutelingAt } from '../registry/versleutelingssleutel.js';
import { encryptBody, JOSE_MEDIA_TYPE } from '../delivery/encrypt.js';
import { API_VERSION, buildOpenApi } from '../spec/openapi.js';
import { MAX_BERICHT_BYTES } from '../rules/bericht.js';
import { errorFields, silentLog, type Log } from '../observability/log.js';
import { issueFor } from '../rules/issue.js';
import { authenticate, type Caller, type ReplayGuard } from './auth.js';
import { registerDossierRoutes } from './dossiers.js';
import { ledgerCheck } from '../lifecycle/dossier.js';
import { termijnSync } from '../lifecycle/termijnen.js';
import { parameterProblem, problemResponse, type ProblemStatus } from './problem.js';
import type { RateLimiter } from './rate-limit.js';
import { traceparentOf } from '../trace/traceparent.js';
import { FHIR_BASE_PATH, PROCESS_MESSAGE_PATH, capabilityResponse, fhirBodyLimit, fhirRefusals, handleProcessMessage } from '../../adapters/fhir/route.js';
import type { NoteSigner } from '../audit/note-key.js';
import { logRoutes } from './log-routes.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { consoleRoutes, type ConsoleDeps } from '../console/routes.js';
import { deriveLogSigner } from '../audit/log-key.js';

/** What the HTTP app needs besides the accept path. */
export interface AppDeps extends AcceptDeps {
  readonly replay: ReplayGuard;
  readonly rateLimit: RateLimiter;
  /** Called after a bericht was newly accepted (e.g. to wake the delivery worker). */
  readonly onAccepted?: () => void;
  /** One line per request (route, status, time, caller OIN, trace) and every internal error; default silent. */
  readonly log?: Log;
  /** The audit log's checkpoint key (src/http/log-routes.ts); default derived from the gateway key. */
  readonly logKey?: NoteSigner;
  /** The log's maximum merge delay in seconds, promised in every receipt (LOG-005); default {@link DEFAULT_MAX_MERGE_DELAY}. */
  readonly maxMergeDelay?: number;
  /** Where accepted and refused berichten are counted (src/observability/metrics.ts); default: nowhere. */
  readonly metrics?: Pick<GatewayMetrics, 'accepted' | 'refused' | 'requeued'>;
  /** Serve the console at /console (src/console/); off when absent. */
  readonly console?: Pick<ConsoleDeps, 'demo' | 'secureCookie' | 'onRequeued' | 'sessions'>;
}

type Env = { Variables: { caller: Caller; traceparent: string }; Bindings: { incoming?: { socket?: unknown } } };

const REFUSAL_STATUS: Readonly<Record<Refusal, ProblemStatus>> = {
  malformed: 400,
  'too-large': 413,
  forbidden: 403,
  conflict: 409,
  rules: 422,
  busy: 503,
};

const REFUSAL_DETAIL: Readonly<Record<Refusal, string>> = {
  malformed: 'The body is not a single JSON text in UTF-8 without duplicate member names.',
  'too-large': `The bericht is larger than ${MAX_BERICHT_BYTES} bytes.`,
  forbidden: 'A participant can only send berichten as their sender (verzender.oin).',
  conflict: 'A bericht with this berichtId but another sender or content was accepted before.',
  rules: 'The bericht breaks rules of the standard; see issues.',
  busy: 'A receiver cannot take more berichten now; send the same bericht again later.',
};

/** Seconds a client waits before trying again while the database is unavailable (CFG-010). */
const UNAVAILABLE_RETRY_SECONDS = 5;

/** Seconds a sender waits before sending again after RTE-004. */
const BUSY_RETRY_SECONDS = 60;

/** Builds the gateway's hono app. */
export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  let openapi: string | undefined;

  const log = deps.log ?? silentLog;
  // Every receipt carries the log key's inclusion promise (LOG-005).
  const promise = { signer: deps.logKey ?? deriveLogSigner(deps.gateway), maxMergeDelay: deps.maxMergeDelay ?? DEFAULT_MAX_MERGE_DELAY };
  const acceptDeps: AcceptDeps = { ...deps, promise, ledgerCheck: deps.ledgerCheck ?? ledgerCheck(), termijnen: deps.termijnen ?? termijnSync() };
  app.use(async (c, next) => {
    const started = performance.now();
    const traceparent = traceparentOf(c.req.header('traceparent'));
    c.set('traceparent', traceparent);
    await next();
    c.res.headers.set('API-Version', API_VERSION);
    c.res.headers.set('traceparent', traceparent);
    // The route pattern, not the path: a path could carry anything a caller typed.
    const caller = c.get('caller') as Caller | undefined;
    log.info({ method: c.req.method, route: routePath(c, -1), status: c.res.status, ms: Math.round(performance.now() - started), ...(caller ? { oin: caller.deelnemer.oin } : {}), traceparent }, 'request');
  });
  app.use(secureHeaders({ crossOriginResourcePolicy: 'same-origin' }));
  app.onError((error, c) => {
    if (isStoreUnavailable(error)) return problemResponse(503, 'The database is unavailable; nothing was stored. Try again later.', [issueFor('CFG-010', [])], { 'retry-after': String(UNAVAILABLE_RETRY_SECONDS) });
    if (error instanceof AuthError) return problemResponse(401, `Not authenticated (${error.code}).`, [issueFor('BER-031', [], undefined, error.code)], { 'www-authenticate': 'Bearer' });
    log.error({ ...errorFields(error), traceparent: c.get('traceparent') }, 'internal error');
    return problemResponse(500, 'An internal error occurred; nothing about the request is reported here.');
  });
  app.notFound(() => problemResponse(404, 'No such resource.'));

  app.get('/v1/health', (c) => c.json({ status: 'ok' }));
  app.get('/v1/ready', async (c) => ((await deps.store.ping()) ? c.json({ status: 'ready' }) : problemResponse(503, 'The database is not reachable.', [issueFor('CFG-010', [])], { 'retry-after': String(UNAVAILABLE_RETRY_SECONDS) })));
  app.get('/v1/openapi.json', (c) => {
    openapi ??= JSON.stringify(buildOpenApi());
    return c.body(openapi, 200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  });
  app.get('/.well-known/jwks.json', (c) => c.json({ keys: [{ ...deps.gateway.publicJwk, kid: deps.gateway.kid, use: 'sig', alg: deps.gateway.alg }] }));
  app.get('/v1/deelnemers/:oin/jwks', async (c) => {
    const oin = c.req.param('oin');
    if (!Oin.safeParse(oin).success) return parameterProblem('path', ['oin'], 'oin is an OIN: 20 digits.');
    const deelnemer = await deps.registry.get(oin);
    return deelnemer ? c.json(publishedKeySet(deelnemer)) : problemResponse(404, 'No participant with this OIN.');
  });

  // Everything below needs an authenticated participant.
  const authenticateWith = (deferRecord: boolean) => async (c: Context<Env>, next: () => Promise<void>) => {
    const caller = await authenticate({ authorization: c.req.header('authorization'), socket: (c.env as Env['Bindings'] | undefined)?.incoming?.socket, method: c.req.method, deferRecord }, { registry: deps.registry, audience: deps.gateway.oin, replay: deps.replay, ...(deps.now === undefined ? {} : { now: deps.now }) });
    const token = caller.token;
    const wait = deps.rateLimit(caller.deelnemer.oin);
    if (wait > 0) {
      if (token !== undefined && !(await token.recordAlone())) throw new AuthError('ZICHT_AUTH_TOKEN_REPLAYED');
      return problemResponse(429, 'Too many requests from this participant.', [], { 'retry-after': String(wait) });
    }
    c.set('caller', caller);
    await next();
    // CFG-020: a write is answered only after its jti is recorded. Unless the handler recorded it in its own write
    // transaction (the bericht's), it is recorded now, before the answer goes out; a replay found here is a 401.
    if (token !== undefined && !token.settled && !(await token.recordAlone())) throw new AuthError('ZICHT_AUTH_TOKEN_REPLAYED');
    return undefined;
  };
  const authenticated = authenticateWith(false);
  /** For POST /v1/berichten: the token's jti is recorded in the bericht's own transaction when it gets there (one commit, not two). */
  const authenticatedRecordingWithBericht = authenticateWith(true);

  // Refuses a body over the limit while it streams in (also without Content-Length), before it is buffered.
  const limitBody = bodyLimit({
    maxSize: MAX_BERICHT_BYTES,
    onError: () => {
      deps.metrics?.refused(undefined, 'too-large', ['BER-002']);
      // Connection: close, because the rest of the body is not read: a client that kept the connection would send its
      // next request into the unread body (or find the socket closed under it).
      return problemResponse(413, REFUSAL_DETAIL['too-large'], [issueFor('BER-002', [])], { connection: 'close' });
    },
  });

  app.post('/v1/berichten', authenticatedRecordingWithBericht, limitBody, async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(type)) return problemResponse(415, 'Send the bericht as application/json.');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const { deelnemer, token } = c.get('caller');
    const outcome = await acceptBericht(bytes, deelnemer.oin, acceptDeps, { traceparent: c.get('traceparent'), ...(token === undefined ? {} : { token }) });
    if (outcome.kind === 'accepted') {
      deps.metrics?.accepted(outcome.berichtType ?? 'onbekend');
      if (!outcome.duplicate) deps.onAccepted?.();
      return c.json(outcome.receipt, 202);
    }
    deps.metrics?.refused(outcome.berichtType, outcome.reason, outcome.issues.filter((i) => i.severity === 'error').map((i) => i.rule));
    const headers: Record<string, string> = outcome.reason === 'busy' ? { 'retry-after': String(BUSY_RETRY_SECONDS) } : {};
    return problemResponse(REFUSAL_STATUS[outcome.reason], REFUSAL_DETAIL[outcome.reason], outcome.issues, headers);
  });

  app.use(`${FHIR_BASE_PATH}/*`, fhirRefusals);
  app.get(`${FHIR_BASE_PATH}/metadata`, (c) => capabilityResponse(c.req.url));
  app.post(PROCESS_MESSAGE_PATH, authenticated, fhirBodyLimit, (c) => handleProcessMessage(c.req.raw, c.get('caller').deelnemer.oin, deps, c.get('traceparent')));

  app.get('/v1/berichten/:id', authenticated, async (c) => {
    const oin = c.get('caller').deelnemer.oin;
    const id = c.req.param('id') ?? '';
    if (!Uuid.safeParse(id).success) return parameterProblem('path', ['id'], 'id is a berichtId: a UUID.');
    const stored = await deps.store.getBericht(id);
    if (!stored) return problemResponse(404, 'No bericht with this id.');
    const deliveries = await deps.store.listDeliveries(stored.berichtId);
    if (stored.senderOin !== oin && !deliveries.some((d) => d.receiverOin === oin)) return problemResponse(403, 'Only the sender and the receivers of a bericht can see its status.');
    const status: BerichtStatus = {
      berichtId: stored.berichtId,
      berichtType: stored.berichtType,
      ontvangenOp: stored.receivedAt.toISOString(),
      ontvangers: deliveries.map((d) => ({
        oin: d.receiverOin,
        status: d.status,
        aflevering: d.mode,
        pogingen: d.attempts,
        ...(d.lastErrorCode === undefined ? {} : { laatsteFout: d.lastErrorCode }),
        ...(d.deliveredAt === undefined ? {} : { afgeleverdOp: d.deliveredAt.toISOString() }),
        ...(d.acknowledgedAt === undefined ? {} : { bevestigdOp: d.acknowledgedAt.toISOString() }),
      })),
    };
    return c.json(status);
  });

  app.get('/v1/postbus', authenticated, async (c) => {
    const oin = c.get('caller').deelnemer.oin;
    const limitText = c.req.query('limit') ?? '50';
    const limit = Number(limitText);
    const after = c.req.query('after');
    const wrong = [...(/^\d{1,4}$/.test(limitText) && limit >= 1 && limit <= 1000 ? [] : ['limit']), ...(after === undefined || /^\d{1,15}$/.test(after) ? [] : ['after'])];
    if (wrong.length > 0) return parameterProblem('query', wrong, 'limit is 1 to 1000 and after is a cursor from an earlier page.');
    const now = new Date();
    const versleuteling = versleutelingAt(c.get('caller').deelnemer.versleutelingssleutels ?? [], now);
    // Once encryption has started it never silently stops: without a current key nothing is read out (nor marked delivered).
    if (versleuteling.kind === 'no-current-key') return problemResponse(409, 'None of your encryption keys is valid now; register a new one to read your postbus.', [issueFor('ENC-003', [])]);
    const page = await deps.store.listMailbox(oin, { limit, ...(after === undefined ? {} : { after }) });
    for (const item of page.items) {
      if (item.delivery.status === 'queued' && (await deps.store.markDelivered({ berichtId: item.bericht.berichtId, receiverOin: oin }, now))) {
        await deps.store.appendEvent({ type: 'delivery.delivered', berichtId: item.bericht.berichtId, oin, at: now, data: { via: 'postbus' } });
      }
    }
    const postbus: Postbus = { berichten: page.items.map((item) => JSON.parse(item.bericht.body) as Bericht), ...(page.next === undefined ? {} : { volgende: page.next }) };
    // ENC-003: to a receiver with a current encryption key the page goes as a JWE of the same JSON.
    return versleuteling.kind === 'encrypt' ? c.body(await encryptBody(JSON.stringify(postbus), versleuteling.sleutel), 200, { 'content-type': JOSE_MEDIA_TYPE }) : c.json(postbus);
  });

  app.post('/v1/postbus/:id/ack', authenticated, async (c) => {
    const oin = c.get('caller').deelnemer.oin;
    const at = new Date();
    const id = c.req.param('id') ?? '';
    if (!Uuid.safeParse(id).success) return parameterProblem('path', ['id'], 'id is a berichtId: a UUID.');
    const delivery = await deps.store.acknowledge({ berichtId: id, receiverOin: oin }, at);
    if (!delivery) return problemResponse(404, 'No bericht with this id in your postbus.');
    await deps.store.appendEvent({ type: 'delivery.acknowledged', berichtId: delivery.berichtId, oin, at, data: { via: 'postbus' } });
    return c.body(null, 204);
  });

  registerDossierRoutes(app, deps, authenticated);
  app.route('/', logRoutes(deps, authenticated));
  if (deps.console !== undefined) {
    const onRequeued = deps.console.onRequeued;
    app.route('/', consoleRoutes({
      ...deps.console,
      store: deps.store,
      registry: deps.registry,
      gateway: deps.gateway,
      replay: deps.replay,
      logKey: deps.logKey ?? deriveLogSigner(deps.gateway),
      ...(deps.now === undefined ? {} : { now: deps.now }),
      onRequeued: () => {
        deps.metrics?.requeued();
        onRequeued?.();
      },
    }));
  }

  return app;
}
