/**
 * Group commit: concurrent callers share one transaction, each gets its own result, and one
 * caller's failure (a duplicate bericht id) does not undo the others' writes.
 */
import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/store/group-commit.js';
import { StoreConflictError } from '../../src/errors.js';
import type { Store } from '../../src/store/store.js';
import { BACKENDS, useStore } from './backends.js';
import { bericht as storedBericht } from './fixtures.js';

describe.each(BACKENDS)('groupCommit on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('commits concurrent callers together and gives each its own result', async () => {
    const commit = groupCommit(ctx.store);
    const berichten = Array.from({ length: 20 }, () => storedBericht());
    const results = await Promise.all(berichten.map((b) => commit(async (tx) => (await tx.insertBericht(b)).berichtId)));
    expect(results).toEqual(berichten.map((b) => b.berichtId));
    for (const b of berichten) expect(await ctx.store.getBericht(b.berichtId)).toBeDefined();
  });

  it('runs one batch at a time: a caller arriving while a batch commits waits for the next batch', async () => {
    let inFlight = 0;
    let most = 0;
    const counted = new Proxy(ctx.store, {
      get(target, property) {
        if (property === 'transaction') {
          return async (work: Parameters<Store['transaction']>[0]) => {
            most = Math.max(most, ++inFlight);
            try {
              return await target.transaction(work);
            } finally {
              inFlight--;
            }
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const commit = groupCommit(counted);
    const slowInsert = (b: ReturnType<typeof storedBericht>) => commit(async (tx) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return (await tx.insertBericht(b)).berichtId;
    });
    // Two callers in one tick (two flushes were scheduled before), then one while their batch is still open.
    const early = [storedBericht(), storedBericht()];
    const late = storedBericht();
    const pending = early.map(slowInsert);
    await new Promise((resolve) => setTimeout(resolve, 10));
    pending.push(slowInsert(late));
    expect(await Promise.all(pending)).toEqual([...early, late].map((b) => b.berichtId));
    expect(most).toBe(1);
  });

  it('isolates a failing caller: the others are still committed', async () => {
    const commit = groupCommit(ctx.store);
    const first = storedBericht();
    await ctx.store.insertBericht(first);
    const others = Array.from({ length: 5 }, () => storedBericht());
    const outcomes = await Promise.allSettled([
      ...others.map((b) => commit((tx) => tx.insertBericht(b))),
      commit((tx) => tx.insertBericht({ ...first, contentHash: 'f'.repeat(64) })),
    ]);
    expect(outcomes.slice(0, 5).every((o) => o.status === 'fulfilled')).toBe(true);
    const failed = outcomes[5];
    expect(failed?.status).toBe('rejected');
    expect(failed?.status === 'rejected' ? failed.reason : undefined).toBeInstanceOf(StoreConflictError);
    for (const b of others) expect(await ctx.store.getBericht(b.berichtId)).toBeDefined();
  });
});
