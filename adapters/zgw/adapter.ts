/**
 * The ZGW adapter's HTTP edge, run beside the gemeente's ZGW APIs. It is a Zicht receiver: the
 * gateway pushes berichten to `POST {url}/berichten` (an afleveradres with kanaal zicht-v1), and a
 * handover becomes a zaak (./zaak.ts). When a ZGW API is down the push is answered 503, so the
 * gateway's delivery worker retries it with its own delivery policy. It is also a Notificaties API
 * abonnement: `POST {url}/notificaties` takes status notifications (./acceptance.ts); one that cannot
 * be handled now is retried with the same policy (src/delivery/backoff.ts) in the adapter. Each handover it
 * stores as a zaak gets the automatic `ontvangen` receipt (AFL-005), signed with the gemeente's key and sent
 * through the gateway with the client library, retried with the same policy.
 * Logs carry codes and ids, never a value of a bericht or a ZGW response.
 */
import { Hono } from 'hono';
import { parseStrictJson } from '../../src/json/strict-json.js';
import { z } from 'zod';
import { DEFAULT_RETRY_POLICY, nextAttempt } from '../../src/delivery/backoff.js';
import type { Bericht } from '../../src/model/bericht.js';
import { silentLog, type Log } from '../../src/observability/log.js';
import { verifyBearerToken } from '../../src/signing/bearer-token.js';
import { verifyBericht } from '../../src/signing/verify.js';
import { CanonicalError, isStoreUnavailable, KeyError, SignatureError, StoreUnavailableError } from '../../src/errors.js';
import { signatureRuleFor } from '../../src/rules/gateway.js';
import { issueFor } from '../../src/rules/issue.js';
import { validateBericht } from '../../src/rules/validate.js';
import { ZichtClient } from '../../src/client/client.js';
import { handleNotificatie, ontvangenFor, sendOntvangen, sendToGateway, sendUnsent, type AcceptanceOutcome, type Notificatie } from './acceptance.js';
import type { ZgwConfig } from './config.js';
import { ZgwError } from './errors.js';
import { fout } from './fout.js';
import { inhoudVan, memoryZaakLinks, type ZaakLink, type ZaakLinks } from './links.js';
import { zaakVoorOverdracht } from './zaak.js';

/** The Notificaties API's `Kennisgeving` as far as the adapter reads it. */
const Kennisgeving = z.object({
  kanaal: z.string().max(50),
  hoofdObject: z.url().max(1000),
  resource: z.string().max(100),
  resourceUrl: z.url().max(1000),
  actie: z.string().max(100),
  aanmaakdatum: z.string().max(40),
});

/** A running adapter. */
export interface ZgwAdapter {
  readonly app: Hono;
  readonly links: ZaakLinks;
  /** Outcomes of handled notifications, by zaak URL (for the operator and the tests). */
  readonly outcomes: Map<string, AcceptanceOutcome | 'opgegeven'>;
  /** Resolves when the automatic receipts under way were sent or given up (for a clean stop). */
  idle(): Promise<void>;
  /** Stops the retry timers; nothing new is scheduled after it. */
  close(): void;
}

/**
 * Creates the adapter on `options.links` (`zicht zgw` gives the SQLite file's; without it the links are in memory and
 * a restart forgets them, which only a unit test may want). Receipts the links hold unsent are sent again (Q98).
 */
export function createZgwAdapter(config: ZgwConfig, options: { links?: ZaakLinks; log?: Log; random?: () => number } = {}): ZgwAdapter {
  const links = options.links ?? memoryZaakLinks();
  const log = options.log ?? silentLog;
  const policy = config.policy ?? DEFAULT_RETRY_POLICY;
  const outcomes = new Map<string, AcceptanceOutcome | 'opgegeven'>();
  const timers = new Set<NodeJS.Timeout>();
  const pending = new Set<Promise<void>>();
  let closed = false;
  /** Handovers a delivery attempt is storing now (AFL-006: overlapping attempts). */
  const inFlight = new Set<string>();
  const app = new Hono();
  // What the adapter sends the gateway goes through the client library, one attempt each: it retries with `policy`.
  const zicht = new ZichtClient({ gatewayUrl: config.gateway.url, gatewayOin: config.gateway.oin, signer: config.gemeente.signer, keys: config.gateway.keys, retryDelaysMs: [] });
  const send = (bericht: Bericht) => sendToGateway(bericht, zicht);

  /** Runs `task` until it succeeds, a ZGW or gateway refusal makes it final, or the policy's window ends. */
  const retrying = (task: () => Promise<void>, onFinal: (outcome: 'done' | 'opgegeven') => void, event: string, attempts = 0, firstAt = new Date()): Promise<void> =>
    task().then(
      () => { onFinal('done'); },
      (error: unknown) => {
        if (!(error instanceof ZgwError)) throw error;
        const next = error.code === 'ZGW_REFUSED' ? undefined : nextAttempt(policy, attempts, firstAt, new Date(), options.random);
        log.warn({ event, code: error.code, status: error.status, retry: next !== undefined }, 'not done; retried with the delivery policy unless final');
        if (next === undefined) {
          onFinal('opgegeven');
          return;
        }
        if (closed) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          void retrying(task, onFinal, event, attempts + 1, firstAt);
        }, next.getTime() - Date.now());
        timers.add(timer);
      },
    );

  /** Sends a link's receipt after the current answer, retried with the policy; `idle()` waits for it. */
  const inBackground = (link: ZaakLink, task: () => Promise<void>, event: string, what: string) => {
    const sending = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => (closed ? undefined : retrying(task, (outcome) => { log.info({ event, berichtId: link.berichtId, outcome }, what); }, `${event}.failed`)))
      .catch((error: unknown) => { log.error({ event: `${event}.error`, berichtId: link.berichtId, error: error instanceof Error ? error.name : 'error' }, `${what} not sent`); })
      .finally(() => { pending.delete(sending); });
    pending.add(sending);
  };

  // Q98: a receipt signed before a restart and not yet accepted is sent again, the same bericht; the handover it
  // answers was stored (answered 202), so it is never delivered again to set it off.
  for (const link of links.unsent()) inBackground(link, () => sendUnsent(link, links, send), 'zgw.resend', 'receipt signed before a restart');

  // Whatever else fails is answered as problem+json too, echoing nothing: the store out of reach is 503 (the gateway
  // and the Notificaties API retry, and nothing was answered as taken), anything else 500.
  app.onError((error) => {
    if (isStoreUnavailable(error)) {
      log.error({ event: 'zgw.store.unavailable', ...(error instanceof StoreUnavailableError && error.driverCode !== undefined ? { driverCode: error.driverCode } : {}) }, 'the store of links failed; the request is to be retried');
      return fout(503, 'ZICHT_STORE_UNAVAILABLE', 'The adapter\'s store is unavailable; nothing was taken. Try again later.');
    }
    log.error({ event: 'zgw.error', error: error.name }, 'internal error');
    return fout(500, 'ZICHT_INTERNAL', 'An internal error occurred; nothing about the request is reported here.');
  });
  app.notFound(() => fout(404, 'NOT_FOUND', 'No such resource.'));

  app.post('/berichten', async (c) => {
    const token = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    try {
      if (token === undefined) throw new Error('no token');
      const claims = await verifyBearerToken(token, { audience: config.gemeente.oin, keys: config.gateway.keys });
      if (claims.iss !== config.gateway.oin) throw new Error('not the gateway');
    } catch {
      return fout(401, 'ZICHT_AUTH_TOKEN_INVALID', 'The push carries no valid bearer token of the gateway for this gemeente.');
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const validation = validateBericht(bytes);
    const errors = validation.issues.filter((i) => i.severity === 'error');
    if (!validation.ok || validation.value === undefined) {
      return fout(errors.some((i) => ['BER-001', 'BER-003'].includes(i.rule)) ? 400 : 422, 'BERICHT_INVALID', 'The bericht breaks rules of the standard.', errors);
    }
    const bericht: Bericht = validation.value;
    try {
      await verifyBericht(bericht, { keys: config.gateway.keys, requireCountersignature: true });
    } catch (error) {
      // A key directory that cannot be read is no verdict on the bericht: 503, and the gateway retries (fail closed, not for good).
      if (!(error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError)) {
        log.warn({ event: 'zgw.keys.unavailable', berichtId: bericht.berichtId }, 'keys could not be read; the gateway retries the delivery');
        return fout(503, 'ZICHT_KEYS_UNAVAILABLE', 'The signers\' keys could not be read now; try again later.');
      }
      return fout(422, error.code, 'The signatures are refused.', [issueFor(signatureRuleFor(error.code), ['signatures'])]);
    }
    // AFL-003: only a bericht that names this gemeente by its OIN and a gemeentecode it serves is its own.
    if (!bericht.ontvangers.some((o) => o.oin === config.gemeente.oin && o.gemeentecode !== undefined && config.gemeente.gemeentecodes.includes(o.gemeentecode))) {
      return fout(422, 'NIET_GEADRESSEERD', 'This bericht is not addressed to this gemeente.', [issueFor('AFL-003', ['ontvangers'])]);
    }
    // Every other type its role receives is taken (AFL-001); only a handover becomes a zaak.
    if (bericht.berichtType !== 'overdracht') return c.body(null, 202);
    // BER-015: a handover held under this berichtId with other content is a conflict, not a resend.
    const held = links.byBericht(bericht.berichtId);
    if (held?.inhoud !== undefined && held.inhoud !== inhoudVan(bericht)) {
      return fout(409, 'BERICHT_CONFLICT', 'A handover with this berichtId is held with other content.', [issueFor('BER-015', ['berichtId'])]);
    }
    // AFL-006: of two attempts of one handover that overlap, this one waits: 503 while the other is not stored, and the gateway retries.
    if (inFlight.has(bericht.berichtId)) return fout(503, 'ZICHT_IN_PROGRESS', 'This handover is being stored by another delivery attempt; try again later.');
    inFlight.add(bericht.berichtId);
    try {
      const link = await zaakVoorOverdracht(bericht, config, links);
      log.info({ event: 'zgw.zaak', berichtId: bericht.berichtId, rollen: link.rollen }, 'zaak made for a handover');
      // AFL-005: a receiver not in cc answers the handover with `ontvangen` once it is stored, without waiting for a person (after this 202).
      if (bericht.ontvangers.some((o) => o.oin === config.gemeente.oin && o.kopie !== true) && link.ontvangenVerzonden !== true) {
        await ontvangenFor(link, config, links);
        inBackground(link, () => sendOntvangen(link, links, send), 'zgw.ontvangen', 'automatic receipt (AFL-005)');
      }
      return c.body(null, 202);
    } catch (error) {
      if (!(error instanceof ZgwError)) throw error;
      log.warn({ event: 'zgw.zaak.failed', berichtId: bericht.berichtId, code: error.code, status: error.status }, 'zaak not (fully) made; the gateway retries the delivery');
      return error.code === 'ZGW_UNAVAILABLE'
        ? fout(503, error.code, 'A ZGW API of the gemeente is unavailable; the gateway retries the delivery.')
        : fout(502, error.code, 'A ZGW API of the gemeente refused the zaak or answered without what it promises; the gateway retries while the operator looks at the adapter\'s log.');
    } finally {
      inFlight.delete(bericht.berichtId);
    }
  });

  const attempt = (notificatie: Notificatie): Promise<void> =>
    retrying(
      async () => {
        const outcome = await handleNotificatie(notificatie, config, links, send);
        outcomes.set(notificatie.hoofdObject, outcome);
        log.info({ event: 'zgw.notificatie', outcome }, 'status notification handled');
      },
      (outcome) => { if (outcome === 'opgegeven') outcomes.set(notificatie.hoofdObject, 'opgegeven'); },
      'zgw.notificatie.failed',
    );

  app.post('/notificaties', async (c) => {
    if (c.req.header('authorization') !== config.notificatieAuth) return fout(403, 'NOTIFICATIE_AUTH', 'The notification does not carry the abonnement\'s authorisation.');
    const parsed = Kennisgeving.safeParse(await c.req.text().then(parseStrictJson).catch(() => undefined));
    if (!parsed.success) return fout(400, 'NOTIFICATIE_INVALID', 'The body is not a Kennisgeving of the Notificaties API.');
    await attempt(parsed.data);
    return c.body(null, 204);
  });

  return {
    app,
    links,
    outcomes,
    idle: async () => { await Promise.all([...pending]); },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
