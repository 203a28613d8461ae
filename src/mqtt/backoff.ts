/**
 * Reconnect backoff of the publisher (spec §6): 1, 2, 4 … seconds, capped at 60, and a sleep
 * that a shutdown interrupts at once, so stopping never waits out a backoff.
 */

export const BACKOFF_INITIAL_SEC = 1;
export const BACKOFF_MAX_SEC = 60;

/** Delay before reconnect attempt `attempt` (0-based): 1, 2, 4, 8, 16, 32, 60, 60 … */
export function backoffDelaySec(attempt: number): number {
  if (!Number.isFinite(attempt) || attempt <= 0) return BACKOFF_INITIAL_SEC;
  // Cap the exponent first so large attempt counts never overflow to Infinity.
  return Math.min(BACKOFF_MAX_SEC, BACKOFF_INITIAL_SEC * 2 ** Math.min(attempt, 16));
}

/** Resolves after `ms`, or early (without rejecting) when `signal` aborts; the timer is always cleared. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
