/**
 * The reference VT system: what a Veilig Thuis case system does towards the gateway. On a trigger
 * (`POST {triggerUrl}` with `{"scenario": "overdracht" | "veiligheidsvoorwaarden"}`, as the
 * conformance suite's `--trigger-url` sends it) it builds a handover (from the spec's example after
 * dienst Onderzoek, in a new dossier) or an update of its conditions, numbers it in its dossier,
 * signs it and POSTs it to the gateway with a bearer token. A 5xx or a lost answer is retried with
 * the same bericht (same berichtId, same bytes); a 4xx is final: the bericht must be corrected, not
 * resent. A bericht counts as accepted only with a `2xx` whose transport receipt verifies with the
 * gateway's published keys (spec/v1/receiver.md §9, Q156, Q167); its berichten leave one at a time, and an
 * update is built when its turn comes, against the last bericht of the dossier the gateway accepted
 * (Q33, Q124, Q148), so one refused or still waiting is never referred to. Its own endpoint (a reference receiver, role vt) takes the receipts the gateway pushes
 * and verifies them. `defect` breaks exactly one behaviour, for the conformance suite's tests.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'undici';
import { gatewayKeyResolver } from '../client/keys.js';
import { isRetriedBySender, nextAttemptDelayMs } from '../client/retry.js';
import { parseStrictJson } from '../json/strict-json.js';
import type { Bericht } from '../model/bericht.js';
import { Transportbevestiging } from '../model/transportbevestiging.js';
import { createBearerToken } from '../signing/bearer-token.js';
import { generateSigningKey } from '../signing/generate.js';
import { signDetached } from '../signing/detached.js';
import { SIGNATURE_TYP } from '../signing/header.js';
import { numericDate, signBericht } from '../signing/sign.js';
import { SignJWT } from 'jose';
import { createSigner, type Signer } from '../signing/signer.js';
import { verifyCountersignature } from '../signing/verify-countersignature.js';
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
  /** Sends again after its own backoff step only, before the gateway's Retry-After (receiver.md §9). */
  | { readonly kind: 'ignores-retry-after' }
  /** Rebuilds the bericht for each retry (a new verzondenOp) under the same berichtId. */
  | { readonly kind: 'retry-rebuilds' }
  /** Retries a refused (4xx) bericht unchanged, as if it were a 5xx. */
  | { readonly kind: 'retries-refused' }
  /** Retries after a 5xx or a lost answer with a new berichtId (a second bericht, if the first was stored). */
  | { readonly kind: 'retry-new-id' }
  /** Retries after a 5xx, but takes a lost answer (a time-out) as delivered. */
  | { readonly kind: 'no-retry-on-lost' }
  /** Signs the bericht as JSON.stringify writes it, not its RFC 8785 canonical form. */
  | { readonly kind: 'signs-non-canonical' }
  /** Its bearer token lives an hour (the profile allows 5 minutes). */
  | { readonly kind: 'token-long-lived' }
  /** Signs its bearer token with a key that is not registered for it. */
  | { readonly kind: 'token-unregistered-key' }
  /** Sends an update of the veiligheidsvoorwaarden to the first receiver of the handover only. */
  | { readonly kind: 'update-first-receiver-only' }
  /** Sends an update without naming the handover it updates (no inAntwoordOp). */
  | { readonly kind: 'update-without-reference' }
  /** Reuses its bearer token for every request while it is valid (one jti for many requests). */
  | { readonly kind: 'token-reused' }
  /** Takes any 2xx as an acceptance, without verifying the transport receipt's countersignature (Q156). */
  | { readonly kind: 'transport-receipt-unchecked' }
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
  /** The handover a trigger sends, before it gets this VT as sender and a new dossier (default: the spec's example after dienst Onderzoek). */
  readonly template?: () => Bericht;
  /** Told of each bericht it accepted at its own endpoint (the receipts pushed to it). */
  readonly onReceived?: (bericht: Bericht) => void;
}

/** A running reference VT. */
export interface ReferenceVt {
  /** Its receiving endpoint, `http://…/v1` (receipts are pushed to `{url}/berichten`). */
  readonly url: string;
  /** Where a scenario is triggered: `POST` `{"scenario": …}`. */
  readonly triggerUrl: string;
  /** Every bericht the gateway accepted from it (a 2xx with a transport receipt that verifies): its own part of the trail (Q89). */
  readonly sent: readonly Bericht[];
  readonly receiver: ReferenceReceiver;
  /** Resolves when every triggered scenario finished sending (or gave up). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The version of the veiligheidsvoorwaarden a handover or an update carries (VVW-004); 0 when it carries none. */
function conditionsVersion(bericht: Bericht): number {
  if (bericht.berichtType === 'veiligheidsvoorwaarden') return bericht.inhoud.versie;
  if (bericht.berichtType === 'overdracht' && 'veiligheidsvoorwaarden' in bericht.inhoud) return bericht.inhoud.veiligheidsvoorwaarden.versie;
  return 0;
}

/** Starts a reference VT on localhost (any free ports). */
export async function startReferenceVt(options: ReferenceVtOptions): Promise<ReferenceVt> {
  const { signer, defect } = options;
  const delays = options.retryDelaysMs ?? [200, 1000, 5000];
  const sent: Bericht[] = [];
  const volgnummers = new Map<string, number>();
  /** The dossier of the handover triggered last, which an update scenario updates. */
  let dossier: string | undefined;
  /** Per dossier, the last bericht the gateway accepted: the one an update refers to (Q148). */
  const lastAccepted = new Map<string, Bericht>();
  let work: Promise<void> = Promise.resolve();
  const stranger = defect?.kind === 'unregistered-key' || defect?.kind === 'token-unregistered-key' ? await createSigner({ privateJwk: (await generateSigningKey('ES256')).privateJwk, oin: signer.oin }) : undefined;

  const receiver = await startReferenceReceiver({
    signer,
    rol: 'vt',
    gatewayUrl: options.gatewayUrl,
    gatewayOin: options.gatewayOin,
    sendReceipts: false,
    sent: () => sent,
    ...(options.onReceived === undefined ? {} : { onReceived: options.onReceived }),
    ...(defect?.kind === 'receiver' ? { defect: defect.defect } : {}),
  });

  const next = (referentie: string) => {
    const n = (volgnummers.get(referentie) ?? 0) + 1;
    volgnummers.set(referentie, n);
    return n;
  };

  const handover = (): Bericht => {
    const template = options.template?.() ?? exampleBericht('overdracht-na-dienst-onderzoek');
    const referentie = `VTREF-${randomBytes(4).toString('hex')}`;
    const bericht = { ...template, verzender: { oin: signer.oin, rol: 'vt' }, dossier: { referentie, volgnummer: next(referentie) } } as Bericht;
    if (defect?.kind === 'unregistered-receiver') return { ...bericht, ontvangers: bericht.ontvangers.map((o, i) => (i === 0 ? { ...o, oin: '00000001999999999999' } : o)) };
    return bericht;
  };

  /** An update of the conditions, against the last bericht of `referentie` the gateway accepted; undefined when there is none. */
  const update = (referentie: string): Bericht | undefined => {
    const previous = lastAccepted.get(referentie);
    if (!previous) return undefined;
    const template = exampleBericht('veiligheidsvoorwaarden-update');
    const volgnummer = defect?.kind === 'volgnummer-repeats' ? previous.dossier.volgnummer : next(referentie);
    const ontvangers = defect?.kind === 'update-first-receiver-only' ? previous.ontvangers.slice(0, 1) : previous.ontvangers;
    // VVW-004: an update replaces the conditions it refers to with a higher version.
    const versie = conditionsVersion(previous) + 1;
    const update = { ...template, verzender: { oin: signer.oin, rol: 'vt' }, ontvangers, dossier: { referentie, volgnummer }, inAntwoordOp: previous.berichtId, inhoud: { ...template.inhoud, versie } } as Bericht;
    if (defect?.kind === 'update-without-reference') delete (update as { inAntwoordOp?: string }).inAntwoordOp;
    return update;
  };

  const sign = async (bericht: Bericht): Promise<Record<string, unknown>> => {
    const content: Record<string, unknown> = defect?.kind === 'invalid-bericht' ? { ...bericht, toelichting: 'not in the schema' } : bericht;
    if (defect?.kind === 'unsigned') return content;
    if (defect?.kind === 'signs-non-canonical') {
      const header = { alg: signer.alg, typ: SIGNATURE_TYP.bericht, kid: signer.kid, iat: numericDate(new Date()), oin: signer.oin, crit: ['oin'] };
      return { ...content, signatures: [await signDetached(new TextEncoder().encode(JSON.stringify(content)), header, signer.key)] };
    }
    const signed: Record<string, unknown> = await signBericht(content, defect?.kind === 'unregistered-key' ? (stranger ?? signer) : signer);
    return defect?.kind === 'changed-after-signing' ? { ...signed, verzondenOp: new Date(Date.now() + 1000).toISOString() } : signed;
  };

  /** Its bearer token for the gateway. */
  let reusable: { readonly token: string; readonly until: number } | undefined;
  const token = async (): Promise<string> => {
    if (defect?.kind === 'token-reused') {
      if (reusable === undefined || reusable.until <= Date.now()) reusable = { token: await createBearerToken(signer, options.gatewayOin), until: Date.now() + 50_000 };
      return reusable.token;
    }
    if (defect?.kind === 'token-long-lived') {
      return new SignJWT({ jti: randomBytes(16).toString('hex') }).setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' }).setIssuer(signer.oin).setAudience(options.gatewayOin).setIssuedAt().setExpirationTime('1h').sign(signer.key);
    }
    return createBearerToken(defect?.kind === 'token-unregistered-key' ? (stranger ?? signer) : signer, defect?.kind === 'token-wrong-audience' ? signer.oin : options.gatewayOin);
  };

  /** Whether `text` is a transport receipt whose countersignature verifies over `signed` with the gateway's published keys. */
  const receiptVerifies = async (signed: Record<string, unknown>, text: string): Promise<boolean> => {
    try {
      const receipt = Transportbevestiging.parse(parseStrictJson(text));
      const own = Array.isArray(signed.signatures) ? (signed.signatures as unknown[]) : [];
      await verifyCountersignature({ ...signed, signatures: [...own, receipt.handtekening] }, { keys: gatewayKeyResolver({ gatewayUrl: options.gatewayUrl(), gatewayOin: options.gatewayOin }) });
      return true;
    } catch {
      return false;
    }
  };

  /** Takes `bericht` as accepted: in its trail, and the one the dossier's next update refers to. */
  const accepted = (bericht: Bericht): void => {
    sent.push(bericht);
    lastAccepted.set(bericht.dossier.referentie, bericht);
  };

  /** Sends one bericht; retries the same bytes after a 5xx, 408, 425, 429 or a lost answer, not before a Retry-After. */
  const deliver = async (bericht: Bericht): Promise<void> => {
    let signed = await sign(bericht);
    let body = JSON.stringify(signed);
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let text = '';
      let retryAfter: string | string[] | undefined;
      try {
        const response = await request(`${options.gatewayUrl()}/v1/berichten`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
        });
        text = await response.body.text();
        status = response.statusCode;
        retryAfter = response.headers['retry-after'];
      } catch {
        status = 0;
      }
      if (status === 0 && defect?.kind === 'no-retry-on-lost') {
        accepted(bericht);
        return;
      }
      if (status >= 200 && status < 300) {
        // Q156: a 2xx without a transport receipt that verifies is not an acceptance; it goes to the operator.
        if (defect?.kind === 'transport-receipt-unchecked' || (await receiptVerifies(signed, text))) accepted(bericht);
        else options.onProblem?.('bericht answered without a transport receipt that verifies');
        return;
      }
      const retryable = isRetriedBySender(status) || (defect?.kind === 'retries-refused' && status >= 400);
      const delay = delays[attempt];
      if (!retryable || delay === undefined || defect?.kind === 'no-retry') {
        options.onProblem?.(`bericht not delivered (${status === 0 ? 'no answer' : `HTTP ${status}`})`);
        return;
      }
      await wait(defect?.kind === 'ignores-retry-after' ? delay : nextAttemptDelayMs(delay, retryAfter));
      if (defect?.kind === 'retry-rebuilds') signed = await sign({ ...bericht, verzondenOp: new Date().toISOString() });
      if (defect?.kind === 'retry-new-id') signed = await sign({ ...bericht, berichtId: randomUUID() });
      body = JSON.stringify(signed);
    }
  };

  const play = (scenario: string): boolean => {
    if (scenario === 'overdracht') {
      const bericht = handover();
      dossier = bericht.dossier.referentie;
      work = work.then(() => deliver(bericht));
      return true;
    }
    if (scenario !== 'veiligheidsvoorwaarden' || dossier === undefined) return false;
    const referentie = dossier;
    // Built when its turn comes: the bericht it refers to must have been answered first (receiver.md §9).
    work = work.then(async () => {
      const bericht = update(referentie);
      if (bericht) await deliver(bericht);
      else options.onProblem?.('no accepted bericht in the dossier to update');
    });
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
