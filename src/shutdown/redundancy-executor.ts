/**
 * Runs a redundancy group's shutdown when its evaluator reports quorum lost (core spec §7):
 * the O_EXCL flag first (present → suppressed until quorum recovers), then the group's own
 * local phases (local groups) and remote servers, then the coordinator's local poweroff for
 * local groups. Logs the `REDUNDANCY GROUP SHUTDOWN` lines the original's e2e greps.
 */
import type { NotificationRequest } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import type { LocalPoweroff } from './local-poweroff.js';
import type { RedundancyFlag } from './redundancy-flag.js';
import type { SequenceResult, ShutdownGroup, ShutdownRunner } from './runner.js';

export interface RedundancyExecutorDeps {
  /** `kind: 'redundancy'`, label `redundancy:<name>`. */
  group: ShutdownGroup;
  name: string;
  runner: ShutdownRunner;
  poweroff: LocalPoweroff;
  flag: RedundancyFlag;
  logger: Logger;
  notify?: (notification: NotificationRequest) => void;
  dryRun: () => boolean;
  delegated?: boolean;
}

export class RedundancyShutdownExecutor {
  constructor(private readonly deps: RedundancyExecutorDeps) {}

  /** Returns false when the flag was already present (the run was suppressed). */
  async execute(reason: string): Promise<boolean> {
    const { deps } = this;
    const logger = deps.logger.child({ group: deps.group.label, category: 'shutdown' });
    let created: boolean;
    try {
      created = deps.flag.tryCreate();
    } catch (error) {
      // An unwritable flag directory must not cost the shutdown: run unguarded, loudly.
      logger.error(
        `Cannot create redundancy flag ${deps.flag.path}: ${error instanceof Error ? error.message : String(error)}; continuing`,
      );
      created = true;
    }
    if (!created) {
      logger.warn(
        `Redundancy shutdown for '${deps.name}' suppressed: flag ${deps.flag.path} already present at first call (startup cleanup bypassed). Will re-arm when quorum recovers.`,
      );
      return false;
    }
    const dryRun = deps.dryRun();
    logger.error(`REDUNDANCY GROUP SHUTDOWN: ${deps.name}`);
    logger.info(`Reason: ${reason}`);
    deps.notify?.({
      title: `REDUNDANCY GROUP SHUTDOWN: ${deps.name}`,
      body: `Reason: ${reason}`,
      category: 'shutdown',
    });
    let sequence: SequenceResult | null = null;
    let ok = false;
    try {
      sequence = await deps.runner.runGroupSequence(deps.group, reason, {
        dryRun,
        coordinator: true,
        delegated: deps.delegated,
      });
      ok = sequence.ok;
      if (deps.group.config.is_local && !deps.delegated) {
        const poweroff = await deps.poweroff.requestFromGroup(
          deps.group.label,
          { is_local: true, kind: 'redundancy' },
          { dryRun, sequence },
        );
        if (poweroff && !poweroff.ok) ok = false;
      }
    } catch (error) {
      logger.error(
        `Redundancy group shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      ok = false;
    }
    if (ok) logger.warn('REDUNDANCY GROUP SHUTDOWN COMPLETE');
    else logger.error('REDUNDANCY GROUP SHUTDOWN FINISHED WITH ERRORS');
    if (dryRun) this.removeFlag(logger);
    return true;
  }

  /** Quorum recovered: the next loss may fire again. */
  rearm(): void {
    this.removeFlag(this.deps.logger);
  }

  /** Startup cleanup (throws RedundancyFlagError: the daemon exits 1). */
  clearAtStartup(): void {
    this.deps.flag.clearAtStartup();
  }

  private removeFlag(logger: Logger): void {
    const error = this.deps.flag.remove();
    if (error !== null)
      logger.warn(`Cannot remove redundancy flag ${this.deps.flag.path}: ${error}`);
  }
}
