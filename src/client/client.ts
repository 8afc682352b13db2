/**
 * The participant's side of the gateway's HTTP API, for vendors' VT and gemeente systems: sign and
 * submit a bericht (retrying the same bytes after a 5xx or a lost answer, never after a 4xx), read its
 * status, read and acknowledge the postbus (decrypting a JWE page with the receiver's own keys,
 * ENC-003/ENC-004), and verify what arrives (the sender's signature and the gateway's countersignature,
 * with keys fetched from the gateway). Every call carries a fresh bearer token signed with the
 * participant's key. Refusals come back as {@link ClientError} with the problem's issues (rule ids and
 * JSON paths only: the gateway never echoes content, and neither does this client).
 */
import { request, type Dispatcher } from 'undici';
import { decryptBody, type DecryptionKey } from '../delivery/decrypt.js';
import { JOSE_MEDIA_TYPE } from '../delivery/encrypt.js';
import { ClientError, KeyError, SignatureError, type ClientProblem } from '../errors.js';
import { parseStrictJson } from '../json/strict-json.js';
import type { Bericht } from '../model/bericht.js';
import { BerichtStatus, Postbus } from '../model/bericht-status.js';
import { Transportbevestiging } from '../model/transportbevestiging.js';
import { createBearerToken } from '../signing/bearer-token.js';
import type { KeyResolver } from '../signing/key-resolver.js';
import { signBericht } from '../signing/sign.js';
import type { Signer } from '../signing/signer.js';
import { verifyBericht, type VerifiedBericht } from '../signing/verify.js';
import { verifyCountersignature } from '../signing/verify-countersignature.js';
import { gatewayKeyResolver } from './keys.js';
import { isRetriedBySender, nextAttemptDelayMs } from './retry.js';


/** How a {@link ZichtClient} reaches the gateway and who it is. */
export interface ZichtClientOptions {
  /** The gateway's base URL, without `/v1` (e.g. `https://zicht.example.nl`). */
  readonly gatewayUrl: string;
  /** The gateway's OIN: the audience of every bearer token and the only signer of countersignatures. */
  readonly gatewayOin: string;
  /** The participant's signing key and OIN. */
  readonly signer: Signer;
  /** The private halves of the participant's registered encryption keys, to open JWE postbus pages. */
  readonly decryptionKeys?: readonly DecryptionKey[];
  /** Waits before each retry of a submit (ms), one retry per entry. Default 200, 1,000 and 5,000 ms. */
  readonly retryDelaysMs?: readonly number[];
  /** An undici dispatcher, e.g. an `Agent` with the client certificate and CA of a PKIoverheid connection. */
  readonly dispatcher?: Dispatcher;
  /** Where signers' keys are found for {@link ZichtClient.verify}; by default the gateway's published keys. */
  readonly keys?: KeyResolver;
}

/** One page of the postbus, opened: the berichten (unverified; see {@link ZichtClient.verify}) and the next page's cursor. */
export interface PostbusPage {
  readonly berichten: readonly Record<string, unknown>[];
  readonly volgende?: string;
  /** The kid of the encryption key the page was encrypted to, when it came as a JWE. */
  readonly encryptedTo?: string;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a problem+json body says, reduced to what the standard lets a gateway say: title, status and rule issues. */
function problemOf(status: number, body: unknown): ClientProblem {
  const object = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const issues = Array.isArray(object.issues) ? object.issues : [];
  return {
    status,
    title: typeof object.title === 'string' ? object.title : `HTTP ${status}`,
    issues: issues.flatMap((issue: unknown) => {
      const i = typeof issue === 'object' && issue !== null ? (issue as Record<string, unknown>) : {};
      return typeof i.rule === 'string' ? [{ rule: i.rule, path: typeof i.path === 'string' ? i.path : '$', message: typeof i.message === 'string' ? i.message : '' }] : [];
    }),
  };
}

/** A vendor system's connection to a Zicht gateway. */
export class ZichtClient {
  readonly #options: ZichtClientOptions;
  readonly #base: string;
  readonly #keys: KeyResolver;

  constructor(options: ZichtClientOptions) {
    this.#options = options;
    this.#base = options.gatewayUrl.replace(/\/+$/, '');
    this.#keys = options.keys ?? gatewayKeyResolver({ gatewayUrl: this.#base, gatewayOin: options.gatewayOin, ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }) });
  }

  /** A bearer token for this participant, for the gateway (or for `audience`). */
  token(audience: string = this.#options.gatewayOin): Promise<string> {
    return createBearerToken(this.#options.signer, audience);
  }

  /** Signs a bericht with the participant's key (RFC 8785 + detached JWS, SIG-001); the result is what {@link submit} sends. */
  sign(bericht: Bericht): Promise<Record<string, unknown>> {
    return signBericht(bericht, this.#options.signer);
  }

  /**
   * Submits a signed bericht (`POST /v1/berichten`) and returns the gateway's transport receipt. The same
   * bytes are sent again after a 5xx, a 408, 425 or 429 or a lost answer (the gateway de-duplicates on
   * berichtId, BER-015), not before the answer's Retry-After (receiver.md §9); a 401 once at once with a new
   * token; any other 4xx is final (implementation-questions Q70).
   *
   * @throws {ClientError} `ZICHT_CLIENT_REFUSED` (4xx, with the rule issues) or `ZICHT_CLIENT_UNAVAILABLE` (no 2xx after every retry).
   */
  async submit(signed: Record<string, unknown>): Promise<Transportbevestiging> {
    const body = JSON.stringify(signed);
    const delays = this.#options.retryDelaysMs ?? [200, 1000, 5000];
    let last: ClientProblem = { status: 0, title: 'no answer', issues: [] };
    let retriedUnauthorized = false;
    for (let attempt = 0; ; attempt++) {
      let retryAfter: string | string[] | undefined;
      try {
        const response = await this.#call('POST', '/v1/berichten', { body, contentType: 'application/json' });
        const text = await response.body.text();
        if (response.statusCode >= 200 && response.statusCode < 300) return await this.#verifiedReceipt(signed, Transportbevestiging.parse(parseStrictJson(text)));
        last = this.#refusal(response.statusCode, text).problem;
        retryAfter = response.headers['retry-after'];
        if (response.statusCode === 401 && !retriedUnauthorized) {
          // Q70: a 401 is tried once more at once; every call mints a new token.
          retriedUnauthorized = true;
          attempt--;
          continue;
        }
        if (!isRetriedBySender(response.statusCode)) throw new ClientError('ZICHT_CLIENT_REFUSED', last);
      } catch (error) {
        // A refusal, or a receipt whose countersignature does not verify, is final; anything else is no answer.
        if (error instanceof ClientError || error instanceof SignatureError || error instanceof KeyError) throw error;
        const code = (error as { code?: unknown }).code;
        last = { status: 0, title: `no answer (${typeof code === 'string' ? code : 'network error'})`, issues: [] };
      }
      const delay = delays[attempt];
      if (delay === undefined) throw new ClientError('ZICHT_CLIENT_UNAVAILABLE', last);
      await wait(nextAttemptDelayMs(delay, retryAfter));
    }
  }

  /** The delivery status of a bericht per receiver (`GET /v1/berichten/{id}`), for its sender or receivers. */
  async status(berichtId: string): Promise<BerichtStatus> {
    return BerichtStatus.parse(await this.#json('GET', `/v1/berichten/${encodeURIComponent(berichtId)}`));
  }

  /**
   * One page of the postbus (`GET /v1/postbus`), oldest first. A JWE page (a receiver with a current
   * encryption key, ENC-003) is opened with the client's decryption keys (ENC-004).
   *
   * @throws {EncryptionError} when a JWE page does not open under the client's keys.
   */
  async postbus(options: { readonly after?: string; readonly limit?: number } = {}): Promise<PostbusPage> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.after !== undefined) query.set('after', options.after);
    const response = await this.#call('GET', `/v1/postbus${query.size > 0 ? `?${query.toString()}` : ''}`);
    const text = await response.body.text();
    if (response.statusCode !== 200) throw this.#refusal(response.statusCode, text);
    const mediaType = String(response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType === JOSE_MEDIA_TYPE) {
      const { plaintext, kid } = await decryptBody(text, this.#options.decryptionKeys ?? []);
      return { ...Postbus.parse(parseStrictJson(new TextDecoder().decode(plaintext))), encryptedTo: kid };
    }
    return Postbus.parse(parseStrictJson(text));
  }

  /** Acknowledges a postbus bericht (`POST /v1/postbus/{id}/ack`): the gateway stops offering it. */
  async acknowledge(berichtId: string): Promise<void> {
    const response = await this.#call('POST', `/v1/postbus/${encodeURIComponent(berichtId)}/ack`);
    const text = await response.body.text();
    if (response.statusCode < 200 || response.statusCode >= 300) throw this.#refusal(response.statusCode, text);
  }

  /**
   * Verifies a bericht that arrived (pushed or from the postbus): the sender's signature and the gateway's
   * countersignature (required), with keys from the gateway's registry (or the client's own resolver).
   *
   * @throws {SignatureError} / {KeyError} / {CanonicalError} with their codes, as {@link verifyBericht}.
   */
  verify(bericht: unknown): Promise<VerifiedBericht> {
    return verifyBericht(bericht, { keys: this.#keys, requireCountersignature: true });
  }

  /**
   * The transport receipt is the sender's proof of what the gateway took and when, so it is checked before it is
   * returned: its countersignature must verify over the bericht as sent, with a key of the gateway's role from
   * the gateway's published keys (SIG-004), never taken on the answer's word.
   *
   * @throws {SignatureError} / {KeyError} with their codes when it does not.
   */
  async #verifiedReceipt(signed: Record<string, unknown>, receipt: Transportbevestiging): Promise<Transportbevestiging> {
    const sent = Array.isArray(signed.signatures) ? (signed.signatures as unknown[]) : [];
    await verifyCountersignature({ ...signed, signatures: [...sent, receipt.handtekening] }, { keys: this.#keys });
    return receipt;
  }

  async #json(method: 'GET' | 'POST', path: string): Promise<unknown> {
    const response = await this.#call(method, path);
    const text = await response.body.text();
    if (response.statusCode < 200 || response.statusCode >= 300) throw this.#refusal(response.statusCode, text);
    return parseStrictJson(text);
  }

  #refusal(status: number, text: string): ClientError {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return new ClientError(status >= 500 ? 'ZICHT_CLIENT_UNAVAILABLE' : 'ZICHT_CLIENT_REFUSED', problemOf(status, body));
  }

  async #call(method: 'GET' | 'POST', path: string, options: { readonly body?: string; readonly contentType?: string } = {}): Promise<Dispatcher.ResponseData> {
    return request(`${this.#base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.token()}`,
        accept: 'application/json, application/problem+json, application/jose',
        ...(options.contentType === undefined ? {} : { 'content-type': options.contentType }),
      },
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(this.#options.dispatcher === undefined ? {} : { dispatcher: this.#options.dispatcher }),
    });
  }
}
