/**
 * The client library (`zicht/client`) against a real gateway over HTTP, on SQLite and PostgreSQL: a VT
 * system submits a handover and gets the countersigned transport receipt; two gemeente systems read
 * their postbus (one as a JWE page opened with its own key, ENC-003/ENC-004), verify the bericht and
 * acknowledge it; the status shows it. Refusals carry the rule ids and no personal data; a 5xx or a
 * lost answer is retried with the same bytes, a 4xx never; a key directory that cannot be read is
 * "unavailable", never "no such key".
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientError, gatewayKeyResolver, generateEncryptionKey, generateSigningKey, ZichtClient } from '../../src/client/index.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, type DemoNetwork } from '../../src/demo/network.js';
import { SignatureError } from '../../src/errors.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { personalValuesIn } from '../helpers/examples.js';
import { BACKENDS, useStore } from '../store/backends.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

/** A local HTTP server that answers each request with the next of `answers` (status and body), recording the bodies it got. */
async function scripted(answers: readonly { status: number; body?: string; headers?: Record<string, string> }[], forward?: (body: string) => Promise<{ status: number; body: string }>): Promise<{ url: string; bodies: string[]; authorizations: (string | undefined)[]; arrivals: number[] }> {
  const bodies: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const arrivals: number[] = [];
  const server: Server = createServer((req, res) => {
    arrivals.push(Date.now());
    authorizations.push(req.headers.authorization);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      const answer = answers[bodies.length - 1];
      const reply: Promise<{ status: number; body?: string; headers?: Record<string, string> }> = answer === undefined && forward ? forward(body) : Promise.resolve(answer ?? { status: 500 });
      void reply.then(({ status, body: out, headers }) => {
        res.writeHead(status, { 'content-type': 'application/problem+json', ...headers }).end(out ?? '{}');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => { server.close(() => { resolve(); }); server.closeAllConnections(); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, authorizations, arrivals };
}

describe.each(BACKENDS)('the client library against a gateway on $name', ({ harness }) => {
  const ctx = useStore(harness);

  async function network(): Promise<{ gateway: RunningGateway; demo: DemoNetwork; kerkradeKey: Awaited<ReturnType<typeof generateEncryptionKey>> }> {
    const kerkradeKey = await generateEncryptionKey('ECDH-ES P-256');
    const demo = await createDemoNetwork({}, undefined, { kerkrade: [kerkradeKey.sleutel] });
    const gateway = await startGateway({
      registry: demo.registry,
      gateway: demo.gateway,
      db: ctx.harness.url,
      storeOptions: ctx.harness.options,
      port: 0,
      allowPrivateEndpoints: true,
      timers: false,
      retention: false,
      console: false,
    });
    closers.push(() => gateway.close());
    return { gateway, demo, kerkradeKey };
  }

  it('submits a signed handover, reads both postbusses (one encrypted), verifies and acknowledges, and the status shows it', async () => {
    const { gateway, demo, kerkradeKey } = await network();
    const vt = new ZichtClient({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg });
    const bericht = exampleBericht('overdracht-na-dienst-onderzoek');
    const receipt = await vt.submit(await vt.sign(bericht));
    expect(receipt.berichtId).toBe(bericht.berichtId);
    expect(receipt.ontvangers.map((o) => [o.oin, o.aflevering])).toEqual([[DEMO_OIN.heerlen, 'pull'], [DEMO_OIN.kerkrade, 'pull']]);

    const kerkrade = new ZichtClient({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.kerkrade, decryptionKeys: [kerkradeKey.key] });
    const page = await kerkrade.postbus();
    expect(page.encryptedTo).toBe(kerkradeKey.key.kid);
    expect(page.berichten.map((b) => b.berichtId)).toEqual([bericht.berichtId]);
    const verified = await kerkrade.verify(page.berichten[0]);
    expect(verified.sender.kid).toBe(demo.signers.vtZuidLimburg.kid);
    expect(verified.countersignatures).toHaveLength(1);

    const heerlen = new ZichtClient({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.heerlen });
    const plain = await heerlen.postbus({ limit: 10 });
    expect(plain.encryptedTo).toBeUndefined();
    expect(plain.berichten.map((b) => b.berichtId)).toEqual([bericht.berichtId]);

    await kerkrade.acknowledge(bericht.berichtId);
    const status = await vt.status(bericht.berichtId);
    expect(Object.fromEntries(status.ontvangers.map((o) => [o.oin, o.status]))).toEqual({ [DEMO_OIN.heerlen]: 'delivered', [DEMO_OIN.kerkrade]: 'acknowledged' });
  });

  it('refuses to open an encrypted postbus page without the key, and verify refuses a bericht changed after countersigning', async () => {
    const { gateway, demo } = await network();
    const vt = new ZichtClient({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg });
    const bericht = exampleBericht('overdracht-na-dienst-onderzoek');
    await vt.submit(await vt.sign(bericht));
    const keyless = new ZichtClient({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.kerkrade });
    await expect(keyless.postbus()).rejects.toMatchObject({ code: 'ZICHT_ENCRYPTION_KEY_UNKNOWN' });

    const heerlen = new ZichtClient({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.heerlen });
    const [pulled] = (await heerlen.postbus()).berichten;
    const changed = { ...pulled, verzondenOp: new Date(Date.now() + 60_000).toISOString() };
    await expect(heerlen.verify(changed)).rejects.toBeInstanceOf(SignatureError);
    const { signatures, ...withoutSignatures } = pulled ?? {};
    expect(signatures).toBeDefined();
    await expect(heerlen.verify({ ...withoutSignatures, signatures: (signatures as unknown[]).slice(0, 1) })).rejects.toMatchObject({ code: 'ZICHT_SIGNATURE_MISSING' });
  });

  it('reports a refusal with its rule ids and without personal data, after one attempt', async () => {
    const { gateway, demo } = await network();
    const vt = new ZichtClient({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg, retryDelaysMs: [1, 1] });
    const bericht = { ...exampleBericht('overdracht-na-dienst-onderzoek'), toelichting: 'not in the schema' } as unknown as Parameters<ZichtClient['sign']>[0];
    const error = await vt.submit(await vt.sign(bericht)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'ZICHT_CLIENT_REFUSED', problem: { status: 422 } });
    expect((error as ClientError).problem.issues.map((i) => i.rule)).toContain('BER-007');
    const text = `${(error as ClientError).message} ${JSON.stringify((error as ClientError).problem)}`;
    expect(personalValuesIn(text)).toEqual([]);
  });
});

describe('the client library, retries', () => {
  it('sends the same bytes again after a 503 and a 502 and returns the receipt of the attempt that got through', async () => {
    const demo = await createDemoNetwork();
    const gateway = await startGateway({ registry: demo.registry, gateway: demo.gateway, db: ':memory:', port: 0, allowPrivateEndpoints: true, timers: false, retention: false, console: false });
    closers.push(() => gateway.close());
    const vt = new ZichtClient({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg });
    const flaky = await scripted([{ status: 503 }, { status: 502 }], async (body) => {
      const response = await fetch(`${gateway.url}/v1/berichten`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${await vt.token()}` } });
      return { status: response.status, body: await response.text() };
    });
    // The proxy scripts only the submits; the receipt is checked with the gateway's published keys.
    const keys = gatewayKeyResolver({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway });
    const through = new ZichtClient({ gatewayUrl: flaky.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg, retryDelaysMs: [1, 1, 1], keys });
    const bericht = exampleBericht('overdracht-na-dienst-onderzoek');
    const receipt = await through.submit(await through.sign(bericht));
    expect(receipt.berichtId).toBe(bericht.berichtId);
    expect(flaky.bodies).toHaveLength(3);
    expect(new Set(flaky.bodies).size).toBe(1);
  });

  it('refuses a transport receipt whose countersignature does not verify over the bericht it sent, and does not resend', async () => {
    const demo = await createDemoNetwork();
    const gateway = await startGateway({ registry: demo.registry, gateway: demo.gateway, db: ':memory:', port: 0, allowPrivateEndpoints: true, timers: false, retention: false, console: false });
    closers.push(() => gateway.close());
    const vt = new ZichtClient({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg });
    const genuine = await vt.submit(await vt.sign(exampleBericht('overdracht-na-dienst-onderzoek')));
    // A receipt lifted from another bericht: well-formed and countersigned by the gateway, but not over this one.
    const forged = await scripted([{ status: 202, body: JSON.stringify(genuine) }]);
    const keys = gatewayKeyResolver({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway });
    const fooled = new ZichtClient({ gatewayUrl: forged.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg, retryDelaysMs: [1, 1], keys });
    await expect(fooled.submit(await fooled.sign(exampleBericht('overdracht-na-dienst-onderzoek')))).rejects.toMatchObject({ code: 'ZICHT_SIGNATURE_INVALID' });
    expect(forged.bodies).toHaveLength(1);
  });

  it('gives up as unavailable after every retry, and never retries a 4xx', async () => {
    const demo = await createDemoNetwork();
    const down = await scripted([{ status: 503 }, { status: 503 }, { status: 503 }]);
    const client = new ZichtClient({ gatewayUrl: down.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg, retryDelaysMs: [1, 1] });
    const signed = await client.sign(exampleBericht('overdracht-na-dienst-onderzoek'));
    await expect(client.submit(signed)).rejects.toMatchObject({ code: 'ZICHT_CLIENT_UNAVAILABLE', problem: { status: 503 } });
    expect(down.bodies).toHaveLength(3);

    const refusing = await scripted([{ status: 422, body: JSON.stringify({ title: 'refused', status: 422, issues: [{ rule: 'OVD-013', path: '$.inhoud', message: 'x' }] }) }]);
    const refused = new ZichtClient({ gatewayUrl: refusing.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg, retryDelaysMs: [1, 1] });
    await expect(refused.submit(signed)).rejects.toMatchObject({ code: 'ZICHT_CLIENT_REFUSED', problem: { issues: [{ rule: 'OVD-013', path: '$.inhoud' }] } });
    expect(refusing.bodies).toHaveLength(1);
  });

  it('retries 408, 425 and 429 with the same bytes, a 401 once with a new token, and then takes a second 401 as final (Q70)', async () => {
    const demo = await createDemoNetwork();
    const busy = await scripted([{ status: 408 }, { status: 425 }, { status: 429 }]);
    const client = new ZichtClient({ gatewayUrl: busy.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg, retryDelaysMs: [1, 1] });
    const signed = await client.sign(exampleBericht('overdracht-na-dienst-onderzoek'));
    await expect(client.submit(signed)).rejects.toMatchObject({ code: 'ZICHT_CLIENT_UNAVAILABLE', problem: { status: 429 } });
    expect(busy.bodies).toHaveLength(3);
    expect(new Set(busy.bodies).size).toBe(1);

    const unauthorized = await scripted([{ status: 401 }, { status: 401 }, { status: 401 }]);
    const refused = new ZichtClient({ gatewayUrl: unauthorized.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg, retryDelaysMs: [1, 1] });
    await expect(refused.submit(signed)).rejects.toMatchObject({ code: 'ZICHT_CLIENT_REFUSED', problem: { status: 401 } });
    expect(unauthorized.bodies).toHaveLength(2);
    expect(new Set(unauthorized.authorizations).size).toBe(2);
  });

  it('sends again not before the gateway\'s Retry-After, however short its own backoff step (receiver.md §9; reading round 38)', async () => {
    const demo = await createDemoNetwork();
    const limited = await scripted([{ status: 429, headers: { 'retry-after': '1' } }, { status: 503 }]);
    const client = new ZichtClient({ gatewayUrl: limited.url, gatewayOin: DEMO_OIN.gateway, signer: demo.signers.vtZuidLimburg, retryDelaysMs: [1, 1] });
    await expect(client.submit(await client.sign(exampleBericht('overdracht-na-dienst-onderzoek')))).rejects.toMatchObject({ code: 'ZICHT_CLIENT_UNAVAILABLE' });
    expect(limited.bodies).toHaveLength(3);
    const [first = 0, second = 0] = limited.arrivals;
    // A lower bound, not a timing target: the second attempt waited for the Retry-After (1 s), not the 1 ms step.
    expect(second - first).toBeGreaterThanOrEqual(990);
  });

  it('treats an unreadable key directory as unavailable (fail closed, retry later), and an unknown participant as no key', async () => {
    const broken = await scripted([{ status: 500 }]);
    await expect(gatewayKeyResolver({ gatewayUrl: broken.url, gatewayOin: DEMO_OIN.gateway }).resolve(DEMO_OIN.vtZuidLimburg, 'kid')).rejects.toMatchObject({ code: 'ZICHT_CLIENT_UNAVAILABLE' });
    const missing = await scripted([{ status: 404 }]);
    expect(await gatewayKeyResolver({ gatewayUrl: missing.url, gatewayOin: DEMO_OIN.gateway }).resolve(DEMO_OIN.vtZuidLimburg, 'kid')).toBeUndefined();
    await expect(gatewayKeyResolver({ gatewayUrl: 'http://127.0.0.1:1', gatewayOin: DEMO_OIN.gateway }).resolve(DEMO_OIN.vtZuidLimburg, 'kid')).rejects.toMatchObject({ code: 'ZICHT_CLIENT_UNAVAILABLE' });
  });

  it('treats a 404 for the gateway\'s own OIN, and a 200 that is no JWK Set, as a directory that cannot serve (AFL-004: 503, not a refusal)', async () => {
    const noGateway = await scripted([{ status: 404 }]);
    await expect(gatewayKeyResolver({ gatewayUrl: noGateway.url, gatewayOin: DEMO_OIN.gateway }).resolve(DEMO_OIN.gateway, 'kid')).rejects.toMatchObject({ code: 'ZICHT_CLIENT_UNAVAILABLE' });
    const notASet = await scripted([{ status: 200, body: JSON.stringify({ status: 'ok' }) }]);
    await expect(gatewayKeyResolver({ gatewayUrl: notASet.url, gatewayOin: DEMO_OIN.gateway }).resolve(DEMO_OIN.vtZuidLimburg, 'kid')).rejects.toMatchObject({ code: 'ZICHT_CLIENT_UNAVAILABLE' });
    const emptySet = await scripted([{ status: 200, body: JSON.stringify({ keys: [] }) }]);
    expect(await gatewayKeyResolver({ gatewayUrl: emptySet.url, gatewayOin: DEMO_OIN.gateway }).resolve(DEMO_OIN.vtZuidLimburg, 'kid')).toBeUndefined();
  });

  it('treats an entry under the sought kid that cannot be read as keys that cannot be obtained (503), and two entries under one kid as valid only where both are (receiver.md §4, Q76-Q80, Q168)', async () => {
    const { kid, publicJwk } = await generateSigningKey('ES256');
    const resolve = async (...entries: object[]) => {
      const directory = await scripted([{ status: 200, body: JSON.stringify({ keys: entries }) }]);
      return gatewayKeyResolver({ gatewayUrl: directory.url, gatewayOin: DEMO_OIN.gateway }).resolve(DEMO_OIN.vtZuidLimburg, kid);
    };
    const noY = Object.fromEntries(Object.entries(publicJwk).filter(([name]) => name !== 'y'));
    await expect(resolve({ ...noY, kid })).rejects.toMatchObject({ code: 'ZICHT_CLIENT_UNAVAILABLE' });
    await expect(resolve({ ...publicJwk, kid, exp: 1_900_000_000 })).rejects.toMatchObject({ code: 'ZICHT_CLIENT_UNAVAILABLE' });
    await expect(resolve({ ...publicJwk, kid, d: 'A'.repeat(43) })).rejects.toMatchObject({ code: 'ZICHT_CLIENT_UNAVAILABLE' });
    // An unreadable entry under another kid decides nothing about this one.
    expect(await resolve({ ...noY, kid: 'other' }, { ...publicJwk, kid, use: 'sig' })).toMatchObject({ kid, jwk: { kty: 'EC', x: (publicJwk as { x: string }).x } });
    const twice = await resolve({ ...publicJwk, kid, nbf: '2026-01-01T00:00:00Z', exp: '2027-06-01T00:00:00+02:00' }, { ...publicJwk, kid, nbf: '2026-03-01T00:00:00Z', revokedAt: '2026-12-01T00:00:00Z' });
    expect(twice).toMatchObject({ nbf: Date.parse('2026-03-01T00:00:00Z') / 1000, exp: Date.parse('2027-05-31T22:00:00Z') / 1000, revokedAt: Date.parse('2026-12-01T00:00:00Z') / 1000 });
  });
});
