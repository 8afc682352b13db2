/**
 * The reference receiving system: what a gemeente's (or VT's) Zicht endpoint does with a push,
 * `POST {endpoint}/berichten`. It validates the bericht against the spec with the trail it holds,
 * verifies the sender's signature and the gateway's countersignature with keys fetched from the
 * gateway, refuses what is not addressed to it, de-duplicates on berichtId (delivery is at least
 * once), stores, answers 202, and then (a gemeente) sends a signed ontvangstbevestiging back through
 * the gateway. Holding encryption keys, it first decrypts a JWE push (ENC-004) and then does all of
 * the above on the plaintext. Refusals are problem+json with rule ids only. Used by `zicht demo` and as the
 * reference the conformance suite is proven against; `defect` breaks exactly one behaviour, for the
 * suite's own tests.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'undici';
import { CanonicalError, KeyError, SignatureError } from '../errors.js';
import type { Bericht, OntvangstbevestigingBericht } from '../model/bericht.js';
import type { Behandelaar } from '../model/ontvangstbevestiging.js';
import { trailOf } from '../rules/context.js';
import { signatureRuleFor } from '../rules/gateway.js';
import { validateBericht } from '../rules/validate.js';
import { createBearerToken } from '../signing/bearer-token.js';
import { canonicalBericht } from '../signing/canonical.js';
import { signBericht } from '../signing/sign.js';
import type { Signer } from '../signing/signer.js';
import { verifyBericht } from '../signing/verify.js';
import { compactDecrypt, importJWK } from 'jose';
import { decryptBody, type DecryptionKey } from '../delivery/decrypt.js';
import { JOSE_MEDIA_TYPE } from '../delivery/encrypt.js';
import { EncryptionError } from '../errors.js';
import { remoteKeyResolver } from './remote-keys.js';

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

/** Starts a reference receiver on localhost (any free port). */
export async function startReferenceReceiver(options: ReferenceReceiverOptions): Promise<ReferenceReceiver> {
  const { signer, defect } = options;
  const ignores = (rule: string) => defect?.kind === 'ignores-rule' && defect.rule === rule;
  const keys = remoteKeyResolver(options.gatewayUrl, (oin) => (oin === options.gatewayOin ? 'gateway' : undefined));
  const received: Bericht[] = [];
  const hashes = new Map<string, string>();
  const volgnummers = new Map<string, number>();
  let queue: Promise<void> = Promise.resolve();

  const receiptFor = (handover: Bericht): OntvangstbevestigingBericht => {
    const volgnummer = (volgnummers.get(handover.dossier.referentie) ?? 0) + 1;
    volgnummers.set(handover.dossier.referentie, volgnummer);
    const now = new Date();
    const regie = options.regie?.(handover);
    return {
      specVersie: '1.0',
      berichtId: randomUUID(),
      berichtType: 'ontvangstbevestiging',
      verzender: { oin: signer.oin, rol: options.rol === 'vt' ? 'lokaal-team' : options.rol },
      ontvangers: [{ oin: handover.verzender.oin, rol: 'vt' }],
      verzondenOp: now.toISOString(),
      dossier: { referentie: handover.dossier.referentie, volgnummer },
      inAntwoordOp: handover.berichtId,
      inhoud: {
        status: options.receiptStatus ?? 'ontvangen',
        ontvangenOp: now.toISOString(),
        ...(options.behandelaar === undefined ? {} : { behandelaar: options.behandelaar }),
        ...(regie === undefined ? {} : { afstemming: { regie } }),
      },
    };
  };

  const sendReceipt = async (handover: Bericht): Promise<void> => {
    let signed: Record<string, unknown> = await signBericht(receiptFor(handover), signer);
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

  const app = new Hono();
  app.post('/v1/berichten', async (c) => {
    let bytes: Uint8Array = new Uint8Array(await c.req.arrayBuffer());
    let encryptedTo: string | undefined;
    if (defect?.kind !== 'no-decryption' && (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() === JOSE_MEDIA_TYPE) {
      try {
        const decrypted = await (ignores('ENC-004') ? laxDecrypt : decryptBody)(new TextDecoder().decode(bytes), options.decryptionKeys ?? []);
        bytes = decrypted.plaintext;
        encryptedTo = decrypted.kid;
      } catch (error) {
        if (!(error instanceof EncryptionError)) throw error;
        return problem(400, 'The body does not decrypt.', ['ENC-004']);
      }
    }
    const validated = validateBericht(bytes, { context: trailOf([...(options.sent?.() ?? []), ...received]) });
    const errors = validated.issues.filter((i) => i.severity === 'error' && !ignores(i.rule));
    // With a defect that ignores the only rule the input breaks, it takes even what it cannot read.
    if (errors.length === 0 && !validated.value) return c.body(null, 202);
    if (errors.length > 0 || !validated.value) return problem(errors.some((i) => ['BER-001', 'BER-003'].includes(i.rule)) ? 400 : 422, 'The bericht breaks rules of the standard.', errors.map((i) => i.rule));
    const bericht = validated.value;
    try {
      await verifyBericht(bericht, { keys, requireCountersignature: true });
    } catch (error) {
      if (!(error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError)) throw error;
      const rule = signatureRuleFor(error.code);
      if (!ignores(rule)) return problem(422, 'The signatures are refused.', [rule]);
    }
    if (defect?.kind !== 'answers-not-addressed' && !bericht.ontvangers.some((o) => o.oin === signer.oin)) {
      return problem(403, 'This bericht is not addressed to this system.');
    }
    if (defect?.kind === 'refuses-updates' && bericht.berichtType === 'veiligheidsvoorwaarden') return problem(422, 'Not supported.', ['BER-006']);
    if (defect?.kind === 'refuses-receipts' && bericht.berichtType === 'ontvangstbevestiging') return problem(422, 'Not supported.', ['BER-012']);
    const hash = hashOf(bericht);
    const earlier = hashes.get(bericht.berichtId.toLowerCase());
    if (earlier !== undefined && defect?.kind !== 'no-dedup') {
      if (earlier === hash || ignores('BER-015')) return c.body(null, 200);
      return problem(409, 'Another bericht with this berichtId was received before.', ['BER-015']);
    }
    hashes.set(bericht.berichtId.toLowerCase(), hash);
    received.push(bericht);
    options.onReceived?.(bericht, encryptedTo);
    if (options.sendReceipts && bericht.berichtType === 'overdracht' && defect?.kind !== 'no-receipt') {
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
