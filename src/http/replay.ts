/**
 * Replay protection shared by every gateway process on one database: a bearer token's `jti` is
 * recorded in the store until the token expires, so a token accepted by one gateway is refused by
 * all others too.
 *
 * CFG-020: a write (any method but GET and HEAD) is answered only once its jti is in the store (a store
 * that cannot take it makes the request a 503, CFG-010). A read does not wait for the store longer than
 * {@link READ_RECORD_WAIT_MS}: the jti is first claimed in this process's memory (a replay to this process
 * is refused at once), then in the store; a read whose record the store cannot take now (another process
 * holds SQLite's write lock, the database is read-only or full) is answered on the memory claim, and the
 * record is tried again until the store takes it or the token expires. Until then a replay of that read's token at another process
 * on the same database is not detected; a replay found later is logged.
 *
 * A write whose handler has a write transaction of its own (POST /v1/berichten) may {@link ReplayGuard.reserve} its
 * jti instead: taken in this process at once, recorded in the database in the bericht's transaction (one commit for
 * both), or on its own before the answer when the bericht never gets that far (src/http/app.ts).
 */
import { isStoreUnavailable } from '../errors.js';
import { silentLog, type Log } from '../observability/log.js';
import type { Commit } from '../store/group-commit.js';
import type { Store } from '../store/store.js';
import type { ReplayGuard } from './auth.js';

/** How long a read waits for its jti to be recorded in the store before it goes on with this process's record (CFG-020). */
export const READ_RECORD_WAIT_MS = 250;
/** How often a read's record the store could not take is tried again (until the token expires). */
const READ_RECORD_RETRY_MS = 1000;

/** What {@link storeReplayGuard} needs besides the store. */
export interface StoreReplayOptions {
  readonly now?: () => Date;
  /**
   * How a claim is written: by default its own transaction; the gateway passes its group commit, so
   * that the claims of concurrent requests share one commit (one fsync on SQLite) with the berichten.
   */
  readonly commit?: Commit;
  /** Where a replay found only after a read was answered is reported (default: nowhere). */
  readonly log?: Log;
}

/** A replay guard over the store's token-id table, with this process's own claims in front (CFG-020). */
export function storeReplayGuard(store: Store, options: StoreReplayOptions = {}): ReplayGuard {
  const now = options.now ?? (() => new Date());
  const { commit } = options;
  const log = options.log ?? silentLog;
  /** `iss jti` → expiry (ms) of the tokens this process accepted. */
  const seen = new Map<string, number>();
  const record = (iss: string, jti: string, expiresAt: number): Promise<boolean> =>
    commit === undefined
      ? store.claimTokenId(iss, jti, new Date(expiresAt * 1000), now())
      : commit((tx) => tx.claimTokenId(iss, jti, new Date(expiresAt * 1000), now()));

  /** Takes `iss jti` in this process; its key, or undefined when this process has it (a replay). */
  const take = (iss: string, jti: string, expiresAt: number): string | undefined => {
    const t = now().getTime();
    if (seen.size > 10_000) for (const [k, until] of seen) if (until <= t) seen.delete(k);
    const key = `${iss} ${jti}`;
    const until = seen.get(key);
    if (until !== undefined && until > t) return undefined;
    seen.set(key, expiresAt * 1000);
    return key;
  };

  return {
    reserve(iss, jti, expiresAt) {
      const key = take(iss, jti, expiresAt);
      if (key === undefined) return false;
      let settled = false;
      return {
        recordIn: (tx) => tx.claimTokenId(iss, jti, new Date(expiresAt * 1000), now()),
        committed() {
          settled = true;
        },
        get settled() {
          return settled;
        },
        async recordAlone() {
          try {
            const fresh = await record(iss, jti, expiresAt);
            settled = true;
            return fresh;
          } catch (error) {
            // Nothing was done with this token: the sender may try it again.
            seen.delete(key);
            throw error;
          }
        },
      };
    },

    async claim(iss, jti, expiresAt, use = 'write') {
      const key = take(iss, jti, expiresAt);
      if (key === undefined) return false;

      const recorded = record(iss, jti, expiresAt);
      if (use === 'write') {
        try {
          return await recorded;
        } catch (error) {
          // Nothing was done with this token: the sender may try it again.
          seen.delete(key);
          throw error;
        }
      }
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<'pending'>((resolve) => {
        timer = setTimeout(() => { resolve('pending'); }, READ_RECORD_WAIT_MS);
      });
      const outcome = await Promise.race([recorded.then((fresh) => ({ fresh }), (error: unknown) => ({ error })), waited]);
      clearTimeout(timer);
      if (outcome === 'pending') {
        settleLater(recorded, iss, jti, expiresAt);
        return true;
      }
      if ('fresh' in outcome) return outcome.fresh;
      if (!isStoreUnavailable(outcome.error)) throw outcome.error;
      retryLater(iss, jti, expiresAt);
      return true;
    },
  };

  /** Follows a read's pending record: retried while the store is unavailable, until the token expires. */
  function settleLater(recorded: Promise<boolean>, iss: string, jti: string, expiresAt: number): void {
    recorded.then(
      (fresh) => { if (!fresh) log.warn({ oin: iss }, 'the jti of a token used for a read was in the database already: a replay at another gateway process, found after the read was answered (CFG-020)'); },
      (error: unknown) => { if (isStoreUnavailable(error)) retryLater(iss, jti, expiresAt); },
    );
  }

  function retryLater(iss: string, jti: string, expiresAt: number): void {
    if (now().getTime() >= expiresAt * 1000) return;
    setTimeout(() => { settleLater(record(iss, jti, expiresAt), iss, jti, expiresAt); }, READ_RECORD_RETRY_MS).unref();
  }
}
