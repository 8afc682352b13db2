/**
 * The delivery worker against real HTTP receivers on localhost, on SQLite and PostgreSQL, with a
 * simulated clock: delivered, a receiver down for a day and back, down past the retry window (dead
 * letter with an event), a refusal (dead letter at once), a 401 tried again, a Retry-After honoured
 * (AFL-008), and a handover before its update.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { acceptBericht } from '../../src/accept/accept.js';
import { DEFAULT_RETRY_POLICY } from '../../src/delivery/backoff.js';
import { DeliveryWorker } from '../../src/delivery/worker.js';
import { createDemoNetwork, DEMO_GEMEENTECODE, DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import type { Bericht } from '../../src/model/bericht.js';
import { InMemoryDeelnemerRepository } from '../../src/registry/in-memory.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import type { Store } from '../../src/store/store.js';
import { startReceiver, type TestReceiver } from '../helpers/receiver.js';
import { BACKENDS, useStore } from '../store/backends.js';

const HOUR = 3_600_000;
let receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

async function setup(store: Store) {
  const heerlen = await startReceiver();
  const kerkrade = await startReceiver();
  receivers.push(heerlen, kerkrade);
  const network = await createDemoNetwork({ heerlen: heerlen.url, kerkrade: kerkrade.url });
  let clock = new Date();
  const worker = new DeliveryWorker({
    store,
    gateway: network.gateway,
    endpointOf: async (oin) => (await network.registry.get(oin))?.afleveradressen[0]?.url,
    now: () => clock,
  });
  const accept = async (bericht: Bericht, traceparent?: string) => {
    const outcome = await acceptBericht(
      new TextEncoder().encode(JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht))),
      bericht.verzender.oin,
      { store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, now: () => clock },
      traceparent === undefined ? {} : { traceparent },
    );
    expect(outcome.kind).toBe('accepted');
    return bericht;
  };
  /** Advances the simulated clock and lets the worker run at each step. */
  const run = async (ms: number, stepMs = HOUR) => {
    for (let t = 0; t <= ms; t += stepMs) {
      clock = new Date(clock.getTime() + stepMs);
      while ((await worker.runOnce()) > 0);
    }
  };
  return { heerlen, kerkrade, network, worker, accept, run, statuses: async (id: string) => (await store.listDeliveries(id)).map((d) => d.status) };
}

describe.each(BACKENDS)('DeliveryWorker on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('pushes to every receiver, verifiably countersigned, and records it', async () => {
    const { heerlen, kerkrade, accept, worker, statuses } = await setup(ctx.store);
    const handover = await accept(exampleBericht('overdracht-na-dienst-onderzoek'));
    expect(await worker.runOnce()).toBe(2);
    expect(heerlen.received.map((b) => b.berichtId)).toEqual([handover.berichtId]);
    expect(kerkrade.received[0]?.signatures).toHaveLength(2);
    expect(await statuses(handover.berichtId)).toEqual(['delivered', 'delivered']);
    const events = await ctx.store.listEventsOfBericht(handover.berichtId);
    expect(events.filter((e) => e.type === 'delivery.delivered')).toHaveLength(2);
  });

  it('carries the trace of the accepting request to the delivery (W3C traceparent)', async () => {
    const { heerlen, accept, worker } = await setup(ctx.store);
    await accept(exampleBericht('overdracht-na-dienst-onderzoek'), '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    await worker.runOnce();
    expect(heerlen.traceparents[0]).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(heerlen.traceparents[0]).not.toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  });

  it('keeps retrying a receiver that is down for a day, then delivers', async () => {
    const { kerkrade, accept, run, statuses } = await setup(ctx.store);
    kerkrade.status = 503;
    const handover = await accept(exampleBericht('overdracht-na-dienst-onderzoek'));
    await run(24 * HOUR);
    expect(await statuses(handover.berichtId)).toEqual(['delivered', 'queued']);
    const waiting = (await ctx.store.listDeliveries(handover.berichtId))[1]!;
    expect(waiting.attempts).toBeGreaterThan(3);
    expect(waiting.lastErrorCode).toBe('HTTP_503');
    kerkrade.status = 202;
    await run(2 * HOUR);
    expect(await statuses(handover.berichtId)).toEqual(['delivered', 'delivered']);
    expect(kerkrade.received.map((b) => b.berichtId)).toEqual([handover.berichtId]);
    // Delivered: the status (GET /v1/berichten/{id}, laatsteFout) no longer shows the error of the attempts before.
    expect((await ctx.store.listDeliveries(handover.berichtId))[1]?.lastErrorCode).toBeUndefined();
  });

  it('makes a dead letter, with an event, after the retry window', async () => {
    const { kerkrade, accept, run, statuses } = await setup(ctx.store);
    kerkrade.status = 503;
    const handover = await accept(exampleBericht('overdracht-na-dienst-onderzoek'));
    await run(DEFAULT_RETRY_POLICY.windowMs + 2 * HOUR, 2 * HOUR);
    expect(await statuses(handover.berichtId)).toEqual(['delivered', 'failed']);
    const dead = (await ctx.store.listEventsOfBericht(handover.berichtId)).filter((e) => e.type === 'delivery.dead-letter');
    expect(dead).toHaveLength(1);
    expect(dead[0]?.data).toMatchObject({ code: 'HTTP_503' });
  });

  it('makes a dead letter at once when the receiver refuses the bericht (4xx)', async () => {
    const { kerkrade, accept, worker, statuses } = await setup(ctx.store);
    kerkrade.status = 422;
    const handover = await accept(exampleBericht('overdracht-na-dienst-onderzoek'));
    await worker.runOnce();
    expect(await statuses(handover.berichtId)).toEqual(['delivered', 'failed']);
  });

  it('tries again after a 401 (a push token the receiver does not take now) with a new token, rather than a dead letter (AFL-008)', async () => {
    const { kerkrade, accept, run, statuses } = await setup(ctx.store);
    kerkrade.status = 401;
    const handover = await accept(exampleBericht('overdracht-na-dienst-onderzoek'));
    await run(3 * HOUR);
    expect(await statuses(handover.berichtId)).toEqual(['delivered', 'queued']);
    expect((await ctx.store.listDeliveries(handover.berichtId))[1]?.lastErrorCode).toBe('HTTP_401');
    kerkrade.status = 202;
    await run(2 * HOUR);
    expect(await statuses(handover.berichtId)).toEqual(['delivered', 'delivered']);
  });

  it('does not try again before the Retry-After of a 429 or 503, up to one hour (AFL-008)', async () => {
    const { kerkrade, accept, worker, statuses } = await setup(ctx.store);
    kerkrade.status = 503;
    kerkrade.retryAfter = '1200';
    const handover = await accept(exampleBericht('overdracht-na-dienst-onderzoek'));
    const before = Date.now();
    await worker.runOnce();
    expect(await statuses(handover.berichtId)).toEqual(['delivered', 'queued']);
    const waiting = (await ctx.store.listDeliveries(handover.berichtId))[1]!;
    // The first backoff step alone would be at most 1 second.
    expect(waiting.nextAttemptAt.getTime() - before).toBeGreaterThanOrEqual(1_199_000);
    kerkrade.status = 429;
    kerkrade.retryAfter = String(24 * 3600);
    const second = await accept({ ...exampleBericht('overdracht-na-dienst-onderzoek'), berichtId: '0b5b7f7e-4f7a-4c39-9a55-2a8d1e1c0a01', dossier: { referentie: 'VTZL-2026-RA0002', volgnummer: 1 } });
    await worker.runOnce();
    const capped = (await ctx.store.listDeliveries(second.berichtId)).find((d) => d.status === 'queued')!;
    expect(capped.nextAttemptAt.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect(capped.nextAttemptAt.getTime() - before).toBeGreaterThanOrEqual(3_599_000);
  });

  it('accepts a handover naming one participant for each of two gemeenten (BER-008) and delivers it to that participant once', async () => {
    const regional = await startReceiver();
    receivers.push(regional);
    const network = await createDemoNetwork({ heerlen: regional.url });
    // Heerlen's team serves Kerkrade too; Kerkrade's own team is not in this registry.
    const registry = await InMemoryDeelnemerRepository.of(
      (await network.registry.list())
        .filter((d) => d.oin !== DEMO_OIN.kerkrade)
        .map((d) => (d.oin === DEMO_OIN.heerlen ? { ...d, gemeentecodes: [DEMO_GEMEENTECODE.heerlen, DEMO_GEMEENTECODE.kerkrade] } : d)),
    );
    const handover = exampleBericht('overdracht-na-dienst-onderzoek');
    const bericht = { ...handover, ontvangers: handover.ontvangers.map((o) => ({ ...o, oin: DEMO_OIN.heerlen })) };
    const outcome = await acceptBericht(new TextEncoder().encode(JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht))), bericht.verzender.oin, {
      store: ctx.store,
      registry,
      keys: registryKeyResolver(registry),
      gateway: network.gateway,
    });
    expect(outcome).toMatchObject({ kind: 'accepted', receipt: { ontvangers: [{ oin: DEMO_OIN.heerlen, aflevering: 'push' }] } });
    const worker = new DeliveryWorker({ store: ctx.store, gateway: network.gateway, endpointOf: async (oin) => (await registry.get(oin))?.afleveradressen[0]?.url });
    await worker.runOnce();
    expect(regional.received.map((b) => b.berichtId)).toEqual([bericht.berichtId]);
    expect((await ctx.store.listDeliveries(bericht.berichtId)).map((d) => d.status)).toEqual(['delivered']);
  });

  it('never lets an update of the conditions overtake its handover', async () => {
    const { kerkrade, accept, run } = await setup(ctx.store);
    kerkrade.status = 503;
    const handover = await accept(exampleBericht('overdracht-na-dienst-onderzoek'));
    const update = exampleBericht('veiligheidsvoorwaarden-update');
    await accept({ ...update, inAntwoordOp: handover.berichtId, verzondenOp: new Date(Date.now() + 1000).toISOString() });
    await run(3 * HOUR);
    expect(kerkrade.received).toEqual([]);
    kerkrade.status = 202;
    await run(2 * HOUR);
    expect(kerkrade.received.map((b) => b.berichtType)).toEqual(['overdracht', 'veiligheidsvoorwaarden']);
  });
});
