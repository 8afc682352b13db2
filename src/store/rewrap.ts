/**
 * Re-wrapping every payload under the keyring's current KEK, batch by batch (`Store.rewrapBodies`): the
 * background step of a KEK rotation, run by the gateway every minute and by `zicht kek rewrap`.
 */
import type { Store } from './store.js';

/** How often the gateway re-wraps unless configured: every minute (a no-op query when nothing is left). */
export const DEFAULT_REWRAP_INTERVAL_MS = 60_000;

/** Re-wraps until no payload is left under another KEK (or unencrypted); returns how many it changed. */
export async function rewrapAll(store: Store, batch = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const changed = await store.rewrapBodies(batch);
    total += changed;
    if (changed === 0) return total;
  }
}
