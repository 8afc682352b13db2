/**
 * Bearer tokens on node:crypto: byte-compatible with jose in both directions, and every check of
 * src/signing/bearer-token.ts refuses the token that breaks it (and only that check differs from a
 * token that passes).
 */
import { createPublicKey, sign } from 'node:crypto';
import { importJWK, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors.js';
import type { SigningAlgorithm } from '../../src/signing/algorithms.js';
import { CLOCK_SKEW_SECONDS, createBearerToken, MAX_TOKEN_SECONDS, verifyBearerToken } from '../../src/signing/bearer-token.js';
import { party, resolverOf } from './helpers.js';

const CALLER = '00000001003214345000';
const AUDIENCE = '00000001999999999000';
const NOW = new Date('2026-03-02T10:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);

async function setup(alg: SigningAlgorithm = 'ES256', validity: { nbf?: number; exp?: number; revokedAt?: number } = {}) {
  const { key, signer } = await party(CALLER, alg);
  return { key, signer, keys: resolverOf([{ oin: CALLER, key: { generated: key, ...validity } }]) };
}

/** A token made by jose with the given header and claims, signed with the caller's key. */
async function joseToken(alg: SigningAlgorithm, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const { key } = await party(CALLER, alg);
  return new SignJWT(claims).setProtectedHeader({ alg, kid: key.kid, typ: 'JWT', ...header }).sign(await importJWK(key.privateJwk, alg));
}

const valid = (): JWTPayload => ({ iss: CALLER, aud: AUDIENCE, iat: T - 10, exp: T + 50, jti: 'a1' });

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof AuthError ? error.code : `not an AuthError: ${String(error)}`;
  }
}

describe('bearer tokens and jose', () => {
  for (const alg of ['ES256', 'PS256', 'EdDSA'] as const) {
    it(`${alg}: a token made here verifies with jose, and one made by jose verifies here`, async () => {
      const { key, signer, keys } = await setup(alg);
      const ours = await createBearerToken(signer, AUDIENCE, { now: NOW, seconds: 120 });
      const { payload, protectedHeader } = await jwtVerify(ours, createPublicKey({ key: { ...key.publicJwk }, format: 'jwk' }), { audience: AUDIENCE, currentDate: NOW, algorithms: [alg] });
      expect(protectedHeader).toEqual({ alg, kid: key.kid, typ: 'JWT' });
      expect(payload).toMatchObject({ iss: CALLER, aud: AUDIENCE, iat: T, exp: T + 120 });
      expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);

      const theirs = await joseToken(alg, valid());
      await expect(verifyBearerToken(theirs, { audience: AUDIENCE, keys, now: NOW })).resolves.toEqual({ iss: CALLER, jti: 'a1', iat: T - 10, exp: T + 50, rememberUntil: T + 50 + CLOCK_SKEW_SECONDS });
    });
  }

  it('caps the lifetime at MAX_TOKEN_SECONDS', async () => {
    const { signer, keys } = await setup();
    const token = await createBearerToken(signer, AUDIENCE, { now: NOW, seconds: 3600 });
    const claims = await verifyBearerToken(token, { audience: AUDIENCE, keys, now: NOW });
    expect(claims.exp - claims.iat).toBe(MAX_TOKEN_SECONDS);
  });
});

describe('verifyBearerToken refuses', () => {
  const cases: readonly [string, JWTPayload, Record<string, unknown>?][] = [
    ['another audience', { ...valid(), aud: '00000001000000000001' }],
    ['no audience', { ...valid(), aud: undefined }],
    ['a token expired the clock skew ago (exp = now - skew)', { ...valid(), iat: T - CLOCK_SKEW_SECONDS - 60, exp: T - CLOCK_SKEW_SECONDS }],
    ['a lifetime over 5 minutes', { ...valid(), iat: T - 10, exp: T - 10 + MAX_TOKEN_SECONDS + 1 }],
    ['an iat beyond the clock skew', { ...valid(), iat: T + CLOCK_SKEW_SECONDS + 1, exp: T + CLOCK_SKEW_SECONDS + 60 }],
    ['an nbf beyond the clock skew', { ...valid(), nbf: T + CLOCK_SKEW_SECONDS + 1 }],
    ['no jti', { ...valid(), jti: undefined }],
    ['an empty jti', { ...valid(), jti: '' }],
    ['no iat', { ...valid(), iat: undefined }],
    ['a string exp', { ...valid(), exp: String(T + 50) as unknown as number }],
    ['an issuer whose key this is not', { ...valid(), iss: '00000001000000000002' }],
    ['an unknown kid', valid(), { kid: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
  ];
  for (const [name, claims, header] of cases) {
    it(name, async () => {
      const { keys } = await setup();
      const clean = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
      expect(await refusal(verifyBearerToken(await joseToken('ES256', clean, header), { audience: AUDIENCE, keys, now: NOW }))).toBe('ZICHT_AUTH_TOKEN_INVALID');
    });
  }

  it('a critical header parameter, even one that berichten understand', async () => {
    const { keys, signer } = await setup();
    const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'ES256', kid: signer.kid, crit: ['oin'], oin: CALLER })}.${encode(valid())}`;
    const token = `${input}.${sign('sha256', Buffer.from(input), { key: signer.key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    expect(await refusal(verifyBearerToken(token, { audience: AUDIENCE, keys, now: NOW }))).toBe('ZICHT_AUTH_TOKEN_INVALID');
    const plain = `${encode({ alg: 'ES256', kid: signer.kid })}.${encode(valid())}`;
    const control = `${plain}.${sign('sha256', Buffer.from(plain), { key: signer.key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    await expect(verifyBearerToken(control, { audience: AUDIENCE, keys, now: NOW })).resolves.toMatchObject({ jti: 'a1' });
  });

  it('accepts an iat and nbf within the clock skew (the boundary of the two cases above)', async () => {
    const { keys } = await setup();
    const token = await joseToken('ES256', { ...valid(), iat: T + CLOCK_SKEW_SECONDS, nbf: T + CLOCK_SKEW_SECONDS, exp: T + CLOCK_SKEW_SECONDS + 60 });
    await expect(verifyBearerToken(token, { audience: AUDIENCE, keys, now: NOW })).resolves.toMatchObject({ jti: 'a1' });
  });

  it('accepts a token whose exp passed less than the clock skew ago (a verifier up to 5 minutes ahead of the issuer, Q188), and remembers its jti until exp plus the skew', async () => {
    const { keys } = await setup();
    expect(CLOCK_SKEW_SECONDS).toBe(300);
    const token = await joseToken('ES256', { ...valid(), iat: T - CLOCK_SKEW_SECONDS + 1 - 60, exp: T - CLOCK_SKEW_SECONDS + 1 });
    await expect(verifyBearerToken(token, { audience: AUDIENCE, keys, now: NOW })).resolves.toMatchObject({ exp: T - CLOCK_SKEW_SECONDS + 1, rememberUntil: T + 1 });
  });

  it('accepts an audience array that contains the gateway', async () => {
    const { keys } = await setup();
    const token = await joseToken('ES256', { ...valid(), aud: ['00000001000000000001', AUDIENCE] });
    await expect(verifyBearerToken(token, { audience: AUDIENCE, keys, now: NOW })).resolves.toMatchObject({ iss: CALLER });
  });

  it('a key not yet valid, expired or revoked', async () => {
    const token = await joseToken('ES256', valid());
    for (const validity of [{ nbf: T + 1 }, { exp: T }, { revokedAt: T - 1 }]) {
      const { keys } = await setup('ES256', validity);
      expect(await refusal(verifyBearerToken(token, { audience: AUDIENCE, keys, now: NOW })), JSON.stringify(validity)).toBe('ZICHT_AUTH_TOKEN_INVALID');
    }
  });

  it('a changed payload, a signature of another key, alg none and HS256', async () => {
    const { keys } = await setup();
    const token = await joseToken('ES256', valid());
    const [h, p, s] = token.split('.') as [string, string, string];
    const otherPayload = Buffer.from(JSON.stringify({ ...valid(), jti: 'a2' })).toString('base64url');
    const { signer: other } = await party(CALLER, 'ES256', 'another key');
    const foreign = await createBearerToken(other, AUDIENCE, { now: NOW });
    const header = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forged = [
      `${h}.${otherPayload}.${s}`,
      `${h}.${foreign.split('.')[1] ?? ''}.${foreign.split('.')[2] ?? ''}`,
      `${header({ alg: 'none', kid: (JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string }).kid })}.${p}.`,
      `${header({ alg: 'HS256', kid: 'x' })}.${p}.${s}`,
      `${h}.${p}`,
      `${h}.${p}.${s}.${s}`,
      `${'A'.repeat(9000)}.${p}.${s}`,
    ];
    for (const [i, candidate] of forged.entries()) {
      expect(await refusal(verifyBearerToken(candidate, { audience: AUDIENCE, keys, now: NOW })), `forgery ${i}`).toBe('ZICHT_AUTH_TOKEN_INVALID');
    }
  });
});
