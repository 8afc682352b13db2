/**
 * Running the gateway: the store, the HTTP API and the delivery worker together, over HTTP or
 * HTTPS with client certificates (mTLS). With mTLS the server only completes handshakes with
 * certificates issued by the configured CA, and a caller is known by the OIN in its certificate's
 * Subject serialNumber; plain HTTP with bearer tokens stays available for the demo and tests.
 */
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { ServerType } from '@hono/node-server';
import { createApp } from '../http/app.js';
import { storeReplayGuard } from '../http/replay.js';
import { tokenBucket } from '../http/rate-limit.js';
import { endpointDispatcher } from '../../adapters/webhook/endpoint-guard.js';
import { DEFAULT_MAX_QUEUED, OutboxLimit } from '../delivery/outbox-limit.js';
import { DeliveryWorker } from '../delivery/worker.js';
import { versleutelingAt } from '../registry/versleutelingssleutel.js';
import type { RetryPolicy } from '../delivery/backoff.js';
import { registryKeyResolver } from '../registry/key-resolver.js';
import { StoreDeelnemerRepository } from '../registry/store-repository.js';
import type { DeelnemerRepository } from '../registry/repository.js';
import type { ClockPolicy } from '../signing/clock.js';
import type { Signer } from '../signing/signer.js';
import { errorFields, type Log } from '../observability/log.js';
import { groupCommit } from '../store/group-commit.js';
import { openStore, type StoreOptions } from '../store/open.js';
import type { Store } from '../store/store.js';
import { deriveLogSigner } from '../audit/log-key.js';
import type { NoteSigner } from '../audit/note-key.js';
import { startLogTask } from '../audit/sequencer.js';
import { startWitnessTask, type WitnessEndpoint } from '../audit/witness-client.js';
import { TermijnWorker } from '../lifecycle/termijn-worker.js';
import type { Keyring } from '../store/keyring.js';
import { DEFAULT_REWRAP_INTERVAL_MS, rewrapAll } from '../store/rewrap.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../retention/policy.js';
import { startRetentionTask, type RetentionTask } from '../retention/task.js';
import { Hono } from 'hono';
import { createMetrics, type GatewayMetrics } from '../observability/metrics.js';
import { dossierLedgers, telTermijnen } from '../lifecycle/overzicht.js';
import { publishedProfielen } from '../profiles/load.js';
import { DEFAULT_DRAIN_MS, drain, listenOn, urlOf } from './listen.js';

/** TLS material for mutual TLS, PEM-encoded. */
export interface MutualTls {
  readonly key: string;
  readonly cert: string;
  /** The CA whose client certificates are accepted. */
  readonly ca: string;
}

/** What one connection may cost the gateway before it is cut off. */
export interface ConnectionLimits {
  /** Time to receive the complete request headers: a slow client (slowloris) gets 408 after it. */
  readonly headersTimeoutMs: number;
  /** Time to receive the complete request, body included: a slow body gets 408 after it. */
  readonly requestTimeoutMs: number;
  /** Size of all request headers together; over it: 431. */
  readonly maxHeaderBytes: number;
  /** Headers read per request; further ones are ignored. */
  readonly maxHeaders: number;
  /** How often the server checks running requests against the time-outs. */
  readonly checkIntervalMs: number;
}

/** The gateway's connection limits unless configured: bodies are limited apart (8 Limits in spec/v1/README.md). */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxHeaderBytes: 16_384,
  maxHeaders: 100,
  checkIntervalMs: 1_000,
};

/** How to run a gateway. */
export interface GatewayOptions {
  /** The participants. With `persistRegistry`, they are written into the database, which is then the registry. */
  readonly registry: DeelnemerRepository;
  /**
   * Keep the registry in the database (shared by every gateway on it; changes seen within 2 s) after
   * adding or replacing the given participants; otherwise use `registry` as it is.
   */
  readonly persistRegistry?: boolean;
  readonly gateway: Signer;
  /** Database URL: a SQLite file path (default `./zicht.db`) or `postgres://…`. */
  readonly db?: string;
  readonly storeOptions?: StoreOptions;
  readonly port?: number;
  readonly hostname?: string;
  readonly tls?: MutualTls;
  /** Run the delivery worker in this process (default true). */
  readonly deliver?: boolean;
  readonly retryPolicy?: RetryPolicy;
  /**
   * Deliver to endpoints at private, loopback or link-local addresses (default false: only public
   * addresses, checked after DNS; see adapters/webhook/endpoint-guard.ts). The demo and tests on
   * localhost, and a gateway inside a private network such as Diginetwerk, set it.
   */
  readonly allowPrivateEndpoints?: boolean;
  /** Undelivered berichten per receiver at which new ones for it are refused (RTE-004); default {@link DEFAULT_MAX_QUEUED}. */
  readonly maxQueuedPerReceiver?: number;
  /** Limits on each connection; see {@link DEFAULT_CONNECTION_LIMITS}. */
  readonly limits?: Partial<ConnectionLimits>;
  /** Requests per second per participant, with a burst of ten times that. */
  readonly rateLimit?: number;
  /** Where requests, deliveries and internal errors are logged (default: nowhere). */
  readonly log?: Log;
  /** The key that signs the audit log's checkpoints (default: derived from `gateway`, src/audit/log-key.ts). */
  readonly logKey?: NoteSigner;
  /** Witnesses that cosign each new checkpoint (C2SP tlog-witness; spec/v1/log.md LOG-003); default none. */
  readonly witnesses?: readonly WitnessEndpoint[];
  /** The log's maximum merge delay in seconds, promised in every transport receipt (LOG-005); default 86,400 (src/audit/promise.ts). */
  readonly maxMergeDelay?: number;
  /** Run the timer worker in this process (default true): fires expired terms (src/lifecycle/termijn-worker.ts). */
  readonly timers?: boolean;
  /** The gateway's clock (default: the system clock); tests pass a controllable one. */
  readonly now?: () => Date;
  /** The bounds of a sender's `iat` around the gateway's clock (SIG-007 skew, SIG-008 age; src/signing/clock.ts). */
  readonly clock?: ClockPolicy;
  /**
   * The retention policy whose purge runs on a schedule (default {@link DEFAULT_RETENTION}); `false` runs no
   * purge in this process (another gateway on the database, or `zicht purge` from cron, does it).
   */
  readonly retention?: RetentionPolicy | false;
  /** How often the purge runs (default every ten minutes). */
  readonly purgeIntervalMs?: number;
  /**
   * The key-encryption keys of payloads at rest (src/store/keyring.ts); without it payloads are stored
   * unencrypted. Every `rewrapIntervalMs` (default a minute) payloads not under its current KEK are
   * re-wrapped in the background, so a rotation (a new current KEK, `keyring.reload`) needs no downtime.
   */
  readonly keyring?: Keyring;
  readonly rewrapIntervalMs?: number;
  /**
   * Serve `GET /metrics` (Prometheus text) on a listener of its own, default 127.0.0.1 and off. Not on the API's
   * port on purpose: a scraper cannot mint the API's one-time bearer tokens, and the metrics (counts per type,
   * rule and receiving organisation; no personal data) are for the operator's monitoring network only.
   */
  readonly metrics?: { readonly port: number; readonly hostname?: string };
  /** How long `close()` waits for requests in flight before it cuts their connections (default 10 s). */
  readonly drainMs?: number;
  /** The console at /console (src/console/): on unless `false`; `demo` adds the demo sign-in (only `zicht demo`). */
  readonly console?: false | { readonly demo?: boolean };
}

/** A running gateway. */
export interface RunningGateway {
  readonly url: string;
  readonly store: Store;
  readonly worker: DeliveryWorker | undefined;
  readonly timers: TermijnWorker | undefined;
  /** The purge schedule, when this process runs one. */
  readonly retention: RetentionTask | undefined;
  /** The gateway's metrics (also when not served). */
  readonly metrics: GatewayMetrics;
  /** Where `GET /metrics` is served, when `options.metrics` asked for it. */
  readonly metricsUrl?: string;
  /**
   * Stops the gateway: no new requests, the ones in flight answered (up to `drainMs`), then the workers, and
   * the store closed. Leaves nothing that keeps Node running. Idempotent.
   */
  close(): Promise<void>;
}

/** The metrics listener's app: `GET /metrics` and nothing else. */
function metricsApp(metrics: GatewayMetrics): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) => c.body(await metrics.render(), 200, { 'content-type': metrics.contentType }));
  return app;
}

/** Starts a gateway and resolves once it listens. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  // SQLite: WAL checkpoints in a worker thread, off the accept path's event loop (every 200 ms unless configured).
  const store = await openStore(options.db, { checkpointEveryMs: 200, ...options.storeOptions, ...(options.keyring === undefined ? {} : { keyring: options.keyring }) });
  const commit = groupCommit(store);
  let registry = options.registry;
  if (options.persistRegistry === true) {
    const persistent = new StoreDeelnemerRepository(store, options.now === undefined ? {} : { now: options.now });
    for (const deelnemer of await options.registry.list()) await persistent.put(deelnemer);
    registry = persistent;
  }
  const metrics = createMetrics({
    store,
    termijnen: async () => telTermijnen(await dossierLedgers(store, await registry.list(), publishedProfielen(), new Date())).values(),
  });
  const dispatcher = options.deliver === false ? undefined : endpointDispatcher({ allowPrivate: options.allowPrivateEndpoints ?? false });
  const worker =
    dispatcher === undefined
      ? undefined
      : new DeliveryWorker({
          dispatcher,
          store,
          gateway: options.gateway,
          endpointOf: async (oin) => (await registry.get(oin))?.afleveradressen[0],
          versleutelingOf: async (oin, at) => versleutelingAt((await registry.get(oin))?.versleutelingssleutels ?? [], at),
          // PostgreSQL runs transactions side by side: the delivery outcomes get a group commit of their own, so a push's
          // slot (its lease) is freed without waiting behind the accepts' batches. SQLite has one writer: one queue.
          commit: store.backend === 'postgres' ? groupCommit(store) : commit,
          ...(options.log === undefined ? {} : { log: options.log }),
          ...(options.retryPolicy === undefined ? {} : { policy: options.retryPolicy }),
          ...(options.now === undefined ? {} : { now: options.now }),
          observe: (outcome, seconds) => { metrics.attempt(outcome, seconds); },
        });
  const timers =
    options.timers === false
      ? undefined
      : new TermijnWorker({
          store,
          registry,
          gateway: options.gateway,
          onSignal: () => worker?.nudge(),
          ...(options.log === undefined ? {} : { log: options.log }),
          ...(options.now === undefined ? {} : { now: options.now }),
        });
  const outbox = new OutboxLimit(store, options.maxQueuedPerReceiver ?? DEFAULT_MAX_QUEUED);
  await outbox.start();
  const logKey = options.logKey ?? deriveLogSigner(options.gateway);
  const perSecond = options.rateLimit ?? 200;
  const app = createApp({
    store,
    registry,
    keys: registryKeyResolver(registry),
    gateway: options.gateway,
    replay: storeReplayGuard(store, { commit, ...(options.log === undefined ? {} : { log: options.log }) }),
    rateLimit: tokenBucket({ perSecond, burst: perSecond * 10 }),
    commit,
    receiverFull: (oin) => outbox.isFull(oin),
    logKey,
    ...(options.maxMergeDelay === undefined ? {} : { maxMergeDelay: options.maxMergeDelay }),
    onAccepted: () => worker?.nudge(),
    metrics,
    ...(options.console === false ? {} : { console: { demo: options.console?.demo === true, secureCookie: options.tls !== undefined, onRequeued: () => worker?.nudge() } }),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const tls = options.tls;
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const serverOptions: ServerOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    connectionsCheckingInterval: limits.checkIntervalMs,
    ...(tls && { key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true }),
  };
  let server: ServerType;
  let metricsServer: ServerType | undefined;
  try {
    server = await listenOn({
      fetch: app.fetch,
      port: options.port ?? 8080,
      hostname: options.hostname ?? '127.0.0.1',
      serverOptions,
      ...(tls ? { createServer: createHttpsServer } : {}),
    });
    try {
      metricsServer = options.metrics === undefined ? undefined : await listenOn({ fetch: metricsApp(metrics).fetch, port: options.metrics.port, hostname: options.metrics.hostname ?? '127.0.0.1' });
    } catch (error) {
      await drain(server, 0);
      throw error;
    }
  } catch (error) {
    // Nothing of this gateway may outlive a failed start (a port in use): the caller reports one line and exits.
    await outbox.stop();
    await dispatcher?.close();
    await store.close();
    throw error;
  }
  if ('maxHeadersCount' in server) server.maxHeadersCount = limits.maxHeaders;
  worker?.start();
  timers?.start();
  // Sequence the audit log and sign a checkpoint at least every second while there are new leaves.
  const logTask = startLogTask(store, logKey, { onError: (error) => { options.log?.error(errorFields(error), 'audit log round failed'); } });
  // Ask the witnesses to cosign each new checkpoint; their cosignatures are served with it (LOG-003).
  const witnessTask =
    options.witnesses === undefined || options.witnesses.length === 0
      ? undefined
      : startWitnessTask(store, options.witnesses, { onError: (error, witness) => { options.log?.error({ ...errorFields(error), ...(witness === undefined ? {} : { witness: witness.key.name }) }, 'witness round failed'); } });
  // Purge payloads whose retention ran out (src/retention/); a failed round is retried at the next tick.
  const retention =
    options.retention === false
      ? undefined
      : startRetentionTask(store, {
          policy: options.retention ?? DEFAULT_RETENTION,
          ...(options.purgeIntervalMs === undefined ? {} : { intervalMs: options.purgeIntervalMs }),
          onRound: (report) => {
            if (report.purged > 0) options.log?.info({ purged: report.purged }, 'payloads purged');
            if (report.metadata.expired > 0) options.log?.info({ dossiers: report.metadata.expired, ...report.metadata.removed }, 'metadata deleted after the audit period');
          },
          onError: (error) => { options.log?.error(errorFields(error), 'purge round failed'); },
        });
  // Re-wrap payloads under the current KEK (a rotation), or seal those stored before encryption was on.
  let rewrapping = Promise.resolve();
  const rewrap = setInterval(() => {
    if (options.keyring === undefined) return;
    rewrapping = rewrapping.then(() => rewrapAll(store)).then(
      (changed) => { if (changed > 0) options.log?.info({ rewrapped: changed }, 'payload keys re-wrapped'); },
      (error: unknown) => { options.log?.error(errorFields(error), 're-wrap round failed'); },
    );
  }, options.rewrapIntervalMs ?? DEFAULT_REWRAP_INTERVAL_MS);
  rewrap.unref();
  // Forget expired token ids now and then; a failure (database away) is retried at the next tick.
  const purge = setInterval(() => {
    store.purgeTokenIds(new Date()).catch(() => undefined);
  }, 60_000);
  purge.unref();
  let closing: Promise<void> | undefined;
  const stop = async () => {
    clearInterval(purge);
    clearInterval(rewrap);
    // First the door: no new requests, the running ones answered (each 202 after its bericht is stored).
    await drain(server, options.drainMs ?? DEFAULT_DRAIN_MS);
    if (metricsServer) await drain(metricsServer, 0);
    await rewrapping;
    await timers?.stop();
    await worker?.stop();
    await outbox.stop();
    await dispatcher?.close();
    await logTask.stop();
    await witnessTask?.stop();
    await retention?.stop();
    await store.close();
  };
  return {
    url: urlOf(server, tls ? 'https' : 'http'),
    store,
    worker,
    timers,
    retention,
    metrics,
    ...(metricsServer === undefined ? {} : { metricsUrl: urlOf(metricsServer) }),
    close() {
      closing ??= stop();
      return closing;
    },
  };
}
