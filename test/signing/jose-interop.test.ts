/**
 * Zicht signs and verifies with node:crypto (src/signing/jws-crypto.ts); the JWS must stay byte-compatible
 * with jose on WebCrypto (RFC 7515 Appendix F detached content), in both directions, for every allowed
 * algorithm: a signature Zicht makes verifies with plain jose, and one plain jose makes verifies with Zicht.
 */
import { FlattenedSign, flattenedVerify, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SIGNING_ALGORITHMS } from '../../src/signing/algorithms.js';
import { canonicalBericht } from '../../src/signing/canonical.js';
import { encodePayload, signDetached, verifyDetached } from '../../src/signing/detached.js';
import { importSigningKey, verificationKey } from '../../src/signing/key-import.js';
import { signBericht } from '../../src/signing/sign.js';
import { verifyBericht } from '../../src/signing/verify.js';
import { example, expectCode, party, resolverOf, senderOf } from './helpers.js';

// The verifier's clock: just after the signing time of these tests (keys are judged at it, SIG-003; iat within SIG-007/008 of it).
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-02T09:00:05Z') });
});
afterAll(() => {
  vi.useRealTimers();
});

const crit = { oin: true, rcv: true };

describe.each(SIGNING_ALGORITHMS)('%s', (alg) => {
  const bericht = example('overdracht-na-veiligheidsbeoordeling.json');
  const oin = senderOf(bericht);
  const payload = canonicalBericht(bericht);
  const header = { alg, typ: 'zicht-bericht+jws', iat: 1_772_442_000, oin, crit: ['oin'] };

  it('a signature made by Zicht verifies with plain jose (flattenedVerify, WebCrypto key)', async () => {
    const { key, signer } = await party(oin, alg, 'interop');
    const signed = await signBericht(bericht, signer);
    const jws = signed.signatures[0]!;
    const publicKey = await importJWK(key.publicJwk, alg);
    const result = await flattenedVerify({ ...jws, payload: encodePayload(payload) }, publicKey, { algorithms: [alg], crit });
    expect(result.protectedHeader).toMatchObject({ alg, kid: key.kid, oin });
    expect(Buffer.from(result.payload).equals(Buffer.from(payload))).toBe(true);

    const changed = Uint8Array.from(payload);
    changed[10] = (changed[10] ?? 0) ^ 1;
    await expect(flattenedVerify({ ...jws, payload: encodePayload(changed) }, publicKey, { algorithms: [alg], crit })).rejects.toThrow();
  });

  it('a signature made by plain jose (FlattenedSign, WebCrypto key) verifies with Zicht', async () => {
    const { key } = await party(oin, alg, 'interop');
    const privateKey = await importJWK(key.privateJwk, alg);
    const jws = await new FlattenedSign(payload).setProtectedHeader({ ...header, kid: key.kid }).sign(privateKey, { crit });
    const detached = { protected: jws.protected!, signature: jws.signature };
    await expect(verifyDetached(detached, payload, verificationKey(key.publicJwk, alg))).resolves.toBe(alg);
    const verified = await verifyBericht({ ...bericht, signatures: [detached] }, { keys: resolverOf([{ oin, key: { generated: key } }]) });
    expect(verified.sender).toMatchObject({ alg, kid: key.kid, oin });

    const changed = Uint8Array.from(payload);
    changed[10] = (changed[10] ?? 0) ^ 1;
    await expectCode(verifyDetached(detached, changed, verificationKey(key.publicJwk, alg)), 'ZICHT_SIGNATURE_INVALID');
  });

  it('the same header makes the same protected member either way; Ed25519 signatures are identical', async () => {
    const { key } = await party(oin, alg, 'interop');
    const ours = await signDetached(payload, { ...header, kid: key.kid }, await importSigningKey(key.privateJwk, alg));
    const theirs = await new FlattenedSign(payload).setProtectedHeader({ ...header, kid: key.kid }).sign(await importJWK(key.privateJwk, alg), { crit });
    expect(ours.protected).toBe(theirs.protected);
    // ECDSA and RSA-PSS are randomised; Ed25519 is deterministic (RFC 8032 §5.1.6).
    if (alg === 'EdDSA') expect(ours.signature).toBe(theirs.signature);
    else expect(Buffer.from(ours.signature, 'base64url').length).toBe(Buffer.from(theirs.signature, 'base64url').length);
  });

  it('signDetached and verifyDetached still take a WebCrypto CryptoKey (converted to a KeyObject)', async () => {
    const { key } = await party(oin, alg, 'interop');
    const jws = await signDetached(payload, { ...header, kid: key.kid }, await importJWK(key.privateJwk, alg));
    await expect(verifyDetached(jws, payload, await importJWK(key.publicJwk, alg))).resolves.toBe(alg);
    // A public CryptoKey cannot sign; a private one cannot verify.
    await expectCode(signDetached(payload, { ...header, kid: key.kid }, await importJWK(key.publicJwk, alg)), 'ZICHT_KEY_INVALID');
    await expectCode(verifyDetached(jws, payload, await importJWK(key.privateJwk, alg)), 'ZICHT_KEY_INVALID');
  });
});
