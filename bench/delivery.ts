/**
 * Delivery benchmark (issue 22): a real gateway process (`zicht serve`, built by `npm run build`) on SQLite and
 * PostgreSQL pushing to two receivers on localhost (Heerlen and Kerkrade of the demo network; every handover
 * goes to both), with the load driver and the receivers in this process, on one clock.
 *
 * (a) Sustained load: the maximum accept rate is measured first in the same run (50 senders, the worker
 *     delivering meanwhile); then BENCH_DELIVERY_SECONDS (60) at 80% of it, paced. Target: the outbox does not
 *     grow, i.e. deliveries/s >= accepted deliveries/s over the steady part of the window (after the first
 *     tenth), within 1% for the berichten in flight at the window's edges. Reported beside it: p50/p99 from the
 *     sender's 202 to the receiver's arrival, and the largest backlog seen.
 * (b) Isolation: Kerkrade takes connections and never answers, with 48 berichten queued for it before the
 *     measured phase; then 40 berichten/s (or a quarter of (a)'s maximum accept rate, if lower: a light load on
 *     any machine) for BENCH_DELIVERY_ISOLATION_SECONDS (10). Figure: Heerlen's
 *     accept-to-delivery p99 in that phase ÷ the same phase with Kerkrade answering; rounds interleaved
 *     (baseline, hanging, hanging, baseline, …), medians. Target: <= 2.
 *
 * BENCH_DELIVERY_BACKENDS=sqlite,postgres (default both), BENCH_DELIVERY_ROUNDS (2 per side); every round's p99s
 * and its five slowest deliveries (with when in the phase they were accepted) are kept beside the medians.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoKeys, type DemoNetwork } from '../src/demo/network.js';
import { createBearerToken } from '../src/signing/bearer-token.js';
import { generateSigningKey } from '../src/signing/generate.js';
import { createSigner } from '../src/signing/signer.js';
import { Keyring } from '../src/store/keyring.js';
import { freePort } from '../test/helpers/gateway-process.js';
import { machine } from './harness.js';

/**
 * A dossier reference of its own for each bericht: 64 random bits as letters. Eight hex digits gave two of 100,000
 * berichten the same dossier about once a run (a second volgnummer 1, refused), and digits can form a BSN that passes
 * the elfproef (BER-009, BER-020).
 */
const dossierKey = (): string => randomBytes(8).toString('hex').replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]!);

const SECONDS = Number(process.env.BENCH_DELIVERY_SECONDS ?? 60);
const ISOLATION_SECONDS = Number(process.env.BENCH_DELIVERY_ISOLATION_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_DELIVERY_ROUNDS ?? 2);
const MAX_PROBE = Number(process.env.BENCH_DELIVERY_PROBE ?? 1000);
const QUEUED_FOR_HANGING = 48;
/** BENCH_DELIVERY_ISOLATION_ONLY=R: only (b), at R berichten/s (no sustained run to take a maximum from); for profiling. */
const ISOLATION_ONLY_AT = process.env.BENCH_DELIVERY_ISOLATION_ONLY === undefined ? undefined : Number(process.env.BENCH_DELIVERY_ISOLATION_ONLY);
/** The measured phase of (b) sends at this rate, or a quarter of the measured maximum accept rate when that is lower. */
const ISOLATION_RATE = 40;
const PG_ADMIN = process.env.ZICHT_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const BIN = join(import.meta.dirname, '..', 'bin', 'zicht.js');
const RECEIVERS = [DEMO_OIN.heerlen, DEMO_OIN.kerkrade] as const;

type Backend = 'sqlite' | 'postgres';

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const median = (xs: readonly number[]): number => quantile(xs, 0.5);
const round2 = (x: number): number => Number(x.toFixed(2));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A receiver in this process: stamps each push's first arrival per berichtId; answers 202, or hangs when told to. */
interface Receiver {
  readonly url: string;
  readonly arrived: Map<string, number>;
  hang: boolean;
  /** Requests held unanswered now. */
  hanging(): number;
  /** Drops the connections of the pushes it holds. */
  release(): void;
  close(): Promise<void>;
}

const bodyOf = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

async function startReceiver(): Promise<Receiver> {
  const arrived = new Map<string, number>();
  const held = new Set<IncomingMessage>();
  const receiver: { hang: boolean } = { hang: false };
  const server: Server = createServer((request, response) => {
    if (receiver.hang) {
      request.resume();
      held.add(request);
      request.socket.once('close', () => held.delete(request));
      return;
    }
    void bodyOf(request).then((body) => {
      const id = (JSON.parse(body) as { berichtId: string }).berichtId;
      if (!arrived.has(id)) arrived.set(id, performance.now());
      response.writeHead(202).end();
    });
  });
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    arrived,
    hanging: () => held.size,
    release: () => {
      for (const request of held) request.socket.destroy();
      held.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => { resolve(); });
      }),
  });
}

/** The demo network's keys, with the gateway's private JWK kept for its key file. */
async function networkFor(urls: Readonly<Record<'heerlen' | 'kerkrade', string>>): Promise<{ network: DemoNetwork; gatewayJwk: Record<string, unknown> }> {
  const generated = await Promise.all(Object.values(DEMO_OIN).map(() => generateSigningKey('ES256')));
  const [g, vt, h, k] = generated as [typeof generated[0], typeof generated[0], typeof generated[0], typeof generated[0]];
  const keys: DemoKeys = {
    gateway: await createSigner({ privateJwk: g.privateJwk, oin: DEMO_OIN.gateway }),
    vtZuidLimburg: await createSigner({ privateJwk: vt.privateJwk, oin: DEMO_OIN.vtZuidLimburg }),
    heerlen: await createSigner({ privateJwk: h.privateJwk, oin: DEMO_OIN.heerlen }),
    kerkrade: await createSigner({ privateJwk: k.privateJwk, oin: DEMO_OIN.kerkrade }),
  };
  return { network: await createDemoNetwork(urls, keys), gatewayJwk: { ...g.privateJwk, oin: DEMO_OIN.gateway } };
}

/** A fresh PostgreSQL database for one gateway; its URL. */
async function freshPgDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS zicht_bench_delivery');
  await admin.query('CREATE DATABASE zicht_bench_delivery');
  await admin.end();
  return PG_ADMIN.replace(/\/[^/]*$/, '/zicht_bench_delivery');
}

interface Gateway {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts `zicht serve` on a fresh database of `backend` with the network's registry; resolves once it listens. */
async function startGateway(backend: Backend, network: DemoNetwork, gatewayJwk: Record<string, unknown>): Promise<Gateway> {
  const dir = mkdtempSync(join(tmpdir(), 'zicht-bench-delivery-'));
  writeFileSync(join(dir, 'registry.json'), JSON.stringify({ zichtRegistry: 1, deelnemers: await network.registry.list() }));
  writeFileSync(join(dir, 'gateway.jwk.json'), JSON.stringify(gatewayJwk), { mode: 0o600 });
  writeFileSync(join(dir, 'kek.json'), Keyring.generate('kek-bench').exportText(), { mode: 0o600 });
  const db = backend === 'postgres' ? await freshPgDatabase() : join(dir, 'zicht.db');
  const port = await freePort();
  const args = [BIN, 'serve', '--port', String(port), '--db', db, '--registry', join(dir, 'registry.json'), '--key', join(dir, 'gateway.jwk.json'), '--kek-file', join(dir, 'kek.json'), '--allow-private-endpoints', '--rate-limit', '1000000'];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
    child.once('exit', (code) => { reject(new Error(`zicht serve exited with ${String(code)}: ${err.slice(0, 2000)}`)); });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Load {
  readonly berichtId: string;
  readonly body: string;
  readonly token: string;
}

/** Pre-signs `count` handovers, each in a dossier of its own, with a bearer token each (not timed). */
async function prepare(network: DemoNetwork, count: number): Promise<Load[]> {
  const loads: Load[] = [];
  for (let i = 0; i < count; i++) {
    const bericht = { ...exampleBericht('overdracht-na-dienst-onderzoek'), dossier: { referentie: `VTZL-2026-${dossierKey()}`, volgnummer: 1 } };
    loads.push({
      berichtId: bericht.berichtId,
      body: JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht)),
      token: await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway, { seconds: 600 }),
    });
  }
  return loads;
}

/** Posts one load; the time its 202 arrived, or undefined for any other answer. */
async function post(pool: Pool, load: Load): Promise<number | undefined> {
  const response = await pool.request({ path: '/v1/berichten', method: 'POST', body: load.body, headers: { 'content-type': 'application/json', authorization: `Bearer ${load.token}` } });
  await response.body.dump();
  return response.statusCode === 202 ? performance.now() : undefined;
}

/** Sends every load with 50 senders as fast as the gateway takes them; accepted per second. */
async function maxAcceptRate(url: string, loads: readonly Load[]): Promise<number> {
  const pool = new Pool(url, { connections: 50 });
  let ok = 0;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      for (let i = next++; i < loads.length; i = next++) if ((await post(pool, loads[i]!)) !== undefined) ok++;
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  return ok / seconds;
}

/** Sends the loads paced at `perSecond` (at most 256 in flight); each accepted load's 202 time by berichtId. */
async function paced(url: string, loads: readonly Load[], perSecond: number): Promise<{ accepted: Map<string, number>; refused: number; start: number }> {
  const pool = new Pool(url, { connections: 256 });
  const accepted = new Map<string, number>();
  let refused = 0;
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (const [i, load] of loads.entries()) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (inFlight.size >= 256) await Promise.race(inFlight);
    const sending: Promise<void> = post(pool, load).then((at) => {
      if (at === undefined) refused++;
      else accepted.set(load.berichtId, at);
      inFlight.delete(sending);
    });
    inFlight.add(sending);
  }
  await Promise.all(inFlight);
  await pool.close();
  return { accepted, refused, start };
}

/** Waits until every accepted bericht arrived at `receivers` (or `ms` passed); whether all did. */
async function drained(accepted: ReadonlyMap<string, number>, receivers: readonly Receiver[], ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  const done = () => receivers.every((r) => [...accepted.keys()].every((id) => r.arrived.has(id)));
  while (!done() && performance.now() < deadline) await sleep(100);
  return done();
}

/** Accept-to-delivery latencies (ms) of `accepted` at `receiver`, for those that arrived. */
const latencies = (accepted: ReadonlyMap<string, number>, receiver: Receiver): number[] =>
  [...accepted].flatMap(([id, at]) => {
    const arrived = receiver.arrived.get(id);
    return arrived === undefined ? [] : [Math.max(0, arrived - at)];
  });

/** (a) on one backend: the maximum accept rate, then the sustained window at 80% of it. */
async function sustained(backend: Backend) {
  const heerlen = await startReceiver();
  const kerkrade = await startReceiver();
  const { network, gatewayJwk } = await networkFor({ heerlen: heerlen.url, kerkrade: kerkrade.url });
  const gateway = await startGateway(backend, network, gatewayJwk);
  try {
    const probe = await prepare(network, MAX_PROBE);
    const maxPerSecond = await maxAcceptRate(gateway.url, probe);
    // Let the worker catch up with the probe before the window starts.
    const probeEnd = performance.now();
    if (!(await drained(new Map(probe.map((l) => [l.berichtId, 0])), [heerlen, kerkrade], 300_000))) throw new Error('the probe was not delivered within 5 minutes');
    const probeDrainSeconds = (performance.now() - probeEnd) / 1000;
    const rate = 0.8 * maxPerSecond;
    const loads = await prepare(network, Math.round(rate * SECONDS));
    const receivers = [heerlen, kerkrade];
    const backlog: number[] = [];
    const { accepted, refused, start } = await paced(gateway.url, loads, rate);
    const windowMs = performance.now() - start;
    const allDelivered = await drained(accepted, receivers, 60_000);
    // The steady part: after the first tenth of the window, up to its end.
    const from = start + windowMs / 10;
    const to = start + windowMs;
    const seconds = (to - from) / 1000;
    const acceptedDeliveries = [...accepted.values()].filter((t) => t >= from && t < to).length * receivers.length;
    const deliveries = receivers.reduce((n, r) => n + [...r.arrived.entries()].filter(([id, t]) => accepted.has(id) && t >= from && t < to).length, 0);
    // Accepted deliveries not yet delivered at the end of each second: the outbox as the receivers see it.
    for (const t of [...Array(Math.floor(windowMs / 1000)).keys()].map((s) => start + (s + 1) * 1000)) {
      const acc = [...accepted.values()].filter((a) => a <= t).length * receivers.length;
      const del = receivers.reduce((n, r) => n + [...r.arrived.entries()].filter(([id, a]) => accepted.has(id) && a <= t).length, 0);
      backlog.push(acc - del);
    }
    const all = receivers.flatMap((r) => latencies(accepted, r));
    const acceptsPerSecond = acceptedDeliveries / seconds;
    const deliveriesPerSecond = deliveries / seconds;
    const met = deliveriesPerSecond >= 0.99 * acceptsPerSecond && allDelivered && refused === 0;
    return {
      backend,
      maxAcceptedPerSecond: Math.round(maxPerSecond),
      probeDrainSeconds: round2(probeDrainSeconds),
      offeredPerSecond: Math.round(rate),
      achievedAcceptedPerSecond: round2(acceptsPerSecond / receivers.length),
      windowSeconds: round2(windowMs / 1000),
      berichtenAccepted: accepted.size,
      refused,
      acceptedDeliveriesPerSecond: round2(acceptsPerSecond),
      deliveriesPerSecond: round2(deliveriesPerSecond),
      deliveriesToAccepts: round2(deliveriesPerSecond / acceptsPerSecond),
      backlogFirstSecond: backlog[0] ?? NaN,
      backlogLastSecond: backlog.at(-1) ?? NaN,
      backlogMax: Math.max(...backlog),
      allDeliveredAfterWindow: allDelivered,
      acceptToDeliveryP50Ms: round2(quantile(all, 0.5)),
      acceptToDeliveryP99Ms: round2(quantile(all, 0.99)),
      target: 'deliveries/s >= accepted deliveries/s (within 1%), everything delivered, nothing refused',
      met,
    };
  } finally {
    await gateway.stop();
    await heerlen.close();
    await kerkrade.close();
  }
}

/** One isolation round: Heerlen's accept-to-delivery latencies (ms) while Kerkrade hangs or not. */
async function isolationRound(
  backend: Backend,
  hang: boolean,
  rate: number,
): Promise<{ p99: number; p50: number; hangingAtEnd: number; delivered: number; sent: number; worst: { atMs: number; ms: number }[] }> {
  const heerlen = await startReceiver();
  const kerkrade = await startReceiver();
  kerkrade.hang = hang;
  const { network, gatewayJwk } = await networkFor({ heerlen: heerlen.url, kerkrade: kerkrade.url });
  const gateway = await startGateway(backend, network, gatewayJwk);
  try {
    const queued = await prepare(network, QUEUED_FOR_HANGING);
    const measured = await prepare(network, Math.round(rate * ISOLATION_SECONDS));
    // Queue the backlog for Kerkrade first, and wait until its pushes are out (hanging, or delivered).
    const first = await paced(gateway.url, queued, 1000);
    await drained(first.accepted, [heerlen], 30_000);
    if (hang) {
      const deadline = performance.now() + 30_000;
      while (kerkrade.hanging() === 0 && performance.now() < deadline) await sleep(50);
    } else await drained(first.accepted, [kerkrade], 30_000);
    const run = await paced(gateway.url, measured, rate);
    await drained(run.accepted, [heerlen], 60_000);
    const lat = latencies(run.accepted, heerlen);
    // The slowest deliveries and when in the phase their berichten were accepted (ms from its start): where a stall was.
    const worst = [...run.accepted]
      .flatMap(([id, at]) => {
        const arrived = heerlen.arrived.get(id);
        return arrived === undefined ? [] : [{ atMs: Math.round(at - run.start), ms: round2(arrived - at) }];
      })
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5);
    return { p99: quantile(lat, 0.99), p50: quantile(lat, 0.5), hangingAtEnd: kerkrade.hanging(), delivered: lat.length, sent: measured.length, worst };
  } finally {
    kerkrade.release();
    await gateway.stop();
    await heerlen.close();
    await kerkrade.close();
  }
}

/** (b) on one backend: rounds interleaved, baseline and hanging alternating which goes first. */
async function isolation(backend: Backend, maxAcceptedPerSecond: number) {
  const rate = Math.min(ISOLATION_RATE, maxAcceptedPerSecond / 4);
  const baseline: Awaited<ReturnType<typeof isolationRound>>[] = [];
  const hanging: Awaited<ReturnType<typeof isolationRound>>[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      baseline.push(await isolationRound(backend, false, rate));
      hanging.push(await isolationRound(backend, true, rate));
    } else {
      hanging.push(await isolationRound(backend, true, rate));
      baseline.push(await isolationRound(backend, false, rate));
    }
  }
  const ratios = hanging.map((h, i) => h.p99 / baseline[i]!.p99);
  const ratio = median(ratios);
  return {
    backend,
    queuedForHanging: QUEUED_FOR_HANGING,
    measuredPerSecond: round2(rate),
    measuredSeconds: ISOLATION_SECONDS,
    baselineP99Ms: round2(median(baseline.map((r) => r.p99))),
    hangingP99Ms: round2(median(hanging.map((r) => r.p99))),
    baselineP50Ms: round2(median(baseline.map((r) => r.p50))),
    hangingP50Ms: round2(median(hanging.map((r) => r.p50))),
    ratioP99: round2(ratio),
    roundRatios: ratios.map(round2),
    rounds: baseline.map((b, i) => {
      const h = hanging[i]!;
      return { baselineP99Ms: round2(b.p99), hangingP99Ms: round2(h.p99), baselineP50Ms: round2(b.p50), hangingP50Ms: round2(h.p50), baselineWorst: b.worst, hangingWorst: h.worst };
    }),
    hangingPushesAtEnd: hanging.map((r) => r.hangingAtEnd),
    allDelivered: [...baseline, ...hanging].every((r) => r.delivered === r.sent),
    target: 'hanging p99 <= 2x baseline p99 (median of rounds), every bericht to the other receiver delivered',
    met: ratio <= 2 && [...baseline, ...hanging].every((r) => r.delivered === r.sent),
  };
}

/** Runs the delivery figures on each backend of BENCH_DELIVERY_BACKENDS. */
export async function benchDelivery(): Promise<Record<string, unknown>> {
  if (!existsSync(join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js'))) throw new Error('bench/delivery.ts runs the built gateway: npm run build first');
  const backends = (process.env.BENCH_DELIVERY_BACKENDS ?? 'sqlite,postgres').split(',').filter((b): b is Backend => b === 'sqlite' || b === 'postgres');
  const results = [];
  for (const backend of backends) {
    const a = ISOLATION_ONLY_AT === undefined ? await sustained(backend) : undefined;
    if (a !== undefined)
      console.log(`delivery ${backend} sustained: ${a.deliveriesPerSecond}/s delivered vs ${a.acceptedDeliveriesPerSecond}/s accepted (max accept ${a.maxAcceptedPerSecond}/s, offered ${a.offeredPerSecond}/s), p50 ${a.acceptToDeliveryP50Ms} ms, p99 ${a.acceptToDeliveryP99Ms} ms: ${a.met ? 'met' : 'NOT met'}`);
    const b = await isolation(backend, a?.maxAcceptedPerSecond ?? 4 * (ISOLATION_ONLY_AT ?? ISOLATION_RATE));
    console.log(`delivery ${backend} isolation: p99 ${b.hangingP99Ms} ms with a hanging receiver vs ${b.baselineP99Ms} ms without (${b.ratioP99}x, target <= 2x; rounds ${b.roundRatios.join(', ')}): ${b.met ? 'met' : 'NOT met'}`);
    results.push({ ...(a === undefined ? {} : { sustained: a }), isolation: b });
  }
  return { measuredAt: new Date().toISOString(), machine: machine(), seconds: SECONDS, rounds: ROUNDS, receivers: RECEIVERS, results };
}
