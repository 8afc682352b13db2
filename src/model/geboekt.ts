/**
 * A bericht as the responsibility ledger takes it: with `rcv`, the instant the gateway accepted it (RFC 3339).
 * The ledger counts every event from this instant, the gateway's clock, never from the sender's `verzondenOp`,
 * which is the sender's claim (spec/v1/responsibility.md §5). The gateway takes `rcv` from its own record of the
 * bericht; anyone else from the bericht's verified gateway countersignature (its `rcv` header), or, for a bericht
 * it sent itself, from the transport receipt that verified.
 */
import type { Bericht } from './bericht.js';

export interface Geboekt<B extends Bericht = Bericht> {
  readonly bericht: B;
  readonly rcv: string;
}
