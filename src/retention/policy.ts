/**
 * The retention policy: how long the gateway keeps a bericht's payload (its content) once it has done its
 * work, and what it keeps after that. Configured as JSON (`zicht serve --retention FILE`, `zicht purge
 * --retention FILE`); every member has a default. See docs/retention.md for the justification.
 *
 * Why these defaults. The gateway is a router, not the gemeente's file: the receiver keeps its copy in its
 * own case system, where the gemeente's two years for closed cases apply (Z-L Bijlage 3a.7), and VT keeps
 * its own. The comparable justice-sector router CORV destroys message content within a day of routing.
 * Zicht keeps a payload a little longer than CORV only where the exchange needs it: until every receiver has
 * confirmed it, plus a margin for a receiver whose import failed after its confirmation to fetch it again.
 * The metadata (envelope, deliveries, events) and the audit log carry no personal data and are kept for the
 * audit period: they are the trail of who was responsible when (W-B "Afweging", EIND 4).
 */
import { z } from 'zod';
import type { PurgeCutoffs } from '../store/purge.js';

const HOUR_MS = 3_600_000;
const Hours = z.number().min(0).max(24 * 366 * 10);

/** The retention policy; all periods in hours. */
export const RetentionPolicy = z.strictObject({
  /**
   * After the last receiver acknowledged the bericht (its ontvangstbevestiging, or the postbus ack): 72 hours.
   * CORV's one day, stretched over a weekend: a receiver that confirms on Friday and finds on Monday that its
   * import failed can still fetch it. After that it asks VT, which keeps its own file.
   */
  acknowledgedHours: Hours.default(72),
  /**
   * A push delivery the receiver's endpoint took (2xx) without an acknowledgement ever following: 14 days.
   * Some berichten are never acknowledged (receipts, termijnsignalen, escalation answers); a receipt of a
   * handover is due within days (Z-L 2i; W-B: 2 werkdagen). Fourteen days is ten werkdagen: long enough to
   * see a missing receipt and redeliver, short enough that nothing lingers unacknowledged.
   */
  deliveredHours: Hours.default(14 * 24),
  /**
   * A dead letter (delivery failed for good): 7 days. The sender has a `delivery.dead-letter` event and
   * must send again; the gateway can do nothing more with the content. A week lets an operator look into
   * the failure (without reading the content) before it goes. The purge is recorded (`bericht.purged`,
   * reason `dead-letter`).
   */
  deadLetterHours: Hours.default(7 * 24),
  /** A bericht with no receivers at all (nothing to deliver): as after an acknowledgement, 72 hours. */
  unroutedHours: Hours.default(72),
  /**
   * How long metadata is kept, in years after a dossier's last activity (the gemeenten's two years of Z-L
   * Bijlage 3a.7, plus time for a complaint or an inspection to reach back): 7 years. Then the purge round
   * deletes the dossier's metadata whole (src/retention/expire.ts). The audit log is append-only: its leaves
   * (metadata and salted commitments, no personal data) stay, with a `dossier.expired` leaf per deletion.
   */
  auditPeriodYears: z.int().min(2).max(100).default(7),
});
export type RetentionPolicy = z.output<typeof RetentionPolicy>;
export type RetentionPolicyInput = z.input<typeof RetentionPolicy>;

/** The default policy. */
export const DEFAULT_RETENTION: RetentionPolicy = RetentionPolicy.parse({});

/** The store's cutoffs for `now` under `policy`: a delivery settled at or before its cutoff releases its payload. */
export function purgeCutoffs(policy: RetentionPolicy, now: Date): PurgeCutoffs {
  const before = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
  return {
    acknowledged: before(policy.acknowledgedHours),
    delivered: before(policy.deliveredHours),
    deadLetter: before(policy.deadLetterHours),
    unrouted: before(policy.unroutedHours),
  };
}
