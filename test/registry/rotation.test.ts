/**
 * Key rotation and revocation across time (issue 4, issue 16 part 1): a key is judged at a moment the
 * verifier trusts, never at the signer's iat (spec/v1/time-and-keys.md, SIG-003). An uncountersigned
 * bericht is judged at the verifier's clock (`now`: the gateway at receipt); a countersigned one at the
 * gateway's received-at (`rcv`), which a thief of the sender's key cannot backdate, so an auditor years
 * later gets the same answer as the receiver did.
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

const signedWith = (p: Party, iat: string): Promise<Record<string, unknown>> => signBericht(bericht, p.signer, { iat: t(iat) });
/** Verifies with the verifier's clock at `now` (the gateway at receipt, or an archive's --at). */
const verifyAt = (signed: unknown, now: string, requireCountersignature = false) => verifyBericht(signed, { keys, now: t(now), requireCountersignature });
/** Signs at `iat` and verifies at the same moment: a gateway receiving it as it is sent. */
const sentAt = async (p: Party, iso: string) => verifyAt(await signedWith(p, iso), iso);

describe('rotation: a new key is added, the old one keeps working while it is valid', () => {
  beforeAll(freshRegistry);

  it('before rotation: the old key verifies, the new one is unknown', async () => {
    await expect(sentAt(oldKey, '2026-02-01T12:00:00Z')).resolves.toBeDefined();
    await expectCode(sentAt(newKey, '2026-02-01T12:00:00Z'), 'ZICHT_KEY_UNKNOWN');
  });

  it('after adding the new key (valid from 2026-03-01): each verifies inside its window', async () => {
    await repository.addKey(oin, { kid: newKey.key.kid, jwk: newKey.key.publicJwk, nbf: '2026-03-01T00:00:00Z' });
    await expect(sentAt(oldKey, '2026-02-01T12:00:00Z')).resolves.toBeDefined();
    await expect(sentAt(oldKey, '2026-03-31T23:59:59Z')).resolves.toBeDefined();
    await expect(sentAt(newKey, '2026-03-01T00:00:00Z')).resolves.toBeDefined();
  });

  it('the new key before its nbf: ZICHT_KEY_NOT_YET_VALID, also with an iat after its nbf', async () => {
    await expectCode(sentAt(newKey, '2026-02-28T23:59:59Z'), 'ZICHT_KEY_NOT_YET_VALID');
    await expectCode(verifyAt(await signedWith(newKey, '2026-03-01T00:00:00Z'), '2026-02-28T23:58:00Z'), 'ZICHT_KEY_NOT_YET_VALID');
  });

  it('the old key at and after its exp: ZICHT_KEY_EXPIRED; a bericht countersigned before exp still verifies', async () => {
    const before = await signedWith(oldKey, '2026-03-15T00:00:00Z');
    await expectCode(sentAt(oldKey, '2026-04-01T00:00:00Z'), 'ZICHT_KEY_EXPIRED');
    await expectCode(sentAt(oldKey, '2027-01-01T00:00:00Z'), 'ZICHT_KEY_EXPIRED');
    // Uncountersigned, it is judged at the verifier's clock: after exp, expired.
    await expectCode(verifyAt(before, '2026-05-01T00:00:00Z'), 'ZICHT_KEY_EXPIRED');
    const received = await countersignBericht(before, gateway.signer, t('2026-03-15T00:00:02Z'), { iat: t('2026-03-15T00:00:02Z') });
    await expect(verifyAt(received, '2030-01-01T00:00:00Z', true)).resolves.toMatchObject({ judgedAt: { by: 'countersignature', at: Date.parse('2026-03-15T00:00:02Z') / 1000 } });
  });
});

describe('revocation: a revoked key fails from its revocation time on, whatever iat it writes', () => {
  const REVOKED = '2026-03-10T12:00:00Z';
  let signed: Record<string, unknown>;

  beforeAll(async () => {
    await freshRegistry();
    signed = await signedWith(oldKey, '2026-03-10T11:59:59Z');
    await expect(verifyAt(signed, REVOKED)).resolves.toBeDefined();
    await repository.revokeKey(oin, oldKey.key.kid, t(REVOKED));
  });

  it('judged one second before revocation: still verifies', async () => {
    await expect(verifyAt(signed, '2026-03-10T11:59:59Z')).resolves.toBeDefined();
  });

  it('judged at or after the revocation time: ZICHT_KEY_REVOKED, though its iat lies before it', async () => {
    await expectCode(verifyAt(signed, REVOKED), 'ZICHT_KEY_REVOKED');
    await expectCode(verifyAt(signed, '2026-03-10T12:00:01Z'), 'ZICHT_KEY_REVOKED');
    await expectCode(verifyAt(await signedWith(oldKey, '2026-01-01T00:00:00Z'), '2026-03-10T12:00:01Z'), 'ZICHT_KEY_REVOKED');
  });

  it('revoking again later keeps the earlier time; revoking earlier moves it', async () => {
    await repository.revokeKey(oin, oldKey.key.kid, t('2026-06-01T00:00:00Z'));
    await expect(verifyAt(signed, '2026-03-10T11:59:59Z')).resolves.toBeDefined();
    await expectCode(verifyAt(signed, REVOKED), 'ZICHT_KEY_REVOKED');
  });

  it('with a countersignature: received before revocation verifies for ever; received at or after fails even with an older iat', async () => {
    const receivedBefore = await countersignBericht(signed, gateway.signer, t('2026-03-10T11:59:59.500Z'), { iat: t('2026-03-10T11:59:59.500Z') });
    await expect(verifyAt(receivedBefore, '2030-01-01T00:00:00Z', true)).resolves.toBeDefined();
    const receivedAfter = await countersignBericht(signed, gateway.signer, t('2026-03-10T12:00:00Z'), { iat: t('2026-03-10T12:00:00Z') });
    await expectCode(verifyAt(receivedAfter, '2030-01-01T00:00:00Z', true), 'ZICHT_KEY_REVOKED');
  });

  it('the gateway key revoked: countersignatures received before still verify, later ones fail', async () => {
    const early = await countersignBericht(signed, gateway.signer, t('2026-03-10T11:59:59Z'), { iat: t('2026-03-10T11:59:59Z') });
    const late = await countersignBericht(signed, gateway.signer, t('2026-05-01T00:00:00Z'), { iat: t('2026-05-01T00:00:00Z') });
    await repository.revokeKey(GATEWAY_OIN, gateway.key.kid, t('2026-04-01T00:00:00Z'));
    await expect(verifyAt(early, '2026-06-01T00:00:00Z')).resolves.toBeDefined();
    await expectCode(verifyAt(late, '2026-06-01T00:00:00Z'), 'ZICHT_KEY_REVOKED');
  });
});
