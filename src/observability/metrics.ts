/**
 * The gateway's metrics in the Prometheus text format (prom-client, a registry of its own). Counters are
 * counted where things happen (the accept path's outcome, each delivery attempt, an operator's retry);
 * gauges are read from the store when scraped (outbox depth, deliveries per status, the audit log) or from
 * the dossiers' ledgers (terms pending and missed, cached briefly because it reads every dossier).
 *
 * No label ever carries personal data or a dossier reference: every label value comes from a closed list
 * (bericht types, refusal reasons, rule ids by their pattern, delivery outcomes, term kinds and statuses)
 * or is an organisation's OIN (the receiver of an outbox), never a value taken from a bericht's content.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BERICHT_TYPES } from '../model/bericht.js';
import type { Store } from '../store/store.js';

/** How one delivery attempt ended: delivered, to be retried, or a dead letter. */
export type AttemptOutcome = 'delivered' | 'retry' | 'dead-letter';

/** Terms counted by kind (`soort`) and status, as {@link telTermijnen} in src/lifecycle/overzicht.ts gives them. */
export type TermijnTelling = Iterable<{ readonly soort: string; readonly status: string; readonly aantal: number }>;

/** What the scrape-time gauges read. */
export interface MetricsSources {
  readonly store: Pick<Store, 'countQueuedByReceiver' | 'countDeliveriesByStatus' | 'logSize' | 'latestCheckpoint'>;
  /** The dossiers' terms by kind and status; without it the term gauges stay empty. */
  readonly termijnen?: () => Promise<TermijnTelling>;
  /** How long term counts are reused between scrapes (default 30 s). */
  readonly termijnenCacheMs?: number;
  readonly now?: () => Date;
}

/** The gateway's metrics: record with the methods, expose with {@link GatewayMetrics.render}. */
export interface GatewayMetrics {
  readonly registry: Registry;
  /** An accepted bericht (a repeated one counts too: the sender sent it). */
  accepted(berichtType: string): void;
  /** A refused bericht: its type (when it could be read), the reason and the rule ids of its error issues. */
  refused(berichtType: string | undefined, reason: string, rules: readonly string[]): void;
  /** One delivery attempt and how long it took. */
  attempt(outcome: AttemptOutcome, seconds: number): void;
  /** An operator put a dead letter back in the outbox. */
  requeued(): void;
  /** The text of `GET /metrics`. */
  render(): Promise<string>;
  readonly contentType: string;
}

const TYPES: ReadonlySet<string> = new Set(BERICHT_TYPES);
const REASONS: ReadonlySet<string> = new Set(['malformed', 'too-large', 'forbidden', 'conflict', 'rules', 'busy']);
const RULE = /^(BER|OVD|VVW|ONT|LVC|SIG|RTE)-\d{3}$/;

/** A label value from a closed list, or a fixed stand-in: nothing a caller sent becomes a label as it is. */
const closed = (value: string | undefined, allowed: ReadonlySet<string> | RegExp, otherwise: string): string =>
  value !== undefined && (allowed instanceof RegExp ? allowed.test(value) : allowed.has(value)) ? value : otherwise;

/** Creates the metrics of one gateway. */
export function createMetrics(sources: MetricsSources): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'zicht_process_' });
  const now = sources.now ?? (() => new Date());

  const accepted = new Counter({ name: 'zicht_berichten_accepted_total', help: 'Berichten accepted by the gateway, by bericht type.', labelNames: ['bericht_type'], registers });
  const refused = new Counter({ name: 'zicht_berichten_refused_total', help: 'Berichten refused, by bericht type (onbekend when unreadable) and reason.', labelNames: ['bericht_type', 'reason'], registers });
  const refusedRules = new Counter({ name: 'zicht_berichten_refused_rules_total', help: 'Rule ids of the errors in refusals (one count per rule per refusal), by bericht type and rule id.', labelNames: ['bericht_type', 'rule'], registers });
  const attempts = new Counter({ name: 'zicht_delivery_attempts_total', help: 'Push delivery attempts by outcome: delivered, retry, dead-letter.', labelNames: ['outcome'], registers });
  const latency = new Histogram({ name: 'zicht_delivery_duration_seconds', help: 'Time of one push delivery attempt, by outcome.', labelNames: ['outcome'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers });
  const deadLetters = new Counter({ name: 'zicht_delivery_dead_letters_total', help: 'Deliveries that became dead letters (failed) in this process.', registers });
  const requeued = new Counter({ name: 'zicht_delivery_requeued_total', help: 'Dead letters an operator put back in the outbox (console).', registers });

  new Gauge({
    name: 'zicht_outbox_depth',
    help: 'Deliveries queued (not yet delivered), by receiver OIN (an organisation, never a person).',
    labelNames: ['receiver'],
    registers,
    async collect() {
      this.reset();
      for (const [oin, n] of await sources.store.countQueuedByReceiver()) this.set({ receiver: oin }, n);
    },
  });
  new Gauge({
    name: 'zicht_deliveries',
    help: 'Deliveries by status: queued, delivered, acknowledged, failed (failed are the dead letters waiting for an operator).',
    labelNames: ['status'],
    registers,
    async collect() {
      this.reset();
      const counts = await sources.store.countDeliveriesByStatus();
      for (const status of ['queued', 'delivered', 'acknowledged', 'failed'] as const) this.set({ status }, counts.get(status) ?? 0);
    },
  });
  new Gauge({
    name: 'zicht_audit_log_size',
    help: 'Sequenced leaves of the audit log (the size of its Merkle tree).',
    registers,
    async collect() {
      this.set(await sources.store.logSize());
    },
  });
  new Gauge({
    name: 'zicht_audit_checkpoint_age_seconds',
    help: 'Seconds since the latest signed checkpoint of the audit log was issued (absent before the first).',
    registers,
    async collect() {
      this.reset();
      const latest = await sources.store.latestCheckpoint();
      if (latest) this.set(Math.max(0, (now().getTime() - latest.at.getTime()) / 1000));
    },
  });
  new Gauge({
    name: 'zicht_audit_checkpoint_size',
    help: 'The tree size the latest signed checkpoint commits to.',
    registers,
    async collect() {
      this.set((await sources.store.latestCheckpoint())?.size ?? 0);
    },
  });

  let cached: { at: number; counts: { soort: string; status: string; aantal: number }[] } | undefined;
  const termijnen = sources.termijnen;
  if (termijnen) {
    new Gauge({
      name: 'zicht_termijnen',
      help: 'Terms of the dossiers (receipt, first contact, monitoring, escalation answer) by kind and status: open (pending), gemist (missed), gehaald (met), vervallen.',
      labelNames: ['soort', 'status'],
      registers,
      async collect() {
        const t = now().getTime();
        if (cached === undefined || t - cached.at >= (sources.termijnenCacheMs ?? 30_000)) cached = { at: t, counts: [...(await termijnen())] };
        this.reset();
        for (const c of cached.counts) this.set({ soort: c.soort, status: c.status }, c.aantal);
      },
    });
  }

  return {
    registry,
    contentType: registry.contentType,
    accepted: (berichtType) => { accepted.inc({ bericht_type: closed(berichtType, TYPES, 'onbekend') }); },
    refused: (berichtType, reason, rules) => {
      const type = closed(berichtType, TYPES, 'onbekend');
      refused.inc({ bericht_type: type, reason: closed(reason, REASONS, 'other') });
      for (const rule of new Set(rules)) refusedRules.inc({ bericht_type: type, rule: closed(rule, RULE, 'other') });
    },
    attempt: (outcome, seconds) => {
      attempts.inc({ outcome });
      latency.observe({ outcome }, seconds);
      if (outcome === 'dead-letter') deadLetters.inc();
    },
    requeued: () => { requeued.inc(); },
    render: () => registry.metrics(),
  };
}

