/**
 * Key rotation and revocation across time (issue 4): a new key is added and the old one keeps
 * verifying what it signed while it was valid; a revoked key fails from its revocation time on, not
 * before. When the gateway countersigned, revocation is also judged at its received-at, which a
 * thief of the key cannot backdate. Verification time itself never matters (an auditor years later
 * gets the same answer).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { InMemoryDeelnemerRepository } from '../../src/registry/in-memory.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { countersignBericht } from '../../src/signing/countersign.js';
import type { KeyResolver } from '../../src/signing/key-resolver.js';
import { signBericht } from '../../src/signing/sign.js';
import { verifyBericht } from '../../src/signing/verify.js';
import { example, expectCode, GATEWAY_OIN, party, senderOf } from '../signing/helpers.js';

type Party = Awaited<ReturnType<typeof party>>;
const t = (iso: string): Date => new Date(iso);

let bericht: Record<string, unknown>;
let oin: string;
let oldKey: Party;
let newKey: Party;
let gateway: Party;
let repository: InMemoryDeelnemerRepository;
let keys: KeyResolver;

beforeAll(async () => {
  bericht = example('overdracht-gi.json');
  oin = senderOf(bericht);
  oldKey = await party(oin, 'ES256', 'rotation-old');
  newKey = await party(oin, 'EdDSA', 'rotation-new');
  gateway = await party(GATEWAY_OIN, 'EdDSA', 'gateway');
});

async function freshRegistry(): Promise<void> {
  repository = await InMemoryDeelnemerRepository.of([
    { oin, rol: 'vt', naam: 'Veilig Thuis (test)', status: 'actief', sleutels: [{ kid: oldKey.key.kid, jwk: oldKey.key.publicJwk, nbf: '2025-01-01T00:00:00Z', exp: '2026-04-01T00:00:00Z' }] },
    { oin: GATEWAY_OIN, rol: 'gateway', naam: 'Zicht gateway (test)', status: 'actief', sleutels: [{ kid: gateway.key.kid, jwk: gateway.key.publicJwk }] },
  ]);
  keys = registryKeyResolver(repository);
}

const signedWith = (p: Party, iat: string): Promise<unknown> => signBericht(bericht, p.signer, { iat: t(iat) });

describe('rotation: a new key is added, the old keeps verifying what it signed while valid', () => {
  beforeAll(freshRegistry);

  it('before rotation: the old key verifies, the new one is unknown', async () => {
    await expect(verifyBericht(await signedWith(oldKey, '2026-02-01T12:00:00Z'), { keys })).resolves.toBeDefined();
    await expectCode(verifyBericht(await signedWith(newKey, '2026-02-01T12:00:00Z'), { keys }), 'ZICHT_KEY_UNKNOWN');
  });

  it('after adding the new key (valid from 2026-03-01): both verify what each signed inside its window', async () => {
    await repository.addKey(oin, { kid: newKey.key.kid, jwk: newKey.key.publicJwk, nbf: '2026-03-01T00:00:00Z' });
    await expect(verifyBericht(await signedWith(oldKey, '2026-02-01T12:00:00Z'), { keys })).resolves.toBeDefined();
    await expect(verifyBericht(await signedWith(oldKey, '2026-03-31T23:59:59Z'), { keys })).resolves.toBeDefined();
    await expect(verifyBericht(await signedWith(newKey, '2026-03-01T00:00:00Z'), { keys })).resolves.toBeDefined();
  });

  it('the new key before its nbf: ZICHT_KEY_NOT_YET_VALID', async () => {
    await expectCode(verifyBericht(await signedWith(newKey, '2026-02-28T23:59:59Z'), { keys }), 'ZICHT_KEY_NOT_YET_VALID');
  });

  it('the old key at and after its exp: ZICHT_KEY_EXPIRED; what it signed before still verifies', async () => {
    const before = await signedWith(oldKey, '2026-03-15T00:00:00Z');
    await expectCode(verifyBericht(await signedWith(oldKey, '2026-04-01T00:00:00Z'), { keys }), 'ZICHT_KEY_EXPIRED');
    await expectCode(verifyBericht(await signedWith(oldKey, '2027-01-01T00:00:00Z'), { keys }), 'ZICHT_KEY_EXPIRED');
    await expect(verifyBericht(before, { keys })).resolves.toBeDefined();
  });
});

describe('revocation: a revoked key fails from its revocation time on, not before', () => {
  const REVOKED = '2026-03-10T12:00:00Z';
  let before: unknown;
  let at: unknown;
  let after: unknown;

  beforeAll(async () => {
    await freshRegistry();
    before = await signedWith(oldKey, '2026-03-10T11:59:59Z');
    at = await signedWith(oldKey, REVOKED);
    after = await signedWith(oldKey, '2026-03-10T12:00:01Z');
    // Before revocation all three verify: revocation is what changes the outcome.
    for (const signed of [before, at, after]) await expect(verifyBericht(signed, { keys })).resolves.toBeDefined();
    await repository.revokeKey(oin, oldKey.key.kid, t(REVOKED));
  });

  it('signed one second before revocation: still verifies', async () => {
    await expect(verifyBericht(before, { keys })).resolves.toBeDefined();
  });

  it('signed at the revocation time: ZICHT_KEY_REVOKED', async () => {
    await expectCode(verifyBericht(at, { keys }), 'ZICHT_KEY_REVOKED');
  });

  it('signed after the revocation time: ZICHT_KEY_REVOKED', async () => {
    await expectCode(verifyBericht(after, { keys }), 'ZICHT_KEY_REVOKED');
  });

  it('revoking again later keeps the earlier time; revoking earlier moves it', async () => {
    await repository.revokeKey(oin, oldKey.key.kid, t('2026-06-01T00:00:00Z'));
    await expect(verifyBericht(before, { keys })).resolves.toBeDefined();
    await expectCode(verifyBericht(at, { keys }), 'ZICHT_KEY_REVOKED');
  });

  it('with a countersignature: received before revocation verifies; received at or after fails even with an older iat', async () => {
    const signed = before as Record<string, unknown>;
    const receivedBefore = await countersignBericht(signed, gateway.signer, t('2026-03-10T11:59:59.500Z'), { iat: t('2026-03-10T12:00:00Z') });
    await expect(verifyBericht(receivedBefore, { keys, requireCountersignature: true })).resolves.toBeDefined();
    const receivedAfter = await countersignBericht(signed, gateway.signer, t('2026-03-10T12:00:00Z'), { iat: t('2026-03-10T12:00:00Z') });
    await expectCode(verifyBericht(receivedAfter, { keys, requireCountersignature: true }), 'ZICHT_KEY_REVOKED');
  });

  it('the gateway key revoked: countersignatures made before still verify, later ones fail', async () => {
    const signed = before as Record<string, unknown>;
    const early = await countersignBericht(signed, gateway.signer, t('2026-03-10T11:59:59Z'), { iat: t('2026-03-10T11:59:59Z') });
    const late = await countersignBericht(signed, gateway.signer, t('2026-03-10T11:59:59Z'), { iat: t('2026-05-01T00:00:00Z') });
    await repository.revokeKey(GATEWAY_OIN, gateway.key.kid, t('2026-04-01T00:00:00Z'));
    await expect(verifyBericht(early, { keys })).resolves.toBeDefined();
    await expectCode(verifyBericht(late, { keys }), 'ZICHT_KEY_REVOKED');
  });
});
