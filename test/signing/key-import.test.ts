/**
 * Key import on node:crypto keeps the refusals WebCrypto made when keys went through jose's importJWK:
 * a key that does not fit the algorithm, a private EC or Ed25519 key whose public members are not its
 * own, `key_ops` that do not allow the operation; and a private key never verifies, a public one never signs.
 */
import { describe, expect, it } from 'vitest';
import { signDetached, verifyDetached } from '../../src/signing/detached.js';
import { importSigningKey, importVerificationKey, verificationKey } from '../../src/signing/key-import.js';
import { expectCode, party } from './helpers.js';

const OIN = '00000001003214345000';

describe('key import', () => {
  it('caches the verification key per JWK object and algorithm', async () => {
    const { key } = await party(OIN, 'ES256', 'import');
    expect(verificationKey(key.publicJwk, 'ES256')).toBe(verificationKey(key.publicJwk, 'ES256'));
    expect(await importVerificationKey(key.publicJwk, 'ES256')).toBe(verificationKey(key.publicJwk, 'ES256'));
    expect(verificationKey({ ...key.publicJwk }, 'ES256')).not.toBe(verificationKey(key.publicJwk, 'ES256'));
  });

  it.each([
    ['ES256', 'EdDSA'],
    ['ES256', 'PS256'],
    ['EdDSA', 'ES256'],
    ['PS256', 'EdDSA'],
  ] as const)('a %s key for %s: ZICHT_KEY_INVALID', async (keyAlg, alg) => {
    const { key } = await party(OIN, keyAlg, 'import');
    await expectCode(importVerificationKey(key.publicJwk, alg), 'ZICHT_KEY_INVALID');
    await expectCode(importSigningKey(key.privateJwk, alg), 'ZICHT_KEY_INVALID');
  });

  it.each(['ES256', 'EdDSA'] as const)('a private %s key with the public members of another key: ZICHT_KEY_INVALID', async (alg) => {
    const { key } = await party(OIN, alg, 'import');
    const { key: other } = await party(OIN, alg, 'import-other');
    const mixed = { ...key.privateJwk, ...Object.fromEntries(Object.entries(other.publicJwk).filter(([name]) => ['x', 'y'].includes(name))) };
    await expectCode(importSigningKey(mixed, alg), 'ZICHT_KEY_INVALID');
    await expect(importSigningKey(key.privateJwk, alg)).resolves.toBeDefined();
  });

  it('key_ops must allow exactly the operation', async () => {
    const { key } = await party(OIN, 'EdDSA', 'import');
    await expect(importVerificationKey({ ...key.publicJwk, key_ops: ['verify'] }, 'EdDSA')).resolves.toBeDefined();
    await expectCode(importVerificationKey({ ...key.publicJwk, key_ops: ['sign'] }, 'EdDSA'), 'ZICHT_KEY_INVALID');
    await expectCode(importVerificationKey({ ...key.publicJwk, key_ops: [] }, 'EdDSA'), 'ZICHT_KEY_INVALID');
    await expect(importSigningKey({ ...key.privateJwk, key_ops: ['sign'] }, 'EdDSA')).resolves.toBeDefined();
    await expectCode(importSigningKey({ ...key.privateJwk, key_ops: ['sign', 'verify'] }, 'EdDSA'), 'ZICHT_KEY_INVALID');
  });

  it('a private key does not verify and a public key does not sign: ZICHT_KEY_INVALID', async () => {
    const { key, signer } = await party(OIN, 'ES256', 'import');
    const payload = new TextEncoder().encode('{}');
    const jws = await signDetached(payload, { alg: 'ES256' }, signer.key);
    await expect(verifyDetached(jws, payload, verificationKey(key.publicJwk, 'ES256'))).resolves.toBe('ES256');
    await expectCode(verifyDetached(jws, payload, signer.key), 'ZICHT_KEY_INVALID');
    await expectCode(signDetached(payload, { alg: 'ES256' }, verificationKey(key.publicJwk, 'ES256')), 'ZICHT_KEY_INVALID');
  });
});
