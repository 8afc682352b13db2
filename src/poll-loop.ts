/**
 * The background loop of the gateway's workers (delivery, timers): run a round, wait `pollMs` unless the
 * round asks to go on at once, until stopped; `nudge()` cuts a wait short. Beside errors.ts at the root
 * because workers on the same layer (src/delivery/, src/lifecycle/) share it.
 */
export class PollLoop {
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  /**
   * @param round - one round; resolves true to run the next round at once (there was work), false to wait.
   *   It must not reject: a worker catches its own errors, since only it knows how to report them.
   */
  constructor(
    private readonly round: () => Promise<boolean>,
    private readonly pollMs: number,
  ) {}

  /** Polls in the background until {@link stop}. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        const again = await this.round();
        // stop() may have been called during the round: then do not wait a poll interval.
        if (again || !this.isRunning()) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
  }

  /** Whether the loop polls (between {@link start} and {@link stop}). */
  isRunning(): boolean {
    return this.#running;
  }

  /** Polls now instead of waiting. */
  nudge(): void {
    this.#wake?.();
  }

  /** Stops polling and waits for the running round to end. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }
}
