/**
 * Replay protection shared by every gateway process on one database: a bearer token's `jti` is
 * recorded in the store until the token expires, so a token accepted by one gateway is refused by
 * all others too.
 */
import type { Commit } from '../store/group-commit.js';
import type { Store } from '../store/store.js';
import type { ReplayGuard } from './auth.js';

/** What {@link storeReplayGuard} needs besides the store. */
export interface StoreReplayOptions {
  readonly now?: () => Date;
  /**
   * How a claim is written: by default its own transaction; the gateway passes its group commit, so
   * that the claims of concurrent requests share one commit (one fsync on SQLite) with the berichten.
   */
  readonly commit?: Commit;
}

/** A replay guard over the store's token-id table. */
export function storeReplayGuard(store: Store, options: StoreReplayOptions = {}): ReplayGuard {
  const now = options.now ?? (() => new Date());
  const { commit } = options;
  return {
    claim: (iss, jti, expiresAt) =>
      commit === undefined
        ? store.claimTokenId(iss, jti, new Date(expiresAt * 1000), now())
        : commit((tx) => tx.claimTokenId(iss, jti, new Date(expiresAt * 1000), now())),
  };
}
