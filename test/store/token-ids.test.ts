/** Token ids (bearer-token jti) shared by every gateway on a database: a replay is refused until the token expires. */
import { describe, expect, it } from 'vitest';
import { BACKENDS, useStore } from './backends.js';
import { T0, VT_OIN, at } from './fixtures.js';

describe.each(BACKENDS)('token ids on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('records a jti once per issuer until it expires', async () => {
    const expires = at(300);
    expect(await ctx.store.claimTokenId(VT_OIN, 'jti-1', expires, T0)).toBe(true);
    expect(await ctx.store.claimTokenId(VT_OIN, 'jti-1', expires, at(10))).toBe(false);
    expect(await ctx.store.claimTokenId('00000001001234567000', 'jti-1', expires, at(10))).toBe(true);
    expect(await ctx.store.claimTokenId(VT_OIN, 'jti-1', at(900), at(301))).toBe(true);
  });

  it('is shared between two stores on the same database', async () => {
    const other = await ctx.harness.open();
    expect(await ctx.store.claimTokenId(VT_OIN, 'jti-2', at(300), T0)).toBe(true);
    expect(await other.claimTokenId(VT_OIN, 'jti-2', at(300), T0)).toBe(false);
  });

  it('purges expired ids', async () => {
    await ctx.store.claimTokenId(VT_OIN, 'old', at(60), T0);
    await ctx.store.claimTokenId(VT_OIN, 'new', at(600), T0);
    expect(await ctx.store.purgeTokenIds(at(120))).toBe(1);
    expect(await ctx.store.claimTokenId(VT_OIN, 'new', at(600), at(130))).toBe(false);
  });
});
