/**
 * Encryption keys in the registry (ENC-001, ENC-002): the four accepted kinds, every refusal naming its
 * rule without echoing key material, the key the gateway encrypts to over a rotation (ENC-003), and a
 * registry change with encryption keys writing its audit leaf on SQLite and PostgreSQL.
 */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateEncryptionKey, type EncryptionKeyKind } from '../../src/delivery/decrypt.js';
import { RegistryError } from '../../src/errors.js';
import { InMemoryDeelnemerRepository } from '../../src/registry/in-memory.js';
import { StoreDeelnemerRepository } from '../../src/registry/store-repository.js';
import { encryptionKeyProblem, versleutelingAt, type Versleutelingssleutel } from '../../src/registry/versleutelingssleutel.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { jwkThumbprint } from '../../src/signing/thumbprint.js';
import { BACKENDS, useStore } from '../store/backends.js';

const OIN = '00000001000000009170';
const signing = await generateSigningKey();
const rsa = await generateEncryptionKey('RSA-OAEP-256');
const p256 = await generateEncryptionKey('ECDH-ES P-256');

const heerlen = (extra: Record<string, unknown> = {}) => ({
  oin: OIN,
  rol: 'lokaal-team',
  naam: 'Sociaal team Heerlen',
  gemeentecodes: ['GM0917'],
  status: 'actief',
  sleutels: [{ kid: signing.kid, jwk: signing.publicJwk }],
  afleveradressen: [{ url: 'https://heerlen.example/zicht/v1', kanaal: 'zicht-v1' }],
  ...extra,
});

/** A registry entry for a public JWK, its kid the thumbprint. */
function entry(jwk: Record<string, unknown>): Record<string, unknown> {
  return { kid: jwkThumbprint(jwk as Parameters<typeof jwkThumbprint>[0]), jwk };
}

function exported(type: 'rsa' | 'ec' | 'ed25519' | 'x25519', options: { modulusLength?: number; namedCurve?: string } = {}): { pub: Record<string, unknown>; priv: Record<string, unknown> } {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: options.namedCurve ?? 'P-256' })
        : type === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('x25519');
  return { pub: { ...pair.publicKey.export({ format: 'jwk' }) }, priv: { ...pair.privateKey.export({ format: 'jwk' }) } };
}

const rsaPublic = rsa.sleutel.jwk as Record<string, unknown>;
const small = exported('rsa', { modulusLength: 1024 });
const p521 = exported('ec', { namedCurve: 'P-521' });
const ed = exported('ed25519');
const p256y = p256.sleutel.jwk.kty === 'EC' ? p256.sleutel.jwk.y : '';
const offCurve: Record<string, unknown> = { ...p256.sleutel.jwk, y: `${p256y.slice(0, -2)}${p256y.endsWith('AA') ? 'AB' : 'AA'}` };

describe('ENC-001: encryption keys the registry accepts', () => {
  it.each<EncryptionKeyKind>(['RSA-OAEP-256', 'ECDH-ES P-256', 'ECDH-ES P-384', 'ECDH-ES X25519'])('takes a public %s key with kid and validity window', async (kind) => {
    const { sleutel } = await generateEncryptionKey(kind);
    const registry = await InMemoryDeelnemerRepository.of([heerlen({ versleutelingssleutels: [{ ...sleutel, nbf: '2026-01-01T00:00:00Z', exp: '2027-01-01T00:00:00Z' }] })]);
    expect((await registry.get(OIN))?.versleutelingssleutels?.map((s) => s.kid)).toEqual([sleutel.kid]);
  });

  it('keeps a participant without encryption keys as before (no versleutelingssleutels member)', async () => {
    const registry = await InMemoryDeelnemerRepository.of([heerlen()]);
    expect(await registry.get(OIN)).not.toHaveProperty('versleutelingssleutels');
  });
});

describe('ENC-001 / ENC-002: refusals name the rule and never echo the key', () => {
  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    ['a private RSA key', 'ENC-001', { versleutelingssleutels: [entry({ ...rsa.key.privateJwk })] }, /private members/],
    ['a private X25519 key', 'ENC-001', { versleutelingssleutels: [entry({ ...exported('x25519').priv, alg: 'ECDH-ES', use: 'enc' })] }, /private members/],
    ['a signing key (use sig)', 'ENC-001', { versleutelingssleutels: [entry({ ...signing.publicJwk })] }, /use "enc"/],
    ['a signing alg with use enc', 'ENC-001', { versleutelingssleutels: [entry({ ...(p256.sleutel.jwk as Record<string, unknown>), alg: 'ES256', kid: undefined })] }, /not a signing alg/],
    ['RSA-OAEP (SHA-1) instead of RSA-OAEP-256', 'ENC-001', { versleutelingssleutels: [entry({ ...rsaPublic, alg: 'RSA-OAEP', kid: undefined })] }, /RSA-OAEP-256/],
    ['ECDH-ES+A256KW', 'ENC-001', { versleutelingssleutels: [entry({ ...(p256.sleutel.jwk as Record<string, unknown>), alg: 'ECDH-ES+A256KW', kid: undefined })] }, /ECDH-ES/],
    ['no alg', 'ENC-001', { versleutelingssleutels: [entry({ ...rsaPublic, alg: undefined, kid: undefined })] }, /RSA-OAEP-256/],
    ['a 1024-bit RSA key', 'ENC-001', { versleutelingssleutels: [entry({ ...small.pub, alg: 'RSA-OAEP-256', use: 'enc' })] }, /at least 2048 bits/],
    ['a P-521 key', 'ENC-001', { versleutelingssleutels: [entry({ ...p521.pub, alg: 'ECDH-ES', use: 'enc' })] }, /P-384/],
    ['an Ed25519 key', 'ENC-001', { versleutelingssleutels: [entry({ ...ed.pub, alg: 'ECDH-ES', use: 'enc' })] }, /X25519/],
    ['a point not on P-256', 'ENC-001', { versleutelingssleutels: [{ kid: jwkThumbprint(offCurve as Parameters<typeof jwkThumbprint>[0]), jwk: { ...offCurve, kid: undefined } }] }, /not a usable public key/],
    ['a kid that is not the thumbprint', 'ENC-001', { versleutelingssleutels: [{ ...rsa.sleutel, kid: p256.sleutel.kid }] }, /thumbprint/],
    ['exp before nbf', 'ENC-001', { versleutelingssleutels: [{ ...rsa.sleutel, nbf: '2026-06-01T00:00:00Z', exp: '2026-05-01T00:00:00Z' }] }, /exp is after its nbf/],
    ['the same key twice', 'ENC-001', { versleutelingssleutels: [rsa.sleutel, rsa.sleutel] }, /twice/],
    ['a key with only a FHIR delivery address', 'ENC-002', { versleutelingssleutels: [rsa.sleutel], afleveradressen: [{ url: 'https://heerlen.example/fhir', kanaal: 'fhir' }] }, /FHIR channel/],
  ];

  it.each(cases)('refuses %s (%s)', async (_name, rule, extra, message) => {
    const error = await InMemoryDeelnemerRepository.of([heerlen(extra)]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ code: 'ZICHT_REGISTRY_INVALID', rule });
    const text = (error as RegistryError).message;
    expect(text).toMatch(new RegExp(`^${rule}: `));
    expect(text).toMatch(message);
    // Nothing of the key itself: no modulus, coordinate or private member.
    const versleutelingssleutels = extra.versleutelingssleutels as { jwk: Record<string, unknown> }[];
    for (const { jwk } of versleutelingssleutels) {
      for (const member of ['n', 'x', 'y', 'd', 'p', 'q']) {
        const value = jwk[member];
        if (typeof value === 'string') expect(text).not.toContain(value.slice(0, 16));
      }
    }
  });

  it('takes an encryption key with a zicht-v1 address first and a FHIR one after it (only the first is delivered to)', async () => {
    const registry = await InMemoryDeelnemerRepository.of([
      heerlen({ versleutelingssleutels: [rsa.sleutel], afleveradressen: [{ url: 'https://heerlen.example/zicht/v1', kanaal: 'zicht-v1' }, { url: 'https://heerlen.example/fhir', kanaal: 'fhir' }] }),
    ]);
    expect((await registry.get(OIN))?.versleutelingssleutels).toHaveLength(1);
  });

  it('takes an encryption key of a participant that reads its postbus (no delivery address)', async () => {
    const registry = await InMemoryDeelnemerRepository.of([heerlen({ versleutelingssleutels: [rsa.sleutel], afleveradressen: [] })]);
    expect((await registry.get(OIN))?.versleutelingssleutels).toHaveLength(1);
  });
});

describe('ENC-001: the key check on arbitrary input', () => {
  it('never throws, and answers a problem for anything but a valid key', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(typeof encryptionKeyProblem(value)).toBe('string');
      }),
    );
  });

  it('never echoes a value it was given, whichever member of a real key it replaces', () => {
    const base = { ...(rsa.sleutel.jwk as Record<string, unknown>) };
    fc.assert(
      fc.property(fc.constantFrom('kty', 'alg', 'use', 'n', 'e', 'kid', 'd', 'crv', 'x'), fc.string({ minLength: 6, maxLength: 40 }).filter((v) => /[A-Za-z0-9]{6}/.test(v)), (member, value) => {
        const problem = encryptionKeyProblem({ ...base, [member]: value });
        if (problem !== undefined) expect(problem).not.toContain(value);
      }),
    );
  });
});

describe('ENC-003: the key the gateway encrypts to', () => {
  const at = (iso: string) => new Date(iso);
  const old: Versleutelingssleutel = { ...rsa.sleutel, nbf: '2026-01-01T00:00:00Z', exp: '2026-07-01T00:00:00Z' };
  const next: Versleutelingssleutel = { ...p256.sleutel, nbf: '2026-06-01T00:00:00Z' };

  it.each([
    ['before any key is valid: plain', [next], '2026-05-01T00:00:00Z', 'plain', undefined],
    ['no keys: plain', [], '2026-05-01T00:00:00Z', 'plain', undefined],
    ['the old key before the new one starts', [old, next], '2026-05-01T00:00:00Z', 'encrypt', rsa.sleutel.kid],
    ['the new key from its nbf, while the old one is still valid', [old, next], '2026-06-01T00:00:00Z', 'encrypt', p256.sleutel.kid],
    ['the new key after the old one expired', [old, next], '2026-08-01T00:00:00Z', 'encrypt', p256.sleutel.kid],
    ['nothing once every key expired', [old], '2026-08-01T00:00:00Z', 'no-current-key', undefined],
    ['nothing once the only key is revoked', [{ ...next, revokedAt: '2026-06-15T00:00:00Z' }], '2026-06-20T00:00:00Z', 'no-current-key', undefined],
  ] as const)('%s', (_name, sleutels, instant, kind, kid) => {
    const chosen = versleutelingAt(sleutels, at(instant));
    expect(chosen.kind).toBe(kind);
    expect(chosen.kind === 'encrypt' ? chosen.sleutel.kid : undefined).toBe(kid);
  });
});

describe.each(BACKENDS)('encryption keys in the registry on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('stores a participant with encryption keys, writes a registry.changed leaf for a new key, and refuses a bad one', async () => {
    const repository = new StoreDeelnemerRepository(ctx.store, { ttlMs: 0 });
    await repository.add(heerlen({ versleutelingssleutels: [rsa.sleutel] }));
    const before = (await ctx.store.listPendingLeaves(100)).length;
    await repository.put(heerlen({ versleutelingssleutels: [{ ...rsa.sleutel, exp: '2027-01-01T00:00:00Z' }, { ...p256.sleutel, nbf: '2026-12-01T00:00:00Z' }] }));
    const leaves = (await ctx.store.listPendingLeaves(100)).slice(before).map((l) => JSON.parse(l.data) as { type: string; participant: string });
    expect(leaves).toContainEqual(expect.objectContaining({ type: 'registry.changed', participant: OIN }));
    expect((await repository.get(OIN))?.versleutelingssleutels?.map((s) => s.kid)).toEqual([rsa.sleutel.kid, p256.sleutel.kid]);
    await expect(repository.put(heerlen({ versleutelingssleutels: [entry({ ...small.pub, alg: 'RSA-OAEP-256', use: 'enc' })] }))).rejects.toMatchObject({ code: 'ZICHT_REGISTRY_INVALID', rule: 'ENC-001' });
    expect((await repository.get(OIN))?.versleutelingssleutels).toHaveLength(2);
  });
});
