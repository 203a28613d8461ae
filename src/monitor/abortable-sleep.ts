/**
 * Every wait in the daemon goes through this: it resolves early (never rejects) when the signal
 * aborts, and always clears its timer, so stopping never waits for a sleeping loop.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The sleeps of one loop that a single signal stops, as `sleep()` does them, but with one abort
 * listener added for the loop's whole life instead of one per sleep. Why: a poll loop sleeps once
 * per check interval, and a per-sleep listener (with its closure) lives exactly that long, long
 * enough for V8 to promote it to old space where it then dies; at 1000 UPSes that is 1000 a second.
 */
export class LoopSleeper {
  private wake: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly finish = (): void => {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  };

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', this.finish, { once: true });
  }

  /** Resolves after `ms`, or at once when the signal aborts (never rejects). One at a time. */
  sleep(ms: number): Promise<void> {
    if (this.signal.aborted || ms <= 0) return Promise.resolve();
    this.finish(); // a sleep still pending (never the case in a loop) ends now, as if elapsed
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(this.finish, ms);
    });
  }
}
