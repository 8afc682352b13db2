/**
 * The attack matrix of issue 16 (parts 1 and 2), through the library, the CLI and the gateway, on SQLite and
 * PostgreSQL. Each attack is made as an attacker would (node:crypto and jose, test/trust/forge.ts) and is
 * refused with its stated rule and code at every door. Each also runs against a deliberately weakened check
 * (a mutant) that lets it through, so the refusal is shown to come from the check under test:
 *
 * - time attacks: every door judging at the signer's own `iat` (the gateway's injected clock set to it,
 *   `verifyBericht(…, { now: iat })`, `zicht verify --at iat`), as the code did before issue 16;
 * - duplicate members: the strict reader replaced by a lax one (JSON.parse, last one wins) in a fresh module
 *   graph (vi.doMock), as every door read JSON before issue 16.
 */
import { randomUUID, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { memoryReplayGuard } from '../../src/http/auth.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, type DemoNetwork } from '../../src/demo/network.js';
import { AuthError } from '../../src/errors.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { createBearerToken, verifyBearerToken } from '../../src/signing/bearer-token.js';
import { signBericht } from '../../src/signing/sign.js';
import type { Store } from '../../src/store/store.js';
import { BACKENDS, useStore } from '../store/backends.js';
import { throughCli, throughGateway, throughLibrary, type Gateway, type Judged } from './entry-points.js';
import { es256, payloadOf, registerKey, senderHeader, withRawMember } from './forge.js';

const T = new Date(Math.floor(Date.now() / 1000) * 1000);
const NOW = Math.floor(T.getTime() / 1000);
const DAY = 86_400;
const at = (seconds: number): Date => new Date(seconds * 1000);
const network: DemoNetwork = await createDemoNetwork();
const VT = network.signers.vtZuidLimburg;
const handover = () => exampleBericht('overdracht-na-dienst-onderzoek', T) as unknown as Record<string, unknown>;

function gatewayApp(store: Store, now: Date): Gateway {
  return createApp({ store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 100, burst: 1000 }), now: () => now });
}

/** A time attack: the text, the signer's claimed iat, and what every door must say. */
interface TimeAttack {
  readonly name: string;
  readonly rule: string;
  readonly code: string;
  readonly text: string;
  readonly iat: number;
}

/** A text a lax reader reads differently from the signed one, with the rule and code every door must give. */
interface DuplicateAttack {
  readonly name: string;
  readonly rule: string;
  readonly code: string;
  readonly text: string;
}

let timeAttacks: TimeAttack[] = [];
let duplicateAttacks: DuplicateAttack[] = [];
let tokenAttack = '';

beforeAll(async () => {
  const stolen = await registerKey(network, VT.oin, { revokedAt: at(NOW - 3600).toISOString() });
  const early = await registerKey(network, VT.oin, { nbf: at(NOW + DAY).toISOString() });
  // The attacker writes verzondenOp to match the iat it claims, as a backdating sender would.
  const sentAt = (iat: number) => exampleBericht('overdracht-na-dienst-onderzoek', at(iat)) as unknown as Record<string, unknown>;
  const forged = (key: { kid: string; key: KeyObject }, iat: number) => {
    const bericht = sentAt(iat);
    return JSON.stringify({ ...bericht, signatures: [es256(senderHeader(key.kid, VT.oin, iat), payloadOf(bericht), key.key)] });
  };
  timeAttacks = [
    { name: 'a revoked key with a backdated iat', rule: 'SIG-003', code: 'ZICHT_KEY_REVOKED', iat: NOW - 7200, text: forged(stolen, NOW - 7200) },
    { name: 'a not-yet-valid key with a forward-dated iat', rule: 'SIG-003', code: 'ZICHT_KEY_NOT_YET_VALID', iat: NOW + DAY + 60, text: forged(early, NOW + DAY + 60) },
    { name: 'an iat ten years in the future', rule: 'SIG-007', code: 'ZICHT_SIGNATURE_IAT_FUTURE', iat: NOW + 3650 * DAY, text: JSON.stringify(await signBericht(sentAt(NOW + 3650 * DAY), VT, { iat: at(NOW + 3650 * DAY) })) },
    // Three months rather than ten years back: the example's own dates (the service ended in June 2026) must precede verzondenOp.
    { name: 'an iat three months in the past', rule: 'SIG-008', code: 'ZICHT_SIGNATURE_IAT_STALE', iat: NOW - 90 * DAY, text: JSON.stringify(await signBericht(sentAt(NOW - 90 * DAY), VT, { iat: at(NOW - 90 * DAY) })) },
  ];
  const signed = await signBericht(handover(), VT, { iat: T });
  duplicateAttacks = [
    { name: 'berichtId named twice at the top level', rule: 'BER-017', code: 'ZICHT_JSON_DUPLICATE_MEMBER', text: withRawMember(signed, [], '"berichtId":"6f1d0c1e-0000-4000-8000-000000000000",') },
    { name: 'verzender.oin named twice, nested and escaped', rule: 'BER-017', code: 'ZICHT_JSON_DUPLICATE_MEMBER', text: withRawMember(signed, ['verzender'], '"\\u006fin":"00000001000000009170",') },
    { name: 'alg named twice in the JWS protected header', rule: 'SIG-006', code: 'ZICHT_SIGNATURE_HEADER_DUPLICATE_MEMBER', text: JSON.stringify({ ...signed, signatures: [es256(senderHeader(VT.kid, VT.oin, NOW, { before: '"alg":"none",' }), payloadOf(signed), VT.key)] }) },
  ];
  // A bearer token whose claims name aud twice: another gateway first (what a first-wins reader takes), this one last.
  const header = Buffer.from(`{"alg":"ES256","kid":"${VT.kid}","typ":"JWT"}`).toString('base64url');
  const claims = Buffer.from(`{"iss":"${VT.oin}","aud":"00000009000000000099","aud":"${DEMO_OIN.gateway}","iat":${NOW},"exp":${NOW + 60},"jti":"${randomUUID()}"}`).toString('base64url');
  tokenAttack = `${header}.${claims}.${sign('sha256', Buffer.from(`${header}.${claims}`), { key: VT.key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
});

/** The doors with the strict reader replaced by a lax one (JSON.parse: the last of two equal names wins), in a fresh module graph. */
async function laxDoors(): Promise<{ entry: typeof import('./entry-points.js'); createApp: typeof createApp; verifyBearerToken: typeof verifyBearerToken }> {
  vi.resetModules();
  vi.doMock('../../src/json/strict-json.js', () => ({ parseStrictJson: (text: string): unknown => JSON.parse(text) }));
  try {
    return {
      entry: await import('./entry-points.js'),
      createApp: (await import('../../src/http/app.js')).createApp,
      verifyBearerToken: (await import('../../src/signing/bearer-token.js')).verifyBearerToken,
    };
  } finally {
    vi.doUnmock('../../src/json/strict-json.js');
    vi.resetModules();
  }
}

afterAll(() => {
  vi.doUnmock('../../src/json/strict-json.js');
});

describe.each(BACKENDS)('attack matrix on $name', ({ harness }) => {
  const ctx = useStore(harness);

  describe('time: the verifier\'s clock judges keys, the signer\'s iat is a claim', () => {
    it.each(['a revoked key with a backdated iat', 'a not-yet-valid key with a forward-dated iat', 'an iat ten years in the future', 'an iat three months in the past'])('%s: refused at every door; judged at iat (the mutant) it gets through', async (name) => {
      const attack = timeAttacks.find((a) => a.name === name);
      if (attack === undefined) throw new Error('no such attack');
      const expected: Judged = { rule: attack.rule, code: attack.code };
      expect(await throughLibrary(attack.text, network, T), `${attack.name}: library`).toEqual(expected);
      expect(await throughCli(attack.text, network, T), `${attack.name}: CLI`).toEqual(expected);
      expect(await throughGateway(gatewayApp(ctx.store, T), network, 'vtZuidLimburg', attack.text, T), `${attack.name}: gateway`).toEqual(expected);
      expect(await ctx.store.getBericht((JSON.parse(attack.text) as { berichtId: string }).berichtId)).toBeUndefined();

      // The mutant: every door judging at the signer's iat.
      const claimed = at(attack.iat);
      expect(await throughLibrary(attack.text, network, claimed), `${attack.name}: library at iat`).toBe('accepted');
      expect(await throughCli(attack.text, network, claimed), `${attack.name}: CLI at iat`).toBe('accepted');
      expect(await throughGateway(gatewayApp(ctx.store, claimed), network, 'vtZuidLimburg', attack.text, claimed), `${attack.name}: gateway at iat`).toBe('accepted');
    });

    it('a retry of an accepted bericht after its key was revoked gets its original receipt (BER-015), a new bericht does not', async () => {
      const key = await registerKey(network, VT.oin, {});
      const bericht = handover();
      const text = JSON.stringify({ ...bericht, signatures: [es256(senderHeader(key.kid, VT.oin, NOW), payloadOf(bericht), key.key)] });
      const app = gatewayApp(ctx.store, T);
      const post = async (gateway: Gateway, now: Date) => gateway.request('/v1/berichten', { method: 'POST', body: text, headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(VT, DEMO_OIN.gateway, { now })}` } });
      const first = await post(app, T);
      expect(first.status).toBe(202);
      await network.registry.revokeKey(VT.oin, key.kid, at(NOW + 1));
      const later = gatewayApp(ctx.store, at(NOW + 60));
      const again = await post(later, at(NOW + 60));
      expect(again.status).toBe(202);
      expect(await again.json()).toEqual(await first.json());
      const other = handover();
      const fresh = JSON.stringify({ ...other, signatures: [es256(senderHeader(key.kid, VT.oin, NOW), payloadOf(other), key.key)] });
      expect(await throughGateway(later, network, 'vtZuidLimburg', fresh, at(NOW + 60))).toEqual({ rule: 'SIG-003', code: 'ZICHT_KEY_REVOKED' });
    });
  });

  describe('duplicate members: one strict reader at every door', () => {
    it.each(['berichtId named twice at the top level', 'verzender.oin named twice, nested and escaped', 'alg named twice in the JWS protected header'])('%s: refused at every door; with a lax reader (the mutant) it gets through', async (name) => {
      const attack = duplicateAttacks.find((a) => a.name === name);
      if (attack === undefined) throw new Error('no such attack');
      const expected: Judged = { rule: attack.rule, code: attack.code };
      expect(await throughLibrary(attack.text, network, T), `${attack.name}: library`).toEqual(expected);
      expect(await throughCli(attack.text, network, T), `${attack.name}: CLI`).toEqual(expected);
      expect(await throughGateway(gatewayApp(ctx.store, T), network, 'vtZuidLimburg', attack.text, T), `${attack.name}: gateway`).toEqual(expected);

      const lax = await laxDoors();
      const laxGateway = lax.createApp({ store: ctx.store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 100, burst: 1000 }), now: () => T });
      expect(await lax.entry.throughLibrary(attack.text, network, T), `${attack.name}: lax library`).toBe('accepted');
      expect(await lax.entry.throughCli(attack.text, network, T), `${attack.name}: lax CLI`).toBe('accepted');
      expect(await lax.entry.throughGateway(laxGateway, network, 'vtZuidLimburg', attack.text, T), `${attack.name}: lax gateway`).toBe('accepted');
    });

    it('a bearer token naming aud twice: 401 at the gateway, ZICHT_AUTH_TOKEN_INVALID in the library; a lax reader lets it in', async () => {
      const text = JSON.stringify(await signBericht(handover(), VT, { iat: T }));
      const post = (app: Gateway) => app.request('/v1/berichten', { method: 'POST', body: text, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenAttack}` } });
      const refused = await post(gatewayApp(ctx.store, T));
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ detail: 'Not authenticated (ZICHT_AUTH_TOKEN_INVALID).' });
      await expect(verifyBearerToken(tokenAttack, { audience: DEMO_OIN.gateway, keys: registryKeyResolver(network.registry), now: T })).rejects.toBeInstanceOf(AuthError);

      const lax = await laxDoors();
      await expect(lax.verifyBearerToken(tokenAttack, { audience: DEMO_OIN.gateway, keys: registryKeyResolver(network.registry), now: T })).resolves.toMatchObject({ iss: VT.oin });
      const laxGateway = lax.createApp({ store: ctx.store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 100, burst: 1000 }), now: () => T });
      expect((await post(laxGateway)).status).toBe(202);
    });
  });
});
