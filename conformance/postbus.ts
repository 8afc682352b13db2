/**
 * The suite's postbus, for a gemeente system that reads its postbus instead of taking pushes (`--mode
 * postbus`, spec/v1/receiver.md §10). A case puts a bericht in it where it would push; the system reads
 * `GET /v1/postbus` and acknowledges what it takes (`POST /v1/postbus/{id}/ack`): acknowledging is what
 * a 2xx is to a push, and not acknowledging a bericht it read is its refusal (v1 has no refusal channel
 * for the postbus). A page holds at most `limit` berichten (or fewer: a case may cap the page, as a gateway
 * may), and `volgende` when more follow; `after` reads on past it (openapi.json `GET /postbus`, receiver.md
 * §10: a round starts without a cursor and follows `volgende`). The outcome of a bericht is known when it is
 * acknowledged, or when the system starts a new round of reading (a read without `after`) after a round that
 * gave it the bericht and began at least a second after the first such round (it has dealt with that round; a
 * receiver may hold back a fetch of a key set for a second and check the bericht again in a later round,
 * receiver.md §4, implementation-questions.md Q171), or at the time-out. A bericht whose outcome is known leaves the postbus (the suite does not hand it out again),
 * unless it is kept: a bericht the system could not take for want of keys (AFL-004) was not refused and
 * stays, checked again every round (receiver.md §10, implementation-questions.md Q105); putting it again
 * then waits for the same bericht, still in the postbus.
 */
import { HOLD_BACK_MS } from './http.js';

/** One bericht in the postbus. */
interface Item {
  readonly seq: number;
  readonly berichtId: string;
  readonly bericht: unknown;
  /** Encrypts the page this bericht goes out in (the system's current key, or a case's own JWE); absent: plain JSON. */
  readonly encrypt?: (page: string) => Promise<string>;
  acknowledged: boolean;
  settled: boolean;
  /** Read without being acknowledged, and left in the postbus (see `outcome`'s `keep`). */
  kept: boolean;
  /** When the first read that gave it out was made (ms). */
  readAt?: number;
  /** The first round that gave it out at least HOLD_BACK_MS after `readAt`: once the system dealt with it, not acknowledging is its refusal. */
  decisiveRound?: number;
}

/** What became of a bericht put in the postbus. */
export type PostbusOutcome = 'acknowledged' | 'not-acknowledged' | 'unread';

/** A page as the suite answers `GET /v1/postbus`: JSON, or a JWE of the JSON. */
export interface PostbusPage {
  readonly body: string;
  readonly contentType: 'application/json' | 'application/jose';
}

export class SuitePostbus {
  readonly #items: Item[] = [];
  readonly #waiters = new Set<() => void>();
  #seq = 0;
  /** Rounds of reading: reads without a cursor. */
  #rounds = 0;
  /** The most berichten a page holds, whatever `limit` the reader asks (a case sets it); absent: `limit`. */
  #pageCap: number | undefined;
  /** Reads that carried a cursor (`after`). */
  #cursorReads = 0;

  /** Puts a bericht in the postbus; a kept one with this berichtId is the same bericht, still there (its outcome is waited for afresh). */
  put(berichtId: string, bericht: unknown, encrypt?: (page: string) => Promise<string>): number {
    const kept = this.#items.find((i) => i.kept && !i.settled && i.berichtId === berichtId.toLowerCase());
    if (kept !== undefined) {
      kept.kept = false;
      delete kept.readAt;
      delete kept.decisiveRound;
      return kept.seq;
    }
    const seq = ++this.#seq;
    this.#items.push({ seq, berichtId: berichtId.toLowerCase(), bericht, acknowledged: false, settled: false, kept: false, ...(encrypt === undefined ? {} : { encrypt }) });
    return seq;
  }

  /**
   * A read: the berichten not yet acknowledged nor settled (after the one `after` names, if given), up to `limit` and
   * the page cap, with `volgende` when more follow; encrypted as the newest one on the page asks.
   */
  async read(limit: number, after?: number): Promise<PostbusPage> {
    if (after === undefined) this.#rounds++;
    else this.#cursorReads++;
    const open = this.#items.filter((i) => !i.acknowledged && !i.settled && (after === undefined || i.seq > after));
    const items = open.slice(0, Math.min(limit, this.#pageCap ?? limit));
    const now = Date.now();
    for (const item of items) {
      item.readAt ??= now;
      if (item.decisiveRound === undefined && now - item.readAt >= HOLD_BACK_MS) item.decisiveRound = this.#rounds;
    }
    this.#notify();
    const last = items.at(-1);
    const page = JSON.stringify({ berichten: items.map((i) => i.bericht), ...(last !== undefined && open.length > items.length ? { volgende: String(last.seq) } : {}) });
    const encrypt = last?.encrypt;
    return encrypt === undefined ? { body: page, contentType: 'application/json' } : { body: await encrypt(page), contentType: 'application/jose' };
  }

  /** Caps every page at `size` berichten (undefined: `limit` alone), as a gateway may give fewer than asked. */
  capPage(size: number | undefined): void {
    this.#pageCap = size;
  }

  /** How many reads so far carried a cursor (`after`). */
  get cursorReads(): number {
    return this.#cursorReads;
  }

  /** Takes a bericht not acknowledged out of the postbus, kept or not (a case that kept it is done with it). */
  withdraw(berichtId: string): void {
    for (const item of this.#items.filter((i) => i.berichtId === berichtId.toLowerCase() && !i.acknowledged)) {
      item.kept = false;
      item.settled = true;
    }
    this.#notify();
  }

  /** An acknowledgement; false when no bericht with this id is in the postbus. */
  acknowledge(berichtId: string): boolean {
    const found = this.#items.filter((i) => i.berichtId === berichtId.toLowerCase());
    for (const item of found) item.acknowledged = true;
    this.#notify();
    return found.length > 0;
  }

  /**
   * Waits for the outcome of the bericht put as `seq` (at most `timeoutMs`), and settles it; with `keep`, a
   * bericht read and not acknowledged stays in the postbus, handed out in every later read.
   */
  outcome(seq: number, timeoutMs: number, keep = false): Promise<PostbusOutcome> {
    const item = this.#items.find((i) => i.seq === seq);
    if (!item) return Promise.resolve('unread');
    return new Promise((resolve) => {
      const check = () => {
        if (item.acknowledged) done('acknowledged');
        else if (item.decisiveRound !== undefined && this.#rounds > item.decisiveRound) done('not-acknowledged');
      };
      const done = (outcome: PostbusOutcome) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (keep && outcome === 'not-acknowledged') item.kept = true;
        else item.settled = true;
        resolve(outcome);
      };
      const timer = setTimeout(() => { done(item.readAt === undefined ? 'unread' : 'not-acknowledged'); }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
