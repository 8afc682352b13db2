/**
 * The `jti`s of bearer tokens seen, shared by every gateway on the database (replay protection).
 */
import { z } from 'zod';
import { Oin } from '../model/primitives.js';
import type { SqlContext } from './sql-context.js';
import type { StoreOperations } from './store.js';
import { validate } from './validate.js';

const TokenId = z.strictObject({ iss: Oin, jti: z.string().min(1).max(200), expiresAt: z.date(), now: z.date() });

const Instant = z.date();
/** The token_ids table. See {@link StoreOperations} for what each method promises. */
export class TokenIdsSql implements Pick<StoreOperations, 'claimTokenId' | 'purgeTokenIds'> {
  constructor(private readonly sql: SqlContext) {}

  async claimTokenId(iss: string, jti: string, expiresAt: Date, now: Date): Promise<boolean> {
    const token = validate(TokenId, { iss, jti, expiresAt, now }, 'token id');
    // One statement: a new id is inserted, an expired one taken over; an id still valid is left alone (no row).
    const rows = await this.sql.use((ex) =>
      ex.all(
        'INSERT INTO token_ids (iss, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT (iss, jti) DO UPDATE SET expires_at = excluded.expires_at WHERE token_ids.expires_at <= ? RETURNING iss',
        [token.iss, token.jti, token.expiresAt, token.now],
      ),
    );
    return rows.length === 1;
  }

  async purgeTokenIds(now: Date): Promise<number> {
    const at = validate(Instant, now, 'now');
    const rows = await this.sql.use((ex) => ex.all('DELETE FROM token_ids WHERE expires_at <= ? RETURNING iss', [at]));
    return rows.length;
  }
}
