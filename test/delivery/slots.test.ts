/**
 * The delivery worker's slots, over real HTTP receivers on localhost, on SQLite and PostgreSQL: a receiver that
 * takes connections and never answers holds its own slots and no more, so every bericht to another receiver is
 * delivered while its pushes still hang (issue 22: one broken gemeente system must never delay every other).
 * State, not time: the test waits until the other receiver has everything and then checks that the hanging
 * pushes are still in flight. Without a per-receiver bound (the mutant below), the hanging receiver's pushes
 * fill every slot, as the old worker's batch of 32 did, and the other receiver's berichten stay queued.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { endpointDispatcher } from '../../adapters/webhook/endpoint-guard.js';
import { acceptBericht } from '../../src/accept/accept.js';
import { DeliveryWorker, type WorkerOptions } from '../../src/delivery/worker.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork } from '../../src/demo/network.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import type { Store } from '../../src/store/store.js';
import { BACKENDS, useStore } from '../store/backends.js';
import { startCountingReceiver, startHangingReceiver, type CountingReceiver, type HangingReceiver } from './receivers.js';

const QUEUED = 48;

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Accepts `count` handovers, each in a dossier of its own, to Heerlen and Kerkrade; their ids in order. */
async function acceptHandovers(store: Store, network: DemoNetwork, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const bericht = { ...exampleBericht('overdracht-na-dienst-onderzoek'), dossier: { referentie: `VTZL-2026-${randomUUID().slice(0, 8)}`, volgnummer: 1 } };
    const outcome = await acceptBericht(new TextEncoder().encode(JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht))), bericht.verzender.oin, {
      store,
      registry: network.registry,
      keys: registryKeyResolver(network.registry),
      gateway: network.gateway,
    });
    expect(outcome.kind).toBe('accepted');
    ids.push(bericht.berichtId);
  }
  return ids;
}

/** Polls `done` every 20 ms until it holds; fails after `ms` (a bound on a hang, not a timing assertion). */
async function until(done: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('the state waited for was not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Scene {
  readonly heerlen: CountingReceiver;
  readonly kerkrade: HangingReceiver;
  readonly worker: DeliveryWorker;
  readonly ids: string[];
}

/** Heerlen answers, Kerkrade hangs; QUEUED handovers to both are accepted before the worker starts, with `slots`. */
async function scene(store: Store, slots: Pick<WorkerOptions, 'concurrency' | 'perReceiver'>): Promise<Scene> {
  const heerlen = await startCountingReceiver();
  const kerkrade = await startHangingReceiver();
  cleanup.push(() => heerlen.close());
  const network = await createDemoNetwork({ heerlen: heerlen.url, kerkrade: kerkrade.url });
  const ids = await acceptHandovers(store, network, QUEUED);
  const dispatcher = endpointDispatcher({ allowPrivate: true });
  const worker = new DeliveryWorker({
    store,
    gateway: network.gateway,
    endpointOf: async (oin) => (await network.registry.get(oin))?.afleveradressen[0],
    dispatcher,
    // Far longer than the test: the hanging pushes are still waiting when it looks.
    timeoutMs: 120_000,
    ...slots,
  });
  // Stop claiming, then drop the hanging connections so that the pushes in flight end and stop() returns.
  cleanup.push(async () => {
    const stopped = worker.stop();
    await kerkrade.close();
    await stopped;
    await dispatcher.close();
  });
  worker.start();
  return { heerlen, kerkrade, worker, ids };
}

const statuses = async (store: Store, ids: readonly string[], oin: string) =>
  Promise.all(ids.map(async (id) => (await store.listDeliveries(id)).find((d) => d.receiverOin === oin)!));

describe.each(BACKENDS)('delivery slots on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('delivers every bericht to a second receiver while the first one hangs with 48 queued', { timeout: 90_000 }, async () => {
    const { heerlen, kerkrade, worker, ids } = await scene(ctx.store, { concurrency: 32, perReceiver: 4 });
    await until(async () => (await statuses(ctx.store, ids, DEMO_OIN.heerlen)).every((d) => d.status === 'delivered'));
    expect([...heerlen.received].sort()).toEqual([...ids].sort());
    // Kerkrade's pushes are still hanging: its own four slots, nothing delivered, nothing given up.
    expect(kerkrade.open()).toBe(4);
    expect(worker.inFlight).toBe(4);
    const hanging = await statuses(ctx.store, ids, DEMO_OIN.kerkrade);
    expect(hanging.every((d) => d.status === 'queued' && d.attempts === 0)).toBe(true);
    expect(hanging.filter((d) => d.leaseOwner !== undefined)).toHaveLength(4);
  });

  it('mutant: without a per-receiver bound the hanging receiver takes every slot and the second receiver waits', { timeout: 90_000 }, async () => {
    // perReceiver = concurrency: nothing keeps a receiver from every slot, as in the old batch of 32.
    const { heerlen, kerkrade, worker, ids } = await scene(ctx.store, { concurrency: 32, perReceiver: 32 });
    // Every slot holds a push to Kerkrade that never ends: from here on nothing can move.
    await until(() => kerkrade.open() === 32 && worker.inFlight === 32);
    const waiting = (await statuses(ctx.store, ids, DEMO_OIN.heerlen)).filter((d) => d.status === 'queued');
    expect(waiting.length).toBeGreaterThan(0);
    expect(heerlen.received.length).toBe(QUEUED - waiting.length);
  });

  it('pushes over reused connections (keep-alive): far fewer connections to a receiver than pushes', { timeout: 60_000 }, async () => {
    const heerlen = await startCountingReceiver();
    const kerkrade = await startCountingReceiver();
    cleanup.push(() => heerlen.close(), () => kerkrade.close());
    const network = await createDemoNetwork({ heerlen: heerlen.url, kerkrade: kerkrade.url });
    const dispatcher = endpointDispatcher({ allowPrivate: true });
    cleanup.push(() => dispatcher.close());
    const worker = new DeliveryWorker({ store: ctx.store, gateway: network.gateway, endpointOf: async (oin) => (await network.registry.get(oin))?.afleveradressen[0], dispatcher, perReceiver: 2 });
    const ids = await acceptHandovers(ctx.store, network, 30);
    while ((await worker.runOnce()) > 0);
    expect([...heerlen.received].sort()).toEqual([...ids].sort());
    expect([...kerkrade.received].sort()).toEqual([...ids].sort());
    // One connection per push (30) without keep-alive; undici opens a few more than the slots now and then (a
    // connection is free again a moment after its answer was read), never one per push.
    expect(heerlen.connections()).toBeLessThan(10);
    expect(kerkrade.connections()).toBeLessThan(10);
  });
});
