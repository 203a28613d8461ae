/**
 * Bounds how many requests are processed at once (observability §3.1: 32). Extra requests wait
 * in FIFO order instead of being refused, so a burst is smoothed rather than failed; the
 * monitor never goes through this gate, so a flood cannot delay polling.
 */

export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  /** Resolves when a slot is held; the caller must call `release()` exactly once. */
  acquire(): Promise<void> | undefined {
    if (this.active < this.max) {
      this.active += 1;
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next();
      return;
    }
    this.active = Math.max(0, this.active - 1);
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }
}
