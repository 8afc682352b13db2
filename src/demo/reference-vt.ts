/**
 * The reference VT system: what a Veilig Thuis case system does towards the gateway. On a trigger
 * (`POST {triggerUrl}` with `{"scenario": "overdracht" | "veiligheidsvoorwaarden"}`, as the
 * conformance suite's `--trigger-url` sends it) it builds a handover (from the spec's example after
 * dienst Onderzoek, in a new dossier) or an update of its conditions, numbers it in its dossier,
 * signs it and POSTs it to the gateway with a bearer token. A 5xx or a lost answer is retried with
 * the same bericht (same berichtId, same bytes); a 4xx is final: the bericht must be corrected, not
 * resent. Its own endpoint (a reference receiver, role vt) takes the receipts the gateway pushes
 * and verifies them. `defect` breaks exactly one behaviour, for the conformance suite's tests.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'undici';
import type { Bericht } from '../model/bericht.js';
import { createBearerToken } from '../signing/bearer-token.js';
import { generateSigningKey } from '../signing/generate.js';
import { signBericht } from '../signing/sign.js';
import { createSigner, type Signer } from '../signing/signer.js';
import { exampleBericht } from './network.js';
import { startReferenceReceiver, type ReferenceDefect, type ReferenceReceiver } from './reference-receiver.js';

/** One deliberate defect of the reference VT, for the conformance suite's tests. */
export type ReferenceVtDefect =
  /** Sends a handover with a member the schema does not define (BER-007). */
  | { readonly kind: 'invalid-bericht' }
  /** Sends without a signature. */
  | { readonly kind: 'unsigned' }
  /** Signs with a key that is not registered for it. */
  | { readonly kind: 'unregistered-key' }
  /** Changes the bericht after signing it. */
  | { readonly kind: 'changed-after-signing' }
  /** Addresses a receiver that is not a registered participant. */
  | { readonly kind: 'unregistered-receiver' }
  /** Its bearer token names another audience than the gateway. */
  | { readonly kind: 'token-wrong-audience' }
  /** Gives an update the volgnummer of its handover (BER-011). */
  | { readonly kind: 'volgnummer-repeats' }
  /** Gives up after a 5xx or a lost answer. */
  | { readonly kind: 'no-retry' }
  /** Rebuilds the bericht for each retry (a new verzondenOp) under the same berichtId. */
  | { readonly kind: 'retry-rebuilds' }
  /** Retries a refused (4xx) bericht unchanged, as if it were a 5xx. */
  | { readonly kind: 'retries-refused' }
  /** A defect of its receiving endpoint (e.g. it accepts a receipt with a bad signature). */
  | { readonly kind: 'receiver'; readonly defect: ReferenceDefect };

/** How a reference VT is set up. */
export interface ReferenceVtOptions {
  /** Its own key and OIN (role vt). */
  readonly signer: Signer;
  /** The gateway's base URL, read at each use. */
  readonly gatewayUrl: () => string;
  readonly gatewayOin: string;
  /** Waits before each retry (ms); one retry per entry. Default 200, 1,000 and 5,000 ms. */
  readonly retryDelaysMs?: readonly number[];
  readonly defect?: ReferenceVtDefect;
  /** Told of a bericht that could not be delivered (its status or network code); never its content. */
  readonly onProblem?: (problem: string) => void;
}

/** A running reference VT. */
export interface ReferenceVt {
  /** Its receiving endpoint, `http://…/v1` (receipts are pushed to `{url}/berichten`). */
  readonly url: string;
  /** Where a scenario is triggered: `POST` `{"scenario": …}`. */
  readonly triggerUrl: string;
  /** Every bericht it sent (the last attempt of each). */
  readonly sent: readonly Bericht[];
  readonly receiver: ReferenceReceiver;
  /** Resolves when every triggered scenario finished sending (or gave up). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a reference VT on localhost (any free ports). */
export async function startReferenceVt(options: ReferenceVtOptions): Promise<ReferenceVt> {
  const { signer, defect } = options;
  const delays = options.retryDelaysMs ?? [200, 1000, 5000];
  const sent: Bericht[] = [];
  const volgnummers = new Map<string, number>();
  let lastHandover: Bericht | undefined;
  let work: Promise<void> = Promise.resolve();
  const stranger = defect?.kind === 'unregistered-key' ? await createSigner({ privateJwk: (await generateSigningKey('ES256')).privateJwk, oin: signer.oin }) : undefined;

  const receiver = await startReferenceReceiver({
    signer,
    rol: 'vt',
    gatewayUrl: options.gatewayUrl,
    gatewayOin: options.gatewayOin,
    sendReceipts: false,
    sent: () => sent,
    ...(defect?.kind === 'receiver' ? { defect: defect.defect } : {}),
  });

  const next = (referentie: string) => {
    const n = (volgnummers.get(referentie) ?? 0) + 1;
    volgnummers.set(referentie, n);
    return n;
  };

  const handover = (): Bericht => {
    const template = exampleBericht('overdracht-na-dienst-onderzoek');
    const referentie = `VTREF-${randomBytes(4).toString('hex')}`;
    const bericht = { ...template, verzender: { oin: signer.oin, rol: 'vt' }, dossier: { referentie, volgnummer: next(referentie) } } as Bericht;
    if (defect?.kind === 'unregistered-receiver') return { ...bericht, ontvangers: bericht.ontvangers.map((o, i) => (i === 0 ? { ...o, oin: '00000001999999999999' } : o)) };
    return bericht;
  };

  const update = (): Bericht | undefined => {
    if (!lastHandover) return undefined;
    const template = exampleBericht('veiligheidsvoorwaarden-update');
    const { referentie } = lastHandover.dossier;
    const volgnummer = defect?.kind === 'volgnummer-repeats' ? lastHandover.dossier.volgnummer : next(referentie);
    return { ...template, verzender: { oin: signer.oin, rol: 'vt' }, ontvangers: lastHandover.ontvangers, dossier: { referentie, volgnummer }, inAntwoordOp: lastHandover.berichtId };
  };

  const sign = async (bericht: Bericht): Promise<Record<string, unknown>> => {
    const content: Record<string, unknown> = defect?.kind === 'invalid-bericht' ? { ...bericht, toelichting: 'not in the schema' } : bericht;
    if (defect?.kind === 'unsigned') return content;
    const signed: Record<string, unknown> = await signBericht(content, stranger ?? signer);
    return defect?.kind === 'changed-after-signing' ? { ...signed, verzondenOp: new Date(Date.now() + 1000).toISOString() } : signed;
  };

  /** Sends one bericht; retries the same bytes after a 5xx or a lost answer. */
  const deliver = async (bericht: Bericht): Promise<void> => {
    let body = JSON.stringify(await sign(bericht));
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      try {
        const response = await request(`${options.gatewayUrl()}/v1/berichten`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(signer, defect?.kind === 'token-wrong-audience' ? signer.oin : options.gatewayOin)}` },
        });
        await response.body.dump();
        status = response.statusCode;
      } catch {
        status = 0;
      }
      if (status >= 200 && status < 300) return;
      const retryable = status === 0 || status >= 500 || (defect?.kind === 'retries-refused' && status >= 400);
      const delay = delays[attempt];
      if (!retryable || delay === undefined || defect?.kind === 'no-retry') {
        options.onProblem?.(`bericht not delivered (${status === 0 ? 'no answer' : `HTTP ${status}`})`);
        return;
      }
      await wait(delay);
      if (defect?.kind === 'retry-rebuilds') body = JSON.stringify(await sign({ ...bericht, verzondenOp: new Date().toISOString() }));
    }
  };

  const play = (scenario: string): boolean => {
    const bericht = scenario === 'overdracht' ? handover() : scenario === 'veiligheidsvoorwaarden' ? update() : undefined;
    if (!bericht) return false;
    if (bericht.berichtType === 'overdracht') lastHandover = bericht;
    sent.push(bericht);
    work = work.then(() => deliver(bericht));
    return true;
  };

  const app = new Hono();
  app.post('/trigger', async (c) => {
    const body = (await c.req.json<unknown>().catch(() => undefined)) as { scenario?: unknown } | undefined;
    return play(typeof body?.scenario === 'string' ? body.scenario : '') ? c.body(null, 202) : c.json({ title: 'Unknown scenario, or no handover to update yet.' }, 422);
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => { resolve(s); });
  });
  return {
    url: receiver.url,
    triggerUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/trigger`,
    sent,
    receiver,
    idle: () => work,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await receiver.close();
    },
  };
}
