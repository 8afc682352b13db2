/**
 * The participant registry in the database, on SQLite and PostgreSQL: the same checks as in memory,
 * and a change made through one gateway's repository is seen by another on the same database.
 */
import { describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import { RegistryError } from '../../src/errors.js';
import { keepDroppedKeys } from '../../src/registry/key-retention.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { StoreDeelnemerRepository } from '../../src/registry/store-repository.js';
import { countersignBericht } from '../../src/signing/countersign.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { verifyBericht } from '../../src/signing/verify.js';
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

  it('keeps a key a new registry leaves out, marked revoked when it was dropped (SIG-003, Q135): what it signed still verifies, nothing new does', async () => {
    const network = await createDemoNetwork();
    const accepted = new Date('2026-12-01T10:00:00Z');
    const dropped = new Date('2026-12-03T10:00:00Z');
    const repository = new StoreDeelnemerRepository(ctx.store, { ttlMs: 0, now: () => dropped });
    for (const deelnemer of await network.registry.list()) await repository.put(deelnemer);
    // A handover VT signed and the gateway countersigned before the rotation, still held (a retry, a postbus).
    const held = await countersignBericht(await signAs(network, 'vtZuidLimburg', exampleBericht('overdracht-na-dienst-onderzoek'), { iat: accepted }), network.gateway, accepted, { iat: accepted });
    // The operator rotates VT's key by writing a registry file with the new key only, and restarts.
    const vt = await network.registry.get(DEMO_OIN.vtZuidLimburg);
    const oldKid = vt?.sleutels[0]?.kid;
    const next = await generateSigningKey();
    await repository.put({ ...vt, sleutels: [{ kid: next.kid, jwk: next.publicJwk }] });

    const kept = (await repository.get(DEMO_OIN.vtZuidLimburg))?.sleutels ?? [];
    expect(kept.map((k) => [k.kid, k.revokedAt])).toEqual([[next.kid, undefined], [oldKid, dropped.toISOString()]]);
    const keys = registryKeyResolver(repository);
    await expect(verifyBericht(held, { keys, now: dropped, requireCountersignature: true })).resolves.toMatchObject({ judgedAt: { by: 'countersignature' } });
    const late = await signAs(network, 'vtZuidLimburg', exampleBericht('overdracht-na-dienst-onderzoek'), { iat: dropped });
    await expect(verifyBericht(late, { keys, now: dropped })).rejects.toMatchObject({ code: 'ZICHT_KEY_REVOKED' });
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

describe('keepDroppedKeys (SIG-003, Q135)', () => {
  it('keeps a key that had ended before as it was, and takes the keys the new record names as given', async () => {
    const [a, b, c] = await Promise.all([generateSigningKey(), generateSigningKey(), generateSigningKey()]);
    const at = new Date('2026-12-03T10:00:00Z');
    const base = { oin: OIN, rol: 'lokaal-team' as const, naam: 'Sociaal team Heerlen', gemeentecodes: ['GM0917'], afleveradressen: [], status: 'actief' as const };
    const previous = { ...base, sleutels: [{ kid: a.kid, jwk: a.publicJwk, exp: '2026-11-01T00:00:00Z' }, { kid: b.kid, jwk: b.publicJwk, revokedAt: '2027-01-01T00:00:00Z' }] };
    const next = { ...base, sleutels: [{ kid: c.kid, jwk: c.publicJwk }] };
    const kept = keepDroppedKeys(previous, next, at);
    expect(kept.sleutels).toEqual([next.sleutels[0], previous.sleutels[0], { ...previous.sleutels[1], revokedAt: at.toISOString() }]);
    expect(keepDroppedKeys(previous, { ...base, sleutels: previous.sleutels }, at)).toEqual({ ...base, sleutels: previous.sleutels });
  });

  it('refuses, naming the rule, when the kept keys would pass the limit of 50', async () => {
    const key = await generateSigningKey();
    const many = await Promise.all(Array.from({ length: 50 }, () => generateSigningKey()));
    const base = { oin: OIN, rol: 'lokaal-team' as const, naam: 'Sociaal team Heerlen', gemeentecodes: ['GM0917'], afleveradressen: [], status: 'actief' as const };
    expect(() => keepDroppedKeys({ ...base, sleutels: [{ kid: key.kid, jwk: key.publicJwk }] }, { ...base, sleutels: many.map((k) => ({ kid: k.kid, jwk: k.publicJwk })) }, new Date())).toThrow(/SIG-003/);
  });
});
