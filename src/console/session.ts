/**
 * Console sessions: a participant proves who it is once (its client certificate, or a bearer token signed with
 * one of its registered keys, as the API accepts them; in demo mode a button per demo participant) and gets a
 * short session: a random id in a cookie (HttpOnly, SameSite=Strict, Path=/console, Secure over TLS) and a CSRF
 * token for the forms that change something. Kept in this process's memory: after a restart, or on another
 * gateway instance, the participant signs in again. Never a shared password.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { DeelnemerRol } from '../registry/deelnemer.js';

/** How long a session lasts from sign-in (no sliding renewal: a short, fixed window). */
export const SESSION_MS = 30 * 60_000;

/** The cookie's name. */
export const SESSION_COOKIE = 'zicht_console';

/** A signed-in participant. */
export interface ConsoleSession {
  readonly id: string;
  readonly oin: string;
  readonly rol: DeelnemerRol;
  readonly naam: string;
  readonly csrf: string;
  readonly expiresAt: number;
  readonly via: 'mtls' | 'jwt' | 'demo';
}

/** The sessions of one gateway process. */
export class SessionStore {
  readonly #sessions = new Map<string, ConsoleSession>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Starts a session for a participant. */
  create(who: Pick<ConsoleSession, 'oin' | 'rol' | 'naam' | 'via'>): ConsoleSession {
    this.#sweep();
    const session: ConsoleSession = { ...who, id: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url'), expiresAt: this.#now() + SESSION_MS };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The running session with this id, or `undefined`. */
  get(id: string | undefined): ConsoleSession | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (session === undefined || session.expiresAt <= this.#now()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** Ends a session. */
  delete(id: string): void {
    this.#sessions.delete(id);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, s] of this.#sessions) if (s.expiresAt <= now) this.#sessions.delete(id);
  }
}

/** Whether a form's CSRF token is the session's (in constant time). */
export function csrfMatches(session: ConsoleSession, token: unknown): boolean {
  if (typeof token !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
