/**
 * The happy path on every valid spec example (spec/v1/examples/valid/) with every allowed algorithm:
 * the sender signs, the gateway countersigns, both verify; the header says what issue 4 asks.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SIGNING_ALGORITHMS } from '../../src/signing/algorithms.js';
import { canonicalBericht } from '../../src/signing/canonical.js';
import { countersignBericht } from '../../src/signing/countersign.js';
import { decodeProtectedHeader } from '../../src/signing/header.js';
import { signBericht } from '../../src/signing/sign.js';
import { verifyBericht } from '../../src/signing/verify.js';
import { verifyCountersignature } from '../../src/signing/verify-countersignature.js';
import { Bericht } from '../../src/model/bericht.js';
import { examples, expectCode, GATEWAY_OIN, party, resolverOf, senderOf } from './helpers.js';

// The verifier's clock: just after the signing time of these tests (keys are judged at it, SIG-003; iat within SIG-007/008 of it).
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-02T09:00:05Z') });
});
afterAll(() => {
  vi.useRealTimers();
});

describe.each(SIGNING_ALGORITHMS)('%s', (alg) => {
  it.each(examples.map(([name]) => name))('%s: signs, countersigns and verifies', async (name) => {
    const bericht = structuredClone(examples.find(([f]) => f === name)![1]);
    const sender = await party(senderOf(bericht), alg, 'sender');
    const gateway = await party(GATEWAY_OIN, alg, 'gateway');
    const keys = resolverOf([
      { oin: senderOf(bericht), key: { generated: sender.key, rol: 'vt' } },
      { oin: GATEWAY_OIN, key: { generated: gateway.key, rol: 'gateway' } },
    ]);

    const signed = await signBericht(bericht, sender.signer, { iat: new Date('2026-03-02T09:00:00Z') });
    expect(signed.signatures).toHaveLength(1);
    expect(Bericht.safeParse(signed).success).toBe(true); // the signed bericht still fits the model (Handtekening)
    expect(canonicalBericht(signed)).toEqual(canonicalBericht(bericht));

    const header = decodeProtectedHeader(signed.signatures[0]!.protected);
    expect(header).toEqual({ alg, typ: 'zicht-bericht+jws', kid: sender.key.kid, iat: 1772442000, oin: senderOf(bericht), crit: ['oin'] });

    const once = await verifyBericht(signed, { keys });
    expect(once.sender).toMatchObject({ index: 0, kind: 'bericht', alg, kid: sender.key.kid, oin: senderOf(bericht), iat: 1772442000 });
    expect(once.countersignatures).toEqual([]);
    await expectCode(verifyBericht(signed, { keys, requireCountersignature: true }), 'ZICHT_SIGNATURE_MISSING');
    // A missing countersignature is found before the sender's signature is checked (time-and-keys.md §3, Q248).
    const changed = { ...signed, verzondenOp: '2026-03-02T09:00:01Z' };
    await expectCode(verifyBericht(changed, { keys }), 'ZICHT_SIGNATURE_INVALID');
    await expectCode(verifyBericht(changed, { keys, requireCountersignature: true }), 'ZICHT_SIGNATURE_MISSING');

    const receivedAt = new Date('2026-03-02T09:00:03.250Z');
    const countersigned = await countersignBericht(signed, gateway.signer, receivedAt, { iat: receivedAt });
    expect(countersigned.signatures).toHaveLength(2);
    expect(decodeProtectedHeader(countersigned.signatures[1]!.protected)).toMatchObject({ typ: 'zicht-ontvangst+jws', oin: GATEWAY_OIN, rcv: '2026-03-02T09:00:03.250Z', crit: ['oin', 'rcv'] });

    const both = await verifyBericht(countersigned, { keys, requireCountersignature: true });
    expect(both.countersignatures).toHaveLength(1);
    expect(both.countersignatures[0]).toMatchObject({ index: 1, kind: 'ontvangst', oin: GATEWAY_OIN, rcv: '2026-03-02T09:00:03.250Z' });
    await expect(verifyCountersignature(countersigned, { keys })).resolves.toMatchObject({ rcv: '2026-03-02T09:00:03.250Z' });
  });
});

describe('signature placement', () => {
  it('a signed bericht verifies whatever the member order or whitespace it travels in', async () => {
    const bericht = examples[0]![1];
    const sender = await party(senderOf(bericht), 'EdDSA');
    const signed = await signBericht(bericht, sender.signer);
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(signed).reverse()), null, 4)) as unknown;
    await expect(verifyBericht(reordered, { keys: resolverOf([{ oin: senderOf(bericht), key: { generated: sender.key } }]) })).resolves.toBeDefined();
  });

  it('refuses to sign twice, or for another OIN than the sender', async () => {
    const bericht = examples[0]![1];
    const sender = await party(senderOf(bericht), 'EdDSA');
    const other = await party('00000009000000000001', 'EdDSA', 'other');
    const signed = await signBericht(bericht, sender.signer);
    await expectCode(signBericht(signed, sender.signer), 'ZICHT_SIGNATURE_ALREADY_SIGNED');
    await expectCode(signBericht(bericht, other.signer), 'ZICHT_SIGNATURE_OIN_MISMATCH');
  });

  it('countersigning needs a sender signature first', async () => {
    const gateway = await party(GATEWAY_OIN, 'EdDSA');
    await expectCode(countersignBericht(examples[0]![1], gateway.signer, new Date()), 'ZICHT_SIGNATURE_MISSING');
  });
});
