/**
 * Keys stay published (SIG-003, implementation-questions Q135): a key the registry once held is never
 * forgotten when a new registry file leaves it out. A receiver or auditor judges a signature made before a
 * key's end with that key, at the countersignature's `rcv`; a key that disappears from the key set makes every
 * bericht it signed unverifiable (SIG-003 refuses an unknown `kid`), in a receiver's retry window, a postbus
 * or an archive alike. So a dropped key is kept, marked revoked at the moment the gateway learnt of the drop
 * unless it had ended before (its `revokedAt` or `exp` already past): ended for every new signature, still
 * there for every old one.
 */
import { RegistryError } from '../errors.js';
import { Deelnemer, type Sleutel } from './deelnemer.js';

/** Whether a key no longer signs at `at`: revoked or expired at or before it. */
function ended(sleutel: Sleutel, at: Date): boolean {
  const end = [sleutel.revokedAt, sleutel.exp].filter((t): t is string => t !== undefined).map((t) => Date.parse(t));
  return end.some((t) => t <= at.getTime());
}

/**
 * `next` with every key of `previous` that `next` leaves out, kept and (unless it had ended already) marked
 * `revokedAt: at`. The keys `next` names are taken as it gives them (a `kid` is the key's RFC 7638 thumbprint,
 * so the same `kid` is the same key).
 */
export function keepDroppedKeys(previous: Deelnemer, next: Deelnemer, at: Date): Deelnemer {
  const named = new Set(next.sleutels.map((s) => s.kid));
  const dropped = previous.sleutels.filter((s) => !named.has(s.kid)).map((s) => (ended(s, at) ? s : { ...s, revokedAt: at.toISOString() }));
  if (dropped.length === 0) return next;
  const kept = Deelnemer.safeParse({ ...next, sleutels: [...next.sleutels, ...dropped] });
  if (!kept.success) {
    throw new RegistryError('ZICHT_REGISTRY_INVALID', `participant ${next.oin}: the keys the new registry leaves out stay published, marked revoked (SIG-003), and with them it would hold more keys than a participant may`);
  }
  return kept.data;
}
