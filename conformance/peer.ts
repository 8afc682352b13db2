/**
 * The suite's listener: one real HTTP server on which the suite plays the gateway (roles gemeente
 * and vt: `POST /v1/berichten`, the JWKS endpoints) and the receiving systems (role gateway:
 * `POST /p/{oin}/v1/berichten`, one push address per party). It records everything that arrives,
 * and answers as the running case tells it to.
 */
import type { AddressInfo } from 'node:net';
import type { HttpBindings } from '@hono/node-server';
import { listenOn } from '../src/server/listen.js';
import { Hono } from 'hono';
import type { SuiteNetwork } from './network.js';
import { parseStrictJson } from '../src/json/strict-json.js';

/** Something the system under test sent to the suite. */
export interface Inbound {
  /** `gateway`: to the suite as gateway; `receiver`: a push to one of the suite's parties. */
  readonly to: 'gateway' | 'receiver';
  /** For `receiver`: the party's OIN. */
  readonly oin?: string;
  readonly bytes: Uint8Array;
  /** The parsed body, when it is JSON. */
  readonly json?: unknown;
  readonly authorization?: string;
  readonly at: Date;
}

/** How the suite answers a request: a status and a JSON body, or `drop`: close the connection without an answer (a lost answer, as after a time-out). */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly drop?: boolean;
  /** Headers besides the content type, e.g. a `Retry-After`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The running listener. */
export interface Peer {
  readonly url: string;
  readonly inbound: Inbound[];
  /** How the suite as gateway answers `POST /v1/berichten`; a case may replace it for its own exchange. */
  answerAsGateway: (inbound: Inbound) => Promise<Answer>;
  /** How the suite's parties answer a push; default 202. */
  answerAsReceiver: (inbound: Inbound) => Promise<Answer>;
  /** The postbus the system under test reads (`--mode postbus`): checks the reader's token and answers a read or an acknowledgement. */
  postbus?: {
    read(authorization: string | undefined, limit: number, after?: number): Promise<{ status: number; body: string; contentType: string }>;
    acknowledge(authorization: string | undefined, berichtId: string): Promise<number>;
  };
  /** OINs whose keys the key directory cannot serve now (it answers 503): a case that tests failing closed sets and clears it. */
  readonly keyDirectoryDown: Set<string>;
  /** Waits until `predicate` holds for something received (checked now and whenever anything arrives), or the time-out passes. */
  waitFor(predicate: (inbound: Inbound) => boolean, timeoutMs: number): Promise<Inbound | undefined>;
  close(): Promise<void>;
}

function parse(bytes: Uint8Array): unknown {
  try {
    return parseStrictJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

/**
 * Starts the listener on `host:port` (port 0: any free port). `published`: participants whose own
 * keys the suite publishes as gateway (the system under test's), instead of the suite's.
 */
export async function startPeer(network: SuiteNetwork, options: { host?: string; port?: number; published?: ReadonlyMap<string, unknown> } = {}): Promise<Peer> {
  const inbound: Inbound[] = [];
  const waiters = new Set<() => void>();
  const jwks = { keys: [{ ...network.gateway.publicJwk, kid: network.gateway.kid, use: 'sig', alg: network.gateway.alg }] };

  const peer: Omit<Peer, 'url' | 'close'> = {
    inbound,
    answerAsGateway: () => Promise.resolve({ status: 202, body: {} }),
    answerAsReceiver: () => Promise.resolve({ status: 202 }),
    keyDirectoryDown: new Set<string>(),
    waitFor(predicate, timeoutMs) {
      return new Promise((resolve) => {
        const check = () => {
          const found = inbound.find(predicate);
          if (found) {
            done(found);
          }
        };
        const done = (value: Inbound | undefined) => {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(value);
        };
        const timer = setTimeout(() => { done(undefined); }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };

  const receive = async (to: Inbound['to'], request: Request, oin?: string): Promise<Inbound> => {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const authorization = request.headers.get('authorization') ?? undefined;
    const json = parse(bytes);
    const item: Inbound = { to, bytes, at: new Date(), ...(oin === undefined ? {} : { oin }), ...(json === undefined ? {} : { json }), ...(authorization === undefined ? {} : { authorization }) };
    inbound.push(item);
    for (const waiter of [...waiters]) waiter();
    return item;
  };
  const reply = (answer: Answer) =>
    answer.body === undefined
      ? new Response(null, { status: answer.status, headers: answer.headers ?? {} })
      : Response.json(answer.body, { status: answer.status, headers: { ...(answer.status >= 400 ? { 'content-type': 'application/problem+json' } : {}), ...answer.headers } });

  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/.well-known/jwks.json', (c) => c.json(jwks));
  app.get('/v1/deelnemers/:oin/jwks', (c) => {
    const oin = c.req.param('oin');
    if (peer.keyDirectoryDown.has(oin)) return c.json({ status: 503, title: 'The key directory is unavailable (the conformance suite tests failing closed).' }, 503, { 'content-type': 'application/problem+json', 'retry-after': '1' });
    // The system under test's own keys are its own (--sut-jwks), never a key of the suite's.
    const own = options.published?.get(oin);
    if (own !== undefined) return c.json(own as object);
    const published = network.jwksOf(oin);
    return published === undefined ? c.json({ status: 404, title: 'No participant with this OIN.' }, 404) : c.json(published);
  });
  app.post('/v1/berichten', async (c) => {
    const answer = await peer.answerAsGateway(await receive('gateway', c.req.raw));
    if (answer.drop === true) c.env.incoming.socket.destroy();
    return reply(answer);
  });
  app.get('/v1/postbus', async (c) => {
    if (peer.postbus === undefined) return c.json({ status: 404, title: 'No postbus: the suite pushes (--mode push).' }, 404);
    const limit = Number(c.req.query('limit') ?? '50');
    const after = c.req.query('after');
    // openapi.json: the cursor is a page's volgende, digits (else 400, BER-030); any other query parameter is not read.
    if (after !== undefined && !/^\d{1,15}$/.test(after)) return c.json({ status: 400, title: 'after is not a cursor this postbus gave (volgende).', issues: [{ rule: 'BER-030', severity: 'error', path: '$.after', message: 'See the rule.' }] }, 400, { 'content-type': 'application/problem+json' });
    const page = await peer.postbus.read(c.req.header('authorization'), Number.isInteger(limit) && limit >= 1 && limit <= 1000 ? limit : 50, after === undefined ? undefined : Number(after));
    return c.body(page.body, page.status as 200, { 'content-type': page.contentType });
  });
  app.post('/v1/postbus/:id/ack', async (c) => {
    if (peer.postbus === undefined) return c.json({ status: 404, title: 'No postbus: the suite pushes (--mode push).' }, 404);
    const status = await peer.postbus.acknowledge(c.req.header('authorization'), c.req.param('id'));
    return status === 204 ? c.body(null, 204) : c.json({ status, title: status === 401 ? 'No valid token.' : 'No bericht with this id in your postbus.' }, status as 401);
  });
  app.post('/p/:oin/v1/berichten', async (c) => reply(await peer.answerAsReceiver(await receive('receiver', c.req.raw, c.req.param('oin')))));

  // A port in use is one clear line (ListenError, exit 2), never an unhandled 'error' event.
  const server = await listenOn({ fetch: app.fetch, port: options.port ?? 0, hostname: options.host ?? '127.0.0.1' });
  const address = server.address() as AddressInfo;
  return Object.assign(peer as Peer, {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  });
}
