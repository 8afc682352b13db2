/**
 * Console sessions in the database (migration 7), so that every gateway on the database knows every session:
 * two instances behind one address no longer sign users out at random (issue 19). The session id itself is
 * never stored, only its SHA-256, so that whoever reads the table cannot take over a session; an expired
 * session is never returned and is deleted when sessions are written.
 */
import { z } from 'zod';
import { Oin } from '../model/primitives.js';
import type { Executor } from './sql.js';
import { parseRow } from './validate.js';

/** A console session as stored; `idHash` is the hex SHA-256 of the session id in the cookie. */
export const StoredConsoleSession = z.strictObject({
  idHash: z.string().regex(/^[0-9a-f]{64}$/),
  oin: Oin,
  rol: z.string().regex(/^[a-z-]{1,20}$/),
  naam: z.string().min(1).max(200),
  csrf: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
  via: z.enum(['mtls', 'jwt', 'demo']),
  expiresAt: z.date(),
});
export type StoredConsoleSession = z.infer<typeof StoredConsoleSession>;

const Row = z.object({
  idHash: z.string(),
  oin: z.string(),
  rol: z.string(),
  naam: z.string(),
  csrf: z.string(),
  via: z.string(),
  expiresAt: z.union([z.date(), z.number()]).transform((value) => new Date(value)),
});

const COLUMNS = 'id_hash AS "idHash", oin, rol, naam, csrf, via, expires_at AS "expiresAt"';

/** Stores a new session and deletes the expired ones. */
export async function insertConsoleSession(ex: Executor, session: StoredConsoleSession, now: Date): Promise<void> {
  await ex.run('DELETE FROM console_sessions WHERE expires_at <= ?', [now]);
  await ex.run('INSERT INTO console_sessions (id_hash, oin, rol, naam, csrf, via, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    session.idHash,
    session.oin,
    session.rol,
    session.naam,
    session.csrf,
    session.via,
    session.expiresAt,
  ]);
}

/** The session with this id hash that has not expired at `now`, or `undefined`. */
export async function selectConsoleSession(ex: Executor, idHash: string, now: Date): Promise<StoredConsoleSession | undefined> {
  const rows = await ex.all(`SELECT ${COLUMNS} FROM console_sessions WHERE id_hash = ? AND expires_at > ?`, [idHash, now]);
  return rows.length === 0 ? undefined : parseRow((row) => StoredConsoleSession.parse(Row.parse(row)), rows[0]);
}

/** Ends a session (signing out, or a participant no longer active). */
export async function deleteConsoleSession(ex: Executor, idHash: string): Promise<void> {
  await ex.run('DELETE FROM console_sessions WHERE id_hash = ?', [idHash]);
}
