/**
 * `zicht demo`: the gateway and a demo network as real HTTP servers on localhost. Veilig Thuis
 * Zuid-Limburg hands over a household that lives in Heerlen and Kerkrade (after a dienst, profile
 * zuid-limburg). Heerlen's system takes pushes; Kerkrade's reads its postbus. Each verifies the bericht
 * (sender signature and gateway countersignature, with keys fetched from the gateway) and answers with a
 * signed ontvangstbevestiging, which the gateway routes back to Veilig Thuis: each first confirms receipt
 * (the automatic ontvangen, AFL-005) and then accepts; both name Heerlen to lead (the afstemming of Z-L 5.2.4).
 * Zicht op veiligheid passes from Veilig Thuis to Heerlen at the acceptance that completes the
 * afstemming, not at any receipt (Z-L 5.2.1), and the demo prints who held it when. The pushed-to systems (Heerlen
 * and Veilig Thuis itself) are the reference receiving system (./reference-receiver.ts): they
 * validate and verify before they answer 202. Heerlen (unless it takes FHIR, ENC-002) and Kerkrade have
 * registered encryption keys, so the gateway sends them their berichten as JWE (ENC-003): pushed to Heerlen,
 * and Kerkrade's postbus pages; each decrypts before it verifies. Then the trail is printed: metadata only,
 * no personal data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'undici';
import { bundleToBericht } from '../../adapters/fhir/from-bundle.js';
import type { Bericht, OntvangstbevestigingBericht } from '../model/bericht.js';
import { createBearerToken } from '../signing/bearer-token.js';
import { verifyBericht } from '../signing/verify.js';
import { startGateway, type RunningGateway } from '../server/gateway.js';
import { createDemoKeys, createDemoNetwork, DEMO_GEMEENTECODE, DEMO_OIN, exampleBericht, signAs, type DemoKeys, type DemoNetwork, type DemoParty } from './network.js';
import { startReferenceReceiver, type ReferenceReceiver } from './reference-receiver.js';
import { Keyring } from '../store/keyring.js';
import { gatewayKeyResolver } from '../client/keys.js';
import { decryptBody, generateEncryptionKey, type GeneratedEncryptionKey } from '../delivery/decrypt.js';
import { dossierLedger } from '../lifecycle/dossier.js';
import { verantwoordelijkheid } from '../lifecycle/verantwoordelijkheid.js';
import { publishedProfielen } from '../profiles/load.js';
import { JOSE_MEDIA_TYPE } from '../delivery/encrypt.js';
import { parseStrictJson } from '../json/strict-json.js';

/** The OINs of the demo's auditor and operator (fictitious), who only use the console. */
export const DEMO_CONSOLE_OIN = { auditor: '00000003000000000042', operator: '00000009000000000077' } as const;

/** Options of the demo. */
export interface DemoOptions {
  /** Run the scenario once and stop (exit code 0 on success). */
  readonly once: boolean;
  readonly port?: number;
  readonly print: (line: string) => void;
  /** Give up after this long (ms). */
  readonly timeoutMs?: number;
  /** Heerlen's system receives FHIR R4 messages (`$process-message`, spec/v1/fhir/) instead of Zicht berichten. */
  readonly fhir?: boolean;
}

const NAMES: Readonly<Record<string, string>> = {
  [DEMO_OIN.gateway]: 'gateway',
  [DEMO_OIN.vtZuidLimburg]: 'Veilig Thuis Zuid-Limburg',
  [DEMO_OIN.heerlen]: 'Sociaal team Heerlen',
  [DEMO_OIN.kerkrade]: 'Sociaal team Kerkrade',
};

/** Posts a signed bericht to the gateway as `party`; returns the HTTP status. */
async function send(network: DemoNetwork, gatewayUrl: string, party: DemoParty, bericht: Bericht): Promise<number> {
  const signed = await signAs(network, party, bericht);
  const response = await request(`${gatewayUrl}/v1/berichten`, {
    method: 'POST',
    body: JSON.stringify(signed),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(network.signers[party], DEMO_OIN.gateway)}` },
  });
  await response.body.dump();
  return response.statusCode;
}

/** Who picks the case up at each demo team (ONT-009: naam or team, and telefoon or email). Fictitious. */
const BEHANDELAAR = { team: 'Sociaal team (demo)', telefoon: '045 000 0000' } as const;

/**
 * A receipt from `party` for `handover`, built on the spec's example receipt. Heerlen and Kerkrade agreed
 * that Heerlen leads (afstemming, Z-L 5.2.4): every receipt of theirs names it.
 */
function receiptFor(party: DemoParty, handover: Bericht, status: 'ontvangen' | 'geaccepteerd', receivedAt: Date, volgnummer: number): OntvangstbevestigingBericht {
  const template = exampleBericht('ontvangstbevestiging-geaccepteerd') as OntvangstbevestigingBericht;
  return {
    ...template,
    verzender: { oin: DEMO_OIN[party], rol: 'lokaal-team' },
    ontvangers: [{ oin: handover.verzender.oin, rol: 'vt' }],
    dossier: { referentie: handover.dossier.referentie, volgnummer },
    inAntwoordOp: handover.berichtId,
    verzondenOp: new Date().toISOString(),
    inhoud: {
      status,
      ontvangenOp: receivedAt.toISOString(),
      behandelaar: { ...BEHANDELAAR, team: `${NAMES[DEMO_OIN[party]] ?? party} (demo)` },
      afstemming: { regie: DEMO_OIN.heerlen },
    },
  };
}

/** Runs the demo; resolves with the exit code. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const { print } = options;
  const dir = mkdtempSync(join(tmpdir(), 'zicht-demo-'));
  let gatewayUrl = '';
  const keys = { resolve: (oin: string, kid: string) => gatewayKeyResolver({ gatewayUrl, gatewayOin: DEMO_OIN.gateway }).resolve(oin, kid) };
  const received: { party: string; berichtType: string }[] = [];
  const problems: string[] = [];
  let network: DemoNetwork | undefined;
  let gateway: RunningGateway | undefined;

  const onBericht = async (party: DemoParty, bericht: Bericht): Promise<void> => {
    await verifyBericht(bericht, { keys, requireCountersignature: true });
    received.push({ party, berichtType: bericht.berichtType });
    print(`  ${NAMES[DEMO_OIN[party]] ?? party} received ${bericht.berichtType} ${bericht.berichtId}: sender signature and gateway countersignature verified`);
    if (bericht.berichtType === 'overdracht' && network) {
      // Every receiver first confirms receipt (AFL-005; it transfers nothing under zuid-limburg), then accepts.
      const receivedAt = new Date();
      const statuses = ['ontvangen', 'geaccepteerd'] as const;
      for (const [i, status] of statuses.entries()) {
        const code = await send(network, gatewayUrl, party, receiptFor(party, bericht, status, receivedAt, i + 1));
        if (code !== 202) problems.push(`${party} ${status} refused with ${code}`);
      }
    }
  };

  /** A pushed-to system: the reference receiver, which validates and verifies before it answers 202. */
  const pushed = (party: DemoParty, signer: DemoKeys[DemoParty], rol: 'vt' | 'lokaal-team', encryption?: GeneratedEncryptionKey): Promise<ReferenceReceiver> =>
    startReferenceReceiver({
      signer,
      rol,
      ...(party === 'vtZuidLimburg' ? {} : { gemeentecodes: [DEMO_GEMEENTECODE[party]] }),
      ...(encryption === undefined ? {} : { decryptionKeys: [encryption.key] }),
      gatewayUrl: () => gatewayUrl,
      gatewayOin: DEMO_OIN.gateway,
      sendReceipts: rol !== 'vt',
      receiptStatus: 'geaccepteerd',
      behandelaar: { ...BEHANDELAAR, team: `${NAMES[DEMO_OIN[party]] ?? party} (demo)` },
      regie: () => DEMO_OIN.heerlen,
      onReceived: (bericht, encryptedTo) => {
        received.push({ party, berichtType: bericht.berichtType });
        const how = encryptedTo === undefined ? '' : `decrypted (JWE to its key ${encryptedTo.slice(0, 8)}…), `;
        print(`  ${NAMES[DEMO_OIN[party]] ?? party} received ${bericht.berichtType} ${bericht.berichtId}: ${how}validated, sender signature and gateway countersignature verified`);
      },
      onProblem: (problem) => problems.push(`${party}: ${problem}`),
    });

  /** Heerlen as a FHIR system (--fhir): the Bundle is mapped back to the bericht, whose signatures then verify as they are. */
  const fhirSystem = async (party: DemoParty): Promise<{ url: string; close: () => Promise<void> }> => {
    const app = new Hono();
    app.post('/fhir/$process-message', async (c) => {
      const reading = bundleToBericht(parseStrictJson(await c.req.text()));
      if (!reading.ok) return c.json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text: 'Not a Zicht FHIR message.' } }] }, 400);
      const bericht = reading.bericht as unknown as Bericht;
      print(`  ${NAMES[DEMO_OIN[party]] ?? party} received a FHIR R4 message Bundle (${reading.event}) and mapped it back to bericht ${bericht.berichtId}`);
      queueMicrotask(() => {
        onBericht(party, bericht).catch(() => problems.push(`${party} could not verify a bericht`));
      });
      return c.json({ resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', details: { text: 'Received.' } }] }, 200);
    });
    const server = await new Promise<ServerType>((resolve) => {
      const s: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => { resolve(s); });
    });
    return { url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, close: () => new Promise((resolve) => server.close(() => { resolve(); })) };
  };

  const receivers: ReferenceReceiver[] = [];
  const closers: (() => Promise<void>)[] = [];
  let poller: NodeJS.Timeout | undefined;
  try {
    const demoKeys = await createDemoKeys();
    // End-to-end encryption (ENC-001..004): Heerlen's system (pushed to) with ECDH-ES on P-256, Kerkrade's (postbus) with RSA-OAEP-256.
    const heerlenEncryption = options.fhir === true ? undefined : await generateEncryptionKey('ECDH-ES P-256');
    const kerkradeEncryption = await generateEncryptionKey('RSA-OAEP-256');
    const vt = await pushed('vtZuidLimburg', demoKeys.vtZuidLimburg, 'vt');
    receivers.push(vt);
    const heerlen = options.fhir === true ? await fhirSystem('heerlen') : await pushed('heerlen', demoKeys.heerlen, 'lokaal-team', heerlenEncryption);
    closers.push(async () => { if ('idle' in heerlen) await heerlen.idle(); await heerlen.close(); });
    network = await createDemoNetwork(
      { vtZuidLimburg: vt.url, heerlen: options.fhir === true ? { url: `${heerlen.url}/fhir`, kanaal: 'fhir' } : heerlen.url },
      demoKeys,
      { kerkrade: [kerkradeEncryption.sleutel], ...(heerlenEncryption === undefined ? {} : { heerlen: [heerlenEncryption.sleutel] }) },
    );
    // The console's other roles: an inspectorate (auditor) and the region's beheerder (operator), signing in with the demo sign-in.
    await network.registry.add({ oin: DEMO_CONSOLE_OIN.auditor, rol: 'auditor', naam: 'Inspectie (demo)', status: 'actief' });
    await network.registry.add({ oin: DEMO_CONSOLE_OIN.operator, rol: 'operator', naam: 'Beheer Zicht Zuid-Limburg (demo)', status: 'actief' });
    // The demo's payloads are encrypted at rest under a KEK made for this run and kept only in memory: the
    // demo database is thrown away with it.
    gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: join(dir, 'zicht-demo.db'), port: options.port ?? 0, allowPrivateEndpoints: true, keyring: Keyring.generate('demo'), console: { demo: true } });
    gatewayUrl = gateway.url;
    print(`Zicht gateway at ${gateway.url} (OpenAPI: ${gateway.url}/v1/openapi.json)`);
    print(`  Console at ${gateway.url}/console (demo sign-in as any participant)`);
    print(`  Veilig Thuis Zuid-Limburg system at ${vt.url} (push; the reference receiving system)`);
    print(`  Sociaal team Heerlen system at ${heerlen.url} (push; ${options.fhir === true ? 'FHIR R4 messages' : 'the reference receiving system; end-to-end encrypted, JWE ECDH-ES + A256GCM'})`);
    print('  Sociaal team Kerkrade system reads its postbus (pull; end-to-end encrypted, JWE RSA-OAEP-256 + A256GCM)');

    const kerkrade = network;
    const seen = new Set<string>();
    poller = setInterval(() => {
      void (async () => {
        const token = await createBearerToken(kerkrade.signers.kerkrade, DEMO_OIN.gateway);
        const response = await request(`${gatewayUrl}/v1/postbus`, { headers: { authorization: `Bearer ${token}` } });
        const text = await response.body.text();
        // The page comes as a JWE to Kerkrade's key (ENC-003): decrypt it, then read it as the plain page.
        const encrypted = String(response.headers['content-type']).startsWith(JOSE_MEDIA_TYPE);
        const page = encrypted ? new TextDecoder().decode((await decryptBody(text, [kerkradeEncryption.key])).plaintext) : text;
        const { berichten } = parseStrictJson(page) as { berichten: Bericht[] };
        const fresh = berichten.filter((b) => !seen.has(b.berichtId));
        if (encrypted && fresh.length > 0) print(`  Sociaal team Kerkrade decrypted its postbus page (JWE to its key ${kerkradeEncryption.key.kid.slice(0, 8)}…)`);
        for (const bericht of fresh) {
          seen.add(bericht.berichtId);
          await onBericht('kerkrade', bericht);
        }
      })().catch(() => undefined);
    }, 150);

    const handover = exampleBericht('overdracht-na-dienst-onderzoek');
    print(`\nVeilig Thuis hands over dossier ${handover.dossier.referentie} (household in Heerlen and Kerkrade), bericht ${handover.berichtId}`);
    const status = await send(network, gateway.url, 'vtZuidLimburg', handover);
    print(`  gateway answered ${status}`);
    if (status !== 202) return 1;

    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    const store = gateway.store;
    const done = async () => {
      const deliveries = await store.listDeliveries(handover.berichtId);
      return deliveries.length === 2 && deliveries.every((d) => d.status === 'acknowledged') && received.filter((r) => r.berichtType === 'ontvangstbevestiging').length === 4;
    };
    while (!(await done())) {
      if (Date.now() > deadline || problems.length > 0) {
        print(`\nThe demo did not complete: ${problems.join('; ') || 'timed out waiting for both receipts'}`);
        return 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Who held zicht op veiligheid when: the same answer as GET /v1/dossiers/{ref}/verantwoordelijkheid (src/lifecycle/verantwoordelijkheid.ts).
    const found = await dossierLedger(store, handover.dossier.referentie, await network.registry.list(), publishedProfielen(), new Date());
    if (found === undefined) return 1;
    const overgangen = new Map(found.ledger.perioden.slice(1).map((p) => [p.verantwoordelijke.berichten.at(-1) ?? '', p.verantwoordelijke]));
    print(`\nTrail of dossier ${handover.dossier.referentie} (metadata only; profiel ${found.ledger.profiel}):`);
    for (const event of await store.listEventsOfDossier(handover.dossier.referentie)) {
      const data = Object.keys(event.data).length > 0 ? ` ${Object.entries(event.data).map(([k, v]) => `${k}=${String(v)}`).join(' ')}` : '';
      print(`  ${event.at.toISOString()}  ${event.type.padEnd(22)} ${(NAMES[event.oin] ?? event.oin).padEnd(26)} ${event.berichtId}${data}`);
      const v = event.type === 'bericht.accepted' ? overgangen.get(event.berichtId) : undefined;
      if (v !== undefined) print(`      -> zicht op veiligheid passes to ${NAMES[v.oin] ?? v.oin} (signed time ${v.sinds}; ${v.regel.regel}, ${v.regel.bron.document} ${v.regel.bron.sectie})`);
    }
    print(`\nZicht op veiligheid in dossier ${handover.dossier.referentie} (profiel ${found.ledger.profiel}):`);
    for (const p of found.ledger.perioden) {
      const v = p.verantwoordelijke;
      print(`  ${p.van}  ${(NAMES[v.oin] ?? v.oin).padEnd(26)} ${v.regel.regel} (${v.regel.bron.document} ${v.regel.bron.sectie}): ${v.regel.toelichting}`);
    }
    const nu = verantwoordelijkheid(found.ledger, new Date());
    for (const o of nu.overdrachten) {
      for (const team of o.teams) print(`  ${(NAMES[team.oin] ?? team.oin).padEnd(26)} ${team.status}${team.regie === undefined ? '' : `, names ${NAMES[team.regie] ?? team.regie} to lead`}`);
    }
    const holder = nu.verantwoordelijke;
    const accepted = found.ledger.tijdlijn.filter((g) => g.soort === 'geaccepteerd').map((g) => Date.parse(g.op));
    if (holder?.oin !== DEMO_OIN.heerlen || holder.sinds !== new Date(Math.max(...accepted)).toISOString()) {
      print('\nThe demo did not complete: zicht op veiligheid did not pass to Heerlen at the last acceptance');
      return 1;
    }
    print(`\nBoth gemeenten accepted and named ${NAMES[DEMO_OIN.heerlen] ?? ''} to lead: zicht op veiligheid passed from Veilig Thuis to it at the last acceptance (${holder.sinds}); Kerkrade's receipt alone passed nothing (Z-L 5.2.1).`);
    if (options.once) return 0;

    print(`\nThe gateway keeps running at ${gateway.url}; press Ctrl-C to stop.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => { resolve(); });
      process.once('SIGTERM', () => { resolve(); });
    });
    return 0;
  } finally {
    if (poller) clearInterval(poller);
    await gateway?.close();
    await Promise.all(receivers.map(async (r) => { await r.idle(); await r.close(); }));
    await Promise.all(closers.map((close) => close()));
    rmSync(dir, { recursive: true, force: true });
  }
}
