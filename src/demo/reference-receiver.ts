/**
 * The reference receiving system: what a gemeente's (or VT's) Zicht endpoint does with a push,
 * `POST {endpoint}/berichten`, in the order of spec/v1/receiver.md "Checking a push": the gateway's push
 * token (AFL-002, 401), the media type (415), decryption of a JWE push (ENC-004, 400), input, version,
 * schema and content rules (400/422), the sender's signature and the gateway's countersignature with keys
 * fetched from the gateway (SIG-001..005, 422; 503 when the key directory cannot be read, AFL-004), that it
 * is addressed with this system's OIN and a gemeentecode it serves (AFL-003, 422), a resend (2xx, once,
 * AFL-006) or a reused berichtId (409, BER-015), the trail rules over what it holds (422); then it stores and
 * answers 202, and a receiver not in cc of a handover sends a signed ontvangstbevestiging `ontvangen` back
 * through the gateway (AFL-005). Refusals are problem+json with rule ids only (AFL-007). Used by `zicht demo`
 * and as the reference the conformance suite is proven against; `defect` breaks exactly one behaviour, for
 * the suite's own tests.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'undici';
import { AuthError, CanonicalError, ClientError, KeyError, SignatureError } from '../errors.js';
import type { Bericht, OntvangstbevestigingBericht } from '../model/bericht.js';
import type { Behandelaar } from '../model/ontvangstbevestiging.js';
import { trailOf } from '../rules/context.js';
import { signatureRuleFor } from '../rules/gateway.js';
import { checkRules, validateBericht } from '../rules/validate.js';
import { createBearerToken, verifyBearerToken } from '../signing/bearer-token.js';
import { canonicalBericht } from '../signing/canonical.js';
import { signBericht } from '../signing/sign.js';
import type { Signer } from '../signing/signer.js';
import { verifyBericht } from '../signing/verify.js';
import { compactDecrypt, importJWK } from 'jose';
import { decryptBody, type DecryptionKey } from '../delivery/decrypt.js';
import { JOSE_MEDIA_TYPE } from '../delivery/encrypt.js';
import { EncryptionError } from '../errors.js';
import { gatewayKeyResolver } from '../client/keys.js';

/** One deliberate defect of the reference, for the conformance suite's tests. */
export type ReferenceDefect =
  /** Does not enforce this rule (validation, signature or BER-015 conflict). */
  | { readonly kind: 'ignores-rule'; readonly rule: string }
  /** Never sends an ontvangstbevestiging. */
  | { readonly kind: 'no-receipt' }
  /** Acts on a resent bericht again (a second receipt). */
  | { readonly kind: 'no-dedup' }
  /** Takes and answers berichten addressed to others. */
  | { readonly kind: 'answers-not-addressed' }
  /** Refuses updates of the veiligheidsvoorwaarden (only handovers implemented). */
  | { readonly kind: 'refuses-updates' }
  /** Refuses ontvangstbevestigingen (a VT system that cannot take receipts). */
  | { readonly kind: 'refuses-receipts' }
  /** Signs its receipt, then changes it (the signature no longer matches). */
  | { readonly kind: 'receipt-signature-broken' }
  /** Registered an encryption key but reads every body as JSON (cannot take a JWE push). */
  | { readonly kind: 'no-decryption' };

/** How a reference receiver is set up. */
export interface ReferenceReceiverOptions {
  /** The system's own key and OIN. */
  readonly signer: Signer;
  /** The role it is addressed as and sends receipts as. */
  readonly rol: 'lokaal-team' | 'gemeente' | 'vt';
  /** The gemeenten it serves (gemeente and lokaal team): a bericht must name it with one of them (AFL-003). */
  readonly gemeentecodes?: readonly string[];
  /** The gateway's base URL (keys are fetched from it; receipts are sent to it), read at each use. */
  readonly gatewayUrl: () => string;
  readonly gatewayOin: string;
  /** Answer each overdracht with an ontvangstbevestiging (a gemeente does; a VT does not). */
  readonly sendReceipts: boolean;
  /** The status of the receipts it sends (default `ontvangen`). */
  readonly receiptStatus?: 'ontvangen' | 'geaccepteerd';
  /** Who picks the case up, sent with every receipt; an acceptance needs naam or team, and telefoon or email (ONT-009). */
  readonly behandelaar?: Behandelaar;
  /** For a handover to two or more gemeenten: the team the gemeenten agreed leads (afstemming.regie, VRW-001). */
  readonly regie?: (handover: Bericht) => string | undefined;
  readonly defect?: ReferenceDefect;
  /** Berichten the system sent itself (a VT's handovers), so that receipts are checked against what they answer. */
  readonly sent?: () => readonly Bericht[];
  /** The private halves of the encryption keys it registered (ENC-001): a JWE push is decrypted with them. */
  readonly decryptionKeys?: readonly DecryptionKey[];
  /** Told of each bericht it accepted, once, after storing it, and whether it came encrypted (the kid it was encrypted to). */
  readonly onReceived?: (bericht: Bericht, encryptedTo?: string) => void;
  /** Told when a receipt could not be sent (status or network code); never a bericht's content. */
  readonly onProblem?: (problem: string) => void;
}

/** A running reference receiver. */
export interface ReferenceReceiver {
  /** Its Zicht endpoint, `http://…/v1`: pushes go to `{url}/berichten`. */
  readonly url: string;
  /** Every bericht it accepted, once each, in order. */
  readonly received: readonly Bericht[];
  /** Resolves when every receipt queued so far was sent. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const problem = (status: number, title: string, rules: readonly string[] = [], headers: Record<string, string> = {}) =>
  Response.json({ type: 'about:blank', title, status, issues: rules.map((rule) => ({ rule, severity: 'error', path: '$', message: 'See the rule.' })) }, { status, headers: { 'content-type': 'application/problem+json', ...headers } });

/** The defect of ENC-004: any algorithm jose supports, with the first key that opens it. */
async function laxDecrypt(jwe: string, keys: readonly DecryptionKey[]): Promise<{ plaintext: Uint8Array; kid: string }> {
  for (const key of keys) {
    try {
      const { plaintext } = await compactDecrypt(jwe.trim(), await importJWK({ ...key.privateJwk, alg: undefined }, key.alg));
      return { plaintext, kid: key.kid };
    } catch {
      // the next key
    }
  }
  throw new EncryptionError('ZICHT_ENCRYPTION_DECRYPT_FAILED');
}

/** The key directory could not be read: nothing can be verified now (AFL-004). */
const directoryUnavailable = (error: unknown): boolean => error instanceof ClientError && error.code === 'ZICHT_CLIENT_UNAVAILABLE';

const hashOf = (bericht: Bericht) => createHash('sha256').update(canonicalBericht(bericht)).digest('hex');

const isJoseBody = (contentType: string | undefined): boolean => mediaType(contentType) === JOSE_MEDIA_TYPE;
const mediaType = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** Starts a reference receiver on localhost (any free port). */
export async function startReferenceReceiver(options: ReferenceReceiverOptions): Promise<ReferenceReceiver> {
  const { signer, defect } = options;
  const gemeentecodes = options.rol === 'vt' ? undefined : options.gemeentecodes;
  if (options.rol !== 'vt' && (gemeentecodes === undefined || gemeentecodes.length === 0)) throw new Error('a gemeente or lokaal team receiver names the gemeenten it serves (gemeentecodes)');
  const ignores = (rule: string) => defect?.kind === 'ignores-rule' && defect.rule === rule;
  // The gateway's published keys, read where the gateway is now (tests move it); only its own OIN countersigns (SIG-004).
  const keys = { resolve: (oin: string, kid: string) => gatewayKeyResolver({ gatewayUrl: options.gatewayUrl(), gatewayOin: options.gatewayOin }).resolve(oin, kid) };
  // The push token is the gateway's alone: keys of any other issuer are not looked up (AFL-002).
  const gatewayKeys = { resolve: (oin: string, kid: string) => (oin === options.gatewayOin ? keys.resolve(oin, kid) : undefined) };
  const seenTokens = new Map<string, number>();
  const received: Bericht[] = [];
  const hashes = new Map<string, string>();
  const volgnummers = new Map<string, number>();
  let queue: Promise<void> = Promise.resolve();

  const receiptFor = (handover: Bericht, receivedAt: Date): OntvangstbevestigingBericht => {
    const volgnummer = (volgnummers.get(handover.dossier.referentie) ?? 0) + 1;
    volgnummers.set(handover.dossier.referentie, volgnummer);
    // Never dated before the handover it answers (BER-016), whatever this system's clock says.
    const verzondenOp = new Date(Math.max(Date.now(), Date.parse(handover.verzondenOp)));
    const regie = options.regie?.(handover);
    return {
      specVersie: '1.0',
      berichtId: randomUUID(),
      berichtType: 'ontvangstbevestiging',
      verzender: { oin: signer.oin, rol: options.rol === 'vt' ? 'lokaal-team' : options.rol },
      ontvangers: [{ oin: handover.verzender.oin, rol: 'vt' }],
      verzondenOp: verzondenOp.toISOString(),
      dossier: { referentie: handover.dossier.referentie, volgnummer },
      inAntwoordOp: handover.berichtId,
      inhoud: {
        status: options.receiptStatus ?? 'ontvangen',
        ontvangenOp: new Date(Math.min(receivedAt.getTime(), verzondenOp.getTime())).toISOString(),
        ...(options.behandelaar === undefined ? {} : { behandelaar: options.behandelaar }),
        ...(regie === undefined ? {} : { afstemming: { regie } }),
      },
    };
  };

  const sendReceipt = async (handover: Bericht, receivedAt: Date): Promise<void> => {
    let signed: Record<string, unknown> = await signBericht(receiptFor(handover, receivedAt), signer);
    if (defect?.kind === 'receipt-signature-broken') signed = { ...signed, verzondenOp: new Date(Date.now() + 1000).toISOString() };
    try {
      const response = await request(`${options.gatewayUrl()}/v1/berichten`, {
        method: 'POST',
        body: JSON.stringify(signed),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(signer, options.gatewayOin)}` },
      });
      await response.body.dump();
      if (response.statusCode !== 202) options.onProblem?.(`receipt answered ${response.statusCode}`);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      options.onProblem?.(`receipt not sent (${typeof code === 'string' ? code : 'network error'})`);
    }
  };

  /** AFL-002: the gateway's push token, each jti once while it is valid. */
  const tokenAccepted = async (authorization: string | undefined): Promise<boolean> => {
    const token = /^Bearer ([A-Za-z0-9._-]+)$/.exec(authorization ?? '')?.[1];
    if (token === undefined) return false;
    try {
      const claims = await verifyBearerToken(token, { audience: signer.oin, keys: gatewayKeys });
      const now = Date.now();
      for (const [jti, until] of seenTokens) if (until <= now) seenTokens.delete(jti);
      if (seenTokens.has(claims.jti)) return false;
      seenTokens.set(claims.jti, claims.exp * 1000);
      return true;
    } catch (error) {
      if (error instanceof AuthError) return false;
      if (directoryUnavailable(error) && ignores('AFL-004')) return true;
      throw error;
    }
  };

  /** AFL-003: named among the receivers with this system's OIN and, for a gemeente or lokaal team, a gemeentecode it serves. */
  const addressedHere = (bericht: Bericht): readonly Bericht['ontvangers'][number][] =>
    bericht.ontvangers.filter((o) => o.oin === signer.oin && (gemeentecodes === undefined || (o.gemeentecode !== undefined && gemeentecodes.includes(o.gemeentecode))));

  const app = new Hono();
  // Fail closed (AFL-004): without the keys nothing is taken, and 503 makes the gateway try again.
  app.onError((error) =>
    directoryUnavailable(error)
      ? problem(503, 'The keys to verify this bericht cannot be obtained now; nothing was taken. Try again later.', ['AFL-004'], { 'retry-after': '30' })
      : problem(500, 'An internal error occurred.'),
  );
  app.post('/v1/berichten', async (c) => {
    if (!ignores('AFL-002') && !(await tokenAccepted(c.req.header('authorization')))) {
      return problem(401, 'No valid push token of the gateway.', ['AFL-002'], { 'www-authenticate': 'Bearer' });
    }
    const contentType = c.req.header('content-type');
    if (!['application/json', JOSE_MEDIA_TYPE].includes(mediaType(contentType))) return problem(415, 'Send application/json, or application/jose to a receiver with an encryption key.', ['AFL-007']);
    let bytes: Uint8Array = new Uint8Array(await c.req.arrayBuffer());
    let encryptedTo: string | undefined;
    if (defect?.kind !== 'no-decryption' && isJoseBody(contentType)) {
      try {
        const decrypted = await (ignores('ENC-004') ? laxDecrypt : decryptBody)(new TextDecoder().decode(bytes), options.decryptionKeys ?? []);
        bytes = decrypted.plaintext;
        encryptedTo = decrypted.kid;
      } catch (error) {
        if (!(error instanceof EncryptionError)) throw error;
        return problem(400, 'The body does not decrypt.', ['ENC-004']);
      }
    }
    // Input, version, schema and content rules; the trail rules come after the signatures (receiver.md).
    const validated = validateBericht(bytes);
    const errors = validated.issues.filter((i) => i.severity === 'error' && !ignores(i.rule));
    // With a defect that ignores the only rule the input breaks, it takes even what it cannot read.
    if (errors.length === 0 && !validated.value) return c.body(null, 202);
    if (errors.length > 0 || !validated.value) {
      const rules = errors.map((i) => i.rule);
      return problem(rules.includes('BER-002') ? 413 : rules.some((r) => r === 'BER-001' || r === 'BER-003') ? 400 : 422, 'The bericht breaks rules of the standard.', rules);
    }
    const bericht = validated.value;
    try {
      await verifyBericht(bericht, { keys, requireCountersignature: true });
    } catch (error) {
      // The defect of AFL-004 fails open: it goes on with what it could not verify.
      const failOpen = directoryUnavailable(error) && ignores('AFL-004');
      if (!failOpen) {
        if (!(error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError)) throw error;
        const rule = signatureRuleFor(error.code);
        if (!ignores(rule)) return problem(422, 'The signatures are refused.', [rule]);
      }
    }
    const addressed = defect?.kind === 'answers-not-addressed' ? bericht.ontvangers : addressedHere(bericht);
    if (addressed.length === 0) return problem(422, 'This bericht is not addressed to this system.', ['AFL-003']);
    if (defect?.kind === 'refuses-updates' && bericht.berichtType === 'veiligheidsvoorwaarden') return problem(422, 'Not supported.', ['BER-006']);
    if (defect?.kind === 'refuses-receipts' && bericht.berichtType === 'ontvangstbevestiging') return problem(422, 'Not supported.', ['BER-012']);
    const hash = hashOf(bericht);
    const earlier = hashes.get(bericht.berichtId.toLowerCase());
    if (earlier !== undefined && defect?.kind !== 'no-dedup') {
      if (earlier === hash || ignores('BER-015')) return c.body(null, 200);
      return problem(409, 'Another bericht with this berichtId was received before.', ['BER-015']);
    }
    const trail = checkRules(bericht, trailOf([...(options.sent?.() ?? []), ...received]), 'trail').filter((i) => i.severity === 'error' && !ignores(i.rule));
    if (trail.length > 0) return problem(422, 'The bericht breaks rules of the standard.', trail.map((i) => i.rule));
    const receivedAt = new Date();
    hashes.set(bericht.berichtId.toLowerCase(), hash);
    received.push(bericht);
    options.onReceived?.(bericht, encryptedTo);
    if (options.sendReceipts && bericht.berichtType === 'overdracht' && addressed.some((o) => o.kopie !== true) && defect?.kind !== 'no-receipt') {
      // In order, one at a time: a receipt goes out after the receipts of earlier handovers.
      queue = queue.then(() => sendReceipt(bericht, receivedAt));
    }
    return c.body(null, 202);
  });

  const server = await new Promise<ServerType>((resolve) => {
    const s: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => { resolve(s); });
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    received,
    idle: () => queue,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
