/**
 * `zicht zgw --config FILE` (issue 20): the ZGW adapter as a process of its own. A Zicht gateway (real, on
 * localhost) pushes a VT's handover to it; it makes the zaak in a fake of the gemeente's ZGW APIs served over
 * real HTTP (./zgw-api.ts: the checks the real APIs make) and answers with the automatic `ontvangen` (AFL-005),
 * which the gateway accepts. Its links are in the default SQLite store next to the configuration, so the process
 * started again makes no second zaak or receipt for the same handover pushed again (AFL-006), and a second process
 * on the same store is refused. A refused
 * configuration exits 2 naming the member and the rule; --help exits 0; SIGTERM stops it with 0. `npm run build` has run (pretest): the process runs bin/zicht.js.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigner, generateSigningKey, ZichtClient } from '../../../src/client/index.js';
import { createDemoKeys, createDemoNetwork, DEMO_OIN, exampleBericht } from '../../../src/demo/network.js';
import type { Bericht } from '../../../src/model/bericht.js';
import { Betrokkenenrol } from '../../../src/model/persoon.js';
import { startGateway, type RunningGateway } from '../../../src/server/gateway.js';
import { createBearerToken } from '../../../src/signing/bearer-token.js';
import type { Signer } from '../../../src/signing/signer.js';
import { Keyring } from '../../../src/store/keyring.js';
import { runCli } from '../../helpers/cli.js';
import { personalValues } from '../../helpers/examples.js';
import { CLIENT, ZgwFake, zgwHandlers } from './zgw-api.js';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'zicht-zgw-process-'));
const closers: (() => Promise<void>)[] = [];

const body = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => { resolve(Buffer.concat(chunks)); });
  });

/** The fake ZGW installation as a real HTTP server; a request no handler takes is answered 501 and recorded. */
async function zgwServer(): Promise<{ fake: ZgwFake; unhandled: string[] }> {
  const unhandled: string[] = [];
  const holder: { fake?: ZgwFake } = {};
  const server: Server = createServer((req, res) => {
    void (async () => {
      const fake = holder.fake;
      const bytes = await body(req);
      const url = `http://${req.headers.host ?? ''}${req.url ?? '/'}`;
      const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])));
      const request = new Request(url, { method: req.method ?? 'GET', headers, ...(bytes.length > 0 ? { body: bytes } : {}) });
      const response = fake === undefined ? undefined : await getResponse(zgwHandlers(fake), request);
      if (response === undefined) {
        unhandled.push(`${req.method ?? ''} ${url}`);
        res.writeHead(501).end();
        return;
      }
      res.writeHead(response.status, Object.fromEntries(response.headers.entries())).end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => { server.close(() => { resolve(); }); server.closeAllConnections(); }));
  holder.fake = new ZgwFake(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}`);
  return { fake: holder.fake, unhandled };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return port;
}

/** Starts `zicht zgw --config FILE`; resolves once it printed "ready". */
async function startAdapter(config: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'zicht.js'), 'zgw', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  for (let i = 0; !output.includes('ready'); i++) {
    if (child.exitCode !== null || i > 600) throw new Error(`the adapter did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output };
}

let gateway: RunningGateway;
let zgw: Awaited<ReturnType<typeof zgwServer>>;
let configFile: string;
let adapterPort: number;
let vt: ZichtClient;
let goodConfig: Record<string, unknown>;
let gatewaySigner: Signer;

/** SIGTERM; resolves once the process exited with 0. */
async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code); }));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}

beforeAll(async () => {
  zgw = await zgwServer();
  adapterPort = await freePort();
  const heerlenKey = await generateSigningKey('ES256');
  const keys = { ...(await createDemoKeys()), heerlen: await createSigner({ privateJwk: heerlenKey.privateJwk, oin: DEMO_OIN.heerlen }) };
  const network = await createDemoNetwork({ heerlen: `http://127.0.0.1:${String(adapterPort)}` }, keys);
  gatewaySigner = network.gateway;
  gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: join(dir, 'zicht.db'), port: 0, allowPrivateEndpoints: true, keyring: Keyring.generate('zgw-test'), console: false, timers: false, retention: false, retryPolicy: { baseMs: 100, maxDelayMs: 500, windowMs: 60_000 } });
  closers.push(() => gateway.close());
  vt = new ZichtClient({ gatewayUrl: gateway.url, gatewayOin: DEMO_OIN.gateway, signer: network.signers.vtZuidLimburg });

  writeFileSync(join(dir, 'heerlen.private.jwk.json'), JSON.stringify({ ...heerlenKey.privateJwk, oin: DEMO_OIN.heerlen }), { mode: 0o600 });
  writeFileSync(join(dir, 'zgw.secret'), `${CLIENT.secret}\n`, { mode: 0o600 });
  const { fake } = zgw;
  goodConfig = {
    listen: { host: '127.0.0.1', port: adapterPort },
    gemeente: { oin: DEMO_OIN.heerlen, rol: 'lokaal-team', key: 'heerlen.private.jwk.json', gemeentecodes: ['GM0917'] },
    gateway: { url: gateway.url, oin: DEMO_OIN.gateway },
    zgw: { clientId: CLIENT.clientId, secretFile: 'zgw.secret', zaken: fake.api.zaken, documenten: fake.api.documenten },
    rsin: '002220647',
    catalogus: {
      zaaktype: fake.zaaktype,
      informatieobjecttype: fake.informatieobjecttype,
      roltypen: Object.fromEntries(Betrokkenenrol.options.map((rol) => [rol, fake.roltype()])),
      statustypeGeaccepteerd: fake.statustypeGeaccepteerd,
    },
    notificatieAuth: 'Token abonnement-heerlen',
    behandelaar: { team: 'Sociaal team Heerlen-Noord', telefoon: '045-5600000' },
    regie: DEMO_OIN.heerlen,
    retry: { baseMs: 100, maxDelayMs: 500, windowMs: 60_000 },
  };
  configFile = join(dir, 'zgw.json');
  writeFileSync(configFile, JSON.stringify(goodConfig, null, 2));
});

afterAll(async () => {
  while (closers.length > 0) await closers.pop()?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('zicht zgw --config FILE', () => {
  it('runs the adapter as a process: a pushed handover becomes a zaak and is answered with ontvangen; SIGTERM stops it with 0', { timeout: 60_000 }, async () => {
    const adapter = await startAdapter(configFile);
    const bericht = exampleBericht('overdracht-na-dienst-onderzoek');
    await vt.submit(await vt.sign(bericht));
    let receipts: Bericht[] = [];
    for (let i = 0; i < 300; i++) {
      receipts = [];
      for (const event of await gateway.store.listEventsOfDossier(bericht.dossier.referentie)) {
        if (event.type !== 'bericht.accepted' || event.oin !== DEMO_OIN.heerlen) continue;
        const stored = await gateway.store.getBericht(event.berichtId);
        if (stored !== undefined) receipts.push(JSON.parse(stored.body) as Bericht);
      }
      if (receipts.length > 0 && zgw.fake.zaken.size > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The zaak, with the handover's kenmerken, its informatieobject and rollen, as the Zaken API took them.
    expect(zgw.fake.refusals).toEqual([]);
    expect(zgw.unhandled).toEqual([]);
    const [zaak] = [...zgw.fake.zaken.values()];
    expect(zaak).toMatchObject({ zaaktype: zgw.fake.zaaktype, bronorganisatie: '002220647', vertrouwelijkheidaanduiding: 'zeer_geheim' });
    expect(JSON.stringify(zaak?.kenmerken)).toContain(bericht.berichtId);
    expect(zgw.fake.zaakinformatieobjecten).toHaveLength(1);
    expect(zgw.fake.rollen.length).toBeGreaterThan(0);
    // AFL-005: one ontvangen, signed by Heerlen and countersigned by the gateway.
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ berichtType: 'ontvangstbevestiging', inAntwoordOp: bericht.berichtId, inhoud: { status: 'ontvangen' } });
    expect(receipts[0]?.signatures).toHaveLength(2);
    const status = await vt.status(bericht.berichtId);
    expect(status.ontvangers.find((o) => o.oin === DEMO_OIN.heerlen)?.status).toBe('acknowledged');

    await stop(adapter.child);
    expect(adapter.output()).toContain('zgw.zaak');
    for (const secret of [...personalValues(), CLIENT.secret]) expect(adapter.output(), secret).not.toContain(secret);

    // The links are in the default store next to the configuration: started again, the process makes no second
    // zaak and sends no second receipt for the same handover pushed again (AFL-006).
    expect(existsSync(join(dir, 'zgw-links.sqlite'))).toBe(true);
    const again = await startAdapter(configFile);
    const stored = await gateway.store.getBericht(bericht.berichtId);
    const push = await fetch(`http://127.0.0.1:${String(adapterPort)}/berichten`, {
      method: 'POST',
      body: stored?.body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(gatewaySigner, DEMO_OIN.heerlen)}` },
    });
    expect(push.status).toBe(202);
    // A second process on the same store is refused at its start (CFG-005): it would make its own zaak for a
    // handover the running one is making, and number receipts the running one numbers too.
    const second = await runCli('zgw', '--config', configFile);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('store:');
    expect(second.stderr).toContain('another process');
    expect(second.stderr).toContain('(CFG-005)');
    await stop(again.child);
    expect(zgw.fake.zaken.size).toBe(1);
    expect(zgw.fake.zaakinformatieobjecten).toHaveLength(1);
    const events = await gateway.store.listEventsOfDossier(bericht.dossier.referentie);
    expect(events.filter((e) => e.type === 'bericht.accepted' && e.oin === DEMO_OIN.heerlen).map((e) => e.berichtId)).toEqual([receipts[0]?.berichtId]);
  });

  it('refuses a configuration naming the member and the rule, never the secret, and exits 2', async () => {
    const cases: { name: string; config: unknown; member: string; rule: string }[] = [
      { name: 'url', config: { ...goodConfig, zgw: { ...(goodConfig.zgw as object), zaken: 'geen url' } }, member: 'zgw.zaken', rule: 'CFG-003' },
      { name: 'rsin', config: { ...goodConfig, rsin: '12' }, member: 'rsin', rule: 'CFG-003' },
      { name: 'unknown', config: { ...goodConfig, extra: true }, member: '(the file)', rule: 'CFG-003' },
      { name: 'both-secrets', config: { ...goodConfig, zgw: { ...(goodConfig.zgw as object), secret: CLIENT.secret } }, member: 'zgw.secret', rule: 'CFG-003' },
      { name: 'roltype', config: { ...goodConfig, catalogus: { ...(goodConfig.catalogus as object), roltypen: {} } }, member: 'catalogus.roltypen.slachtoffer', rule: 'CFG-003' },
      { name: 'key', config: { ...goodConfig, gemeente: { ...(goodConfig.gemeente as object), key: 'missing.jwk.json' } }, member: 'gemeente.key', rule: 'CFG-005' },
      { name: 'port', config: { ...goodConfig, listen: { port: 70_000 } }, member: 'listen.port', rule: 'CFG-003' },
      { name: 'store', config: { ...goodConfig, store: 'nergens/zgw-links.sqlite' }, member: 'store', rule: 'CFG-005' },
    ];
    for (const c of cases) {
      const file = join(dir, `bad-${c.name}.json`);
      writeFileSync(file, JSON.stringify(c.config));
      const run = await runCli('zgw', '--config', file);
      expect(run.code, c.name).toBe(2);
      expect(run.stderr, c.name).toContain(`${c.member}:`);
      expect(run.stderr, c.name).toContain(`(${c.rule})`);
      expect(run.stderr, c.name).not.toContain(CLIENT.secret);
    }
    expect((await runCli('zgw', '--config', join(dir, 'nothing-here.json'))).code).toBe(2);
    expect((await runCli('zgw')).code).toBe(2);
  });

  it('explains itself with --help (exit 0)', async () => {
    const run = await runCli('zgw', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--config FILE');
  });
});
