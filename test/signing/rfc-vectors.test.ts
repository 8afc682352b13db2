/**
 * The RFC examples run through Zicht's wrapper where they apply (test/fixtures/signing/rfc-vectors.json,
 * copied verbatim from the RFCs; see its "source" members):
 * - RFC 7638 §3.1 and RFC 8037 A.3: jwkThumbprint, the kid of every key;
 * - RFC 8037 A.4: Ed25519 (EdDSA, an allowed algorithm) signs to the exact RFC signature and verifies;
 * - RFC 7520 §4.2 (PS384), §4.3 (ES512), §4.4/4.5 (HS256): valid JWS under algorithms Zicht does not
 *   allow. Bare jose verifies each (so the fixture is intact); the wrapper refuses each by its alg.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, flattenedVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../src/signing/generate.js';
import { signDetached, verifyDetached } from '../../src/signing/detached.js';
import { parsePrivateJwk, parsePublicJwk } from '../../src/signing/jwk.js';
import { importSigningKey, importVerificationKey } from '../../src/signing/key-import.js';
import { jwkThumbprint } from '../../src/signing/thumbprint.js';
import { expectCode } from './helpers.js';

interface Vector {
  alg: string;
  jwk: Record<string, string>;
  protected: string;
  signature: string;
}
const vectors = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'signing', 'rfc-vectors.json'), 'utf8')) as {
  rfc7638_3_1: { jwk: Record<string, string>; thumbprint: string };
  rfc8037_a: { privateJwk: Record<string, string>; publicJwk: Record<string, string>; thumbprint: string; payload: string; protected: string; signature: string };
  rfc7520_payload: { text: string; base64url: string };
  rfc7520_4_2: Vector;
  rfc7520_4_3: Vector;
  rfc7520_4_4: Vector;
};
const ed = vectors.rfc8037_a;
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('RFC 7638 JWK thumbprint (the kid)', () => {
  it('§3.1: the RSA example key has thumbprint NzbLsXh8…', () => {
    expect(jwkThumbprint(parsePublicJwk(vectors.rfc7638_3_1.jwk))).toBe(vectors.rfc7638_3_1.thumbprint);
  });

  it('RFC 8037 A.3: the Ed25519 example key has thumbprint kPrK_qmx…', () => {
    expect(jwkThumbprint(parsePublicJwk(ed.publicJwk))).toBe(ed.thumbprint);
  });

  it.each(['ES256', 'PS256', 'EdDSA'] as const)('agrees with jose calculateJwkThumbprint on a fresh %s key', async (alg) => {
    const key = await generateSigningKey(alg);
    expect(key.kid).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
  });
});

describe('RFC 8037 A.4 Ed25519 signing through signDetached / verifyDetached', () => {
  it('signs "Example of Ed25519 signing" to the RFC signature (Ed25519 is deterministic)', async () => {
    const key = await importSigningKey(parsePrivateJwk(ed.privateJwk), 'EdDSA');
    const jws = await signDetached(utf8(ed.payload), { alg: 'EdDSA' }, key);
    expect(jws).toEqual({ protected: ed.protected, signature: ed.signature });
  });

  it('verifies the RFC signature with the RFC public key', async () => {
    const key = await importVerificationKey(parsePublicJwk(ed.publicJwk), 'EdDSA');
    await expect(verifyDetached({ protected: ed.protected, signature: ed.signature }, utf8(ed.payload), key)).resolves.toBe('EdDSA');
  });

  it('refuses the RFC signature when any one byte of the payload changes (every position)', async () => {
    const key = await importVerificationKey(parsePublicJwk(ed.publicJwk), 'EdDSA');
    const payload = utf8(ed.payload);
    for (let i = 0; i < payload.length; i++) {
      const changed = Uint8Array.from(payload);
      changed[i] = (changed[i] ?? 0) ^ 0x01;
      await expectCode(verifyDetached({ protected: ed.protected, signature: ed.signature }, changed, key), 'ZICHT_SIGNATURE_INVALID');
    }
  });
});

describe('RFC 7520 §4 signatures under algorithms Zicht does not allow', () => {
  const payload = utf8(vectors.rfc7520_payload.text);
  const allowedKey = (): Promise<KeyObject> => importVerificationKey(parsePublicJwk(ed.publicJwk), 'EdDSA');

  it('the §4 payload is the base64url the RFC gives', () => {
    expect(Buffer.from(payload).toString('base64url')).toBe(vectors.rfc7520_payload.base64url);
  });

  it.each([
    ['§4.2 RSA-PSS (PS384)', vectors.rfc7520_4_2],
    ['§4.3 ECDSA (ES512)', vectors.rfc7520_4_3],
    ['§4.4/4.5 HMAC-SHA2 (HS256, detached content)', vectors.rfc7520_4_4],
  ])('%s: bare jose verifies it, the wrapper refuses it with ZICHT_SIGNATURE_ALG_NOT_ALLOWED', async (_name, vector) => {
    const bare = await flattenedVerify(
      { protected: vector.protected, signature: vector.signature, payload: vectors.rfc7520_payload.base64url },
      await importJWK(vector.jwk, vector.alg),
    );
    expect(bare.protectedHeader?.alg).toBe(vector.alg);
    await expectCode(verifyDetached({ protected: vector.protected, signature: vector.signature }, payload, await allowedKey()), 'ZICHT_SIGNATURE_ALG_NOT_ALLOWED');
  });

  it.each([
    ['§3.2 P-521 key', vectors.rfc7520_4_3.jwk],
    ['§3.5 symmetric (oct) key', vectors.rfc7520_4_4.jwk],
  ])('the %s is not an accepted key (ZICHT_KEY_INVALID)', async (_name, jwk) => {
    await expectCode(Promise.resolve().then(() => parsePublicJwk(jwk)), 'ZICHT_KEY_INVALID');
  });
});
