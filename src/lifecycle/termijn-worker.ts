/**
 * The timer worker: fires the dossiers' due timers (src/lifecycle/termijnen.ts). It claims due timers
 * with a lease (so several gateway processes on one database never work on the same one, and a crashed
 * worker's timers come back when its lease runs out), and fires each in one transaction under the
 * dossier's lock: the timer becomes `verlopen` only if it is still open, the event `termijn.verlopen` is
 * appended (with its audit leaf), and the gateway's signed termijnsignaal is stored and queued in the
 * outbox for the party that must act and the sender. That conditional update makes a timer fire exactly
 * once; delivering the signal (retries, dead letters) is the delivery worker's business.
 *
 * Before firing, the worker asks the ledger once more: a term it finds met is settled `gehaald`, and one
 * of a closed dossier `vervallen` (a closed dossier takes no further berichten, LVC-012).
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Transportbevestiging } from '../model/transportbevestiging.js';
import { silentLog, errorFields, type Log } from '../observability/log.js';
import { PollLoop } from '../poll-loop.js';
import { publishedProfielen } from '../profiles/load.js';
import type { Profiel } from '../profiles/profiel.js';
import type { DeelnemerRepository } from '../registry/repository.js';
import { canonicalBericht } from '../signing/canonical.js';
import { countersignBericht } from '../signing/countersign.js';
import { signBericht } from '../signing/sign.js';
import type { Signer } from '../signing/signer.js';
import type { Store } from '../store/store.js';
import { geboekt } from '../store/stored-bericht.js';
import type { Termijn } from '../store/termijn.js';
import { profielVoorDossier } from './dossier.js';
import { buildLedger } from './ledger.js';
import { termijnActie, termijnKey } from './termijnen.js';
import { termijnsignaal } from './termijnsignaal.js';

/** What the timer worker needs. */
export interface TermijnWorkerOptions {
  readonly store: Store;
  readonly registry: DeelnemerRepository;
  /** The gateway's key: it signs the termijnsignalen. */
  readonly gateway: Signer;
  readonly profielen?: ReadonlyMap<string, Profiel>;
  readonly now?: () => Date;
  readonly batch?: number;
  readonly leaseMs?: number;
  /** Idle wait between polls when nothing was due. */
  readonly pollMs?: number;
  readonly workerId?: string;
  /** Called after a round that queued signals (e.g. to wake the delivery worker). */
  readonly onSignal?: () => void;
  readonly log?: Log;
}

/** How long a claimed timer stays with one worker: firing is one short transaction. */
export const DEFAULT_TERMIJN_LEASE_MS = 30_000;

/** What became of one claimed timer. */
export type Afloop = 'verlopen' | 'gehaald' | 'vervallen' | 'overgeslagen';

let workers = 0;

/** A timer worker; `start()` polls until `stop()`, `runOnce()` does one round (for tests). */
export class TermijnWorker {
  readonly #options: TermijnWorkerOptions;
  readonly #workerId: string;
  readonly #poll: PollLoop;

  constructor(options: TermijnWorkerOptions) {
    this.#options = options;
    this.#workerId = options.workerId ?? `${hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60)}:${process.pid}:t${++workers}`;
    // Every round waits for the next poll; a failed one (the store is unavailable or busy) leaves the timers
    // open and their leases run out.
    this.#poll = new PollLoop(
      () =>
        this.runOnce().then(
          () => false,
          (error: unknown) => {
            (this.#options.log ?? silentLog).warn(errorFields(error), 'timer round failed');
            return false;
          },
        ),
      options.pollMs ?? 1000,
    );
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  /** Claims due timers and fires them; returns how many fired (sent a signal). */
  async runOnce(): Promise<number> {
    const now = this.#now();
    const claimed = await this.#options.store.claimDueTermijnen(now, this.#options.batch ?? 32, new Date(now.getTime() + (this.#options.leaseMs ?? DEFAULT_TERMIJN_LEASE_MS)), this.#workerId);
    let fired = 0;
    for (const termijn of claimed) if ((await this.fire(termijn)) === 'verlopen') fired += 1;
    if (fired > 0) this.#options.onSignal?.();
    return fired;
  }

  /** Fires one claimed timer in one transaction; what became of it. */
  async fire(termijn: Termijn): Promise<Afloop> {
    const { store, gateway } = this.#options;
    const deelnemers = await this.#options.registry.list();
    const key = termijnKey(termijn);
    const signaalId = randomUUID();
    const afloop = await store.transaction(async (tx): Promise<Afloop> => {
      await tx.lockDossier(termijn.dossierReferentie);
      const at = this.#now();
      const geboekteDossier = (await tx.listBerichtenByDossier(termijn.dossierReferentie)).map(geboekt);
      const dossier = geboekteDossier.map((g) => g.bericht);
      const start = dossier.find((b) => b.berichtId === termijn.berichtId);
      const ledger = buildLedger(geboekteDossier, profielVoorDossier(dossier, deelnemers, this.#options.profielen ?? publishedProfielen()), { nu: at });
      const term = ledger.termijnen.find((t) => t.berichtId === termijn.berichtId && t.soort === termijn.soort && t.moetHandelen === termijn.moetHandelen && (t.maand ?? 0) === termijn.maand);
      if (start === undefined || term === undefined || ledger.afgeslotenOp !== undefined) return (await tx.settleTermijn(key, 'vervallen', at)) ? 'vervallen' : 'overgeslagen';
      const actie = termijnActie(term);
      if (actie !== 'open') return (await tx.settleTermijn(key, actie, at)) ? actie : 'overgeslagen';
      if (term.status !== 'gemist') return 'overgeslagen';
      if (!(await tx.fireTermijn(key, { workerId: this.#workerId, at, signaalId }))) return 'overgeslagen';

      const volgnummer = Math.max(0, ...dossier.filter((b) => b.verzender.oin === gateway.oin).map((b) => b.dossier.volgnummer)) + 1;
      const bericht = termijnsignaal({ termijn, start, berichtId: signaalId, gatewayOin: gateway.oin, volgnummer, verzondenOp: at });
      const canonical = canonicalBericht(bericht);
      const signed = await signBericht(bericht, gateway, { iat: at });
      const countersigned = await countersignBericht(signed, gateway, at, { iat: at, canonical });
      const handtekening = countersigned.signatures.at(-1);
      if (handtekening === undefined) throw new Error('countersignBericht returned no signature');
      const bestemmingen = bericht.ontvangers.flatMap((o) => {
        const d = deelnemers.find((x) => x.oin === o.oin && x.status === 'actief');
        return d === undefined ? [] : [{ oin: d.oin, mode: d.afleveradressen.length > 0 ? ('push' as const) : ('pull' as const) }];
      });
      const receipt: Transportbevestiging = { berichtId: signaalId, ontvangenOp: at.toISOString(), ontvangers: bestemmingen.map((b) => ({ oin: b.oin, aflevering: b.mode })), handtekening };
      await tx.insertBericht({
        berichtId: signaalId,
        senderOin: gateway.oin,
        berichtType: 'termijnsignaal',
        dossierReferentie: termijn.dossierReferentie,
        volgnummer,
        inAntwoordOp: start.berichtId,
        contentHash: createHash('sha256').update(canonical).digest('hex'),
        body: JSON.stringify(countersigned),
        receivedAt: at,
        receipt: JSON.stringify(receipt),
      });
      for (const b of bestemmingen) await tx.enqueueDelivery({ berichtId: signaalId, receiverOin: b.oin, mode: b.mode, nextAttemptAt: at });
      await tx.appendEvent({
        type: 'termijn.verlopen',
        berichtId: start.berichtId,
        oin: termijn.moetHandelen,
        at,
        data: { termijn: termijn.soort, uiterlijk: termijn.dueAt.toISOString(), profiel: termijn.profiel, regel: termijn.regel, maand: termijn.maand, signaal: signaalId },
      });
      await tx.appendEvent({ type: 'bericht.accepted', berichtId: signaalId, oin: gateway.oin, at, data: { berichtType: 'termijnsignaal', ontvangers: bestemmingen.length } });
      return 'verlopen';
    });
    (this.#options.log ?? silentLog).info({ dossier: termijn.dossierReferentie, termijn: termijn.soort, moetHandelen: termijn.moetHandelen, afloop }, 'termijn');
    return afloop;
  }

  /** Polls in the background until {@link stop}. */
  start(): void {
    this.#poll.start();
  }

  /** Whether the worker polls (between {@link start} and {@link stop}). */
  isRunning(): boolean {
    return this.#poll.isRunning();
  }

  /** Polls now instead of waiting. */
  nudge(): void {
    this.#poll.nudge();
  }

  /** Stops polling and waits for the running round to end. */
  stop(): Promise<void> {
    return this.#poll.stop();
  }
}
