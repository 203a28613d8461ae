/**
 * The local host poweroff (core spec §8.1 step 7, §8.4): one per daemon, admitted once for all
 * groups (lock + the unsuffixed flag file in coordinator mode), optionally draining the other
 * groups first. Runs `local_shutdown.command` + message as argv with a 30 s bound. A timeout
 * keeps the "sequence complete" marker (the host may be going down); any other failure sends
 * an "incomplete" notification and removes it. Dry-run only logs what it would execute.
 */
import { buildLocalShutdownPlan, groupTriggersLocalShutdown } from '../domain/shutdown-plan.js';
import type { LocalShutdownInput } from '../domain/shutdown-plan-types.js';
import type { NotificationRequest } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import { abortableSleep, type StepResult } from './context.js';
import { describeFailure, type CommandExecutor } from './executor.js';
import type { ShutdownFlag } from './flag-file.js';
import type { SequenceResult } from './runner.js';

export const LOCAL_COMMAND_TIMEOUT_MS = 30_000;
export const NOTIFICATION_FLUSH_MS = 5_000;
export const DRAIN_BUDGET_MS = 120_000;

export interface LocalPoweroffDeps {
  logger: Logger;
  executor: CommandExecutor;
  localShutdown: LocalShutdownInput;
  /** Every UPS group (`trigger_on: any` only fires when none is local). */
  upsGroups: readonly { is_local: boolean }[];
  /** Coordinator-mode guard (the unsuffixed `shutdown_flag_file`); null in single-UPS mode. */
  coordinatorFlag: ShutdownFlag | null;
  notify?: (notification: NotificationRequest) => void;
  /** Waits (bounded by the argument) until queued notifications are out. */
  flushNotifications?: (timeoutMs: number) => Promise<void>;
  /** Writes the lifecycle marker `reason=sequence_complete` before the command runs. */
  markSequenceComplete?: () => void;
  clearSequenceMarker?: () => void;
  /** `drain_on_local_shutdown`: stop every monitor and run the other groups' sequences. */
  drainOtherGroups?: (source: string, signal: AbortSignal) => Promise<void>;
  nowMs?: () => number;
}

export interface PoweroffOptions {
  dryRun: boolean;
  /** Results of the sequence that led here (elapsed time, loopback delegation outcome). */
  sequence: SequenceResult;
}

export class LocalPoweroff {
  private admitted = false;
  private running = false;
  private rearmPending = false;
  private readonly nowMs: () => number;

  constructor(private readonly deps: LocalPoweroffDeps) {
    this.nowMs = deps.nowMs ?? (() => performance.now());
  }

  get inFlight(): boolean {
    return this.running;
  }

  /** Startup and graceful exit: a guard left by an earlier run must not block this one. */
  clear(): void {
    this.admitted = false;
    this.deps.coordinatorFlag?.clear();
  }

  /** Power restored on any member: re-arm (deferred while the poweroff runs). */
  rearm(): void {
    if (this.running) {
      this.rearmPending = true;
      return;
    }
    this.clear();
  }

  /** Single-UPS path: always the poweroff step of this group's sequence. */
  runSingle(label: string, opts: PoweroffOptions): Promise<StepResult> {
    return this.execute(label, opts);
  }

  /**
   * Coordinator path: a finished group asks for the poweroff. Returns null when this group does
   * not power the host off or the poweroff was already admitted.
   */
  async requestFromGroup(
    source: string,
    group: { is_local: boolean; kind: 'ups' | 'redundancy' },
    opts: PoweroffOptions,
  ): Promise<StepResult | null> {
    const logger = this.deps.logger.child({ group: source, category: 'shutdown' });
    const local = this.deps.localShutdown;
    const triggers =
      group.kind === 'redundancy'
        ? local.enabled && group.is_local
        : groupTriggersLocalShutdown(group, local, this.deps.upsGroups);
    if (!local.enabled) {
      logger.info('Local shutdown disabled. Group shutdown complete.');
      return null;
    }
    if (!triggers) {
      logger.info('Group shutdown complete; this group does not power off the local host.');
      return null;
    }
    if (
      this.admitted ||
      this.running ||
      (this.deps.coordinatorFlag && !this.deps.coordinatorFlag.trySet())
    ) {
      logger.info('Local shutdown already initiated by another group; not starting a second one.');
      return null;
    }
    this.admitted = true;
    if (local.drain_on_local_shutdown && !this.deps.drainOtherGroups) {
      logger.warn(
        'drain_on_local_shutdown is set but no drain hook is wired; powering off without draining',
      );
    }
    if (local.drain_on_local_shutdown && this.deps.drainOtherGroups) {
      logger.info(
        `Draining the other groups before the local shutdown (budget ${DRAIN_BUDGET_MS / 1000}s)`,
      );
      const budget = new AbortController();
      const timer = setTimeout(() => budget.abort(), DRAIN_BUDGET_MS);
      try {
        await Promise.race([
          this.deps.drainOtherGroups(source, budget.signal),
          abortableSleep(DRAIN_BUDGET_MS, budget.signal),
        ]);
      } catch (error) {
        logger.error(
          `Drain failed: ${error instanceof Error ? error.message : String(error)}; continuing with the local shutdown`,
        );
      } finally {
        clearTimeout(timer);
        budget.abort();
      }
    }
    return this.execute(source, opts);
  }

  private async execute(source: string, opts: PoweroffOptions): Promise<StepResult> {
    const logger = this.deps.logger.child({ group: source, category: 'shutdown' });
    const started = this.nowMs();
    const step = (ok: boolean, detail: string, skipped = false): StepResult => ({
      phase: 'local-poweroff',
      name: 'Local shutdown',
      ok,
      skipped,
      dryRun: opts.dryRun,
      durationMs: Math.round(this.nowMs() - started),
      detail,
    });
    const local = this.deps.localShutdown;
    if (!local.enabled) return step(true, 'local shutdown disabled', true);
    this.running = true;
    try {
      if (opts.sequence.delegated) return this.delegated(logger, opts, step);
      let argv: string[];
      try {
        argv = buildLocalShutdownPlan(local).argv;
      } catch (error) {
        argv = [];
        logger.error(
          `local_shutdown.command cannot be parsed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      if (opts.dryRun) {
        logger.info(`[DRY-RUN] Would execute: ${argv.join(' ')}`);
        return step(true, 'dry-run');
      }
      if (argv.length === 0) {
        this.notify(
          'Shutdown Sequence Incomplete',
          'local_shutdown.command is empty or invalid: the local host was NOT powered off.',
        );
        return step(false, 'empty local shutdown command');
      }
      const tookSec = Math.round(opts.sequence.durationMs / 1000);
      this.deps.notify?.({
        title: 'Shutdown Sequence Complete',
        body: `Shutdown Sequence Complete (took ${tookSec}s). Powering off the local host.`,
        category: 'shutdown_summary',
      });
      if (this.deps.flushNotifications) {
        await this.deps
          .flushNotifications(NOTIFICATION_FLUSH_MS)
          .catch((error: unknown) => logger.warn(`Notification flush failed: ${String(error)}`));
      }
      this.deps.markSequenceComplete?.();
      logger.error(`Executing local shutdown: ${argv.join(' ')}`);
      const result = await this.deps.executor.run(argv, { timeoutMs: LOCAL_COMMAND_TIMEOUT_MS });
      if (result.exitCode === 0) return step(true, 'local shutdown command accepted');
      if (result.timedOut) {
        // Ambiguous: the host may already be going down. Keep the marker.
        logger.warn(
          `Local shutdown command did not return within ${LOCAL_COMMAND_TIMEOUT_MS / 1000}s; assuming the host is going down`,
        );
        return step(true, 'timed out (ambiguous)');
      }
      logger.error(`Local shutdown command failed: ${describeFailure(result)}`);
      this.deps.clearSequenceMarker?.();
      this.notify(
        'Shutdown Sequence INCOMPLETE',
        `The local shutdown command failed (${describeFailure(result)}). The host is still running.`,
      );
      return step(false, describeFailure(result));
    } finally {
      this.running = false;
      if (this.rearmPending) {
        this.rearmPending = false;
        this.clear();
      }
    }
  }

  private delegated(
    logger: Logger,
    opts: PoweroffOptions,
    step: (ok: boolean, detail: string) => StepResult,
  ): StepResult {
    const loopback = opts.sequence.remote.results.filter((r) => r.loopback);
    const complete = loopback.length > 0 && loopback.every((r) => r.shutdown_sent);
    if (complete) {
      logger.info('Host loopback delegate accepted the shutdown command: local shutdown delegated');
      return step(true, 'delegated to the host loopback');
    }
    this.notify(
      'Shutdown Sequence Incomplete',
      'The host-loopback delegate did not accept the shutdown command: the host was NOT powered off.',
    );
    return step(false, 'host loopback did not accept the shutdown command');
  }

  private notify(title: string, body: string): void {
    this.deps.logger.error(`${title}: ${body}`);
    this.deps.notify?.({ title, body, category: 'shutdown' });
  }
}
