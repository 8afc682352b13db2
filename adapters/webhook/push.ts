/**
 * The webhook adapter: pushes a bericht (with the gateway's countersignature) to a receiving
 * system's Zicht endpoint, `POST {url}/berichten`, over real HTTP(S) with undici. The gateway
 * authenticates with a short-lived bearer token (aud = the receiver's OIN); the receiver checks the
 * countersignature against the gateway's JWKS. The berichtId lets the receiver de-duplicate, since
 * delivery is at least once. Outcomes are codes, never response bodies: a receiver's error text
 * could hold anything. To a receiver with a current encryption key the body is a JWE of the same
 * bytes, `application/jose` (ENC-003, src/delivery/encrypt.ts); the bearer token authenticates the
 * gateway as before, and the signatures inside the plaintext keep proving the content.
 */
import { request, type Dispatcher } from 'undici';
import type { Bericht } from '../../src/model/bericht.js';
import type { Afleveradres } from '../../src/registry/deelnemer.js';
import { berichtToBundle } from '../fhir/to-bundle.js';
import { encryptBody, JOSE_MEDIA_TYPE } from '../../src/delivery/encrypt.js';
import type { Versleutelingssleutel } from '../../src/registry/versleutelingssleutel.js';
import { retryAfterMs } from '../../src/http/retry-after.js';

/**
 * What one push attempt came to (AFL-008, spec/v1/receiver.md "What the gateway does with the answer").
 */
export type PushOutcome =
  | { readonly kind: 'delivered' }
  /**
   * Worth trying again: no answer (network error, time-out), 401 (the receiver does not take this push token now: a
   * key directory it has not refreshed, a clock that is off; each attempt has a new token), 408, 425, 429, 5xx.
   * `retryAfterMs`: the receiver's Retry-After, when it sent one.
   */
  | { readonly kind: 'retry'; readonly code: string; readonly retryAfterMs?: number }
  /** The receiver refused the bericht itself (any other status, redirects included): trying again will not help. */
  | { readonly kind: 'refused'; readonly code: string };

/** A push to one receiver. */
export interface PushRequest {
  readonly url: string;
  /** The countersigned bericht as stored. */
  readonly body: string;
  /** `fhir`: post the bericht as a FHIR R4 message Bundle to `{url}/$process-message`; otherwise as itself to `{url}/berichten`. */
  readonly kanaal?: Afleveradres['kanaal'];
  /** The receiver's current encryption key (ENC-003): the body goes as a JWE to it. Never with `fhir` (ENC-002). */
  readonly encryptTo?: Versleutelingssleutel;
  readonly token: string;
  readonly traceparent?: string;
  readonly timeoutMs?: number;
  readonly dispatcher?: Dispatcher;
}

const RETRYABLE = new Set([401, 408, 425, 429]);

/** What the gateway makes of a receiver's HTTP status (AFL-008); the published webhook's answers are written from it. */
export function outcomeOfStatus(status: number): PushOutcome['kind'] {
  if (status >= 200 && status < 300) return 'delivered';
  return status >= 500 || RETRYABLE.has(status) ? 'retry' : 'refused';
}

/** Pushes one bericht; never throws for a network or HTTP failure, only reports it as an outcome. */
export async function pushBericht(push: PushRequest): Promise<PushOutcome> {
  const timeout = push.timeoutMs ?? 10_000;
  const fhir = push.kanaal === 'fhir';
  // The registry refuses encryption keys for FHIR receivers (ENC-002); should one get here, nothing goes in plaintext.
  if (fhir && push.encryptTo !== undefined) return { kind: 'refused', code: 'ENC_FHIR_NOT_SUPPORTED' };
  try {
    const body = fhir ? JSON.stringify(berichtToBundle(JSON.parse(push.body) as Bericht)) : push.encryptTo === undefined ? push.body : await encryptBody(push.body, push.encryptTo);
    const response = await request(`${push.url.replace(/\/$/, '')}/${fhir ? '$process-message' : 'berichten'}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': fhir ? 'application/fhir+json' : push.encryptTo === undefined ? 'application/json' : JOSE_MEDIA_TYPE,
        authorization: `Bearer ${push.token}`,
        ...(push.traceparent === undefined ? {} : { traceparent: push.traceparent }),
      },
      headersTimeout: timeout,
      bodyTimeout: timeout,
      ...(push.dispatcher === undefined ? {} : { dispatcher: push.dispatcher }),
    });
    await response.body.dump();
    const status = response.statusCode;
    const kind = outcomeOfStatus(status);
    if (kind === 'delivered') return { kind };
    if (kind === 'retry') {
      const wait = retryAfterMs(response.headers['retry-after'], new Date());
      return { kind: 'retry', code: `HTTP_${status}`, ...(wait === undefined ? {} : { retryAfterMs: wait }) };
    }
    return { kind: 'refused', code: `HTTP_${status}` };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { kind: 'retry', code: typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'NETWORK_ERROR' };
  }
}
