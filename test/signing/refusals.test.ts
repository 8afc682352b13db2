/**
 * The negative matrix of issue 4: every way a signature is refused, each with its own code, and bad
 * input (malformed JWS, oversized headers, 10,000 signatures, keys of the wrong type) always a
 * ZichtError with a code, never a crash, never a value from the bericht in the message.
 */
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { FlattenedSign, flattenedVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZichtError } from '../../src/errors.js';
import { signatureRuleFor } from '../../src/rules/gateway.js';
import { canonicalBericht } from '../../src/signing/canonical.js';
import { countersignBericht } from '../../src/signing/countersign.js';
import { encodePayload, verifyDetached } from '../../src/signing/detached.js';
import { importVerificationKey } from '../../src/signing/key-import.js';
import { jwksKeyResolver, type KeyResolver } from '../../src/signing/key-resolver.js';
import { signBericht } from '../../src/signing/sign.js';
import { createSigner } from '../../src/signing/signer.js';
import { verifyBericht } from '../../src/signing/verify.js';
import { example, expectCode, GATEWAY_OIN, party, resolverOf, senderOf } from './helpers.js';

const IAT = 1_772_442_000; // 2026-03-02T09:00:00Z
const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

type Party = Awaited<ReturnType<typeof party>>;
let bericht: Record<string, unknown>;
let oin: string;
let sender: Party;
let rsa: Party;
let ed: Party;
let gateway: Party;
let keys: KeyResolver;

// The verifier's clock: just after the signing time of these tests (keys are judged at it, SIG-003).
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date((IAT + 5) * 1000) });
});
afterAll(() => {
  vi.useRealTimers();
});

beforeAll(async () => {
  bericht = example('overdracht-na-veiligheidsbeoordeling.json');
  oin = senderOf(bericht);
  sender = await party(oin, 'ES256', 'sender');
  rsa = await party(oin, 'PS256', 'rsa');
  ed = await party(oin, 'EdDSA', 'ed');
  gateway = await party(GATEWAY_OIN, 'EdDSA', 'gateway');
  keys = resolverOf([
    { oin, key: { generated: sender.key, rol: 'vt' } },
    { oin, key: { generated: rsa.key, rol: 'vt' } },
    { oin, key: { generated: ed.key, rol: 'vt' } },
    { oin: GATEWAY_OIN, key: { generated: gateway.key, rol: 'gateway' } },
  ]);
});

/** A sender header as signBericht makes it, with `changes` applied (a member set to undefined is removed). */
function header(changes: Record<string, unknown> = {}, base: Party = sender): Record<string, unknown> {
  const h: Record<string, unknown> = { alg: base.signer.alg, typ: 'zicht-bericht+jws', kid: base.key.kid, iat: IAT, oin, crit: ['oin'], ...changes };
  for (const [k, v] of Object.entries(h)) if (v === undefined) Reflect.deleteProperty(h, k);
  return h;
}

/** Signs `payload` with any header through bare jose (which is told to accept every crit name), bypassing the wrapper's checks. */
async function forge(h: Record<string, unknown>, key: KeyObject | Uint8Array, payload: Uint8Array = canonicalBericht(bericht)): Promise<{ protected: string; signature: string }> {
  const crit = Array.isArray(h.crit) ? Object.fromEntries((h.crit as string[]).map((n) => [n, true])) : {};
  const jws = await new FlattenedSign(payload).setProtectedHeader(h).sign(key, { crit });
  return { protected: jws.protected!, signature: jws.signature };
}

const withSignatures = (...signatures: unknown[]): Record<string, unknown> => ({ ...bericht, signatures });
const verify = (value: unknown, options: { requireCountersignature?: boolean } = {}): Promise<unknown> => verifyBericht(value, { keys, ...options });

describe('a changed byte anywhere in the payload: ZICHT_SIGNATURE_INVALID', () => {
  /** Every path to a leaf of a JSON value. */
  function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
    if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
    return [path];
  }
  function mutate(value: unknown, path: (string | number)[]): unknown {
    const copy = structuredClone(value) as Record<string | number, unknown>;
    let node = copy;
    for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
    const last = path.at(-1)!;
    const leaf = node[last];
    node[last] = typeof leaf === 'string' ? `${leaf.slice(0, -1)}${leaf.endsWith('x') ? 'y' : 'x'}` : typeof leaf === 'number' ? leaf + 1 : typeof leaf === 'boolean' ? !leaf : 0;
    return copy;
  }

  it('every leaf of the bericht, changed, breaks the signature', async () => {
    const signed = await signBericht(bericht, ed.signer, { iat: new Date(IAT * 1000) });
    const paths = leaves(bericht).filter((p) => !(p[0] === 'verzender' && p[1] === 'oin'));
    expect(paths.length).toBeGreaterThan(20);
    for (const path of paths) await expectCode(verify(mutate(signed, path)), 'ZICHT_SIGNATURE_INVALID', bericht);
  });

  it('an added or a removed member breaks the signature', async () => {
    const signed = await signBericht(bericht, ed.signer, { iat: new Date(IAT * 1000) });
    await expectCode(verify({ ...signed, extra: true }), 'ZICHT_SIGNATURE_INVALID');
    const without: Record<string, unknown> = { ...signed };
    delete without.dossier;
    await expectCode(verify(without), 'ZICHT_SIGNATURE_INVALID');
  });

  it('every byte of the canonical payload, flipped, breaks the signature', async () => {
    const payload = canonicalBericht(bericht);
    const jws = await forge(header({}, ed), ed.signer.key);
    const cryptoKey = await importVerificationKey(ed.key.publicJwk, 'EdDSA');
    await expect(verifyDetached(jws, payload, cryptoKey)).resolves.toBe('EdDSA');
    for (let i = 0; i < payload.length; i++) {
      const changed = Uint8Array.from(payload);
      changed[i] = (changed[i] ?? 0) ^ 0x20;
      await expectCode(verifyDetached(jws, encodePayload(changed), cryptoKey), 'ZICHT_SIGNATURE_INVALID');
    }
  });
});

describe('one signature, one text', () => {
  it('a signature whose last base64url character carries non-zero trailing bits: ZICHT_SIGNATURE_MALFORMED', async () => {
    const signed = await signBericht(bericht, sender.signer, { iat: new Date(IAT * 1000) });
    const entry = signed.signatures[0] as { protected: string; signature: string };
    // ES256: 64 bytes are 86 characters; the last one holds 4 bits of signature and 2 unused bits.
    const last = entry.signature.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
    const variant = entry.signature.slice(0, -1) + sameBytes;
    expect(Buffer.from(variant, 'base64url').equals(Buffer.from(entry.signature, 'base64url'))).toBe(true);
    await expect(verify(signed)).resolves.toBeDefined();
    await expectCode(verify(withSignatures({ ...entry, signature: variant })), 'ZICHT_SIGNATURE_MALFORMED');
  });
});

describe('who signed', () => {
  it('an unknown kid: ZICHT_KEY_UNKNOWN', async () => {
    const stranger = await party(oin, 'ES256', 'stranger');
    await expectCode(verify(await signBericht(bericht, stranger.signer)), 'ZICHT_KEY_UNKNOWN', bericht);
  });

  it("a kid known for another OIN only: ZICHT_KEY_UNKNOWN (keys are per participant)", async () => {
    const other = await party('00000009000000000001', 'ES256', 'sender');
    const forged = await forge(header({ oin: '00000009000000000001' }), other.signer.key);
    const elsewhere = resolverOf([{ oin: '00000009000000000001', key: { generated: sender.key } }]);
    await expectCode(verifyBericht({ ...bericht, verzender: { ...(bericht.verzender as object), oin: '00000009000000000001' }, signatures: [forged] }, { keys: resolverOf([]) }), 'ZICHT_KEY_UNKNOWN');
    await expectCode(verifyBericht(withSignatures(await forge(header(), sender.signer.key)), { keys: elsewhere }), 'ZICHT_KEY_UNKNOWN');
  });

  it("a signer OIN that differs from verzender.oin: ZICHT_SIGNATURE_OIN_MISMATCH (even with a valid signature)", async () => {
    const otherOin = '00000009000000000001';
    const other = await party(otherOin, 'ES256', 'other');
    const forged = await forge(header({ oin: otherOin, kid: other.key.kid }), other.signer.key);
    const both = resolverOf([{ oin: otherOin, key: { generated: other.key } }]);
    await expectCode(verifyBericht(withSignatures(forged), { keys: both }), 'ZICHT_SIGNATURE_OIN_MISMATCH', bericht);
  });

  it('a countersignature by a participant that is not a gateway: ZICHT_SIGNATURE_SIGNER_ROLE', async () => {
    const signed = await signBericht(bericht, sender.signer);
    const fake = await createSigner({ privateJwk: ed.key.privateJwk, oin });
    const countersigned = await countersignBericht(signed, fake, new Date());
    await expectCode(verify(countersigned), 'ZICHT_SIGNATURE_SIGNER_ROLE', bericht);
  });

  it("a countersignature in the sender's place: ZICHT_SIGNATURE_HEADER_INVALID", async () => {
    const signed = await signBericht(bericht, sender.signer);
    const countersigned = await countersignBericht(signed, gateway.signer, new Date());
    await expectCode(verify({ ...bericht, signatures: [countersigned.signatures[1], countersigned.signatures[0]] }), 'ZICHT_SIGNATURE_HEADER_INVALID');
  });
});

describe('the algorithm', () => {
  it('alg none (any letter case), with or without a signature: ZICHT_SIGNATURE_ALG_NONE', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      await expectCode(verify(withSignatures({ protected: b64(header({ alg })), signature: '' })), 'ZICHT_SIGNATURE_ALG_NONE');
      await expectCode(verify(withSignatures({ protected: b64(header({ alg })), signature: 'AAAA' })), 'ZICHT_SIGNATURE_ALG_NONE');
    }
  });

  it('HS256 with the public key as the HMAC secret (the classic confusion attack): ZICHT_SIGNATURE_ALG_NOT_ALLOWED', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(sender.key.publicJwk));
    const forged = await forge(header({ alg: 'HS256' }), secret);
    // The forgery is a valid HS256 signature: a verifier that let the header pick the algorithm would accept it.
    await expect(flattenedVerify({ ...forged, payload: encodePayload(canonicalBericht(bericht)) }, secret, { crit: { oin: true } })).resolves.toBeDefined();
    const raw = createHmac('sha256', Buffer.from(sender.key.publicJwk.kty === 'EC' ? sender.key.publicJwk.x : '', 'base64url'))
      .update(`${forged.protected}.${encodePayload(canonicalBericht(bericht))}`)
      .digest('base64url');
    await expectCode(verify(withSignatures(forged)), 'ZICHT_SIGNATURE_ALG_NOT_ALLOWED', bericht);
    await expectCode(verify(withSignatures({ protected: forged.protected, signature: raw })), 'ZICHT_SIGNATURE_ALG_NOT_ALLOWED', bericht);
  });

  it.each(['HS384', 'HS512', 'RS256', 'ES384', 'ES512', 'PS384', 'Ed25519', 'ES256K'])('%s: ZICHT_SIGNATURE_ALG_NOT_ALLOWED', async (alg) => {
    await expectCode(verify(withSignatures({ protected: b64(header({ alg })), signature: 'AAAA' })), 'ZICHT_SIGNATURE_ALG_NOT_ALLOWED');
  });

  it('an allowed alg that does not fit the key the kid names: ZICHT_SIGNATURE_ALG_KEY_MISMATCH', async () => {
    // PS256 signature by a real RSA key, but naming the EC key's kid.
    await expectCode(verify(withSignatures(await forge(header({ alg: 'PS256', kid: sender.key.kid }), rsa.signer.key))), 'ZICHT_SIGNATURE_ALG_KEY_MISMATCH');
    // ES256 naming the Ed25519 key; EdDSA naming the RSA key.
    await expectCode(verify(withSignatures(await forge(header({ alg: 'ES256', kid: ed.key.kid }), sender.signer.key))), 'ZICHT_SIGNATURE_ALG_KEY_MISMATCH');
    await expectCode(verify(withSignatures(await forge(header({ alg: 'EdDSA', kid: rsa.key.kid }), ed.signer.key))), 'ZICHT_SIGNATURE_ALG_KEY_MISMATCH');
  });
});

describe('crit and the Zicht header members', () => {
  it('an unknown crit header, b64 (RFC 7797) included: ZICHT_SIGNATURE_CRIT_UNKNOWN, cited as SIG-002 (Q155)', async () => {
    const forged = await forge(header({ crit: ['oin', 'x-zicht-later'], 'x-zicht-later': 1 }), sender.signer.key);
    await expectCode(verify(withSignatures(forged)), 'ZICHT_SIGNATURE_CRIT_UNKNOWN', bericht);
    const b64false = await forge(header({ crit: ['oin', 'b64'], b64: false }), sender.signer.key);
    await expectCode(verify(withSignatures(b64false)), 'ZICHT_SIGNATURE_CRIT_UNKNOWN');
    const unknownFirst = await forge(header({ crit: ['x', 'oin'], x: 1 }), sender.signer.key);
    await expectCode(verify(withSignatures(unknownFirst)), 'ZICHT_SIGNATURE_CRIT_UNKNOWN');
    expect(signatureRuleFor('ZICHT_SIGNATURE_CRIT_UNKNOWN')).toBe('SIG-002');
    expect(signatureRuleFor('ZICHT_SIGNATURE_MALFORMED')).toBe('SIG-001');
  });

  it.each([
    ['crit not an array', { crit: 'oin' }],
    ['crit empty', { crit: [] }],
    ['crit naming a registered header', { crit: ['oin', 'alg'] }],
    ['crit naming a member that is absent', { crit: ['oin', 'rcv'] }],
    ['crit with a duplicate', { crit: ['oin', 'oin'] }],
  ])('%s: ZICHT_SIGNATURE_MALFORMED', async (_name, changes) => {
    await expectCode(verify(withSignatures({ protected: b64(header(changes)), signature: 'AAAA' })), 'ZICHT_SIGNATURE_MALFORMED');
  });

  it.each([
    ['no crit (oin not critical)', { crit: undefined }],
    ['wrong typ', { typ: 'JWT' }],
    ['no typ', { typ: undefined }],
    ['no kid', { kid: undefined }],
    ['a kid that is no thumbprint', { kid: 'key-1' }],
    ['no iat', { iat: undefined }],
    ['iat as a string', { iat: '1772442000' }],
    ['no oin', { oin: undefined, crit: undefined }],
    ['an oin of 19 digits', { oin: '0000000100000000935' }],
  ])('%s: ZICHT_SIGNATURE_HEADER_INVALID', async (_name, changes) => {
    await expectCode(verify(withSignatures({ protected: b64(header(changes)), signature: 'AAAA' })), 'ZICHT_SIGNATURE_HEADER_INVALID');
  });

  it('a countersignature header without rcv: ZICHT_SIGNATURE_HEADER_INVALID', async () => {
    const signed = await signBericht(bericht, sender.signer);
    const h = { alg: 'EdDSA', typ: 'zicht-ontvangst+jws', kid: gateway.key.kid, iat: IAT, oin: GATEWAY_OIN, crit: ['oin'] };
    await expectCode(verify({ ...signed, signatures: [...signed.signatures, await forge(h, gateway.signer.key)] }), 'ZICHT_SIGNATURE_HEADER_INVALID');
  });
});

describe("key validity at the verifier's clock, never at iat (SIG-003)", () => {
  const at = (iso: string): number => Date.parse(iso) / 1000;
  const keysWith = (validity: { nbf?: number; exp?: number; revokedAt?: number }): KeyResolver => resolverOf([{ oin, key: { generated: sender.key, ...validity } }]);
  const signedAt = (iso: string): Promise<unknown> => signBericht(bericht, sender.signer, { iat: new Date(iso) });
  const verifyAt = async (validity: { nbf?: number; exp?: number; revokedAt?: number }, iat: string, now: string) =>
    verifyBericht(await signedAt(iat), { keys: keysWith(validity), now: new Date(now) });

  it.each([
    ['judged before nbf', { nbf: at('2026-03-02T10:00:00Z') }, '2026-03-02T09:00:00Z', 'ZICHT_KEY_NOT_YET_VALID'],
    ['judged before nbf, though iat claims after it', { nbf: at('2026-03-02T09:02:00Z') }, '2026-03-02T09:03:00Z', 'ZICHT_KEY_NOT_YET_VALID'],
    ['judged at exp', { exp: at('2026-03-02T09:00:00Z') }, '2026-03-02T09:00:00Z', 'ZICHT_KEY_EXPIRED'],
    ['judged after exp', { exp: at('2026-01-01T00:00:00Z') }, '2026-03-02T09:00:00Z', 'ZICHT_KEY_EXPIRED'],
    ['judged at revokedAt', { revokedAt: at('2026-03-02T09:00:00Z') }, '2026-03-02T09:00:00Z', 'ZICHT_KEY_REVOKED'],
    ['judged after revokedAt, though iat claims before it', { revokedAt: at('2026-03-02T08:59:30Z') }, '2026-03-02T08:59:00Z', 'ZICHT_KEY_REVOKED'],
  ] as const)('%s: %s', async (_name, validity, iat, code) => {
    await expectCode(verifyAt(validity, iat, '2026-03-02T09:00:00Z'), code, bericht);
  });

  it('valid inside the window: nbf <= now < exp, now < revokedAt', async () => {
    const validity = { nbf: at('2026-03-02T09:00:00Z'), exp: at('2026-03-02T09:00:01Z'), revokedAt: at('2026-03-02T09:00:01Z') };
    await expect(verifyAt(validity, '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z')).resolves.toMatchObject({ judgedAt: { by: 'verifier', at: IAT } });
  });
});

describe("the iat claim against the verifier's clock (SIG-007, SIG-008)", () => {
  const now = new Date(IAT * 1000);
  const signedAt = (seconds: number): Promise<unknown> => signBericht(bericht, sender.signer, { iat: new Date((IAT + seconds) * 1000) });

  it.each([
    ['5 minutes ahead: within the skew', 300, undefined],
    ['5 minutes and 1 second ahead', 301, 'ZICHT_SIGNATURE_IAT_FUTURE'],
    ['ten years ahead', 10 * 365 * 86_400, 'ZICHT_SIGNATURE_IAT_FUTURE'],
    ['7 days old: within the age', -7 * 86_400, undefined],
    ['7 days and 1 second old', -7 * 86_400 - 1, 'ZICHT_SIGNATURE_IAT_STALE'],
    ['ten years old', -10 * 365 * 86_400, 'ZICHT_SIGNATURE_IAT_STALE'],
  ] as const)('%s', async (_name, seconds, code) => {
    const verifying = verifyBericht(await signedAt(seconds), { keys, now });
    if (code === undefined) await expect(verifying).resolves.toBeDefined();
    else await expectCode(verifying, code, bericht);
  });

  it('the skew and the age are the verifier\'s to set', async () => {
    const clock = { skewSeconds: 10, maxAgeSeconds: 60 };
    await expectCode(verifyBericht(await signedAt(11), { keys, now, clock }), 'ZICHT_SIGNATURE_IAT_FUTURE');
    await expectCode(verifyBericht(await signedAt(-61), { keys, now, clock }), 'ZICHT_SIGNATURE_IAT_STALE');
    await expect(verifyBericht(await signedAt(10), { keys, now, clock })).resolves.toBeDefined();
  });

  it('a countersignature whose rcv lies ahead of the verifier\'s clock: ZICHT_SIGNATURE_IAT_FUTURE at its index', async () => {
    const signed = await signedAt(0);
    const ahead = new Date((IAT + 3600) * 1000);
    const countersigned = await countersignBericht(signed as Record<string, unknown>, gateway.signer, ahead, { iat: ahead });
    await expectCode(verifyBericht(countersigned, { keys, now }), 'ZICHT_SIGNATURE_IAT_FUTURE', bericht);
    await expect(verifyBericht(countersigned, { keys, now: ahead })).resolves.toMatchObject({ judgedAt: { by: 'countersignature', at: IAT + 3600 } });
  });
});

describe('a signature over a non-canonical form: ZICHT_SIGNATURE_NOT_CANONICAL', () => {
  it.each([
    ['JSON.stringify in document order', (v: unknown) => JSON.stringify(v)],
    ['indented JSON', (v: unknown) => JSON.stringify(v, null, 2)],
  ])('%s', async (_name, serialise) => {
    const forged = await forge(header(), sender.signer.key, new TextEncoder().encode(serialise(bericht)));
    await expectCode(verify(withSignatures(forged)), 'ZICHT_SIGNATURE_NOT_CANONICAL', bericht);
  });

  it('the same signature with its bericht changed is ZICHT_SIGNATURE_INVALID, not NOT_CANONICAL', async () => {
    const forged = await forge(header(), sender.signer.key, new TextEncoder().encode(JSON.stringify(bericht)));
    await expectCode(verify({ ...withSignatures(forged), verzondenOp: '2026-03-02T10:15:01+01:00' }), 'ZICHT_SIGNATURE_INVALID');
  });
});

describe('bad input: a clear code, never a crash', () => {
  it('no signatures: ZICHT_SIGNATURE_MISSING', async () => {
    await expectCode(verify(bericht), 'ZICHT_SIGNATURE_MISSING');
    await expectCode(verify(withSignatures()), 'ZICHT_SIGNATURE_MISSING');
  });

  it('a signatures array with 10,000 entries: ZICHT_SIGNATURE_TOO_MANY, at once', async () => {
    const signed = await signBericht(bericht, sender.signer);
    const many = withSignatures(...Array.from({ length: 10_000 }, () => signed.signatures[0]));
    const start = performance.now();
    await expectCode(verify(many), 'ZICHT_SIGNATURE_TOO_MANY');
    expect(performance.now() - start).toBeLessThan(100);
  });

  it.each([
    ['not an object', null],
    ['an array', [1, 2]],
    ['no verzender', { signatures: [] }],
  ])('a value that is no bericht (%s): ZICHT_SIGNATURE_BERICHT_INVALID', async (_name, value) => {
    await expectCode(verify(value), 'ZICHT_SIGNATURE_BERICHT_INVALID');
  });

  it('signatures that is not an array: ZICHT_SIGNATURE_BERICHT_INVALID', async () => {
    await expectCode(verify({ ...bericht, signatures: { protected: 'x', signature: 'y' } }), 'ZICHT_SIGNATURE_BERICHT_INVALID');
  });

  it.each([
    ['a string', 'eyJhbGciOiJFUzI1NiJ9..c2ln'],
    ['null', null],
    ['no signature member', { protected: 'eyJhbGciOiJFUzI1NiJ9' }],
    ['an extra payload member (attached payload)', { protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'AAAA', payload: 'AAAA' }],
    ['an unprotected header', { protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'AAAA', header: { kid: 'x' } }],
    ['a numeric protected', { protected: 42, signature: 'AAAA' }],
    ['protected not base64url', { protected: 'eyJ+/=', signature: 'AAAA' }],
    ['protected of impossible length', { protected: 'eyJhb', signature: 'AAAA' }],
    ['protected not JSON', { protected: b64('{"alg":'), signature: 'AAAA' }],
    ['protected not UTF-8', { protected: Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url'), signature: 'AAAA' }],
    ['protected a JSON array', { protected: b64(['alg']), signature: 'AAAA' }],
    ['protected without alg', { protected: b64({ typ: 'zicht-bericht+jws' }), signature: 'AAAA' }],
    ['signature not base64url', { protected: b64({ alg: 'ES256' }), signature: 'AA+A' }],
    ['signature over 1024 characters', { protected: b64({ alg: 'ES256' }), signature: 'A'.repeat(1025) }],
  ])('a malformed JWS (%s): ZICHT_SIGNATURE_MALFORMED', async (_name, entry) => {
    await expectCode(verify(withSignatures(entry)), 'ZICHT_SIGNATURE_MALFORMED');
  });

  it.each([
    ['4,097 characters', 'A'.repeat(4097)],
    ['1 MB', b64({ alg: 'ES256', pad: 'x'.repeat(1_000_000) })],
  ])('an oversized protected header (%s): ZICHT_SIGNATURE_HEADER_TOO_LARGE', async (_name, encoded) => {
    await expectCode(verify(withSignatures({ protected: encoded, signature: 'AAAA' })), 'ZICHT_SIGNATURE_HEADER_TOO_LARGE');
  });

  it('an ES256 signature of the wrong length or all zeros: ZICHT_SIGNATURE_INVALID', async () => {
    const signed = await signBericht(bericht, sender.signer);
    const { protected: p } = signed.signatures[0]!;
    await expectCode(verify(withSignatures({ protected: p, signature: 'AAAA' })), 'ZICHT_SIGNATURE_INVALID');
    await expectCode(verify(withSignatures({ protected: p, signature: 'A'.repeat(86) })), 'ZICHT_SIGNATURE_INVALID');
  });

  it('a bericht without a canonical form: ZICHT_CANONICAL_INVALID', async () => {
    const signed = await signBericht(bericht, sender.signer);
    await expectCode(verify({ ...signed, inhoud: '\uD800' }), 'ZICHT_CANONICAL_INVALID');
  });
});

describe('keys of the wrong type: ZICHT_KEY_INVALID', () => {
  it('a JWKS with a symmetric key', async () => {
    await expectCode(Promise.resolve().then(() => jwksKeyResolver({ keys: [{ kty: 'oct', k: 'AAAA' }] })), 'ZICHT_KEY_INVALID');
  });

  it('a JWKS that carries a private key', async () => {
    await expectCode(Promise.resolve().then(() => jwksKeyResolver({ keys: [sender.key.privateJwk] })), 'ZICHT_KEY_INVALID');
  });

  it('a JWKS whose kid is not the thumbprint', async () => {
    await expectCode(Promise.resolve().then(() => jwksKeyResolver({ keys: [{ ...sender.key.publicJwk, kid: 'mine' }] })), 'ZICHT_KEY_INVALID');
  });

  it.each([
    ['not an object', 'key'],
    ['a JWKS missing keys', {}],
  ])('a JWKS that is %s', async (_name, value) => {
    await expectCode(Promise.resolve().then(() => jwksKeyResolver(value)), 'ZICHT_KEY_INVALID');
  });

  it('a resolver that hands out a private or symmetric key: refused at verification', async () => {
    const signed = await signBericht(bericht, sender.signer);
    const leaky: KeyResolver = { resolve: (_oin, kid) => ({ kid, jwk: sender.key.privateJwk as never }) };
    await expectCode(verifyBericht(signed, { keys: leaky }), 'ZICHT_KEY_INVALID');
    const symmetric: KeyResolver = { resolve: (_oin, kid) => ({ kid, jwk: { kty: 'oct', k: 'AAAA' } as never }) };
    await expectCode(verifyBericht(signed, { keys: symmetric }), 'ZICHT_KEY_INVALID');
  });

  it('an EC point that is not on the curve', async () => {
    const signed = await signBericht(bericht, sender.signer);
    // Change y's first character (always to a different one): the point then lies off the curve. (Setting the
    // last two characters to "AA" left the key unchanged when they already were, about once in 1,000 runs.)
    const y = sender.key.publicJwk.kty === 'EC' ? sender.key.publicJwk.y : '';
    const jwk = { ...sender.key.publicJwk, y: `${y.startsWith('A') ? 'B' : 'A'}${y.slice(1)}` };
    expect(jwk.y).not.toBe(y);
    const broken: KeyResolver = { resolve: (_oin, kid) => ({ kid, jwk: jwk as never }) };
    await expectCode(verifyBericht(signed, { keys: broken }), 'ZICHT_KEY_INVALID');
  });

  it('signing with a public key, an oct key, or an RSA key under 2048 bits', async () => {
    await expectCode(createSigner({ privateJwk: sender.key.publicJwk, oin }), 'ZICHT_KEY_INVALID');
    await expectCode(createSigner({ privateJwk: { kty: 'oct', k: 'AAAA' }, oin }), 'ZICHT_KEY_INVALID');
    // jose will not make a key this small, node:crypto will.
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' });
    await expectCode(createSigner({ privateJwk: small, oin }), 'ZICHT_KEY_INVALID');
    await expectCode(createSigner({ privateJwk: sender.key.privateJwk, oin, alg: 'PS256' }), 'ZICHT_KEY_INVALID');
    await expectCode(createSigner({ privateJwk: sender.key.privateJwk, oin: 'not-an-oin' }), 'ZICHT_KEY_INVALID');
  });
});

describe('fuzz: random damage to a signed bericht is always a ZichtError', () => {
  it('1,000 seeded mutations of the protected header and signature', async () => {
    const signed = await signBericht(bericht, sender.signer);
    const sig = signed.signatures[0]!;
    let seed = 0x5eed;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/= {}"';
    const damage = (s: string): string => {
      const chars = s.split(''); // base64url and JSON punctuation: ASCII only
      for (let k = 1 + random(3); k > 0; k--) {
        const op = random(3);
        const at = random(chars.length + 1);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, alphabet[random(alphabet.length)]!);
        else chars[at] = alphabet[random(alphabet.length)]!;
      }
      return chars.join('');
    };
    for (let i = 0; i < 1000; i++) {
      const entry = i % 2 === 0 ? { protected: damage(sig.protected), signature: sig.signature } : { protected: sig.protected, signature: damage(sig.signature) };
      if (entry.protected === sig.protected && entry.signature === sig.signature) continue;
      const outcome = await verify(withSignatures(entry)).then(
        () => 'accepted',
        (error: unknown) => error,
      );
      // ES256 signatures are malleable only by the signer; any damage must be refused.
      expect(outcome).toBeInstanceOf(ZichtError);
    }
  });
});
