/**
 * The gateway's purge schedule (src/retention/task.ts, started by startGateway): a round every interval
 * on a controlled clock and timers, rounds that fail are reported and retried, and `zicht serve`'s gateway
 * runs one. No sleeping: fake timers drive the interval.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDemoNetwork } from '../../src/demo/network.js';
import { DEFAULT_RETENTION } from '../../src/retention/policy.js';
import type { PurgeReport } from '../../src/retention/purge.js';
import { startRetentionTask } from '../../src/retention/task.js';
import { startGateway } from '../../src/server/gateway.js';
import { Keyring } from '../../src/store/keyring.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

const T0 = new Date('2025-01-06T08:00:00.000Z');
const VT = '00000001823288444000';
const GEMEENTE = '00000001001234567000';

async function acknowledgedBericht(store: Store): Promise<string> {
  const berichtId = randomUUID();
  const body = JSON.stringify({ berichtId, berichtType: 'contact-gestart', inhoud: { gestartOp: T0.toISOString() } });
  await store.insertBericht({ berichtId, senderOin: VT, berichtType: 'contact-gestart', dossierReferentie: 'VTZL-2025-000001', volgnummer: 1, contentHash: createHash('sha256').update(body).digest('hex'), body, receivedAt: T0, receipt: '{}' });
  await store.enqueueDelivery({ berichtId, receiverOin: GEMEENTE, mode: 'push', nextAttemptAt: T0 });
  await store.acknowledge({ berichtId, receiverOin: GEMEENTE }, T0);
  return berichtId;
}

describe('the purge schedule', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(':memory:');
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
  });

  it('runs a round every interval with the clock it is given', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const id = await acknowledgedBericht(store);
    let now = new Date(T0.getTime() + 3_600_000);
    const rounds: PurgeReport[] = [];
    const task = startRetentionTask(store, { policy: DEFAULT_RETENTION, intervalMs: 60_000, now: () => now, onRound: (r) => rounds.push(r) });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(rounds.map((r) => r.purged)).toEqual([0]);
    now = new Date(T0.getTime() + 73 * 3_600_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(rounds.map((r) => r.purged)).toEqual([0, 1]);
    expect((await store.getBericht(id))?.purgedAt).toEqual(now);
    await task.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(rounds).toHaveLength(2);
  });

  it('reports a failed round and tries again at the next tick', async () => {
    const errors: unknown[] = [];
    const broken = await openStore(':memory:');
    await broken.close();
    const task = startRetentionTask(broken, { policy: DEFAULT_RETENTION, onError: (e) => errors.push(e) });
    expect(await task.runOnce()).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ZICHT_STORE_UNAVAILABLE' });
    await task.stop();
  });

  it('startGateway runs one unless retention is false', async () => {
    const network = await createDemoNetwork();
    const gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: ':memory:', port: 0, deliver: false });
    const without = await startGateway({ registry: network.registry, gateway: network.gateway, db: ':memory:', port: 0, deliver: false, retention: false });
    try {
      expect(gateway.retention).toBeDefined();
      expect(without.retention).toBeUndefined();
      const id = await acknowledgedBericht(gateway.store);
      // Acknowledged long before the real clock's now: due at once.
      const report = await gateway.retention?.runOnce();
      expect(report?.purged).toBe(1);
      expect((await gateway.store.getBericht(id))?.purgedAt).toBeDefined();
    } finally {
      await gateway.close();
      await without.close();
    }
  });
});

describe('the gateway with a keyring', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('encrypts payloads at rest and re-wraps them in the background after a rotation (keyring.reload)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const network = await createDemoNetwork();
    const keyring = Keyring.generate('kek-1');
    const gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: ':memory:', port: 0, deliver: false, keyring, retention: false });
    try {
      const id = await acknowledgedBericht(gateway.store);
      expect(await gateway.store.countBodiesByKek()).toEqual(new Map([['kek-1', 1]]));
      keyring.reload(keyring.withNewKey('kek-2', true));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(await gateway.store.countBodiesByKek()).toEqual(new Map([['kek-2', 1]]));
      expect((await gateway.store.getBericht(id))?.body).toContain('contact-gestart');
    } finally {
      await gateway.close();
    }
  });
});
