/**
 * Running the gateway: the store, the HTTP API and the delivery worker together, over HTTP or
 * HTTPS with client certificates (mTLS). With mTLS the server only completes handshakes with
 * certificates issued by the configured CA, and a caller is known by the OIN in its certificate's
 * Subject serialNumber; plain HTTP with bearer tokens stays available for the demo and tests.
 */
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../http/app.js';
import { storeReplayGuard } from '../http/replay.js';
import { tokenBucket } from '../http/rate-limit.js';
import { DeliveryWorker } from '../delivery/worker.js';
import type { RetryPolicy } from '../delivery/backoff.js';
import { registryKeyResolver } from '../registry/key-resolver.js';
import { StoreDeelnemerRepository } from '../registry/store-repository.js';
import type { DeelnemerRepository } from '../registry/repository.js';
import type { Signer } from '../signing/signer.js';
import type { Log } from '../observability/log.js';
import { groupCommit } from '../store/group-commit.js';
import { openStore, type StoreOptions } from '../store/open.js';
import type { Store } from '../store/store.js';

/** TLS material for mutual TLS, PEM-encoded. */
export interface MutualTls {
  readonly key: string;
  readonly cert: string;
  /** The CA whose client certificates are accepted. */
  readonly ca: string;
}

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
  /** Requests per second per participant, with a burst of ten times that. */
  readonly rateLimit?: number;
  /** Where requests, deliveries and internal errors are logged (default: nowhere). */
  readonly log?: Log;
}

/** A running gateway. */
export interface RunningGateway {
  readonly url: string;
  readonly store: Store;
  readonly worker: DeliveryWorker | undefined;
  close(): Promise<void>;
}

/** Starts a gateway and resolves once it listens. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const store = await openStore(options.db, options.storeOptions);
  const commit = groupCommit(store);
  let registry = options.registry;
  if (options.persistRegistry === true) {
    const persistent = new StoreDeelnemerRepository(store);
    for (const deelnemer of await options.registry.list()) await persistent.put(deelnemer);
    registry = persistent;
  }
  const worker =
    options.deliver === false
      ? undefined
      : new DeliveryWorker({
          store,
          gateway: options.gateway,
          endpointOf: async (oin) => (await registry.get(oin))?.afleveradressen[0],
          commit,
          ...(options.log === undefined ? {} : { log: options.log }),
          ...(options.retryPolicy === undefined ? {} : { policy: options.retryPolicy }),
        });
  const perSecond = options.rateLimit ?? 200;
  const app = createApp({
    store,
    registry,
    keys: registryKeyResolver(registry),
    gateway: options.gateway,
    replay: storeReplayGuard(store, { commit }),
    rateLimit: tokenBucket({ perSecond, burst: perSecond * 10 }),
    commit,
    onAccepted: () => worker?.nudge(),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const tls = options.tls;
  const serverOptions: ServerOptions | undefined = tls && { key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true };
  const server = await new Promise<ServerType>((resolve) => {
    const s: ServerType = serve(
      {
        fetch: app.fetch,
        port: options.port ?? 8080,
        hostname: options.hostname ?? '127.0.0.1',
        ...(serverOptions ? { createServer: createHttpsServer, serverOptions } : {}),
      },
      () => { resolve(s); },
    );
  });
  worker?.start();
  // Forget expired token ids now and then; a failure (database away) is retried at the next tick.
  const purge = setInterval(() => {
    store.purgeTokenIds(new Date()).catch(() => undefined);
  }, 60_000);
  purge.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${address.port}`,
    store,
    worker,
    async close() {
      clearInterval(purge);
      await worker?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await store.close();
    },
  };
}
