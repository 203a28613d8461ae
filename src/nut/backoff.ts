/**
 * Reconnect backoff bookkeeping for one upsd: after a failed connection attempt the next one
 * waits initial, 2×, 4×, ... up to max; a success resets it. Pure (time is passed in), so the
 * schedule is unit-tested without waiting.
 */

export class ReconnectBackoff {
  private failures = 0;
  private retryAtMs = 0;
  private reason = '';

  constructor(
    private readonly initialMs: number = 1000,
    private readonly maxMs: number = 30_000,
  ) {}

  /** Milliseconds left before the next attempt is allowed (0 = go ahead). */
  waitMs(nowMs: number): number {
    return Math.max(0, this.retryAtMs - nowMs);
  }

  /** The message of the failure that opened the current window. */
  get lastFailure(): string {
    return this.reason;
  }

  /** True while recovering from at least one failed attempt. */
  get failing(): boolean {
    return this.failures > 0;
  }

  /** Records a failed attempt; returns the delay before the next one. */
  failed(nowMs: number, reason: string): number {
    this.failures += 1;
    const delayMs = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures - 1, 30));
    this.retryAtMs = nowMs + delayMs;
    this.reason = reason;
    return delayMs;
  }

  succeeded(): void {
    this.failures = 0;
    this.retryAtMs = 0;
    this.reason = '';
  }
}
