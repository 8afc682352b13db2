/**
 * The participant registry in the database, on SQLite and PostgreSQL: the same checks as in memory,
 * and a change made through one gateway's repository is seen by another on the same database.
 */
import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/errors.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { StoreDeelnemerRepository } from '../../src/registry/store-repository.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { BACKENDS, useStore } from '../store/backends.js';

const OIN = '00000001000000009170';

async function participant() {
  const key = await generateSigningKey();
  return { deelnemer: { oin: OIN, rol: 'lokaal-team', naam: 'Sociaal team Heerlen', gemeentecodes: ['GM0917'], status: 'actief', sleutels: [{ kid: key.kid, jwk: key.publicJwk }] }, key };
}

describe.each(BACKENDS)('StoreDeelnemerRepository on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('stores, reads and lists participants, with the in-memory checks', async () => {
    const repository = new StoreDeelnemerRepository(ctx.store, { ttlMs: 0 });
    const { deelnemer } = await participant();
    await repository.add(deelnemer);
    expect((await repository.get(OIN))?.naam).toBe('Sociaal team Heerlen');
    expect((await repository.list()).map((d) => d.oin)).toEqual([OIN]);
    await expect(repository.add(deelnemer)).rejects.toMatchObject({ code: 'ZICHT_REGISTRY_CONFLICT' });
    await expect(repository.add({ ...deelnemer, oin: '123' })).rejects.toBeInstanceOf(RegistryError);
    await expect(repository.setStatus('00000001000000000000', 'geschorst')).rejects.toMatchObject({ code: 'ZICHT_REGISTRY_CONFLICT' });
  });

  it('shows a rotation, a revocation and a suspension made through one gateway to another on the same database', async () => {
    const one = new StoreDeelnemerRepository(ctx.store, { ttlMs: 0 });
    const other = new StoreDeelnemerRepository(await ctx.harness.open(), { ttlMs: 0 });
    const { deelnemer, key } = await participant();
    await one.add(deelnemer);
    const next = await generateSigningKey();
    await one.addKey(OIN, { kid: next.kid, jwk: next.publicJwk });
    const revokedAt = new Date('2026-06-01T00:00:00Z');
    await one.revokeKey(OIN, key.kid, revokedAt);
    await one.setStatus(OIN, 'geschorst');

    const seen = await other.get(OIN);
    expect(seen?.status).toBe('geschorst');
    expect(seen?.sleutels.map((s) => s.kid)).toEqual([key.kid, next.kid]);
    const resolved = await registryKeyResolver(other).resolve(OIN, key.kid);
    expect(resolved?.revokedAt).toBe(revokedAt.getTime() / 1000);
  });

  it('caches reads for its time to live', async () => {
    const cached = new StoreDeelnemerRepository(ctx.store, { ttlMs: 60_000 });
    const writer = new StoreDeelnemerRepository(ctx.store, { ttlMs: 0 });
    expect(await cached.list()).toEqual([]);
    await writer.add((await participant()).deelnemer);
    expect(await cached.list()).toEqual([]);
    expect(await writer.list()).toHaveLength(1);
  });
});
