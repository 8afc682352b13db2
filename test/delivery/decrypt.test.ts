/**
 * The JWE a receiver gets (ENC-003) and how it reads it (ENC-004), on published vectors and against
 * independent implementations.
 *
 * No RFC 7520 vector uses RSA-OAEP-256 or ECDH-ES with A256GCM (§5.2 is RSA-OAEP with SHA-1 and A256GCM,
 * §5.4 ECDH-ES+A128KW with A128GCM, §5.5 ECDH-ES with A128CBC-HS256), so:
 * - RFC 7520 §5.2 (verbatim, test/fixtures/encryption/rfc7520-jwe.json) checks the A256GCM content layer
 *   Zicht uses, both through jose and through node:crypto from the published CEK, IV and tag, and that
 *   the receiver's helper refuses its key management algorithm (RSA-OAEP with SHA-1);
 * - Zicht's own JWEs are checked by round trip for every allowed key kind, by jose decrypting what the
 *   gateway makes and the helper decrypting what jose makes, and for RSA-OAEP-256 by unwrapping the CEK
 *   and opening the content with node:crypto alone.
 */
import { createDecipheriv, createPrivateKey, constants, privateDecrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { decryptBody, generateEncryptionKey, type DecryptionKey, type EncryptionKeyKind } from '../../src/delivery/decrypt.js';
import { encryptBody } from '../../src/delivery/encrypt.js';
import { EncryptionError } from '../../src/errors.js';

interface Rfc7520 {
  plaintext: string;
  rfc7520_5_2: { key: Record<string, string>; cek: string; iv: string; protected: string; ciphertext: string; tag: string; compact: string };
}
const vectors = JSON.parse(readFileSync(new URL('../fixtures/encryption/rfc7520-jwe.json', import.meta.url), 'utf8')) as Rfc7520;
const v52 = vectors.rfc7520_5_2;

const json = JSON.stringify({ berichtId: '7d4c1f4e-5b2a-4d6e-9a51-2f0c3b8e1a90', signatures: [{ protected: 'eyJ9', signature: 'AA' }] });
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof EncryptionError ? error.code : `other: ${String(error)}`),
  );

describe('RFC 7520 §5.2: RSA-OAEP with A256GCM (the content encryption Zicht uses)', () => {
  it('decrypts with jose to the Figure 72 plaintext', async () => {
    const { plaintext, protectedHeader } = await compactDecrypt(v52.compact, await importJWK(v52.key, 'RSA-OAEP'), { keyManagementAlgorithms: ['RSA-OAEP'] });
    expect(decode(plaintext)).toBe(vectors.plaintext);
    expect(protectedHeader).toEqual({ alg: 'RSA-OAEP', kid: 'samwise.gamgee@hobbiton.example', enc: 'A256GCM' });
  });

  it('opens the A256GCM content with node:crypto from the published CEK, IV, tag and the protected header as AAD (RFC 7516 §5.2)', () => {
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(v52.cek, 'base64url'), Buffer.from(v52.iv, 'base64url'));
    decipher.setAAD(Buffer.from(v52.protected, 'ascii'));
    decipher.setAuthTag(Buffer.from(v52.tag, 'base64url'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(v52.ciphertext, 'base64url')), decipher.final()]);
    expect(plaintext.toString('utf8')).toBe(vectors.plaintext);
  });

  it('is refused by the receiver (ENC-004): RSA-OAEP with SHA-1 is not RSA-OAEP-256', async () => {
    const { kid, ...privateJwk } = v52.key;
    const key: DecryptionKey = { kid: kid ?? '', alg: 'RSA-OAEP-256', privateJwk };
    expect(await codeOf(decryptBody(v52.compact, [key]))).toBe('ZICHT_ENCRYPTION_ALG_NOT_ALLOWED');
  });
});

describe('ENC-003: the JWE the gateway makes', () => {
  it.each<EncryptionKeyKind>(['RSA-OAEP-256', 'ECDH-ES P-256', 'ECDH-ES P-384', 'ECDH-ES X25519'])('%s: round trip, header alg/enc/kid/cty, and jose reads it', async (kind) => {
    const { key, sleutel } = await generateEncryptionKey(kind);
    const jwe = await encryptBody(json, sleutel);
    const header = decodeProtectedHeader(jwe);
    expect(header).toMatchObject({ alg: sleutel.jwk.alg, enc: 'A256GCM', kid: sleutel.kid, cty: 'application/json' });
    expect(Object.keys(header).sort()).toEqual(sleutel.jwk.alg === 'ECDH-ES' ? ['alg', 'cty', 'enc', 'epk', 'kid'] : ['alg', 'cty', 'enc', 'kid']);
    expect(jwe).not.toContain(Buffer.from(json).toString('base64url').slice(0, 20));
    expect(decode((await decryptBody(jwe, [key])).plaintext)).toBe(json);
    const direct = await compactDecrypt(jwe, await importJWK(key.privateJwk, key.alg), { keyManagementAlgorithms: [key.alg], contentEncryptionAlgorithms: ['A256GCM'] });
    expect(decode(direct.plaintext)).toBe(json);
  });

  it('RSA-OAEP-256: node:crypto alone unwraps the CEK (OAEP with SHA-256) and opens the content', async () => {
    const { key, sleutel } = await generateEncryptionKey('RSA-OAEP-256');
    const [protectedHeader = '', encryptedKey = '', iv = '', ciphertext = '', tag = ''] = (await encryptBody(json, sleutel)).split('.');
    const cek = privateDecrypt({ key: createPrivateKey({ key: { ...key.privateJwk } as never, format: 'jwk' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(encryptedKey, 'base64url'));
    expect(cek).toHaveLength(32);
    const decipher = createDecipheriv('aes-256-gcm', cek, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(protectedHeader, 'ascii'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    expect(Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')).toBe(json);
  });

  it('uses a fresh content key and IV for each body', async () => {
    const { sleutel } = await generateEncryptionKey('ECDH-ES P-256');
    const [one, two] = await Promise.all([encryptBody(json, sleutel), encryptBody(json, sleutel)]);
    expect(one.split('.')[2]).not.toBe(two.split('.')[2]);
    expect(one.split('.')[3]).not.toBe(two.split('.')[3]);
  });
});

const mine = await generateEncryptionKey('ECDH-ES P-256');
const other = await generateEncryptionKey('ECDH-ES P-256');

describe('ENC-004: what the receiver refuses', () => {
  const made = (header: Record<string, unknown>, key = mine) =>
    importJWK({ ...key.sleutel.jwk }, key.sleutel.jwk.alg).then((publicKey) => new CompactEncrypt(new TextEncoder().encode(json)).setProtectedHeader(header as never).encrypt(publicKey));

  it('decrypts a JWE jose made with the same header the gateway sends', async () => {
    const jwe = await made({ alg: 'ECDH-ES', enc: 'A256GCM', kid: mine.key.kid, cty: 'application/json' });
    expect(decode((await decryptBody(jwe, [other.key, mine.key])).plaintext)).toBe(json);
  });

  it.each([
    ['another content encryption (A128GCM)', { alg: 'ECDH-ES', enc: 'A128GCM' }, 'ZICHT_ENCRYPTION_ALG_NOT_ALLOWED'],
    ['a key-wrapping variant (ECDH-ES+A256KW)', { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' }, 'ZICHT_ENCRYPTION_ALG_NOT_ALLOWED'],
    ['an extra header member (zip-like x5u)', { alg: 'ECDH-ES', enc: 'A256GCM', x5u: 'https://example.org/' }, 'ZICHT_ENCRYPTION_MALFORMED'],
  ])('refuses %s', async (_name, header, code) => {
    const jwe = await made({ ...header, kid: mine.key.kid });
    expect(await codeOf(decryptBody(jwe, [mine.key]))).toBe(code);
  });

  it('refuses epk with RSA-OAEP-256 and ECDH-ES without epk, before any key is used (ENC-004, Q140)', async () => {
    const rsa = await generateEncryptionKey('RSA-OAEP-256');
    const plain = await made({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: rsa.key.kid }, rsa);
    expect(decode((await decryptBody(plain, [rsa.key])).plaintext)).toBe(json);
    const ecdh = await made({ alg: 'ECDH-ES', enc: 'A256GCM', kid: mine.key.kid });
    const withHeader = (jwe: string, header: Record<string, unknown>) => [Buffer.from(JSON.stringify(header)).toString('base64url'), ...jwe.split('.').slice(1)].join('.');
    const { epk, ...withoutEpk } = decodeProtectedHeader(ecdh);
    expect(await codeOf(decryptBody(withHeader(plain, { ...decodeProtectedHeader(plain), epk }), [rsa.key]))).toBe('ZICHT_ENCRYPTION_MALFORMED');
    expect(await codeOf(decryptBody(withHeader(ecdh, withoutEpk), [mine.key]))).toBe('ZICHT_ENCRYPTION_MALFORMED');
  });

  it('refuses a JWE to a key it does not hold, and one whose kid was changed to its own', async () => {
    const toOther = await made({ alg: 'ECDH-ES', enc: 'A256GCM', kid: other.key.kid }, other);
    expect(await codeOf(decryptBody(toOther, [mine.key]))).toBe('ZICHT_ENCRYPTION_KEY_UNKNOWN');
    const [, ...rest] = toOther.split('.');
    const relabelled = [Buffer.from(JSON.stringify({ ...decodeProtectedHeader(toOther), kid: mine.key.kid })).toString('base64url'), ...rest].join('.');
    expect(await codeOf(decryptBody(relabelled, [mine.key]))).toBe('ZICHT_ENCRYPTION_DECRYPT_FAILED');
    // jose will not make a JWE with a crit header it does not know, so one is put in by hand: refused before any key is used.
    const critical = [Buffer.from(JSON.stringify({ ...decodeProtectedHeader(toOther), kid: mine.key.kid, crit: ['exp'], exp: 1 })).toString('base64url'), ...rest].join('.');
    expect(await codeOf(decryptBody(critical, [mine.key]))).toBe('ZICHT_ENCRYPTION_MALFORMED');
  });

  it('refuses a changed ciphertext, and what is not a JWE at all', async () => {
    const parts = (await encryptBody(json, mine.sleutel)).split('.');
    const ciphertext = Buffer.from(parts[3] ?? '', 'base64url');
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
    parts[3] = ciphertext.toString('base64url');
    expect(await codeOf(decryptBody(parts.join('.'), [mine.key]))).toBe('ZICHT_ENCRYPTION_DECRYPT_FAILED');
    expect(await codeOf(decryptBody(json, [mine.key]))).toBe('ZICHT_ENCRYPTION_MALFORMED');
    expect(await codeOf(decryptBody('a.b.c', [mine.key]))).toBe('ZICHT_ENCRYPTION_MALFORMED');
  });
});
