/**
 * Who is calling: every request to the gateway is made by a registered, active participant,
 * identified either by its client certificate (mTLS: the OIN is the certificate's Subject
 * serialNumber, as in PKIoverheid) or by a short-lived JWT signed with one of its registered keys
 * (`iss` = its OIN, `aud` = the gateway, at most 5 minutes from `iat` to `exp`, a `jti` that is
 * never accepted twice). Anything else is 401.
 */
import type { TLSSocket } from 'node:tls';
import { AuthError } from '../errors.js';
import type { Deelnemer } from '../registry/deelnemer.js';
import type { DeelnemerRepository } from '../registry/repository.js';
import { registryKeyResolver } from '../registry/key-resolver.js';
import { verifyBearerToken } from '../signing/bearer-token.js';
import type { StoreTransaction } from '../store/store.js';

/** What a token is used for: a `read` (GET, HEAD) or a `write` (anything else); see CFG-020. */
export type TokenUse = 'read' | 'write';

/** Remembers the `jti` of accepted tokens until they expire, so that none is accepted twice. */
export interface ReplayGuard {
  /** Records `jti` of `iss` (for a request of kind `use`, default write); false when it was seen before (a replay). */
  claim(iss: string, jti: string, expiresAt: number, use?: TokenUse): Promise<boolean> | boolean;
  /**
   * For a write whose handler has a write transaction of its own: takes `jti` of `iss` in this process now (false: a
   * replay this process knows) and leaves recording it in the database to the returned {@link TokenReservation}.
   * A guard without a database does not offer it.
   */
  reserve?(iss: string, jti: string, expiresAt: number): TokenReservation | false;
}

/**
 * A write's jti, taken in this process, still to be recorded in the database before the write is answered
 * (CFG-020): inside the handler's own write transaction ({@link recordIn}, then {@link committed} once that
 * committed), or else in a transaction of its own ({@link recordAlone}) before the answer goes out.
 */
export interface TokenReservation {
  /** Records the jti in `tx`; false when the database has it already (a replay at another gateway process). */
  recordIn(tx: StoreTransaction): Promise<boolean>;
  /** The transaction {@link recordIn} ran in has committed: the jti is recorded (or found recorded before). */
  committed(): void;
  /** Whether {@link committed} was called. */
  readonly settled: boolean;
  /**
   * Records the jti in a transaction of its own; false when the database had it (a replay).
   *
   * @throws {StoreUnavailableError} when it cannot be recorded; the jti is given back (the token stays unused).
   */
  recordAlone(): Promise<boolean>;
}

/** A replay guard in this process's memory. Several gateway processes need one in the shared store. */
export function memoryReplayGuard(now: () => number = Date.now): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    claim(iss, jti, expiresAt) {
      const t = now();
      if (seen.size > 10_000) for (const [key, until] of seen) if (until <= t) seen.delete(key);
      const key = `${iss} ${jti}`;
      const until = seen.get(key);
      if (until !== undefined && until > t) return false;
      seen.set(key, expiresAt * 1000);
      return true;
    },
  };
}

/** What authentication needs. */
export interface AuthOptions {
  readonly registry: DeelnemerRepository;
  /** The `aud` a token must carry: the gateway's OIN. */
  readonly audience: string;
  readonly replay: ReplayGuard;
  readonly now?: () => Date;
}

/** The authenticated caller. */
export interface Caller {
  readonly deelnemer: Deelnemer;
  readonly via: 'mtls' | 'jwt';
  /** A write's token, when authentication was asked to defer recording its jti (see {@link authenticate}). */
  readonly token?: TokenReservation;
}

async function activeParticipant(registry: DeelnemerRepository, oin: string): Promise<Deelnemer> {
  const deelnemer = await registry.get(oin);
  if (deelnemer?.status !== 'actief') throw new AuthError('ZICHT_AUTH_UNKNOWN_PARTICIPANT');
  return deelnemer;
}

/** The OIN in a verified client certificate, when the request came over mutual TLS. */
export function clientCertificateOin(socket: unknown): string | undefined {
  const tls = socket as Partial<TLSSocket> | undefined;
  if (tls?.authorized !== true || typeof tls.getPeerCertificate !== 'function') return undefined;
  const serial: unknown = tls.getPeerCertificate().subject.serialNumber;
  return typeof serial === 'string' && /^\d{20}$/.test(serial) ? serial : undefined;
}

/**
 * Authenticates a request from its client certificate or its `Authorization: Bearer` token.
 *
 * With `deferRecord`, a write's token is only taken in this process (when the replay guard offers that): the caller
 * gets it as `token` and must record it before answering (CFG-020).
 *
 * @throws {AuthError} `ZICHT_AUTH_MISSING`, `ZICHT_AUTH_TOKEN_INVALID`, `ZICHT_AUTH_TOKEN_REPLAYED`,
 *   `ZICHT_AUTH_UNKNOWN_PARTICIPANT`.
 */
export async function authenticate(request: { authorization?: string; socket?: unknown; method?: string; deferRecord?: boolean }, options: AuthOptions): Promise<Caller> {
  const certOin = clientCertificateOin(request.socket);
  if (certOin !== undefined) return { deelnemer: await activeParticipant(options.registry, certOin), via: 'mtls' };

  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(request.authorization ?? '');
  const token = match?.[1];
  if (token === undefined) throw new AuthError('ZICHT_AUTH_MISSING');

  const { iss, jti, rememberUntil } = await verifyBearerToken(token, { audience: options.audience, keys: registryKeyResolver(options.registry), ...(options.now === undefined ? {} : { now: options.now() }) });
  const deelnemer = await activeParticipant(options.registry, iss);
  const use: TokenUse = request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
  if (use === 'write' && request.deferRecord === true && options.replay.reserve !== undefined) {
    const token = options.replay.reserve(iss, jti, rememberUntil);
    if (token === false) throw new AuthError('ZICHT_AUTH_TOKEN_REPLAYED');
    return { deelnemer, via: 'jwt', token };
  }
  if (!(await options.replay.claim(iss, jti, rememberUntil, use))) throw new AuthError('ZICHT_AUTH_TOKEN_REPLAYED');
  return { deelnemer, via: 'jwt' };
}
