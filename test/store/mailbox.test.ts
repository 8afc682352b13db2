/** The postbus (mailbox) of a pull receiver: oldest first, paged, until acknowledged. */
import { describe, expect, it } from 'vitest';
import { BACKENDS, useStore } from './backends.js';
import { at, bericht, delivery, GEMEENTE_A, GEMEENTE_B } from './fixtures.js';

describe.each(BACKENDS)('postbus on $name', ({ harness }) => {
  const ctx = useStore(harness);

  async function fill(): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const b = await ctx.store.insertBericht(bericht({ dossierReferentie: `DOS-${i % 2}`, receivedAt: at(i) }));
      await ctx.store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_A, { mode: 'pull' }));
      await ctx.store.enqueueDelivery(delivery(b.berichtId, GEMEENTE_B, { mode: i === 2 ? 'push' : 'pull' }));
      ids.push(b.berichtId);
    }
    return ids;
  }

  it("pages through a receiver's pull deliveries, oldest first, with the berichten", async () => {
    const ids = await fill();
    const first = await ctx.store.listMailbox(GEMEENTE_A, { limit: 2 });
    expect(first.items.map((i) => i.bericht.berichtId)).toEqual(ids.slice(0, 2));
    expect(first.items.every((i) => i.delivery.receiverOin === GEMEENTE_A && i.bericht.body.length > 0)).toBe(true);
    expect(first.next).toBeDefined();
    const second = await ctx.store.listMailbox(GEMEENTE_A, { limit: 2, ...(first.next === undefined ? {} : { after: first.next }) });
    expect(second.items.map((i) => i.bericht.berichtId)).toEqual(ids.slice(2, 4));
    const third = await ctx.store.listMailbox(GEMEENTE_A, { limit: 2, ...(second.next === undefined ? {} : { after: second.next }) });
    expect(third.items.map((i) => i.bericht.berichtId)).toEqual(ids.slice(4));
    expect(third.next).toBeUndefined();
    // An exactly full last page has no next cursor either.
    expect((await ctx.store.listMailbox(GEMEENTE_A, { limit: 5 })).next).toBeUndefined();
    // Push deliveries are not in the postbus.
    expect((await ctx.store.listMailbox(GEMEENTE_B, { limit: 10 })).items.map((i) => i.bericht.berichtId)).toEqual([ids[0], ids[1], ids[3], ids[4]]);
  });

  it('keeps a read (delivered) item until it is acknowledged, then drops it', async () => {
    const ids = await fill();
    const k = { berichtId: ids[0]!, receiverOin: GEMEENTE_A };
    expect(await ctx.store.markDelivered(k, at(10))).toBe(true);
    expect((await ctx.store.listMailbox(GEMEENTE_A, { limit: 1 })).items[0]?.delivery).toMatchObject({ ...k, status: 'delivered' });
    expect(await ctx.store.acknowledge(k, at(11))).toMatchObject({ status: 'acknowledged' });
    expect((await ctx.store.listMailbox(GEMEENTE_A, { limit: 10 })).items.map((i) => i.bericht.berichtId)).toEqual(ids.slice(1));
    // The other receiver's copy is untouched.
    expect((await ctx.store.listMailbox(GEMEENTE_B, { limit: 1 })).items[0]?.bericht.berichtId).toBe(ids[0]);
  });

  it('is empty for an unknown receiver and refuses a malformed cursor', async () => {
    await fill();
    expect(await ctx.store.listMailbox('00000009999999999000', { limit: 10 })).toEqual({ items: [] });
    await expect(ctx.store.listMailbox(GEMEENTE_A, { limit: 10, after: "1' OR 1=1" })).rejects.toMatchObject({ code: 'ZICHT_STORE_INVALID' });
    await expect(ctx.store.listMailbox(GEMEENTE_A, { limit: 1001 })).rejects.toMatchObject({ code: 'ZICHT_STORE_INVALID' });
  });
});
