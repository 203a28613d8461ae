/**
 * The shutdown entry point of one UPS group: what the daemon calls with the monitor's
 * `{kind:'shutdown'}` / `{kind:'rearm'}` commands. Guarantees one sequence per outage: the
 * flag guard (file + memory) is set when a sequence is admitted and cleared only on re-arm
 * (power restored) or at startup — not after the sequence, so a UPS that stays critical does
 * not re-run it. After the sequence it records SHUTDOWN_SEQUENCE_COMPLETE and hands over to the
 * local poweroff (single-UPS: §8.1 step 7; coordinator: §8.4).
 */
import type { MonitorCommand } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import type { StepResult } from './context.js';
import type { ShutdownFlag } from './flag-file.js';
import type { LocalPoweroff } from './local-poweroff.js';
import type { SequenceResult, ShutdownGroup, ShutdownRunner } from './runner.js';

/** A re-trigger while the guard is set is logged at most this often. */
export const RETRIGGER_LOG_INTERVAL_MS = 60_000;

export interface GroupShutdownControllerDeps {
  group: ShutdownGroup;
  runner: ShutdownRunner;
  poweroff: LocalPoweroff;
  flag: ShutdownFlag;
  logger: Logger;
  recordEvent: (eventType: string, detail: string) => void;
  /** Read at trigger time, so `run --dry-run` and reloads apply. */
  dryRun: () => boolean;
  coordinator: boolean;
  delegated?: boolean;
  /** `run --exit-after-shutdown`: called once the sequence and the poweroff step are done. */
  afterShutdown?: (result: GroupShutdownOutcome) => void;
  nowMs?: () => number;
}

export interface GroupShutdownOutcome {
  sequence: SequenceResult;
  poweroff: StepResult | null;
}

export class GroupShutdownController {
  private running: Promise<GroupShutdownOutcome> | null = null;
  private rearmPending = false;
  private lastRetriggerLogMs = -Infinity;
  private readonly nowMs: () => number;

  constructor(private readonly deps: GroupShutdownControllerDeps) {
    this.nowMs = deps.nowMs ?? (() => performance.now());
  }

  /** True while the sequence runs (the daemon ignores stop signals meanwhile, core §8.3). */
  get inFlight(): boolean {
    return this.running !== null;
  }

  /** Startup: a flag left by a previous run must not block this one. */
  clearAtStartup(): void {
    this.deps.flag.clear();
  }

  /** Dispatches a monitor command; a shutdown resolves when its sequence is over. */
  async handle(command: MonitorCommand): Promise<void> {
    if (command.kind === 'rearm') this.rearm();
    else await this.trigger(command.reason);
  }

  /** Runs the sequence once per outage; null when the guard turned the trigger away. */
  async trigger(reason: string): Promise<GroupShutdownOutcome | null> {
    const logger = this.deps.logger.child({ group: this.deps.group.label, category: 'shutdown' });
    if (this.running || !this.deps.flag.trySet()) {
      const now = this.nowMs();
      if (now - this.lastRetriggerLogMs >= RETRIGGER_LOG_INTERVAL_MS) {
        this.lastRetriggerLogMs = now;
        const why = this.running
          ? 'a shutdown sequence is already running'
          : `flag ${this.deps.flag.path} is set`;
        logger.info(
          `Shutdown already in progress or done for this outage (${why}). Ignoring re-trigger.`,
        );
      }
      return null;
    }
    this.running = this.execute(reason, logger);
    try {
      return await this.running;
    } finally {
      this.running = null;
      if (this.rearmPending) {
        this.rearmPending = false;
        this.rearm();
      }
    }
  }

  /** Power restored: clear the guard (deferred until a running sequence ends). */
  rearm(): void {
    if (this.running) {
      this.rearmPending = true;
      return;
    }
    if (this.deps.flag.isSet())
      this.deps.logger
        .child({ group: this.deps.group.label })
        .info('Shutdown guard re-armed (power restored)');
    this.deps.flag.clear();
    this.deps.poweroff.rearm();
  }

  private async execute(reason: string, logger: Logger): Promise<GroupShutdownOutcome> {
    const { group, coordinator } = this.deps;
    const dryRun = this.deps.dryRun();
    const sequence = await this.deps.runner.runGroupSequence(group, reason, {
      dryRun,
      coordinator,
      delegated: this.deps.delegated,
    });
    const elapsedSec = Math.round(sequence.durationMs / 1000);
    this.deps.recordEvent('SHUTDOWN_SEQUENCE_COMPLETE', `elapsed: ${elapsedSec}s`);
    let poweroff: StepResult | null;
    if (coordinator) {
      poweroff = await this.deps.poweroff.requestFromGroup(
        group.label,
        { is_local: group.config.is_local, kind: group.kind },
        { dryRun, sequence },
      );
    } else {
      poweroff = await this.deps.poweroff.runSingle(group.label, { dryRun, sequence });
      if (poweroff.skipped) logger.warn('SHUTDOWN SEQUENCE COMPLETE (local shutdown disabled)');
      else logger.warn(`SHUTDOWN SEQUENCE COMPLETE (took ${elapsedSec}s)`);
    }
    const outcome = { sequence, poweroff };
    this.deps.afterShutdown?.(outcome);
    return outcome;
  }
}
