/**
 * Replay protection shared by every gateway process on one database: a bearer token's `jti` is
 * recorded in the store until the token expires, so a token accepted by one gateway is refused by
 * all others too.
 */
import type { Store } from '../store/store.js';
import type { ReplayGuard } from './auth.js';

/** A replay guard over the store's token-id table. */
export function storeReplayGuard(store: Store, now: () => Date = () => new Date()): ReplayGuard {
  return { claim: (iss, jti, expiresAt) => store.claimTokenId(iss, jti, new Date(expiresAt * 1000), now()) };
}
