/**
 * What every shutdown step receives: the injected executor, logger and clock, the dry-run
 * switch and the abort signal — and the result shape each step reports, so the sequence
 * summary lists every step with its outcome and duration.
 */
import type { Logger } from '../logging/types.js';
import type { CommandExecutor } from './executor.js';

export interface StepContext {
  executor: CommandExecutor;
  logger: Logger;
  dryRun: boolean;
  signal?: AbortSignal;
  /** Monotonic milliseconds. */
  nowMs(): number;
  /** Resolves after `ms` or as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** How often `virsh` is re-checked while VMs shut down (5 s in production). */
  vmPollIntervalMs: number;
  /** The container eneru itself runs in, never stopped (null on a bare host). */
  ownContainerId: string | null;
}

export interface StepResult {
  /** `wall`, `vms`, `containers`, `filesystem-sync`, `filesystem-unmount`, `final-sync`, `local-poweroff`. */
  phase: string;
  name: string;
  ok: boolean;
  skipped: boolean;
  dryRun: boolean;
  durationMs: number;
  detail: string;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs `body`, timing it; an unexpected exception becomes a failed step (phases are best-effort). */
export async function timedStep(
  phase: string,
  name: string,
  ctx: StepContext,
  body: () => Promise<{ ok: boolean; detail: string; skipped?: boolean }>,
): Promise<StepResult> {
  const started = ctx.nowMs();
  try {
    const outcome = await body();
    return {
      phase,
      name,
      ok: outcome.ok,
      skipped: outcome.skipped === true,
      dryRun: ctx.dryRun,
      durationMs: Math.round(ctx.nowMs() - started),
      detail: outcome.detail,
    };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    ctx.logger.error(`${name} failed unexpectedly: ${detail}`);
    return {
      phase,
      name,
      ok: false,
      skipped: false,
      dryRun: ctx.dryRun,
      durationMs: Math.round(ctx.nowMs() - started),
      detail,
    };
  }
}
