/**
 * Counts store failures and logs each distinct message at most once per window (core spec §6:
 * "logged once per distinct message per 300 s"), so a database that stays broken cannot flood
 * the log at one line per poll per UPS.
 */
import type { Logger } from '../logging/types.js';
import { describeError } from './errors.js';

export const FAILURE_LOG_WINDOW_MS = 300_000;
const MAX_REMEMBERED = 64;

export class FailureLog {
  failures = 0;
  lastError: string | null = null;
  private readonly lastLoggedMs = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly nowMs: () => number,
  ) {}

  /** Records one failed operation (`what` names it: "flush", "open", ...). */
  record(what: string, err: unknown): void {
    this.failures += 1;
    const message = `statistics ${what} failed: ${describeError(err)}`;
    this.lastError = message;
    const now = this.nowMs();
    const last = this.lastLoggedMs.get(message);
    if (last !== undefined && now - last < FAILURE_LOG_WINDOW_MS && now >= last) return;
    if (this.lastLoggedMs.size >= MAX_REMEMBERED) this.forgetExpired(now);
    this.lastLoggedMs.set(message, now);
    this.logger.warn(message, { category: 'statistics' });
  }

  private forgetExpired(now: number): void {
    for (const [message, at] of this.lastLoggedMs) {
      if (now - at >= FAILURE_LOG_WINDOW_MS) this.lastLoggedMs.delete(message);
    }
    if (this.lastLoggedMs.size >= MAX_REMEMBERED) this.lastLoggedMs.clear();
  }
}
