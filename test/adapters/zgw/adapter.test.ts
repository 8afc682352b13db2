/**
 * The ZGW adapter (adapters/zgw/) against fakes of the Zaken and Documenten APIs that check what
 * the real APIs check (./zgw-api.ts), and a Zicht gateway over real HTTP on localhost: a delivered handover becomes a
 * zaak with its informatieobject and rollen and is answered with the automatic `ontvangen` (AFL-005); the
 * gemeente's status "geaccepteerd" becomes a signed ontvangstbevestiging the gateway accepts, both sent with the
 * client library; an API that is down is retried and never leads to an
 * acceptance that was not given; nothing personal reaches the logs or the answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createZgwAdapter, type ZgwAdapter } from '../../../adapters/zgw/adapter.js';
import { sqliteZaakLinks, type SqliteZaakLinks } from '../../../adapters/zgw/links-sqlite.js';
import { zaakVoorOverdracht } from '../../../adapters/zgw/zaak.js';
import type { ZgwConfig } from '../../../adapters/zgw/config.js';
import { createApp } from '../../../src/http/app.js';
import { memoryReplayGuard } from '../../../src/http/auth.js';
import { tokenBucket } from '../../../src/http/rate-limit.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs } from '../../../src/demo/network.js';
import type { Bericht } from '../../../src/model/bericht.js';
import { Betrokkenenrol } from '../../../src/model/persoon.js';
import { createLog } from '../../../src/observability/log.js';
import { registryKeyResolver } from '../../../src/registry/key-resolver.js';
import { createBearerToken } from '../../../src/signing/bearer-token.js';
import { countersignBericht } from '../../../src/signing/countersign.js';
import type { KeyResolver } from '../../../src/signing/key-resolver.js';
import { openStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/store.js';
import { personalValuesIn } from '../../helpers/examples.js';
import { setupServer } from 'msw/node';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { CLIENT, DOCUMENTEN, ZAKEN, ZgwFake, statusNotificatie, zgwHandlers } from './zgw-api.js';

let GATEWAY_URL = '';
const NOTIFICATIE_AUTH = 'Token abonnement-heerlen';
const network = await createDemoNetwork();
const keys = registryKeyResolver(network.registry);

let dir: string;
let store: Store;
let fake: ZgwFake;
let adapter: ZgwAdapter;
let logged: string;

const gatewayApp = () => createApp({ store, registry: network.registry, keys, gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 1000, burst: 10_000 }) });
// msw: the ZGW APIs are third-party and cannot run here. A request no handler covers fails the fetch and is
// recorded, so a call the real API would never get (a wrong URL, a method it lacks) fails the test.
// The gateway is no third party: it runs as a real HTTP server on localhost, and requests to it pass msw by.
const server = setupServer();
const unhandled: string[] = [];
let gatewayServer: ServerType | undefined;
/** The gateway answers 503 (down for maintenance) while this is true. */
let gatewayDown = false;
beforeAll(async () => {
  server.listen({
    onUnhandledRequest(request, print) {
      if (new URL(request.url).hostname === '127.0.0.1') return;
      unhandled.push(`${request.method} ${request.url.split('?')[0] ?? request.url}`);
      print.error();
    },
  });
  gatewayServer = await new Promise<ServerType>((resolve) => {
    const s: ServerType = serve({ fetch: (request: Request) => (gatewayDown ? new Response(null, { status: 503 }) : gatewayApp().fetch(request)), port: 0, hostname: '127.0.0.1' }, () => { resolve(s); });
  });
  GATEWAY_URL = `http://127.0.0.1:${String((gatewayServer.address() as AddressInfo).port)}`;
});
afterAll(async () => {
  server.close();
  await new Promise<void>((resolve) => { gatewayServer?.close(() => { resolve(); }); if (gatewayServer && 'closeAllConnections' in gatewayServer) gatewayServer.closeAllConnections(); });
});

function config(overrides: Partial<ZgwConfig> = {}): ZgwConfig {
  return {
    gemeente: { oin: DEMO_OIN.heerlen, rol: 'lokaal-team', signer: network.signers.heerlen, gemeentecodes: ['GM0917'] },
    gateway: { url: GATEWAY_URL, oin: DEMO_OIN.gateway, keys },
    client: CLIENT,
    api: { zaken: ZAKEN, documenten: DOCUMENTEN },
    rsin: '002220647',
    catalogus: {
      zaaktype: fake.zaaktype,
      informatieobjecttype: fake.informatieobjecttype,
      roltypen: Object.fromEntries(Betrokkenenrol.options.map((rol) => [rol, fake.roltype()])) as ZgwConfig['catalogus']['roltypen'],
      statustypeGeaccepteerd: fake.statustypeGeaccepteerd,
    },
    notificatieAuth: NOTIFICATIE_AUTH,
    behandelaar: { team: 'Sociaal team Heerlen-Noord', telefoon: '045-5600000' },
    // The handover goes to Heerlen and Kerkrade (Z-L 5.2.4); the gemeenten agreed Heerlen leads.
    regie: () => DEMO_OIN.heerlen,
    policy: { baseMs: 5, maxDelayMs: 20, windowMs: 60_000 },
    ...overrides,
  };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-zgw-'));
  store = await openStore(join(dir, 'zicht.db'));
  fake = new ZgwFake();
  logged = '';
  server.resetHandlers(...zgwHandlers(fake));
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { logged += chunk.toString('utf8'); done(); } });
  adapter = createZgwAdapter(config(), { log: createLog({ level: 'debug', destination: sink }) });
});
afterEach(async () => {
  expect(unhandled).toEqual([]);
  unhandled.length = 0;
  gatewayDown = false;
  await adapter.idle();
  adapter.close();
  await store.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** VT sends a handover to the gateway; returns it as the gateway stored it (countersigned). */
async function acceptedHandover(): Promise<Bericht> {
  const bericht = await signAs(network, 'vtZuidLimburg', exampleBericht('overdracht-na-dienst-onderzoek'));
  const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
  const response = await gatewayApp().request('/v1/berichten', { method: 'POST', body: JSON.stringify(bericht), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
  expect(response.status).toBe(202);
  const stored = await store.getBericht(bericht.berichtId);
  if (!stored) throw new Error('not stored');
  return JSON.parse(stored.body) as Bericht;
}

/** The gateway's delivery worker pushing to the adapter (kanaal zicht-v1). */
async function deliver(bericht: Bericht): Promise<Response> {
  const token = await createBearerToken(network.gateway, DEMO_OIN.heerlen);
  return adapter.app.request('/berichten', { method: 'POST', body: JSON.stringify(bericht), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
}

const notify = (body: unknown, auth = NOTIFICATIE_AUTH) => adapter.app.request('/notificaties', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: auth } });

async function acceptances(handover: Bericht): Promise<Bericht[]> {
  const all: Bericht[] = [];
  for (const link of [adapter.links.byBericht(handover.berichtId)]) {
    const id = link?.ontvangstbevestiging?.berichtId;
    const stored = id === undefined ? undefined : await store.getBericht(id);
    if (stored) all.push(JSON.parse(stored.body) as Bericht);
  }
  return all;
}

function expectNothingPersonal(text: string): void {
  expect(personalValuesIn(text)).toEqual([]);
}

describe('a delivered overdracht becomes a zaak', () => {
  it('creates the zaak of the zaaktype, the handover as informatieobject, and a rol per directbetrokkene and role', async () => {
    const handover = await acceptedHandover();
    if (handover.berichtType !== 'overdracht') throw new Error('unexpected');
    const response = await deliver(handover);
    expect(response.status).toBe(202);
    expect(fake.refusals).toEqual([]);
    expect(fake.zaken.size).toBe(1);
    const [zaak] = [...fake.zaken.values()];
    expect(zaak).toMatchObject({ zaaktype: fake.zaaktype, bronorganisatie: '002220647', vertrouwelijkheidaanduiding: 'zeer_geheim' });
    const [document] = [...fake.documenten.values()];
    // The link opens the dossier in the console (a gemeente session), not a token-only API route; taal is ISO 639-2/B.
    expect(document?.link).toBe(`${GATEWAY_URL}/console/dossiers/${encodeURIComponent(handover.dossier.referentie)}`);
    expect(document?.taal).toBe('dut');
    expect(fake.zaakinformatieobjecten).toEqual([expect.objectContaining({ zaak: zaak?.url, informatieobject: document?.url })]);
    const pairs = handover.inhoud.directbetrokkenen.flatMap((p) => p.rollen.map((rol) => ({ rol, geslachtsnaam: p.naam.geslachtsnaam })));
    expect(fake.rollen.map((r) => ({ rol: r.roltoelichting, geslachtsnaam: (r.betrokkeneIdentificatie as { geslachtsnaam: string }).geslachtsnaam }))).toEqual(pairs);
    expect(new Set(fake.rollen.map((r) => r.roltype)).size).toBeGreaterThan(1);
  });

  it('makes no second zaak when the gateway delivers the same handover again (at least once)', async () => {
    const handover = await acceptedHandover();
    expect((await deliver(handover)).status).toBe(202);
    expect((await deliver(handover)).status).toBe(202);
    expect(fake.zaken.size).toBe(1);
    expect(fake.documenten.size).toBe(1);
  });

  it('answers 409 (BER-015) to a handover whose berichtId it holds with other content, and makes no second zaak', async () => {
    const handover = await acceptedHandover();
    expect((await deliver(handover)).status).toBe(202);
    const later = new Date(Date.parse(handover.verzondenOp) + 60_000).toISOString();
    const other = await countersignBericht(await signAs(network, 'vtZuidLimburg', { ...handover, verzondenOp: later, signatures: [] }), network.gateway, new Date());
    const response = await deliver(other);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'BERICHT_CONFLICT', issues: [{ rule: 'BER-015', path: '$.berichtId' }] });
    expect(fake.zaken.size).toBe(1);
    // The same content again is still a resend: 202.
    expect((await deliver(handover)).status).toBe(202);
  });

  it('makes one zaak of two delivery attempts that overlap: the other is answered 503 and the gateway retries it (AFL-006)', async () => {
    const handover = await acceptedHandover();
    const statuses = (await Promise.all([deliver(handover), deliver(handover)])).map((r) => r.status).sort();
    expect(statuses).toEqual([202, 503]);
    expect(fake.zaken.size).toBe(1);
    // The retry of the refused attempt finds it stored: 202, and still one zaak.
    expect((await deliver(handover)).status).toBe(202);
    expect(fake.zaken.size).toBe(1);
  });

  it('answers 503 while an API is down, so the gateway retries; the retry finishes where it stopped', async () => {
    const handover = await acceptedHandover();
    fake.down.documenten = true;
    const down = await deliver(handover);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toBe('application/problem+json');
    expect(await down.json()).toMatchObject({ status: 503, code: 'ZGW_UNAVAILABLE', issues: [] });
    expect(fake.zaken.size).toBe(1);
    fake.down.documenten = false;
    expect((await deliver(handover)).status).toBe(202);
    expect(fake.zaken.size).toBe(1);
    expect(fake.zaakinformatieobjecten).toHaveLength(1);
    expect(fake.rollen.length).toBeGreaterThan(0);
  });

  it('sends what the APIs require: a wrong client secret is refused by the API (403), and the push is not answered as delivered', async () => {
    adapter.close();
    adapter = createZgwAdapter(config({ client: { clientId: CLIENT.clientId, secret: 'een-ander-geheim-dat-niet-klopt' } }));
    const response = await deliver(await acceptedHandover());
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ status: 502, code: 'ZGW_REFUSED', type: 'urn:zicht:problem:upstream' });
    expect(fake.refusals).toEqual(['403 JWT']);
    expect(fake.zaken.size).toBe(0);
  });

  it('refuses a bericht that breaks the standard or whose signature fails as problem+json with the rule, echoing nothing of it', async () => {
    const handover = await acceptedHandover();
    const invalid = await deliver({ ...handover, toelichting: 'niet in het schema' } as unknown as Bericht);
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get('content-type')).toBe('application/problem+json');
    const invalidBody = await invalid.text();
    expect((JSON.parse(invalidBody) as { issues: { rule: string }[] }).issues.map((i) => i.rule)).toContain('BER-007');
    expectNothingPersonal(invalidBody);
    const changed = await deliver({ ...handover, verzondenOp: new Date(Date.parse(handover.verzondenOp) + 1000).toISOString() });
    expect(changed.status).toBe(422);
    const changedBody = await changed.text();
    expect(JSON.parse(changedBody)).toMatchObject({ code: 'ZICHT_SIGNATURE_INVALID', issues: [{ rule: 'SIG-005' }] });
    expectNothingPersonal(changedBody);
    expect(fake.zaken.size).toBe(0);
  });

  it('answers 503 (the gateway retries) when the signers\' keys cannot be read, rather than refusing the bericht for good', async () => {
    adapter.close();
    // The gateway's own key (the push token) resolves; the sender's key directory is down.
    const unreachable: KeyResolver = { resolve: (oin, kid) => (oin === DEMO_OIN.vtZuidLimburg ? Promise.reject(new Error('connect ECONNREFUSED')) : keys.resolve(oin, kid)) };
    adapter = createZgwAdapter(config({ gateway: { url: GATEWAY_URL, oin: DEMO_OIN.gateway, keys: unreachable } }));
    const response = await deliver(await acceptedHandover());
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'ZICHT_KEYS_UNAVAILABLE' });
    expect(fake.zaken.size).toBe(0);
  });

  it('refuses a bericht that names its OIN but no gemeentecode it serves (AFL-003), and makes no zaak', async () => {
    adapter.close();
    adapter = createZgwAdapter(config({ gemeente: { oin: DEMO_OIN.heerlen, rol: 'lokaal-team', signer: network.signers.heerlen, gemeentecodes: ['GM0999'] } }));
    const response = await deliver(await acceptedHandover());
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'NIET_GEADRESSEERD', issues: [{ rule: 'AFL-003' }] });
    expect(fake.zaken.size).toBe(0);
  });

  it('refuses a push that does not come from the gateway', async () => {
    const handover = await acceptedHandover();
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.heerlen);
    const response = await adapter.app.request('/berichten', { method: 'POST', body: JSON.stringify(handover), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(fake.zaken.size).toBe(0);
  });
});

/** The receipts Heerlen sent for `handover` that the gateway accepted, oldest first. */
async function receiptsAtGateway(handover: Bericht): Promise<Bericht[]> {
  const found: Bericht[] = [];
  for (const event of await store.listEventsOfDossier(handover.dossier.referentie)) {
    if (event.type !== 'bericht.accepted' || event.oin !== DEMO_OIN.heerlen) continue;
    const stored = await store.getBericht(event.berichtId);
    const bericht = stored === undefined ? undefined : (JSON.parse(stored.body) as Bericht);
    if (bericht?.berichtType === 'ontvangstbevestiging' && bericht.inAntwoordOp === handover.berichtId) found.push(bericht);
  }
  return found;
}

describe('the automatic receipt (AFL-005)', () => {
  it('answers a handover stored as a zaak with one signed ontvangen through the gateway, also when it is delivered again', async () => {
    const handover = await acceptedHandover();
    expect((await deliver(handover)).status).toBe(202);
    await adapter.idle();
    expect((await deliver(handover)).status).toBe(202);
    await adapter.idle();
    const receipts = await receiptsAtGateway(handover);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({
      verzender: { oin: DEMO_OIN.heerlen, rol: 'lokaal-team' },
      ontvangers: [{ oin: DEMO_OIN.vtZuidLimburg, rol: 'vt' }],
      dossier: { referentie: handover.dossier.referentie, volgnummer: 1 },
      inAntwoordOp: handover.berichtId,
      inhoud: { status: 'ontvangen', ontvangenOp: adapter.links.byBericht(handover.berichtId)?.ontvangenOp },
    });
    // Signed with the gemeente's key and countersigned by the gateway.
    expect(receipts[0]?.signatures).toHaveLength(2);
    expect(adapter.links.byBericht(handover.berichtId)?.ontvangenVerzonden).toBe(true);
  });

  it('sends none while the zaak is not stored (the push answered 503)', async () => {
    const handover = await acceptedHandover();
    fake.down.zaken = true;
    expect((await deliver(handover)).status).toBe(503);
    await adapter.idle();
    expect(await receiptsAtGateway(handover)).toEqual([]);
    expect(adapter.links.byBericht(handover.berichtId)?.ontvangen).toBeUndefined();
  });

  it('sends the acceptance after it, numbered after it', async () => {
    const handover = await acceptedHandover();
    expect((await deliver(handover)).status).toBe(202);
    await adapter.idle();
    const zaak = adapter.links.byBericht(handover.berichtId)?.zaak ?? '';
    expect((await notify(statusNotificatie(fake, zaak, fake.setStatus(zaak, fake.statustypeGeaccepteerd)))).status).toBe(204);
    const receipts = await receiptsAtGateway(handover);
    expect(receipts.map((r) => [(r.inhoud as { status?: string }).status, r.dossier.volgnummer])).toEqual([['ontvangen', 1], ['geaccepteerd', 2]]);
  });

  it('goes first also when the status is set between the zaak being stored and the push making the ontvangen', async () => {
    const handover = await acceptedHandover();
    if (handover.berichtType !== 'overdracht') throw new Error('not a handover');
    // The push has stored the zaak (what `zaakVoorOverdracht` does) and not yet made its ontvangen: the window.
    const link = await zaakVoorOverdracht(handover, config(), adapter.links);
    expect(adapter.links.byBericht(handover.berichtId)?.ontvangen).toBeUndefined();
    const zaak = link.zaak ?? '';
    expect((await notify(statusNotificatie(fake, zaak, fake.setStatus(zaak, fake.statustypeGeaccepteerd)))).status).toBe(204);
    // The push then finishes (here: the gateway delivers again); it sends no second ontvangen.
    expect((await deliver(handover)).status).toBe(202);
    await adapter.idle();
    const receipts = await receiptsAtGateway(handover);
    expect(receipts.map((r) => [(r.inhoud as { status?: string }).status, r.dossier.volgnummer])).toEqual([['ontvangen', 1], ['geaccepteerd', 2]]);
  });
});

describe('after a restart on the same links file (AFL-006, Q98, BER-011)', () => {
  let links: SqliteZaakLinks | undefined;
  afterEach(async () => {
    await stop();
    links = undefined;
  });

  /** Stops the running adapter as `zicht zgw` does on SIGTERM: its retries end, its links are closed. */
  async function stop(): Promise<void> {
    await adapter.idle();
    adapter.close();
    links?.close();
  }
  /** Starts the adapter on the SQLite links in the test's folder, as `zicht zgw` does. */
  function start(): void {
    links = sqliteZaakLinks(join(dir, 'zgw-links.sqlite'));
    adapter = createZgwAdapter(config(), { links });
  }
  const restart = async () => {
    await stop();
    start();
  };

  it('answers 503 problem+json when its store fails (the gateway retries), not a plain 500, and echoes nothing', async () => {
    links = sqliteZaakLinks(join(dir, 'zgw-links.sqlite'));
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { logged += chunk.toString('utf8'); done(); } });
    adapter = createZgwAdapter(config(), { links, log: createLog({ level: 'debug', destination: sink }) });
    const handover = await acceptedHandover();
    // The file out of reach while running (here: closed under the adapter; on a server a full disk or an I/O error).
    links.close();
    const response = await deliver(handover);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 503, code: 'ZICHT_STORE_UNAVAILABLE' });
    expectNothingPersonal(text);
    expect(fake.zaken.size).toBe(0);
    expect(logged).toContain('zgw.store.unavailable');
    expectNothingPersonal(logged);
    const elsewhere = await adapter.app.request('/nergens');
    expect([elsewhere.status, elsewhere.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
  });

  const statusAndVolgnummer = (receipts: Bericht[]) => receipts.map((r) => [(r.inhoud as { status?: string }).status, r.dossier.volgnummer]);

  it('makes no second zaak and sends no second ontvangen for a handover delivered again; the acceptance is numbered after the receipt', async () => {
    await restart();
    const handover = await acceptedHandover();
    expect((await deliver(handover)).status).toBe(202);
    await adapter.idle();
    const rollen = fake.rollen.length;
    const [receipt] = await receiptsAtGateway(handover);
    expect(receipt?.dossier.volgnummer).toBe(1);

    await restart();
    expect((await deliver(handover)).status).toBe(202);
    await adapter.idle();
    expect(fake.zaken.size).toBe(1);
    expect(fake.documenten.size).toBe(1);
    expect(fake.zaakinformatieobjecten).toHaveLength(1);
    expect(fake.rollen).toHaveLength(rollen);
    expect((await receiptsAtGateway(handover)).map((r) => r.berichtId)).toEqual([receipt?.berichtId]);

    // BER-011: the gemeente's next bericht in the dossier continues after the restart.
    const zaak = adapter.links.byBericht(handover.berichtId)?.zaak ?? '';
    expect((await notify(statusNotificatie(fake, zaak, fake.setStatus(zaak, fake.statustypeGeaccepteerd)))).status).toBe(204);
    expect(adapter.outcomes.get(zaak)).toBe('geaccepteerd');
    expect(statusAndVolgnummer(await receiptsAtGateway(handover))).toEqual([['ontvangen', 1], ['geaccepteerd', 2]]);
  });

  it('sends the ontvangen signed before the restart but not accepted then, the same bericht, without the handover delivered again', async () => {
    await restart();
    const handover = await acceptedHandover();
    gatewayDown = true;
    expect((await deliver(handover)).status).toBe(202);
    await adapter.idle();
    const kept = adapter.links.byBericht(handover.berichtId)?.ontvangen;
    expect(kept).toBeDefined();
    expect(await receiptsAtGateway(handover)).toEqual([]);

    // Stopped before the gateway is back, so only the restarted adapter can send it.
    await stop();
    gatewayDown = false;
    start();
    await adapter.idle();
    const receipts = await receiptsAtGateway(handover);
    expect(receipts.map((r) => r.berichtId)).toEqual([kept?.berichtId]);
    expect(adapter.links.byBericht(handover.berichtId)?.ontvangenVerzonden).toBe(true);
    expect(fake.zaken.size).toBe(1);
  });

  it('sends the acceptance signed before the restart but not accepted then, the same bericht, once', async () => {
    await restart();
    const handover = await acceptedHandover();
    expect((await deliver(handover)).status).toBe(202);
    await adapter.idle();
    const zaak = adapter.links.byBericht(handover.berichtId)?.zaak ?? '';
    gatewayDown = true;
    expect((await notify(statusNotificatie(fake, zaak, fake.setStatus(zaak, fake.statustypeGeaccepteerd)))).status).toBe(204);
    const kept = adapter.links.byBericht(handover.berichtId)?.ontvangstbevestiging;
    expect(kept).toBeDefined();
    expect(adapter.links.byBericht(handover.berichtId)?.geaccepteerd).toBe(false);

    await stop();
    gatewayDown = false;
    start();
    await adapter.idle();
    expect(adapter.links.byBericht(handover.berichtId)?.geaccepteerd).toBe(true);
    const receipts = await receiptsAtGateway(handover);
    expect(statusAndVolgnummer(receipts)).toEqual([['ontvangen', 1], ['geaccepteerd', 2]]);
    expect(receipts[1]?.berichtId).toBe(kept?.berichtId);
  });
});

describe('the gemeente accepts: a status notification becomes an ontvangstbevestiging geaccepteerd', () => {
  async function zaakFor(): Promise<{ handover: Bericht; zaak: string }> {
    const handover = await acceptedHandover();
    expect((await deliver(handover)).status).toBe(202);
    const zaak = adapter.links.byBericht(handover.berichtId)?.zaak;
    if (zaak === undefined) throw new Error('no zaak');
    return { handover, zaak };
  }

  it('signs it as the gemeente and sends it through the gateway, which accepts it for the handover', async () => {
    const { handover, zaak } = await zaakFor();
    expect((await notify(statusNotificatie(fake, zaak, fake.setStatus(zaak, fake.statustypeGeaccepteerd)))).status).toBe(204);
    expect(adapter.outcomes.get(zaak)).toBe('geaccepteerd');
    const [receipt] = await acceptances(handover);
    expect(receipt).toMatchObject({
      berichtType: 'ontvangstbevestiging',
      verzender: { oin: DEMO_OIN.heerlen },
      ontvangers: [{ oin: DEMO_OIN.vtZuidLimburg, rol: 'vt' }],
      inAntwoordOp: handover.berichtId,
      inhoud: { status: 'geaccepteerd', behandelaar: { team: 'Sociaal team Heerlen-Noord' } },
    });
    expect(receipt?.signatures).toHaveLength(2);
    expect(adapter.links.byBericht(handover.berichtId)?.geaccepteerd).toBe(true);
  });

  it('sends no acceptance for a handover to two gemeenten when the gemeenten named no lead (VRW-001, Z-L 5.2.4)', async () => {
    adapter.close();
    adapter = createZgwAdapter(config({ regie: () => undefined }), { log: createLog({ level: 'silent' }) });
    const { handover, zaak } = await zaakFor();
    expect((await notify(statusNotificatie(fake, zaak, fake.setStatus(zaak, fake.statustypeGeaccepteerd)))).status).toBe(204);
    expect(adapter.outcomes.get(zaak)).toBe('afstemming-ontbreekt');
    expect(await acceptances(handover)).toEqual([]);
    expect(adapter.links.byBericht(handover.berichtId)?.geaccepteerd).toBe(false);
  });

  it('sends nothing for another status, a zaak it did not make, or a notification without the abonnement auth', async () => {
    const { handover, zaak } = await zaakFor();
    expect((await notify(statusNotificatie(fake, zaak, fake.setStatus(zaak, fake.statustypeIntake)))).status).toBe(204);
    expect(adapter.outcomes.get(zaak)).toBe('ander-status');
    const other = `${ZAKEN}/zaken/00000000-0000-4000-8000-000000000000`;
    expect((await notify(statusNotificatie(fake, other, fake.setStatus(other, fake.statustypeGeaccepteerd)))).status).toBe(204);
    expect(adapter.outcomes.get(other)).toBe('niet-van-ons');
    expect((await notify(statusNotificatie(fake, zaak, fake.setStatus(zaak, fake.statustypeGeaccepteerd)), 'Token fout')).status).toBe(403);
    // A notification that claims an accepting status for our zaak but points at another zaak's status.
    expect((await notify({ ...statusNotificatie(fake, zaak, fake.setStatus(other, fake.statustypeGeaccepteerd)) })).status).toBe(204);
    expect(adapter.outcomes.get(zaak)).toBe('niet-van-ons');
    expect(await acceptances(handover)).toEqual([]);
    expect(adapter.links.byBericht(handover.berichtId)?.geaccepteerd).toBe(false);
  });

  it('while the Zaken API is down, accepts nothing; retries with the delivery policy and sends it once the status can be read', async () => {
    const { handover, zaak } = await zaakFor();
    fake.down.zaken = true;
    expect((await notify(statusNotificatie(fake, zaak, fake.setStatus(zaak, fake.statustypeGeaccepteerd)))).status).toBe(204);
    expect(adapter.outcomes.get(zaak)).toBeUndefined();
    expect(adapter.links.byBericht(handover.berichtId)?.geaccepteerd).toBe(false);
    expect(await acceptances(handover)).toEqual([]);
    fake.down.zaken = false;
    await vi.waitFor(() => {
      expect(adapter.outcomes.get(zaak)).toBe('geaccepteerd');
    }, { timeout: 10_000, interval: 20 });
    expect(await acceptances(handover)).toHaveLength(1);
  });

  it('gives up (and accepts nothing) when the Zaken API stays down past the retry window', async () => {
    adapter.close();
    adapter = createZgwAdapter(config({ policy: { baseMs: 5, maxDelayMs: 5, windowMs: 30 } }));
    const { handover, zaak } = await zaakFor();
    fake.down.zaken = true;
    await notify(statusNotificatie(fake, zaak, fake.setStatus(zaak, fake.statustypeGeaccepteerd)));
    await vi.waitFor(() => {
      expect(adapter.outcomes.get(zaak)).toBe('opgegeven');
    }, { timeout: 10_000, interval: 20 });
    expect(adapter.links.byBericht(handover.berichtId)?.geaccepteerd).toBe(false);
  });
});

describe('personal data', () => {
  it('stays out of the logs, the answers and the ZGW document metadata', async () => {
    const handover = await acceptedHandover();
    fake.down.zaken = true;
    const answers = [await (await deliver(handover)).text()];
    fake.down.zaken = false;
    answers.push(await (await deliver(handover)).text());
    const zaak = adapter.links.byBericht(handover.berichtId)?.zaak ?? '';
    answers.push(await (await notify(statusNotificatie(fake, zaak, fake.setStatus(zaak, fake.statustypeGeaccepteerd)))).text());
    expect(logged).toContain('zgw.zaak');
    expectNothingPersonal(logged + answers.join('\n'));
    expectNothingPersonal(JSON.stringify([...fake.zaken.values(), ...fake.documenten.values()]));
  });
});
