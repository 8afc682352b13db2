/**
 * The reference receiving system: what a gemeente's (or VT's) Zicht endpoint does with a push,
 * `POST {endpoint}/berichten`. It validates the bericht against the spec with the trail it holds,
 * verifies the sender's signature and the gateway's countersignature with keys fetched from the
 * gateway, refuses what is not addressed to it, de-duplicates on berichtId (delivery is at least
 * once), stores, answers 202, and then (a gemeente) sends a signed ontvangstbevestiging back through
 * the gateway. Holding encryption keys, it first decrypts a JWE push (ENC-004) and then does all of
 * the above on the plaintext. Before anything it checks the gateway's push token (a bearer JWT: iss
 * the gateway, aud this system's OIN, signed with the gateway's published key, at most 5 minutes,
 * `jti` used once; 401 otherwise). It is addressed only by its OIN together with a gemeentecode it
 * serves. When the key directory cannot be read it fails closed with a 503 (the gateway retries),
 * never accepting unverified and never refusing for good. A receipt it sends is retried, the same
 * bytes, after a 5xx or a lost answer. Refusals are problem+json with rule ids only. Used by `zicht demo` and as the
 * reference the conformance suite is proven against; `defect` breaks exactly one behaviour, for the
 * suite's own tests.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'undici';
import { AuthError, CanonicalError, IoError, KeyError, SignatureError } from '../errors.js';
import { memoryReplayGuard } from '../http/auth.js';
import type { Bericht, OntvangstbevestigingBericht } from '../model/bericht.js';
import { trailOf } from '../rules/context.js';
import { signatureRuleFor } from '../rules/gateway.js';
import { validateBericht } from '../rules/validate.js';
import { createBearerToken, verifyBearerToken } from '../signing/bearer-token.js';
import type { KeyResolver, ResolvedKey } from '../signing/key-resolver.js';
import { canonicalBericht } from '../signing/canonical.js';
import { signBericht } from '../signing/sign.js';
import type { Signer } from '../signing/signer.js';
import { verifyBericht } from '../signing/verify.js';
import { compactDecrypt, decodeJwt, importJWK } from 'jose';
import { decryptBody, type DecryptionKey } from '../delivery/decrypt.js';
import { JOSE_MEDIA_TYPE } from '../delivery/encrypt.js';
import { EncryptionError } from '../errors.js';
import { publishedKey, remoteKeyResolver } from './remote-keys.js';

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
  | { readonly kind: 'no-decryption' }
  /** Does not look at the gateway's push token at all. */
  | { readonly kind: 'push-token-ignored' }
  /** Checks the push token but not the one named property: its signature (decodes only), audience, expiry, single use (jti), or that the gateway issued it (any participant's token). */
  | { readonly kind: 'push-token-lax'; readonly skip: 'signature' | 'audience' | 'expiry' | 'replay' | 'issuer' }
  /** Takes a key's validity window as absent: a revoked, expired or not yet valid key verifies. */
  | { readonly kind: 'key-window-ignored' }
  /** Checks revocation only (the revocation list), not nbf and exp. */
  | { readonly kind: 'key-expiry-ignored' }
  /** Judges revocation at the signer's own iat only, not at the gateway's countersignature time (trusts the signer's clock). */
  | { readonly kind: 'key-revocation-at-iat' }
  /** Caches keys by kid across participants: a key of one participant verifies a signature that names another. */
  | { readonly kind: 'key-cache-by-kid' }
  /** When the key directory cannot be read, skips the signature check and accepts (fails open). */
  | { readonly kind: 'key-directory-fails-open' }
  /** When the key directory cannot be read, refuses for good (422) instead of asking for a retry (503). */
  | { readonly kind: 'key-directory-refuses' }
  /** Checks the receiver's OIN but not its gemeentecode. */
  | { readonly kind: 'gemeentecode-ignored' }
  /** Numbers every receipt 1 (one volgnummer for every receipt in a dossier). */
  | { readonly kind: 'receipt-volgnummer-constant' }
  /** Answers an update of the veiligheidsvoorwaarden with a receipt too. */
  | { readonly kind: 'receipt-for-update' }
  /** Gives a receipt up after a 5xx or a lost answer (no retry). */
  | { readonly kind: 'receipt-no-retry' }
  /** Rebuilds a receipt for a retry: a new berichtId, as if it were a new receipt. */
  | { readonly kind: 'receipt-retry-new-id' }
  /** Sends its receipt with a bearer token for the VT (aud the VT's OIN) instead of the gateway. */
  | { readonly kind: 'receipt-token-wrong-audience' }
  /** An unexpected error on a refused bericht: 500 instead of a 4xx problem (the gateway retries it for days). */
  | { readonly kind: 'server-error-on-refusal' };

/** How a reference receiver is set up. */
export interface ReferenceReceiverOptions {
  /** The system's own key and OIN. */
  readonly signer: Signer;
  /** The role it is addressed as and sends receipts as. */
  readonly rol: 'lokaal-team' | 'gemeente' | 'vt';
  /** The gemeentecodes it serves (a gemeente or lokaal team): a bericht is addressed to it only for one of these. Absent: none checked (a VT has none). */
  readonly gemeentecodes?: readonly string[];
  /** Waits before each retry of a receipt (ms), one retry per entry; default 200, 1,000 and 5,000 ms. */
  readonly retryDelaysMs?: readonly number[];
  /** The gateway's base URL (keys are fetched from it; receipts are sent to it), read at each use. */
  readonly gatewayUrl: () => string;
  readonly gatewayOin: string;
  /** Answer each overdracht with an ontvangstbevestiging (a gemeente does; a VT does not). */
  readonly sendReceipts: boolean;
  /** The status of the receipts it sends (default `ontvangen`). */
  readonly receiptStatus?: 'ontvangen' | 'geaccepteerd';
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

const problem = (status: number, title: string, rules: readonly string[] = []) =>
  Response.json({ type: 'about:blank', title, status, issues: rules.map((rule) => ({ rule, severity: 'error', path: '$', message: 'See the rule.' })) }, { status, headers: { 'content-type': 'application/problem+json' } });

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

const hashOf = (bericht: Bericht) => createHash('sha256').update(canonicalBericht(bericht)).digest('hex');

/** The key resolver a receiver verifies signatures with, as a defect may bend it. */
function keysWith(options: ReferenceReceiverOptions): KeyResolver {
  const { defect } = options;
  const byKid = new Map<string, Record<string, unknown>>();
  const remote = remoteKeyResolver(options.gatewayUrl, (oin) => (oin === options.gatewayOin ? 'gateway' : undefined), (_oin, keys) => {
    for (const k of keys) if (typeof k.kid === 'string') byKid.set(k.kid, k);
  });
  const bend = (key: ResolvedKey | undefined): ResolvedKey | undefined => {
    if (key === undefined) return undefined;
    const { nbf, exp, revokedAt, ...rest } = key;
    if (defect?.kind === 'key-window-ignored') return rest;
    if (defect?.kind === 'key-expiry-ignored') return { ...rest, ...(revokedAt === undefined ? {} : { revokedAt }) };
    if (defect?.kind === 'key-revocation-at-iat') {
      // Revocation treated as one more expiry: checked at the signature's iat, never at the countersignature's rcv.
      const until = Math.min(exp ?? Infinity, revokedAt ?? Infinity);
      return { ...rest, ...(nbf === undefined ? {} : { nbf }), ...(until === Infinity ? {} : { exp: until }) };
    }
    return key;
  };
  return {
    async resolve(oin, kid) {
      const key = bend(await remote.resolve(oin, kid));
      if (key === undefined && defect?.kind === 'key-cache-by-kid') {
        const cached = byKid.get(kid);
        return bend(cached === undefined ? undefined : publishedKey([cached], kid, oin === options.gatewayOin ? 'gateway' : undefined));
      }
      return key;
    },
  };
}

/** What came of checking the push token: nothing wrong, or the status to answer. */
type TokenCheck = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 503 };

/** Checks the gateway's push token (a bearer JWT for this system from the gateway), as a defect may bend it. */
function pushTokenChecker(options: ReferenceReceiverOptions, keys: KeyResolver): (authorization: string | undefined) => Promise<TokenCheck> {
  const { defect, signer, gatewayOin } = options;
  const replay = memoryReplayGuard();
  const lax = defect?.kind === 'push-token-lax' ? defect.skip : undefined;
  const gatewayKeys: KeyResolver = { resolve: (oin, kid) => (oin === gatewayOin || lax === 'issuer' ? keys.resolve(oin, kid) : undefined) };
  return async (authorization) => {
    if (defect?.kind === 'push-token-ignored') return { ok: true };
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '')?.[1];
    if (token === undefined) return { ok: false, status: 401 };
    try {
      let claims: { iss: string; jti: string; exp: number };
      if (lax === 'signature') {
        const decoded = decodeJwt(token);
        const aud = Array.isArray(decoded.aud) ? decoded.aud : [decoded.aud];
        if (decoded.iss !== gatewayOin || !aud.includes(signer.oin) || typeof decoded.exp !== 'number' || decoded.exp * 1000 <= Date.now() || typeof decoded.jti !== 'string') return { ok: false, status: 401 };
        claims = { iss: decoded.iss, jti: decoded.jti, exp: decoded.exp };
      } else {
        const decoded = lax === 'audience' || lax === 'expiry' ? decodeJwt(token) : undefined;
        const audience = lax === 'audience' ? String(Array.isArray(decoded?.aud) ? decoded.aud[0] : decoded?.aud) : signer.oin;
        const now = lax === 'expiry' && typeof decoded?.iat === 'number' ? new Date(decoded.iat * 1000) : new Date();
        claims = await verifyBearerToken(token, { audience, keys: gatewayKeys, now });
      }
      if (lax !== 'replay' && !(await replay.claim(claims.iss, claims.jti, claims.exp))) return { ok: false, status: 401 };
      return { ok: true };
    } catch (error) {
      if (error instanceof AuthError || error instanceof KeyError || error instanceof SignatureError) return { ok: false, status: 401 };
      if (error instanceof IoError) return { ok: false, status: 503 };
      return { ok: false, status: 401 };
    }
  };
}

/** Starts a reference receiver on localhost (any free port). */
export async function startReferenceReceiver(options: ReferenceReceiverOptions): Promise<ReferenceReceiver> {
  const { signer, defect } = options;
  const ignores = (rule: string) => defect?.kind === 'ignores-rule' && defect.rule === rule;
  const keys = keysWith(options);
  const checkPushToken = pushTokenChecker(options, keys);
  const delays = options.retryDelaysMs ?? [200, 1000, 5000];
  const received: Bericht[] = [];
  const hashes = new Map<string, string>();
  const volgnummers = new Map<string, number>();
  let queue: Promise<void> = Promise.resolve();

  const receiptFor = (answered: Bericht): OntvangstbevestigingBericht => {
    const volgnummer = defect?.kind === 'receipt-volgnummer-constant' ? 1 : (volgnummers.get(answered.dossier.referentie) ?? 0) + 1;
    volgnummers.set(answered.dossier.referentie, volgnummer);
    const now = new Date();
    return {
      specVersie: '1.0',
      berichtId: randomUUID(),
      berichtType: 'ontvangstbevestiging',
      verzender: { oin: signer.oin, rol: options.rol === 'vt' ? 'lokaal-team' : options.rol },
      ontvangers: [{ oin: answered.verzender.oin, rol: 'vt' }],
      verzondenOp: now.toISOString(),
      dossier: { referentie: answered.dossier.referentie, volgnummer },
      inAntwoordOp: answered.berichtId,
      inhoud: { status: options.receiptStatus ?? 'ontvangen', ontvangenOp: now.toISOString() },
    };
  };

  const sign = async (receipt: OntvangstbevestigingBericht): Promise<string> => {
    let signed: Record<string, unknown> = await signBericht(receipt, signer);
    if (defect?.kind === 'receipt-signature-broken') signed = { ...signed, verzondenOp: new Date(Date.now() + 1000).toISOString() };
    return JSON.stringify(signed);
  };

  /** Sends a receipt through the gateway; after a 5xx or a lost answer the same bytes again (BER-015), a 4xx is final. */
  const sendReceipt = async (answered: Bericht): Promise<void> => {
    const receipt = receiptFor(answered);
    let body = await sign(receipt);
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let code = 'no answer';
      try {
        const audience = defect?.kind === 'receipt-token-wrong-audience' ? answered.verzender.oin : options.gatewayOin;
        const response = await request(`${options.gatewayUrl()}/v1/berichten`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(signer, audience)}` },
        });
        await response.body.dump();
        status = response.statusCode;
      } catch (error) {
        const c = (error as { code?: unknown }).code;
        code = typeof c === 'string' ? c : 'network error';
      }
      if (status >= 200 && status < 300) return;
      const delay = delays[attempt];
      if ((status !== 0 && status < 500) || delay === undefined || defect?.kind === 'receipt-no-retry') {
        options.onProblem?.(status === 0 ? `receipt not sent (${code})` : `receipt answered ${status}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (defect?.kind === 'receipt-retry-new-id') body = await sign({ ...receipt, berichtId: randomUUID() });
    }
  };

  /** Whether the bericht names this system among its receivers: its OIN, and (a gemeente or lokaal team) a gemeentecode it serves. */
  const addressedToMe = (bericht: Bericht): boolean =>
    bericht.ontvangers.some((o) => {
      if (o.oin !== signer.oin) return false;
      const code = 'gemeentecode' in o ? o.gemeentecode : undefined;
      return options.gemeentecodes === undefined || defect?.kind === 'gemeentecode-ignored' || (code !== undefined && options.gemeentecodes.includes(code));
    });

  /** A refusal, or (the defect) an unexpected error instead. */
  const refuse = (status: number, title: string, rules: readonly string[] = []) => (defect?.kind === 'server-error-on-refusal' ? problem(500, 'Internal error.') : problem(status, title, rules));

  const app = new Hono();
  app.post('/v1/berichten', async (c) => {
    const token = await checkPushToken(c.req.header('authorization'));
    if (!token.ok) return token.status === 503 ? problem(503, 'The key directory cannot be read; send again later.') : problem(401, 'No valid push token of the gateway for this system.');
    let bytes: Uint8Array = new Uint8Array(await c.req.arrayBuffer());
    let encryptedTo: string | undefined;
    if (defect?.kind !== 'no-decryption' && (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() === JOSE_MEDIA_TYPE) {
      try {
        const decrypted = await (ignores('ENC-004') ? laxDecrypt : decryptBody)(new TextDecoder().decode(bytes), options.decryptionKeys ?? []);
        bytes = decrypted.plaintext;
        encryptedTo = decrypted.kid;
      } catch (error) {
        if (!(error instanceof EncryptionError)) throw error;
        return refuse(400, 'The body does not decrypt.', ['ENC-004']);
      }
    }
    const validated = validateBericht(bytes, { context: trailOf([...(options.sent?.() ?? []), ...received]) });
    const errors = validated.issues.filter((i) => i.severity === 'error' && !ignores(i.rule));
    // With a defect that ignores the only rule the input breaks, it takes even what it cannot read.
    if (errors.length === 0 && !validated.value) return c.body(null, 202);
    if (errors.length > 0 || !validated.value) return refuse(errors.some((i) => ['BER-001', 'BER-003'].includes(i.rule)) ? 400 : 422, 'The bericht breaks rules of the standard.', errors.map((i) => i.rule));
    const bericht = validated.value;
    try {
      await verifyBericht(bericht, { keys, requireCountersignature: true });
    } catch (error) {
      if (error instanceof IoError) {
        // Fail closed: unverified is never accepted; a 503, not a 4xx, so that the gateway delivers it again.
        if (defect?.kind === 'key-directory-refuses') return problem(422, 'The signatures cannot be checked.', ['SIG-003']);
        if (defect?.kind !== 'key-directory-fails-open') return problem(503, 'The key directory cannot be read; send again later.');
      } else {
        if (!(error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError)) throw error;
        const rule = signatureRuleFor(error.code);
        if (!ignores(rule)) return refuse(422, 'The signatures are refused.', [rule]);
      }
    }
    if (defect?.kind !== 'answers-not-addressed' && !addressedToMe(bericht)) {
      return refuse(403, 'This bericht is not addressed to this system.');
    }
    if (defect?.kind === 'refuses-updates' && bericht.berichtType === 'veiligheidsvoorwaarden') return problem(422, 'Not supported.', ['BER-006']);
    if (defect?.kind === 'refuses-receipts' && bericht.berichtType === 'ontvangstbevestiging') return problem(422, 'Not supported.', ['BER-012']);
    const hash = hashOf(bericht);
    const earlier = hashes.get(bericht.berichtId.toLowerCase());
    if (earlier !== undefined && defect?.kind !== 'no-dedup') {
      if (earlier === hash || ignores('BER-015')) return c.body(null, 200);
      return refuse(409, 'Another bericht with this berichtId was received before.', ['BER-015']);
    }
    hashes.set(bericht.berichtId.toLowerCase(), hash);
    received.push(bericht);
    options.onReceived?.(bericht, encryptedTo);
    const answers = bericht.berichtType === 'overdracht' || (defect?.kind === 'receipt-for-update' && bericht.berichtType === 'veiligheidsvoorwaarden');
    if (options.sendReceipts && answers && defect?.kind !== 'no-receipt') {
      // In order, one at a time: a receipt goes out after the receipts of earlier handovers.
      queue = queue.then(() => sendReceipt(bericht));
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
