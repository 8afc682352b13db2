/**
 * One defect, one code (issue 16 part 5): each way a sender's signature or a bericht's JSON can be wrong
 * gives the same rule id and reason code in the library, the CLI (`zicht verify`), the gateway
 * (POST /v1/berichten) and the conformance suite (whose tampering builds the suite's own defects and
 * names the rule it expects). One matrix, run through all four.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SIGNATURE_DEFECTS, signWithDefect, type SignatureDefect } from '../../conformance/tamper.js';
import { createApp } from '../../src/http/app.js';
import { memoryReplayGuard } from '../../src/http/auth.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, type DemoNetwork } from '../../src/demo/network.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { signBericht } from '../../src/signing/sign.js';
import { BACKENDS, useStore } from '../store/backends.js';
import { throughCli, throughGateway, throughLibrary, type Judged } from './entry-points.js';
import { es256, payloadOf, registerKey, senderHeader, withRawMember } from './forge.js';

const T = new Date(Math.floor(Date.now() / 1000) * 1000);
const NOW = Math.floor(T.getTime() / 1000);
const network: DemoNetwork = await createDemoNetwork();
const VT = network.signers.vtZuidLimburg;
const handover = () => exampleBericht('overdracht-na-dienst-onderzoek', T) as unknown as Record<string, unknown> & { verzender: { oin: string } };
const suite = { signer: (oin: string) => Promise.resolve(Object.values(network.signers).find((s) => s.oin === oin) ?? network.gateway), gateway: network.gateway };

/** Each defect, as a text a sender submits, with the one rule and code every door must give. */
const DEFECTS: readonly { name: string; rule: string; code: string; make: () => Promise<string>; suite?: SignatureDefect }[] = [
  { name: 'HS256 in the header (the suite\'s alg-hs256)', rule: 'SIG-002', code: 'ZICHT_SIGNATURE_ALG_NOT_ALLOWED', suite: 'alg-hs256', make: async () => JSON.stringify(await signWithDefect(handover(), suite, 'alg-hs256', DEMO_OIN.heerlen, false)) },
  { name: 'a key registered for nobody (the suite\'s unknown-key)', rule: 'SIG-003', code: 'ZICHT_KEY_UNKNOWN', suite: 'unknown-key', make: async () => JSON.stringify(await signWithDefect(handover(), suite, 'unknown-key', DEMO_OIN.heerlen, false)) },
  { name: 'signed by another participant (the suite\'s other-signer)', rule: 'SIG-004', code: 'ZICHT_SIGNATURE_OIN_MISMATCH', suite: 'other-signer', make: async () => JSON.stringify(await signWithDefect(handover(), suite, 'other-signer', DEMO_OIN.heerlen, false)) },
  { name: 'content changed after signing (the suite\'s content-changed)', rule: 'SIG-005', code: 'ZICHT_SIGNATURE_INVALID', suite: 'content-changed', make: async () => JSON.stringify(await signWithDefect(handover(), suite, 'content-changed', DEMO_OIN.heerlen, false)) },
  {
    name: 'signed over JSON.stringify instead of the canonical form',
    rule: 'SIG-005',
    code: 'ZICHT_SIGNATURE_NOT_CANONICAL',
    make: () => {
      const bericht = handover();
      return Promise.resolve(JSON.stringify({ ...bericht, signatures: [es256(senderHeader(VT.kid, VT.oin, NOW), Buffer.from(JSON.stringify(bericht)), VT.key)] }));
    },
  },
  {
    name: 'alg none',
    rule: 'SIG-002',
    code: 'ZICHT_SIGNATURE_ALG_NONE',
    make: () => {
      const header = Buffer.from(`{"alg":"none","typ":"zicht-bericht+jws","kid":"${VT.kid}","iat":${NOW},"oin":"${VT.oin}","crit":["oin"]}`).toString('base64url');
      return Promise.resolve(JSON.stringify({ ...handover(), signatures: [{ protected: header, signature: '' }] }));
    },
  },
  { name: 'alg named twice in the protected header', rule: 'SIG-006', code: 'ZICHT_SIGNATURE_HEADER_DUPLICATE_MEMBER', make: () => {
      const bericht = handover();
      return Promise.resolve(JSON.stringify({ ...bericht, signatures: [es256(senderHeader(VT.kid, VT.oin, NOW, { before: '"alg":"none",' }), payloadOf(bericht), VT.key)] }));
    },
  },
  { name: 'iat ten years ahead', rule: 'SIG-007', code: 'ZICHT_SIGNATURE_IAT_FUTURE', make: async () => JSON.stringify(await signBericht(handover(), VT, { iat: new Date((NOW + 10 * 365 * 86_400) * 1000) })) },
  { name: 'iat ten years back', rule: 'SIG-008', code: 'ZICHT_SIGNATURE_IAT_STALE', make: async () => JSON.stringify(await signBericht(handover(), VT, { iat: new Date((NOW - 10 * 365 * 86_400) * 1000) })) },
  {
    name: 'a key revoked an hour ago, iat backdated before it',
    rule: 'SIG-003',
    code: 'ZICHT_KEY_REVOKED',
    make: async () => {
      const stolen = await registerKey(network, VT.oin, { revokedAt: new Date((NOW - 3600) * 1000).toISOString() });
      const bericht = handover();
      return JSON.stringify({ ...bericht, signatures: [es256(senderHeader(stolen.kid, VT.oin, NOW - 7200), payloadOf(bericht), stolen.key)] });
    },
  },
  {
    name: 'a key valid from next year, iat forward-dated into it',
    rule: 'SIG-003',
    code: 'ZICHT_KEY_NOT_YET_VALID',
    make: async () => {
      const early = await registerKey(network, VT.oin, { nbf: new Date((NOW + 365 * 86_400) * 1000).toISOString() });
      const bericht = handover();
      return JSON.stringify({ ...bericht, signatures: [es256(senderHeader(early.kid, VT.oin, NOW + 365 * 86_400 + 1), payloadOf(bericht), early.key)] });
    },
  },
  {
    name: 'berichtId named twice at the top level',
    rule: 'BER-017',
    code: 'ZICHT_JSON_DUPLICATE_MEMBER',
    make: async () => withRawMember(await signBericht(handover(), VT), [], '"berichtId":"6f1d0c1e-0000-4000-8000-000000000000",'),
  },
];

describe.each(BACKENDS.filter((b) => b.name === 'sqlite'))('one defect, one code, through library, CLI, gateway and the conformance suite ($name)', ({ harness }) => {
  const ctx = useStore(harness);
  const texts = new Map<string, string>();

  beforeAll(async () => {
    for (const defect of DEFECTS) texts.set(defect.name, await defect.make());
  });

  it.each(DEFECTS.map((d) => [d.name, d] as const))('%s', async (_name, defect) => {
    const text = texts.get(defect.name) ?? '';
    const expected: Judged = { rule: defect.rule, code: defect.code };
    const app = createApp({ store: ctx.store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 100, burst: 1000 }), now: () => T });
    expect(await throughLibrary(text, network, T), 'library').toEqual(expected);
    expect(await throughCli(text, network, T), 'CLI').toEqual(expected);
    expect(await throughGateway(app, network, 'vtZuidLimburg', text, T), 'gateway').toEqual(expected);
    if (defect.suite !== undefined) expect(SIGNATURE_DEFECTS[defect.suite], 'conformance suite').toBe(defect.rule);
  });

  it('a correctly signed bericht passes all three doors (the matrix can tell)', async () => {
    const text = JSON.stringify(await signBericht(handover(), VT, { iat: T }));
    const app = createApp({ store: ctx.store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 100, burst: 1000 }), now: () => T });
    expect(await throughLibrary(text, network, T)).toBe('accepted');
    expect(await throughCli(text, network, T)).toBe('accepted');
    expect(await throughGateway(app, network, 'vtZuidLimburg', text, T)).toBe('accepted');
  });
});
