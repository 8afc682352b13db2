/**
 * GET /v1/dossiers/{ref}/verantwoordelijkheid and /tijdlijn over a real store (SQLite and PostgreSQL):
 * a handover and its acceptance through the accept path, then who is responsible, for participants and
 * auditors only, metadata only. A second acceptance is refused with ONT-008 and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { memoryReplayGuard } from '../../src/http/auth.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork } from '../../src/demo/network.js';
import type { Bericht } from '../../src/model/bericht.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { createSigner, type Signer } from '../../src/signing/signer.js';
import type { Store } from '../../src/store/store.js';
import { personalValuesIn } from '../helpers/examples.js';
import { BACKENDS, useStore } from '../store/backends.js';

const network: DemoNetwork = await createDemoNetwork();
const T0 = new Date('2026-06-15T08:00:00Z');
let clock = T0;

async function participant(oin: string, rol: 'auditor' | 'lokaal-team'): Promise<Signer> {
  const key = await generateSigningKey();
  await (network.registry).add({ oin, rol, naam: `${rol} (test)`, status: 'actief', sleutels: [{ kid: key.kid, jwk: key.publicJwk }] });
  return createSigner({ privateJwk: key.privateJwk, oin });
}
const auditor = await participant('00000007000000000001', 'auditor');
const outsider = await participant('00000001000000009999', 'lokaal-team');

function app(store: Store) {
  return createApp({ store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 100, burst: 1000 }), now: () => clock });
}
async function as(signer: Signer, a: ReturnType<typeof app>, path: string, body?: Bericht) {
  const token = await createBearerToken(signer, DEMO_OIN.gateway, { now: clock });
  return a.request(path, body ? { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } } : { headers: { authorization: `Bearer ${token}` } });
}

describe.each(BACKENDS)('dossier routes on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('answers who is responsible, only to participants and auditors, without personal data', async () => {
    const a = app(ctx.store);
    clock = T0;
    const h = await signAs(network, 'vtZuidLimburg', exampleBericht('overdracht-na-dienst-onderzoek', T0), { iat: T0 });
    expect((await as(network.signers.vtZuidLimburg, a, '/v1/berichten', h)).status).toBe(202);
    const t1 = new Date(T0.getTime() + 3_600_000);
    clock = t1;
    const accept = (id: string): Bericht => ({ ...exampleBericht('ontvangstbevestiging-geaccepteerd', t1), berichtId: id, inAntwoordOp: h.berichtId, inhoud: { status: 'geaccepteerd', ontvangenOp: T0.toISOString(), behandelaar: { team: 'Sociaal team Heerlen', telefoon: '045 000 0000' }, afstemming: { regie: DEMO_OIN.heerlen } } }) as Bericht;
    expect((await as(network.signers.heerlen, a, '/v1/berichten', await signAs(network, 'heerlen', accept('0b7a3c55-5f1e-4a0e-9d7c-1f2e3d4c5b6a'), { iat: clock }))).status).toBe(202);
    // Two gemeenten (Z-L 5.2.4): Kerkrade accepts too and names Heerlen to lead, so Heerlen holds zicht from t1.
    const kerkrade = { ...accept('3e0d6f88-8c4b-4d3b-a0af-4c5b6a7f8e9d'), verzender: { oin: DEMO_OIN.kerkrade, rol: 'lokaal-team' } } as Bericht;
    expect((await as(network.signers.kerkrade, a, '/v1/berichten', await signAs(network, 'kerkrade', kerkrade, { iat: clock }))).status).toBe(202);

    // A second acceptance: refused with its rule id, and the ledger does not change.
    clock = new Date(t1.getTime() + 60_000);
    const second = { ...accept('1c8b4d66-6a2f-4b1f-8e8d-2a3f4e5d6c7b'), verzondenOp: clock.toISOString(), dossier: { referentie: h.dossier.referentie, volgnummer: 3 } } as Bericht;
    const refused = await as(network.signers.heerlen, a, '/v1/berichten', await signAs(network, 'heerlen', second, { iat: clock }));
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(((await refused.json()) as { issues: { rule: string }[] }).issues.map((i) => i.rule)).toEqual(['ONT-008']);

    // A bericht sent in the future by the gateway's clock: LVC-010.
    const future = { ...second, berichtId: '2d9c5e77-7b3a-4c2a-9f9e-3b4a5f6e7d8c', verzondenOp: new Date(clock.getTime() + 3_600_000).toISOString(), inhoud: { status: 'ontvangen', ontvangenOp: T0.toISOString() } } as Bericht;
    const late = await as(network.signers.heerlen, a, '/v1/berichten', await signAs(network, 'heerlen', future, { iat: clock }));
    expect(((await late.json()) as { issues: { rule: string }[] }).issues.map((i) => i.rule)).toEqual(['LVC-010']);

    const ref = h.dossier.referentie;
    const before = await as(network.signers.heerlen, a, `/v1/dossiers/${ref}/verantwoordelijkheid?op=${encodeURIComponent(new Date(t1.getTime() - 1000).toISOString())}`);
    expect(await before.json()).toMatchObject({ verantwoordelijke: { oin: DEMO_OIN.vtZuidLimburg, rol: 'vt' } });
    const after = await as(network.signers.kerkrade, a, `/v1/dossiers/${ref}/verantwoordelijkheid?op=${encodeURIComponent(t1.toISOString())}`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ profiel: 'zuid-limburg', stand: 'verantwoordelijk', verantwoordelijke: { oin: DEMO_OIN.heerlen, rol: 'lokaal-team', sinds: t1.toISOString(), mede: [DEMO_OIN.kerkrade], regel: { regel: 'overgang.meerdereGemeenten', bron: { document: 'Z-L', sectie: '5.2.4, 6.2' } } } });
    // An instant before VT became responsible: "nog niet begonnen", with the start, not an empty party.
    const early = await as(network.signers.heerlen, a, `/v1/dossiers/${ref}/verantwoordelijkheid?op=2020-01-01T00:00:00Z`);
    const earlyJson = (await early.json()) as { stand: string; begintOp?: string; verantwoordelijke?: unknown };
    expect(earlyJson).toMatchObject({ stand: 'nog-niet-begonnen' });
    expect(Date.parse(earlyJson.begintOp ?? '')).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z'));
    expect(earlyJson.verantwoordelijke).toBeUndefined();

    const tijdlijn = await as(auditor, a, `/v1/dossiers/${ref}/tijdlijn`);
    expect(tijdlijn.status).toBe(200);
    const text = await tijdlijn.text();
    expect(JSON.parse(text)).toMatchObject({ dossier: ref, termijnen: expect.arrayContaining([expect.objectContaining({ soort: 'eerste-contact', moetHandelen: DEMO_OIN.heerlen, status: 'open' })]) as unknown });
    expect(personalValuesIn(text)).toEqual([]);

    expect((await as(outsider, a, `/v1/dossiers/${ref}/tijdlijn`)).status).toBe(403);
    expect((await as(outsider, a, '/v1/dossiers/VTZL-2026-999999/tijdlijn')).status).toBe(404);
    const inFuture = await as(network.signers.heerlen, a, `/v1/dossiers/${ref}/verantwoordelijkheid?op=2099-01-01T00:00:00Z`);
    expect(inFuture.status).toBe(400);
    expect(inFuture.headers.get('content-type')).toBe('application/problem+json');
  });
});
