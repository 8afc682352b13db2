/**
 * The gateway's HTTP API in-process (app.request()), on SQLite and PostgreSQL: the accept path and
 * its whole error table, status per receiver, the postbus, and no personal data in any refusal.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { OutboxLimit } from '../../src/delivery/outbox-limit.js';
import { memoryReplayGuard } from '../../src/http/auth.js';
import { storeReplayGuard } from '../../src/http/replay.js';
import { groupCommit } from '../../src/store/group-commit.js';
import { createLog } from '../../src/observability/log.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork, type DemoParty } from '../../src/demo/network.js';
import { Transportbevestiging } from '../../src/model/transportbevestiging.js';
import type { Bericht } from '../../src/model/bericht.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import type { Store } from '../../src/store/store.js';
import { personalValues } from '../helpers/examples.js';
import { BACKENDS, useStore } from '../store/backends.js';

const network: DemoNetwork = await createDemoNetwork();

function deps(store: Store, options: { burst?: number; perSecond?: number } = {}) {
  return {
    store,
    registry: network.registry,
    keys: registryKeyResolver(network.registry),
    gateway: network.gateway,
    replay: memoryReplayGuard(),
    rateLimit: tokenBucket({ perSecond: options.perSecond ?? 100, burst: options.burst ?? 1000 }),
  };
}

function gateway(store: Store, options: { burst?: number; perSecond?: number } = {}) {
  return createApp(deps(store, options));
}

async function post(app: ReturnType<typeof gateway>, party: DemoParty, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const token = await createBearerToken(network.signers[party], DEMO_OIN.gateway);
  return app.request('/v1/berichten', { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers } });
}

async function get(app: ReturnType<typeof gateway>, party: DemoParty, path: string) {
  const token = await createBearerToken(network.signers[party], DEMO_OIN.gateway);
  return app.request(path, { headers: { authorization: `Bearer ${token}` } });
}

const handover = (): Bericht => exampleBericht('overdracht-na-dienst-onderzoek');
const signed = async (party: DemoParty, bericht: Bericht): Promise<string> => JSON.stringify(await signAs(network, party, bericht));

describe.each(BACKENDS)('POST /v1/berichten on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('accepts a signed handover with 202 and a countersigned transport receipt, after storing it', async () => {
    const app = gateway(ctx.store);
    const bericht = handover();
    const response = await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', bericht));
    expect(response.status).toBe(202);
    expect(response.headers.get('api-version')).toBe('1.0.0');
    const receipt = Transportbevestiging.parse(await response.json());
    expect(receipt.berichtId).toBe(bericht.berichtId);
    expect(receipt.ontvangers.map((o) => o.oin)).toEqual([DEMO_OIN.heerlen, DEMO_OIN.kerkrade]);
    const stored = await ctx.store.getBericht(bericht.berichtId);
    expect(stored?.receipt).toBe(JSON.stringify(receipt));
    expect((JSON.parse(stored!.body) as Bericht).signatures).toHaveLength(2);
    expect((await ctx.store.listDeliveries(bericht.berichtId)).map((d) => d.status)).toEqual(['queued', 'queued']);
  });

  it('returns the original receipt for the same bericht again and stores nothing new', async () => {
    const app = gateway(ctx.store);
    const body = await signed('vtZuidLimburg', handover());
    const first = await (await post(app, 'vtZuidLimburg', body)).json();
    const again = await post(app, 'vtZuidLimburg', body);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(first);
  });

  it('refuses the same id with other content with 409 (BER-015)', async () => {
    const app = gateway(ctx.store);
    const bericht = handover();
    await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', bericht));
    const other = { ...bericht, dossier: { ...bericht.dossier, volgnummer: 9 } };
    const response = await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', other));
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await response.json())).toMatchObject({ status: 409, issues: [{ rule: 'BER-015' }] });
  });

  it.each([
    ['malformed JSON', '{"specVersie":', 400, 'BER-001'],
    ['rule violations', JSON.stringify({ ...handover(), inAntwoordOp: undefined, berichtType: 'overdracht', dossier: { referentie: 'VT-999990019', volgnummer: 1 } }), 422, 'BER-009'],
  ])('refuses %s with %i and the rule id', async (_label, body, status, rule) => {
    const response = await post(gateway(ctx.store), 'vtZuidLimburg', body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { issues: { rule: string }[] }).issues.map((i) => i.rule)).toContain(rule);
  });

  it('refuses an unsigned bericht and a changed one with 422 citing a SIG rule', async () => {
    const app = gateway(ctx.store);
    const unsigned = await post(app, 'vtZuidLimburg', JSON.stringify(handover()));
    expect(unsigned.status).toBe(422);
    expect(await unsigned.json()).toMatchObject({ issues: [{ rule: 'SIG-001' }] });
    const tampered = JSON.parse(await signed('vtZuidLimburg', handover())) as Bericht;
    if (tampered.berichtType === 'overdracht') tampered.inhoud.melding.urgent = !tampered.inhoud.melding.urgent;
    const changed = await post(app, 'vtZuidLimburg', JSON.stringify(tampered));
    expect(changed.status).toBe(422);
    expect(await changed.json()).toMatchObject({ issues: [{ rule: 'SIG-005' }] });
  });

  it('refuses over the size limit with 413, a wrong content type with 415', async () => {
    const app = gateway(ctx.store);
    expect((await post(app, 'vtZuidLimburg', ' '.repeat(1_048_577))).status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    const chunked = await app.request('/v1/berichten', { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(chunked.status).toBe(413);
    expect((await post(app, 'vtZuidLimburg', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('refuses without a token (401), with a replayed token (401), and a bericht of another sender (403)', async () => {
    const app = gateway(ctx.store);
    const body = await signed('vtZuidLimburg', handover());
    const none = await app.request('/v1/berichten', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(401);
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    expect((await app.request('/v1/berichten', { method: 'POST', body, headers })).status).toBe(202);
    expect((await app.request('/v1/berichten', { method: 'POST', body, headers })).status).toBe(401);
    expect((await post(app, 'heerlen', body)).status).toBe(403);
  });

  it('refuses a token replayed at another gateway on the same database (shared jti store)', async () => {
    const [first, second] = [0, 1].map(() =>
      createApp({ store: ctx.store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: storeReplayGuard(ctx.store), rateLimit: tokenBucket({ perSecond: 100, burst: 100 }) }),
    );
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const body = await signed('vtZuidLimburg', handover());
    expect((await first!.request('/v1/berichten', { method: 'POST', body, headers })).status).toBe(202);
    const replayed = await second!.request('/v1/berichten', { method: 'POST', body, headers });
    expect(replayed.status).toBe(401);
    expect(await replayed.text()).toContain('ZICHT_AUTH_TOKEN_REPLAYED');
  });

  it('records a write\'s jti before any answer, also when it goes with the bericht\'s own transaction (CFG-020)', async () => {
    // Two gateway processes on one database, each with its group commit as `zicht serve` has.
    const [first, second] = [0, 1].map(() => {
      const commit = groupCommit(ctx.store);
      return createApp({ store: ctx.store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: storeReplayGuard(ctx.store, { commit }), rateLimit: tokenBucket({ perSecond: 100, burst: 100 }), commit });
    });
    // Each bericht in a dossier of its own: only the token can be the reason for a refusal.
    const handover = (): Bericht => ({ ...exampleBericht('overdracht-na-dienst-onderzoek'), dossier: { referentie: `VTZL-T-${randomUUID().slice(0, 8)}`, volgnummer: 1 } });
    const send = async (app: ReturnType<typeof gateway> | undefined, token: string, body: string) =>
      app!.request('/v1/berichten', { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    // A token the database knows (used at another gateway process) with a new bericht: 401, and the bericht is not stored.
    const used = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    expect((await send(first, used, await signed('vtZuidLimburg', handover()))).status).toBe(202);
    const fresh = handover();
    const replayed = await send(second, used, await signed('vtZuidLimburg', fresh));
    expect(replayed.status).toBe(401);
    expect(await replayed.text()).toContain('ZICHT_AUTH_TOKEN_REPLAYED');
    expect(await ctx.store.getBericht(fresh.berichtId)).toBeUndefined();
    // Refused before the write transaction (422, 413): the jti is recorded all the same, so another gateway refuses it.
    const refused = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    expect((await send(first, refused, await signed('vtZuidLimburg', { ...handover(), berichtType: 'onbekend' } as unknown as Bericht))).status).toBe(422);
    expect((await send(second, refused, await signed('vtZuidLimburg', handover()))).status).toBe(401);
    const tooLarge = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    expect((await send(first, tooLarge, 'x'.repeat(1_048_577))).status).toBe(413);
    expect((await send(second, tooLarge, await signed('vtZuidLimburg', handover()))).status).toBe(401);
  });

  it('keeps the request traceparent with the bericht and answers with the same trace', async () => {
    const app = gateway(ctx.store);
    const bericht = handover();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', bericht), { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(response.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect((await ctx.store.getBericht(bericht.berichtId))?.traceparent).toBe(response.headers.get('traceparent'));
  });

  it.each([false, true])('accepts one of several concurrent berichten with the same sequence number in a dossier (BER-011; group commit: %s)', async (grouped) => {
    const app = createApp({
      store: ctx.store,
      registry: network.registry,
      keys: registryKeyResolver(network.registry),
      gateway: network.gateway,
      replay: memoryReplayGuard(),
      rateLimit: tokenBucket({ perSecond: 100, burst: 100 }),
      ...(grouped ? { commit: groupCommit(ctx.store) } : {}),
    });
    const bodies = await Promise.all(Array.from({ length: 5 }, () => signed('vtZuidLimburg', handover())));
    const responses = await Promise.all(bodies.map((body) => post(app, 'vtZuidLimburg', body)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 422, 422, 422, 422]);
    const refusals = await Promise.all(responses.filter((r) => r.status === 422).map((r) => r.json() as Promise<{ issues: { rule: string }[] }>));
    for (const refusal of refusals) expect(refusal.issues.map((i) => i.rule)).toContain('BER-011');
  });

  it('limits the rate per participant with 429 and Retry-After', async () => {
    // One request per 10 s: the second comes long before a token is back, however slow the machine.
    const app = gateway(ctx.store, { burst: 1, perSecond: 0.1 });
    expect((await post(app, 'vtZuidLimburg', '{')).status).toBe(400);
    const limited = await post(app, 'vtZuidLimburg', '{');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(9);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(10);
  });

  it('answers 503 and stores nothing when the database is gone', async () => {
    const app = gateway(ctx.store);
    await ctx.store.close();
    const response = await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', handover()));
    expect(response.status).toBe(503);
    expect((await app.request('/v1/ready')).status).toBe(503);
  });

  it('shows the status per receiver to the sender and receivers only', async () => {
    const app = gateway(ctx.store);
    const bericht = handover();
    await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', bericht));
    const status = await get(app, 'heerlen', `/v1/berichten/${bericht.berichtId}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ ontvangers: [{ oin: DEMO_OIN.heerlen, status: 'queued' }, { oin: DEMO_OIN.kerkrade, status: 'queued' }] });
  });

  it('serves a pull receiver its postbus, and an ontvangstbevestiging acknowledges the handover', async () => {
    const app = gateway(ctx.store);
    const bericht = handover();
    await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', bericht));
    const postbus = (await (await get(app, 'kerkrade', '/v1/postbus')).json()) as { berichten: Bericht[] };
    expect(postbus.berichten.map((b) => b.berichtId)).toEqual([bericht.berichtId]);
    expect(postbus.berichten[0]!.signatures).toHaveLength(2);

    const receipt = exampleBericht('ontvangstbevestiging-niet-geaccepteerd');
    const answer = { ...receipt, inAntwoordOp: bericht.berichtId, inhoud: { ...receipt.inhoud, ontvangenOp: receipt.verzondenOp } } as Bericht;
    const response = await post(app, 'kerkrade', await signed('kerkrade', answer));
    expect(response.status, await response.clone().text()).toBe(202);
    const status = (await (await get(app, 'vtZuidLimburg', `/v1/berichten/${bericht.berichtId}`)).json()) as { ontvangers: { oin: string; status: string }[] };
    expect(status.ontvangers.find((o) => o.oin === DEMO_OIN.kerkrade)?.status).toBe('acknowledged');
  });

  it('refuses a receipt filed in another dossier than its handover with 422 naming BER-013', async () => {
    const app = gateway(ctx.store);
    const bericht = handover();
    await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', bericht));
    const receipt = exampleBericht('ontvangstbevestiging-niet-geaccepteerd');
    const answer = { ...receipt, inAntwoordOp: bericht.berichtId, dossier: { referentie: 'VT-OTHER-DOSSIER-1', volgnummer: 1 }, inhoud: { ...receipt.inhoud, ontvangenOp: receipt.verzondenOp } } as Bericht;
    const response = await post(app, 'kerkrade', await signed('kerkrade', answer));
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { issues: { rule: string }[] };
    expect(problem.issues.map((i) => i.rule)).toContain('BER-013');
  });

  it('refuses berichten for a receiver whose outbox is full with 503, Retry-After and RTE-004, until it drains', async () => {
    const outbox = new OutboxLimit(ctx.store, 2);
    const app = createApp({ ...deps(ctx.store), receiverFull: (oin) => outbox.isFull(oin) });
    const fresh = (n: number): Bericht => ({ ...handover(), dossier: { referentie: `VTZL-B-OUTBOX${String(n)}`, volgnummer: 1 } });
    const first = fresh(1);
    for (const bericht of [first, fresh(2)]) expect((await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', bericht))).status).toBe(202);
    await outbox.refresh();
    expect(outbox.depths.get(DEMO_OIN.heerlen)).toBe(2);
    const refused = await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', fresh(3)));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(((await refused.json()) as { issues: { rule: string }[] }).issues.map((i) => i.rule)).toEqual(['RTE-004']);
    for (const oin of [DEMO_OIN.heerlen, DEMO_OIN.kerkrade]) await ctx.store.markDelivered({ berichtId: first.berichtId, receiverOin: oin }, new Date());
    await outbox.refresh();
    expect((await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', fresh(3)))).status).toBe(202);
  });

  it('logs one line per request, with route, status and caller, and no personal data', async () => {
    const lines: string[] = [];
    const log = createLog({ destination: { write: (line: string) => void lines.push(line) } });
    const app = createApp({ store: ctx.store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 100, burst: 100 }), log });
    const bericht = handover();
    await post(app, 'vtZuidLimburg', await signed('vtZuidLimburg', bericht));
    await post(app, 'vtZuidLimburg', JSON.stringify({ ...handover(), dossier: { referentie: 'VT-999990019', volgnummer: 1 }, Willems: 'Daan' }));
    await get(app, 'heerlen', `/v1/berichten/${bericht.berichtId}`);
    const entries = lines.map((line) => JSON.parse(line) as { msg: string; route: string; status: number; oin?: string });
    expect(entries.map((e) => [e.msg, e.route, e.status])).toEqual([
      ['request', '/v1/berichten', 202],
      ['request', '/v1/berichten', 422],
      ['request', '/v1/berichten/:id', 200],
    ]);
    expect(entries[2]?.oin).toBe(DEMO_OIN.heerlen);
    for (const secret of [...personalValues(), 'Willems', 'Daan', '999990019']) expect(lines.join('')).not.toContain(secret);
  });

  it('never echoes personal data in a refusal', async () => {
    const app = gateway(ctx.store);
    const secrets = personalValues();
    const broken = { ...handover(), dossier: { referentie: 'VT-999990019', volgnummer: 1 }, Willems: 'Daan' };
    for (const body of [JSON.stringify(broken), JSON.stringify({ ...handover(), Pietersen: 1 })]) {
      const text = await (await post(app, 'vtZuidLimburg', body)).text();
      for (const secret of [...secrets, 'Willems', 'Daan']) expect(text).not.toContain(secret);
    }
  });
});

describe('meta routes', () => {
  it('serves the OpenAPI document, health, and the gateway and participant JWKS', async () => {
    const app = createApp({
      store: { ping: () => Promise.resolve(true) } as unknown as Store,
      registry: network.registry,
      keys: registryKeyResolver(network.registry),
      gateway: network.gateway,
      replay: memoryReplayGuard(),
      rateLimit: tokenBucket({ perSecond: 1, burst: 1 }),
    });
    expect(((await (await app.request('/v1/openapi.json')).json()) as { openapi: string }).openapi).toBe('3.1.0');
    expect((await app.request('/v1/health')).status).toBe(200);
    const jwks = (await (await app.request('/.well-known/jwks.json')).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([network.gateway.kid]);
    const participant = (await (await app.request(`/v1/deelnemers/${DEMO_OIN.heerlen}/jwks`)).json()) as { keys: { kid: string }[] };
    expect(participant.keys.map((k) => k.kid)).toEqual([network.signers.heerlen.kid]);
    expect((await app.request('/v1/deelnemers/00000000000000000000/jwks')).status).toBe(404);
    expect((await app.request('/v1/nope')).headers.get('content-type')).toBe('application/problem+json');
  });
});
