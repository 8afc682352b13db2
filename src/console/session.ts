/**
 * Console sessions: a participant proves who it is once (its client certificate, or a bearer token signed with
 * one of its registered keys, as the API accepts them; in demo mode a button per demo participant) and gets a
 * short session: a random id in a cookie (HttpOnly, SameSite=Strict, Path=/console, Secure over TLS) and a CSRF
 * token for the forms that change something. Kept in the database (only the id's SHA-256): a restart or another
 * gateway instance on the same database keeps the participant signed in. Never a shared password.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DeelnemerRol } from '../registry/deelnemer.js';
import type { Store } from '../store/store.js';

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

/** Where sessions are kept: the gateway's store (every instance on the database shares them). */
export type SessionPersistence = Pick<Store, 'insertConsoleSession' | 'getConsoleSession' | 'deleteConsoleSession'>;

const hashOf = (id: string): string => createHash('sha256').update(id).digest('hex');

/**
 * The console's sessions, kept in the database (migration 7) rather than one process's memory, so that two
 * gateway instances behind one address both know every session. The cookie carries the id; the table only
 * its SHA-256.
 */
export class SessionStore {
  readonly #persistence: SessionPersistence;
  readonly #now: () => number;

  constructor(persistence: SessionPersistence, now: () => number = Date.now) {
    this.#persistence = persistence;
    this.#now = now;
  }

  /** Starts a session for a participant. */
  async create(who: Pick<ConsoleSession, 'oin' | 'rol' | 'naam' | 'via'>): Promise<ConsoleSession> {
    const now = this.#now();
    const session: ConsoleSession = { ...who, id: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url'), expiresAt: now + SESSION_MS };
    await this.#persistence.insertConsoleSession({ idHash: hashOf(session.id), oin: session.oin, rol: session.rol, naam: session.naam, csrf: session.csrf, via: session.via, expiresAt: new Date(session.expiresAt) }, new Date(now));
    return session;
  }

  /** The running session with this id, or `undefined` (none, expired, or not a session id at all). */
  async get(id: string | undefined): Promise<ConsoleSession | undefined> {
    if (id === undefined || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const stored = await this.#persistence.getConsoleSession(hashOf(id), new Date(this.#now()));
    const rol = DeelnemerRol.safeParse(stored?.rol);
    if (stored === undefined || !rol.success) return undefined;
    return { id, oin: stored.oin, rol: rol.data, naam: stored.naam, csrf: stored.csrf, via: stored.via, expiresAt: stored.expiresAt.getTime() };
  }

  /** Ends a session. */
  async delete(id: string): Promise<void> {
    await this.#persistence.deleteConsoleSession(hashOf(id));
  }
}

/** Whether a form's CSRF token is the session's (in constant time). */
export function csrfMatches(session: ConsoleSession, token: unknown): boolean {
  if (typeof token !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
