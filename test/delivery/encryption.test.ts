/**
 * End-to-end encryption towards a receiver (ENC-003, ENC-004) on SQLite and PostgreSQL, over real HTTP
 * to real local receivers: what crosses the wire to a receiver with an encryption key is a JWE that jose
 * opens with its private key into exactly the countersigned bericht, which then verifies; a receiver
 * without one still gets JSON; the delivery metadata is the same either way; keys rotate at their nbf
 * and exp; lapsed keys stop delivery rather than fall back to plaintext; the postbus does the same; and
 * the reference receiver decrypts, verifies and refuses what it cannot decrypt.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compactDecrypt, decodeProtectedHeader, importJWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { pushBericht } from '../../adapters/webhook/push.js';
import { acceptBericht } from '../../src/accept/accept.js';
import { generateEncryptionKey, type GeneratedEncryptionKey } from '../../src/delivery/decrypt.js';
import { DeliveryWorker } from '../../src/delivery/worker.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../../src/demo/reference-receiver.js';
import { createDemoNetwork, DEMO_GEMEENTECODE, DEMO_OIN, exampleBericht, signAs, type DemoNetwork } from '../../src/demo/network.js';
import { createApp } from '../../src/http/app.js';
import { memoryReplayGuard } from '../../src/http/auth.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import type { Bericht } from '../../src/model/bericht.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { StoreDeelnemerRepository } from '../../src/registry/store-repository.js';
import { versleutelingAt, type Versleutelingssleutel } from '../../src/registry/versleutelingssleutel.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { verifyBericht } from '../../src/signing/verify.js';
import type { Store } from '../../src/store/store.js';
import { personalValues, personalValuesIn } from '../helpers/examples.js';
import { BACKENDS, useStore } from '../store/backends.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A receiving system that keeps every push exactly as it came over the wire. */
interface RawReceiver {
  readonly url: string;
  readonly pushes: { readonly headers: IncomingHttpHeaders; readonly body: Buffer }[];
  close(): Promise<void>;
}

async function startRawReceiver(): Promise<RawReceiver> {
  const pushes: RawReceiver['pushes'] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      pushes.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    pushes,
    close: () => new Promise<void>((resolve) => { server.close(() => { resolve(); }); server.closeAllConnections(); }),
  };
}

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

const heerlenKey = await generateEncryptionKey('ECDH-ES P-256');
const nextKey = await generateEncryptionKey('RSA-OAEP-256');
const kerkradeKey = await generateEncryptionKey('ECDH-ES X25519');

const withWindow = (key: GeneratedEncryptionKey, window: { nbf?: Date; exp?: Date }): Versleutelingssleutel => ({
  ...key.sleutel,
  ...(window.nbf === undefined ? {} : { nbf: window.nbf.toISOString() }),
  ...(window.exp === undefined ? {} : { exp: window.exp.toISOString() }),
});

async function open(jwe: string, key: GeneratedEncryptionKey): Promise<string> {
  const { plaintext } = await compactDecrypt(jwe, await importJWK(key.key.privateJwk, key.key.alg), { keyManagementAlgorithms: [key.key.alg], contentEncryptionAlgorithms: ['A256GCM'] });
  return new TextDecoder().decode(plaintext);
}

/**
 * A network in the store's own registry (so that a key change is a registry change on that database):
 * Heerlen and Kerkrade pushed to raw receivers, Heerlen with `heerlenKeys`; a worker on a simulated clock.
 */
async function setup(store: Store, heerlenKeys: readonly Versleutelingssleutel[], start = new Date()) {
  const heerlen = await startRawReceiver();
  const kerkrade = await startRawReceiver();
  closers.push(() => heerlen.close(), () => kerkrade.close());
  const network = await createDemoNetwork({ heerlen: heerlen.url, kerkrade: kerkrade.url });
  const registry = new StoreDeelnemerRepository(store, { ttlMs: 0 });
  for (const deelnemer of await network.registry.list()) await registry.put(deelnemer);
  const setHeerlenKeys = async (sleutels: readonly Versleutelingssleutel[]) => {
    const current = await registry.get(DEMO_OIN.heerlen);
    await registry.put({ ...current, versleutelingssleutels: sleutels });
  };
  await setHeerlenKeys(heerlenKeys);
  let clock = start;
  const worker = new DeliveryWorker({
    store,
    gateway: network.gateway,
    endpointOf: async (oin) => (await registry.get(oin))?.afleveradressen[0],
    versleutelingOf: async (oin, at) => versleutelingAt((await registry.get(oin))?.versleutelingssleutels ?? [], at),
    now: () => clock,
  });
  let dossiers = 0;
  /** A handover of a dossier of its own (each the first bericht of its dossier). */
  const fresh = (): Bericht => {
    const bericht = exampleBericht('overdracht-na-dienst-onderzoek', clock);
    dossiers += 1;
    return { ...bericht, dossier: { ...bericht.dossier, referentie: `VTZL-2026-${String(600_000 + dossiers)}` } };
  };
  const accept = async (bericht: Bericht = fresh()) => {
    const outcome = await acceptBericht(
      new TextEncoder().encode(JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht))),
      bericht.verzender.oin,
      { store, registry, keys: registryKeyResolver(registry), gateway: network.gateway, now: () => clock },
    );
    expect(outcome.kind === 'accepted' ? 'accepted' : outcome.issues.map((i) => i.rule).join()).toBe('accepted');
    return bericht;
  };
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  return { heerlen, kerkrade, network, registry, worker, accept, advance, setHeerlenKeys };
}

describe.each(BACKENDS)('end-to-end encryption of pushes on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('pushes a JWE to a receiver with a current key; jose opens it into the stored countersigned bericht, which verifies', async () => {
    const { heerlen, network, worker, accept, registry } = await setup(ctx.store, [heerlenKey.sleutel]);
    const handover = await accept();
    expect(await worker.runOnce()).toBe(2);
    const [push] = heerlen.pushes;
    expect(push?.headers['content-type']).toBe('application/jose');
    const jwe = push?.body.toString('utf8') ?? '';
    expect(decodeProtectedHeader(jwe)).toMatchObject({ alg: 'ECDH-ES', enc: 'A256GCM', kid: heerlenKey.sleutel.kid, cty: 'application/json' });
    const plaintext = await open(jwe, heerlenKey);
    expect(plaintext).toBe((await ctx.store.getBericht(handover.berichtId))?.body);
    const bericht = JSON.parse(plaintext) as Bericht;
    expect(bericht.signatures).toHaveLength(2);
    await expect(verifyBericht(bericht, { keys: registryKeyResolver(registry), requireCountersignature: true })).resolves.toBeDefined();
    expect(network.gateway.oin).toBe(DEMO_OIN.gateway);
  });

  it('sends a receiver without an encryption key plain JSON, in the same round', async () => {
    const { kerkrade, worker, accept } = await setup(ctx.store, [heerlenKey.sleutel]);
    const handover = await accept();
    await worker.runOnce();
    const [push] = kerkrade.pushes;
    expect(push?.headers['content-type']).toBe('application/json');
    expect((JSON.parse(push?.body.toString('utf8') ?? '{}') as Bericht).berichtId).toBe(handover.berichtId);
  });

  it('lets no personal data of the example persons cross the wire to the encrypting receiver (the plain one shows the check can fail)', async () => {
    const { heerlen, kerkrade, worker, accept } = await setup(ctx.store, [heerlenKey.sleutel]);
    await accept();
    await worker.runOnce();
    const encrypted = heerlen.pushes.map((p) => p.body.toString('latin1')).join('\n');
    const plain = kerkrade.pushes.map((p) => p.body.toString('utf8')).join('\n');
    const secrets = personalValues();
    expect(secrets.filter((s) => plain.includes(s)).length).toBeGreaterThan(0);
    expect(personalValuesIn(encrypted, secrets)).toEqual([]);
  });

  it('keeps the delivery metadata the same as for a plain receiver (status, attempts, events)', async () => {
    const { worker, accept } = await setup(ctx.store, [heerlenKey.sleutel]);
    const handover = await accept();
    await worker.runOnce();
    const deliveries = await ctx.store.listDeliveries(handover.berichtId);
    // Everything but who and when.
    const [encrypted, plain] = [DEMO_OIN.heerlen, DEMO_OIN.kerkrade].map((oin) =>
      Object.fromEntries(Object.entries(deliveries.find((d) => d.receiverOin === oin) ?? {}).filter(([k]) => k !== 'receiverOin' && k !== 'deliveredAt')),
    );
    expect(encrypted).toMatchObject({ status: 'delivered', mode: 'push' });
    expect(encrypted).toEqual(plain);
    const events = (await ctx.store.listEventsOfBericht(handover.berichtId)).filter((e) => e.type === 'delivery.delivered');
    expect(events.map((e) => ({ oin: e.oin, data: e.data })).sort((a, b) => a.oin.localeCompare(b.oin))).toEqual([
      { oin: DEMO_OIN.heerlen, data: { attempts: 1 } },
      { oin: DEMO_OIN.kerkrade, data: { attempts: 1 } },
    ]);
  });

  it('rotates: the old key until the new one starts (nbf), then the new one, also after the old one expired', async () => {
    const start = new Date();
    const keys = [withWindow(heerlenKey, { exp: new Date(start.getTime() + 2 * DAY) }), withWindow(nextKey, { nbf: new Date(start.getTime() + DAY) })];
    const { heerlen, worker, accept, advance } = await setup(ctx.store, keys, start);
    const kids: unknown[] = [];
    for (const step of [0, DAY + HOUR, DAY]) {
      advance(step);
      await accept();
      while ((await worker.runOnce()) > 0);
      kids.push(decodeProtectedHeader(heerlen.pushes.at(-1)?.body.toString('utf8') ?? '').kid);
    }
    expect(kids).toEqual([heerlenKey.sleutel.kid, nextKey.sleutel.kid, nextKey.sleutel.kid]);
    expect(await open(heerlen.pushes[1]?.body.toString('utf8') ?? '', nextKey)).toContain('"signatures"');
    expect(decodeProtectedHeader(heerlen.pushes[1]?.body.toString('utf8') ?? '').alg).toBe('RSA-OAEP-256');
  });

  it('pushes nothing, in plaintext or otherwise, once every key lapsed; delivers again once a new key is registered', async () => {
    const start = new Date();
    const { heerlen, worker, accept, advance, setHeerlenKeys } = await setup(ctx.store, [withWindow(heerlenKey, { exp: new Date(start.getTime() + HOUR) })], start);
    advance(2 * HOUR);
    const handover = await accept();
    await worker.runOnce();
    expect(heerlen.pushes).toEqual([]);
    const waiting = (await ctx.store.listDeliveries(handover.berichtId)).find((d) => d.receiverOin === DEMO_OIN.heerlen);
    expect(waiting).toMatchObject({ status: 'queued', lastErrorCode: 'ENC_NO_CURRENT_KEY' });

    await setHeerlenKeys([withWindow(heerlenKey, { exp: new Date(start.getTime() + HOUR) }), withWindow(nextKey, { nbf: new Date(start.getTime() + HOUR) })]);
    advance(DAY);
    while ((await worker.runOnce()) > 0);
    expect(heerlen.pushes.map((p) => p.headers['content-type'])).toEqual(['application/jose']);
    expect(JSON.parse(await open(heerlen.pushes[0]?.body.toString('utf8') ?? '', nextKey))).toMatchObject({ berichtId: handover.berichtId });
  });
});

describe.each(BACKENDS)('end-to-end encryption of the postbus on $name', ({ harness }) => {
  const ctx = useStore(harness);

  async function postbusSetup(store: Store) {
    const network: DemoNetwork = await createDemoNetwork({}, undefined, { kerkrade: [kerkradeKey.sleutel] });
    const registry = new StoreDeelnemerRepository(store, { ttlMs: 0 });
    for (const deelnemer of await network.registry.list()) await registry.put(deelnemer);
    const app = createApp({ store, registry, keys: registryKeyResolver(registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 100, burst: 1000 }) });
    const bericht = exampleBericht('overdracht-na-dienst-onderzoek');
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    const sent = await app.request('/v1/berichten', { method: 'POST', body: JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht)), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(sent.status).toBe(202);
    const read = async () => app.request('/v1/postbus', { headers: { authorization: `Bearer ${await createBearerToken(network.signers.kerkrade, DEMO_OIN.gateway)}` } });
    const setKerkradeKeys = async (sleutels: readonly Versleutelingssleutel[] | undefined) => {
      const rest = Object.fromEntries(Object.entries((await registry.get(DEMO_OIN.kerkrade)) ?? {}).filter(([k]) => k !== 'versleutelingssleutels'));
      await registry.put(sleutels === undefined ? rest : { ...rest, versleutelingssleutels: sleutels });
    };
    return { bericht, read, setKerkradeKeys };
  }

  it('returns the page as a JWE to a receiver with a current key, whose plaintext is the JSON page; marks it delivered as before', async () => {
    const { bericht, read } = await postbusSetup(ctx.store);
    const response = await read();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jose');
    const body = await response.text();
    expect(personalValuesIn(body)).toEqual([]);
    expect(decodeProtectedHeader(body)).toMatchObject({ alg: 'ECDH-ES', enc: 'A256GCM', kid: kerkradeKey.sleutel.kid, cty: 'application/json' });
    const page = JSON.parse(await open(body, kerkradeKey)) as { berichten: Bericht[] };
    expect(page.berichten.map((b) => b.berichtId)).toEqual([bericht.berichtId]);
    expect(JSON.stringify(page.berichten[0])).toBe((await ctx.store.getBericht(bericht.berichtId))?.body);
    const delivery = (await ctx.store.listDeliveries(bericht.berichtId)).find((d) => d.receiverOin === DEMO_OIN.kerkrade);
    expect(delivery).toMatchObject({ status: 'delivered', mode: 'pull' });
    const events = await ctx.store.listEventsOfBericht(bericht.berichtId);
    expect(events.filter((e) => e.type === 'delivery.delivered' && e.oin === DEMO_OIN.kerkrade).map((e) => e.data)).toEqual([{ via: 'postbus' }]);
  });

  it('returns plain JSON once the receiver has no encryption keys', async () => {
    const { bericht, read, setKerkradeKeys } = await postbusSetup(ctx.store);
    await setKerkradeKeys(undefined);
    const response = await read();
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as { berichten: Bericht[] }).berichten.map((b) => b.berichtId)).toEqual([bericht.berichtId]);
  });

  it('refuses with 409 and ENC-003, reading out and marking nothing, once every key lapsed', async () => {
    const { bericht, read, setKerkradeKeys } = await postbusSetup(ctx.store);
    await setKerkradeKeys([{ ...kerkradeKey.sleutel, revokedAt: new Date(Date.now() - HOUR).toISOString() }]);
    const response = await read();
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { issues: { rule: string }[] }).issues.map((i) => i.rule)).toEqual(['ENC-003']);
    expect((await ctx.store.listDeliveries(bericht.berichtId)).find((d) => d.receiverOin === DEMO_OIN.kerkrade)?.status).toBe('queued');
  });
});

describe.each(BACKENDS)('the reference receiver with an encryption key, behind a running gateway, on $name', ({ harness }) => {
  const ctx = useStore(harness);

  async function run(receiverKeys: readonly GeneratedEncryptionKey[]) {
    let gatewayUrl = '';
    const network0 = await createDemoNetwork();
    const heerlen: ReferenceReceiver = await startReferenceReceiver({
      signer: network0.signers.heerlen,
      rol: 'lokaal-team',
      gemeentecodes: [DEMO_GEMEENTECODE.heerlen],
      gatewayUrl: () => gatewayUrl,
      gatewayOin: DEMO_OIN.gateway,
      sendReceipts: false,
      decryptionKeys: receiverKeys.map((k) => k.key),
    });
    closers.push(() => heerlen.close());
    const network = await createDemoNetwork({ heerlen: heerlen.url }, { ...network0.signers, gateway: network0.gateway }, { heerlen: [heerlenKey.sleutel] });
    const gateway: RunningGateway = await startGateway({
      registry: network.registry,
      gateway: network.gateway,
      db: ctx.harness.url,
      storeOptions: ctx.harness.options,
      port: 0,
      allowPrivateEndpoints: true,
      timers: false,
      retention: false,
      console: false,
    });
    closers.push(() => gateway.close());
    gatewayUrl = gateway.url;
    const bericht = exampleBericht('overdracht-na-dienst-onderzoek');
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    const response = await fetch(`${gateway.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht)), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(response.status).toBe(202);
    const settled = async () => (await gateway.store.listDeliveries(bericht.berichtId)).find((d) => d.receiverOin === DEMO_OIN.heerlen);
    const deadline = Date.now() + 20_000;
    while (!['delivered', 'failed'].includes((await settled())?.status ?? '') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return { heerlen, bericht, delivery: await settled() };
  }

  it('decrypts the push with its key, then validates and verifies it (ENC-004) and takes it', async () => {
    const { heerlen, bericht, delivery } = await run([nextKey, heerlenKey]);
    expect(delivery?.status).toBe('delivered');
    expect(heerlen.received.map((b) => b.berichtId)).toEqual([bericht.berichtId]);
  });

  it('refuses with 400 (ENC-004) a JWE to a key it does not hold, which the gateway records as a dead letter', async () => {
    const { heerlen, delivery } = await run([nextKey]);
    expect(delivery).toMatchObject({ status: 'failed', lastErrorCode: 'HTTP_400' });
    expect(heerlen.received).toEqual([]);
  });
});

describe('ENC-002 at the edge: the push adapter', () => {
  it('refuses to push to a FHIR address with an encryption key rather than send plaintext (the registry already refuses the pair)', async () => {
    const receiver = await startRawReceiver();
    closers.push(() => receiver.close());
    const outcome = await pushBericht({ url: receiver.url, kanaal: 'fhir', body: '{}', token: 'not-used', encryptTo: heerlenKey.sleutel });
    expect(outcome).toEqual({ kind: 'refused', code: 'ENC_FHIR_NOT_SUPPORTED' });
    expect(receiver.pushes).toEqual([]);
  });
});
