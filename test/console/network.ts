/**
 * A running gateway with the demo network (VT Zuid-Limburg; Heerlen by push, Kerkrade by push to a receiver the
 * test controls), an auditor and an operator, for the metrics, console and PII canary tests.
 */
import { request } from 'undici';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork, type DemoParty } from '../../src/demo/network.js';
import type { Bericht } from '../../src/model/bericht.js';
import type { Log } from '../../src/observability/log.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { createSigner, type Signer } from '../../src/signing/signer.js';
import { startReceiver, type TestReceiver } from '../helpers/receiver.js';

export const AUDITOR_OIN = '00000003000000000042';
export const OPERATOR_OIN = '00000009000000000077';

export interface ConsoleNetwork {
  readonly network: DemoNetwork;
  readonly gateway: RunningGateway;
  readonly heerlen: TestReceiver;
  readonly kerkrade: TestReceiver;
  readonly vt: TestReceiver;
  readonly auditor: Signer;
  readonly operator: Signer;
  /** Signs `bericht` as `party` and posts it; the response status and body text. */
  send(party: DemoParty, bericht: Bericht): Promise<{ status: number; text: string }>;
  /** A fresh bearer token of `signer` for the gateway. */
  token(signer: Signer): Promise<string>;
  close(): Promise<void>;
}

async function participant(network: DemoNetwork, oin: string, rol: 'auditor' | 'operator', naam: string): Promise<Signer> {
  const key = await generateSigningKey('ES256');
  const signer = await createSigner({ privateJwk: key.privateJwk, oin });
  await network.registry.add({ oin, rol, naam, status: 'actief', sleutels: [{ kid: signer.kid, jwk: signer.publicJwk }] });
  return signer;
}

/** Starts the gateway (SQLite in `db`) with the network; `console` options go to the gateway. */
export async function startConsoleNetwork(options: { db: string; log?: Log; metrics?: boolean; consoleDemo?: boolean; timers?: boolean }): Promise<ConsoleNetwork> {
  const heerlen = await startReceiver();
  const kerkrade = await startReceiver();
  const vt = await startReceiver();
  const network = await createDemoNetwork({ vtZuidLimburg: vt.url, heerlen: heerlen.url, kerkrade: kerkrade.url });
  const auditor = await participant(network, AUDITOR_OIN, 'auditor', 'Inspectie Gezondheidszorg en Jeugd (test)');
  const operator = await participant(network, OPERATOR_OIN, 'operator', 'Beheer Zicht Zuid-Limburg (test)');
  const gateway = await startGateway({
    registry: network.registry,
    gateway: network.gateway,
    db: options.db,
    port: 0,
    allowPrivateEndpoints: true,
    retryPolicy: { baseMs: 10, maxDelayMs: 20, windowMs: 60_000 },
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.metrics === true ? { metrics: { port: 0 } } : {}),
    ...(options.consoleDemo === true ? { console: { demo: true } } : {}),
    ...(options.timers === false ? { timers: false } : {}),
  });
  const token = (signer: Signer) => createBearerToken(signer, DEMO_OIN.gateway);
  return {
    network,
    gateway,
    heerlen,
    kerkrade,
    vt,
    auditor,
    operator,
    token,
    async send(party, bericht) {
      const signed = await signAs(network, party, bericht);
      const response = await request(`${gateway.url}/v1/berichten`, {
        method: 'POST',
        body: JSON.stringify(signed),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(network.signers[party])}` },
      });
      return { status: response.statusCode, text: await response.body.text() };
    },
    async close() {
      await gateway.close();
      await heerlen.close();
      await kerkrade.close();
      await vt.close();
    },
  };
}

/** Polls `check` until it holds (an event the test waits for, not a fixed sleep); fails after `ms`. */
export async function until(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * An ontvangstbevestiging `geaccepteerd` from Heerlen (or Kerkrade) for `handover`, sent now. The household
 * lives in both gemeenten (Z-L 5.2.4): each acceptance names Heerlen to lead.
 */
export function acceptatie(handover: Bericht, party: 'heerlen' | 'kerkrade' = 'heerlen'): Bericht {
  const now = new Date();
  return {
    ...exampleBericht('ontvangstbevestiging-geaccepteerd', now),
    verzender: { oin: DEMO_OIN[party], rol: 'lokaal-team' },
    inAntwoordOp: handover.berichtId,
    dossier: { referentie: handover.dossier.referentie, volgnummer: 1 },
    inhoud: { status: 'geaccepteerd', ontvangenOp: handover.verzondenOp, behandelaar: { team: 'Sociaal team Heerlen', telefoon: '045 000 0000' }, afstemming: { regie: handover.ontvangers[0]?.oin ?? '' } },
  } as Bericht;
}
