/** Transactions: everything of one accepted bericht commits together or not at all. */
import { describe, expect, it } from 'vitest';
import { StoreConflictError } from '../../src/errors.js';
import type { Store, StoreTransaction } from '../../src/store/store.js';
import { BACKENDS, useStore } from './backends.js';
import { at, bericht, delivery, GEMEENTE_A, GEMEENTE_B, VT_OIN } from './fixtures.js';

/** Writes a bericht, its deliveries and its event, as the accept path does. */
async function acceptIn(tx: StoreTransaction, input = bericht()) {
  const b = await tx.insertBericht(input);
  await tx.enqueueDelivery(delivery(b.berichtId, GEMEENTE_A));
  await tx.enqueueDelivery(delivery(b.berichtId, GEMEENTE_B, { mode: 'pull' }));
  await tx.appendEvent({ type: 'bericht.accepted', berichtId: b.berichtId, oin: VT_OIN, at: at(0) });
  return b;
}

async function nothingOf(store: Store, berichtId: string, dossier = 'VTZL-2026-004711') {
  expect(await store.getBericht(berichtId)).toBeUndefined();
  expect(await store.listDeliveries(berichtId)).toEqual([]);
  expect(await store.listEventsOfBericht(berichtId)).toEqual([]);
  expect(await store.listBerichtenByDossier(dossier)).toEqual([]);
  expect(await store.claimDue(at(0), 10, at(30), 'w')).toEqual([]);
}

describe.each(BACKENDS)('transactions on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('commits the bericht, its deliveries and its event together', async () => {
    const b = await ctx.store.transaction((tx) => acceptIn(tx));
    expect(await ctx.store.getBericht(b.berichtId)).toEqual(b);
    expect((await ctx.store.listDeliveries(b.berichtId)).map((d) => d.receiverOin)).toEqual([GEMEENTE_A, GEMEENTE_B]);
    expect(await ctx.store.listEventsOfBericht(b.berichtId)).toHaveLength(1);
  });

  it('leaves nothing when the callback throws, and rethrows its error', async () => {
    const input = bericht();
    const boom = new Error('countersigning failed');
    await expect(
      ctx.store.transaction(async (tx) => {
        await acceptIn(tx, input);
        throw boom;
      }),
    ).rejects.toBe(boom);
    await nothingOf(ctx.store, input.berichtId);
    // The id is free again: nothing half-written holds it.
    await ctx.store.transaction((tx) => acceptIn(tx, input));
  });

  it('rolls back everything when one statement fails, even if the callback swallows the error', async () => {
    const taken = await ctx.store.insertBericht(bericht({ dossierReferentie: 'DOS-TAKEN' }));
    const input = bericht();
    const attempt = ctx.store.transaction(async (tx) => {
      await acceptIn(tx, input);
      await tx.insertBericht(bericht({ berichtId: taken.berichtId })).catch(() => undefined);
      return 'swallowed';
    });
    await expect(attempt).rejects.toBeInstanceOf(StoreConflictError);
    await nothingOf(ctx.store, input.berichtId);
  });

  it('refuses further statements after a failed one in the same transaction', async () => {
    const taken = await ctx.store.insertBericht(bericht({ dossierReferentie: 'DOS-TAKEN' }));
    await expect(
      ctx.store.transaction(async (tx) => {
        await tx.insertBericht(bericht({ berichtId: taken.berichtId })).catch(() => undefined);
        await tx.insertBericht(bericht());
      }),
    ).rejects.toMatchObject({ code: 'ZICHT_STORE_MISUSE' });
  });

  it('refuses the store itself inside its transaction callback, and the handle after the end', async () => {
    let kept: StoreTransaction | undefined;
    await expect(
      ctx.store.transaction(async (tx) => {
        kept = tx;
        await ctx.store.getBericht('6f1d3c2a-0000-4000-8000-000000000000');
      }),
    ).rejects.toMatchObject({ code: 'ZICHT_STORE_MISUSE' });
    await expect(ctx.store.transaction(() => ctx.store.transaction(() => Promise.resolve(1)))).rejects.toMatchObject({ code: 'ZICHT_STORE_MISUSE' });
    await expect(kept!.getBericht('6f1d3c2a-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'ZICHT_STORE_MISUSE' });
    // The store works normally afterwards.
    expect(await ctx.store.getBericht('6f1d3c2a-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('waits for statements the callback did not await before it commits', async () => {
    const input = bericht();
    await ctx.store.transaction(async (tx) => {
      const b = await tx.insertBericht(input);
      void tx.appendEvent({ type: 'bericht.accepted', berichtId: b.berichtId, oin: VT_OIN, at: at(0) });
    });
    expect(await ctx.store.listEventsOfBericht(input.berichtId)).toHaveLength(1);
  });

  it('runs many transactions at once without mixing them up', async () => {
    const inputs = Array.from({ length: 20 }, (_, i) => bericht({ dossierReferentie: `DOS-${i % 3}` }));
    const results = await Promise.allSettled(
      inputs.map((input, i) =>
        ctx.store.transaction(async (tx) => {
          await acceptIn(tx, input);
          if (i % 4 === 0) throw new Error('refused');
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(15);
    for (const [i, input] of inputs.entries()) {
      expect((await ctx.store.getBericht(input.berichtId)) === undefined).toBe(i % 4 === 0);
      expect(await ctx.store.listDeliveries(input.berichtId)).toHaveLength(i % 4 === 0 ? 0 : 2);
    }
  });
});
