/** Deliveries: the outbox per receiver and its transitions (delivered, retry, dead letter, acknowledged). */
import { describe, expect, it } from 'vitest';
import { StoreConflictError } from '../../src/errors.js';
import { BACKENDS, useStore } from './backends.js';
import { at, bericht, delivery, GEMEENTE_A, GEMEENTE_B, GEMEENTE_C } from './fixtures.js';

describe.each(BACKENDS)('deliveries on $name', ({ harness }) => {
  const ctx = useStore(harness);

  async function queued(receiverOin = GEMEENTE_A) {
    const b = await ctx.store.insertBericht(bericht());
    await ctx.store.enqueueDelivery(delivery(b.berichtId, receiverOin));
    return { berichtId: b.berichtId, receiverOin };
  }

  it('starts queued with no attempts, and lists the status per receiver in OIN order', async () => {
    const b = await ctx.store.insertBericht(bericht());
    await ctx.store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_B));
    const first = await ctx.store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_A, { mode: 'pull', nextAttemptAt: at(5) }));
    expect(first).toEqual({ berichtId: b.berichtId, receiverOin: GEMEENTE_A, mode: 'pull', status: 'queued', attempts: 0, nextAttemptAt: at(5) });
    await ctx.store.markDelivered({ berichtId: b.berichtId, receiverOin: GEMEENTE_B }, at(10));
    expect((await ctx.store.listDeliveries(b.berichtId)).map((d) => [d.receiverOin, d.status])).toEqual([
      [GEMEENTE_A, 'queued'],
      [GEMEENTE_B, 'delivered'],
    ]);
    expect(await ctx.store.listDeliveries('6f1d3c2a-0000-4000-8000-000000000000')).toEqual([]);
  });

  it('counts the queued (undelivered) deliveries per receiver: the outbox depth', async () => {
    expect(await ctx.store.countQueuedByReceiver()).toEqual(new Map());
    const a1 = await queued(GEMEENTE_A);
    await queued(GEMEENTE_A);
    const b1 = await queued(GEMEENTE_B);
    await queued(GEMEENTE_C);
    await ctx.store.markDelivered(a1, at(1));
    await ctx.store.acknowledge(b1, at(2));
    expect(await ctx.store.countQueuedByReceiver()).toEqual(new Map([[GEMEENTE_A, 1], [GEMEENTE_C, 1]]));
  });

  it('refuses a delivery of an unknown bericht and a second delivery to one receiver', async () => {
    await expect(ctx.store.enqueueDelivery(delivery('6f1d3c2a-0000-4000-8000-000000000000', GEMEENTE_A))).rejects.toMatchObject({
      code: 'ZICHT_STORE_NOT_FOUND',
    });
    const k = await queued();
    await expect(ctx.store.enqueueDelivery(delivery(k.berichtId, GEMEENTE_A, { mode: 'pull' }))).rejects.toBeInstanceOf(StoreConflictError);
  });

  it('counts a retry, keeps its error code, and releases the lease', async () => {
    const k = await queued();
    await ctx.store.claimDue(at(0), 1, at(30), 'w');
    expect(await ctx.store.scheduleRetry(k, { workerId: 'w', at: at(2), nextAttemptAt: at(62), errorCode: 'UND_ERR_CONNECT_TIMEOUT' })).toBe(true);
    expect(await ctx.store.scheduleRetry(k, { workerId: 'w', at: at(62), nextAttemptAt: at(182), errorCode: 'HTTP_503' })).toBe(true);
    const [d] = await ctx.store.listDeliveries(k.berichtId);
    expect(d).toEqual({ ...k, mode: 'push', status: 'queued', attempts: 2, nextAttemptAt: at(182), lastErrorCode: 'HTTP_503' });
  });

  it('moves a delivery to the dead letter once, and no transition leaves it but an acknowledgement', async () => {
    const k = await queued();
    expect(await ctx.store.markFailed(k, { workerId: 'w', at: at(5), errorCode: 'HTTP_410' })).toBe(true);
    expect(await ctx.store.markFailed(k, { workerId: 'w', at: at(6), errorCode: 'HTTP_410' })).toBe(false);
    expect(await ctx.store.scheduleRetry(k, { workerId: 'w', at: at(6), nextAttemptAt: at(9), errorCode: 'HTTP_410' })).toBe(false);
    expect(await ctx.store.markDelivered(k, at(7))).toBe(false);
    expect(await ctx.store.claimDue(at(100), 10, at(130), 'w')).toEqual([]);
    expect(await ctx.store.listDeliveries(k.berichtId)).toEqual([
      { ...k, mode: 'push', status: 'failed', attempts: 1, nextAttemptAt: at(0), lastErrorCode: 'HTTP_410', failedAt: at(5) },
    ]);
  });

  it('forgets the last failed attempt\'s error once a delivery succeeds (delivered, or acknowledged after a dead letter)', async () => {
    const k = await queued();
    await ctx.store.claimDue(at(0), 1, at(30), 'w');
    expect(await ctx.store.scheduleRetry(k, { workerId: 'w', at: at(2), nextAttemptAt: at(62), errorCode: 'HTTP_503' })).toBe(true);
    expect(await ctx.store.markDelivered(k, at(70))).toBe(true);
    const [delivered] = await ctx.store.listDeliveries(k.berichtId);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(delivered?.lastErrorCode).toBeUndefined();

    const dead = await queued();
    expect(await ctx.store.markFailed(dead, { workerId: 'w', at: at(5), errorCode: 'HTTP_410' })).toBe(true);
    const acknowledged = await ctx.store.acknowledge(dead, at(9));
    expect(acknowledged).toMatchObject({ status: 'acknowledged' });
    expect(acknowledged?.lastErrorCode).toBeUndefined();
  });

  it('marks delivered only from queued', async () => {
    const k = await queued();
    expect(await ctx.store.markDelivered(k, at(3))).toBe(true);
    expect(await ctx.store.markDelivered(k, at(4))).toBe(false);
    expect((await ctx.store.listDeliveries(k.berichtId))[0]).toMatchObject({ status: 'delivered', deliveredAt: at(3) });
  });

  it("acknowledges from any state, idempotently, and only the receiver's own delivery", async () => {
    const delivered = await queued(GEMEENTE_A);
    await ctx.store.markDelivered(delivered, at(3));
    expect(await ctx.store.acknowledge(delivered, at(8))).toMatchObject({ status: 'acknowledged', deliveredAt: at(3), acknowledgedAt: at(8) });
    expect(await ctx.store.acknowledge(delivered, at(9))).toMatchObject({ status: 'acknowledged', acknowledgedAt: at(8) });

    const queuedOne = await queued(GEMEENTE_B);
    expect(await ctx.store.acknowledge(queuedOne, at(4))).toMatchObject({ status: 'acknowledged', deliveredAt: at(4), acknowledgedAt: at(4) });

    const failed = await queued(GEMEENTE_C);
    await ctx.store.markFailed(failed, { workerId: 'w', at: at(1), errorCode: 'HTTP_500' });
    expect(await ctx.store.acknowledge(failed, at(2))).toMatchObject({ status: 'acknowledged', failedAt: at(1) });

    expect(await ctx.store.acknowledge({ berichtId: delivered.berichtId, receiverOin: GEMEENTE_B }, at(5))).toBeUndefined();
  });

  it.each([
    ['a message instead of a code', 'connect ECONNREFUSED 10.0.0.7:443'],
    ['lower case', 'http_503'],
  ])('refuses an error code that is %s', async (_, errorCode) => {
    const k = await queued();
    const attempt = ctx.store.scheduleRetry(k, { workerId: 'w', at: at(1), nextAttemptAt: at(2), errorCode });
    await expect(attempt).rejects.toMatchObject({ code: 'ZICHT_STORE_INVALID' });
    await attempt.catch((error: unknown) => {
      expect(String(error)).not.toContain(errorCode);
    });
  });
});
