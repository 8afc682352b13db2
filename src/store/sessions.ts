/**
 * The console's sessions (src/store/console-session.ts has their rows and statements).
 */
import { z } from 'zod';
import { deleteConsoleSession, insertConsoleSession, selectConsoleSession, StoredConsoleSession } from './console-session.js';
import type { SqlContext } from './sql-context.js';
import type { StoreOperations } from './store.js';
import { validate } from './validate.js';

const Instant = z.date();
/** The console_sessions table. See {@link StoreOperations} for what each method promises. */
export class ConsoleSessionsSql implements Pick<StoreOperations, 'insertConsoleSession' | 'getConsoleSession' | 'deleteConsoleSession'> {
  constructor(private readonly sql: SqlContext) {}

  async insertConsoleSession(session: StoredConsoleSession, now: Date): Promise<void> {
    const input = validate(StoredConsoleSession, session, 'console session');
    const at = validate(Instant, now, 'now');
    await this.sql.atomic((ex) => insertConsoleSession(ex, input, at));
  }

  async getConsoleSession(idHash: string, now: Date): Promise<StoredConsoleSession | undefined> {
    const hash = validate(StoredConsoleSession.shape.idHash, idHash, 'session id hash');
    const at = validate(Instant, now, 'now');
    return this.sql.use((ex) => selectConsoleSession(ex, hash, at));
  }

  async deleteConsoleSession(idHash: string): Promise<void> {
    const hash = validate(StoredConsoleSession.shape.idHash, idHash, 'session id hash');
    await this.sql.use((ex) => deleteConsoleSession(ex, hash));
  }
}
