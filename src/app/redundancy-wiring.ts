/**
 * Builds the redundancy-group evaluator (core §7): one executor per group that runs the group's
 * own shutdown (remote servers, local resources when `is_local`) behind its O_EXCL flag, and the
 * evaluator loop that watches member snapshots and fires the executor once per quorum loss.
 */
import { sanitizeUpsName, type Config, type RedundancyGroupConfig } from '../config/index.js';
import type { NotificationRequest } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import type { LiveStateStore } from '../monitor/live-state.js';
import { RedundancyEvaluator } from '../monitor/redundancy-evaluator.js';
import { buildRedundancySpecs } from '../monitor/redundancy-setup.js';
import {
  RedundancyFlag,
  RedundancyShutdownExecutor,
  redundancyFlagPath,
} from '../shutdown/index.js';
import { systemClock } from './clock.js';
import { triggerPolicy } from './policy.js';
import type { Service } from './services.js';
import type { ShutdownPath } from './shutdown-wiring.js';

export interface RedundancyWiring {
  config: Config;
  live: LiveStateStore;
  logger: Logger;
  shutdown: ShutdownPath;
  notify: (request: NotificationRequest) => void;
  /** Redundancy groups write no events of their own; runner events go to every member. */
  recordForMembers: (group: RedundancyGroupConfig, eventType: string, detail: string) => void;
}

export function buildRedundancyService(wiring: RedundancyWiring): Service | null {
  const { config, logger } = wiring;
  if (config.redundancy_groups.length === 0) return null;
  const executors: RedundancyShutdownExecutor[] = [];
  const specs = buildRedundancySpecs(config, {
    triggerPolicy,
    executorFor: (group) => {
      const executor = new RedundancyShutdownExecutor({
        group: { label: group.label, kind: 'redundancy', config: group },
        name: group.name,
        runner: wiring.shutdown.runnerFor(group.label, (eventType, detail) =>
          wiring.recordForMembers(group, eventType, detail),
        ),
        poweroff: wiring.shutdown.poweroff,
        flag: new RedundancyFlag(
          redundancyFlagPath(config.logging.shutdown_flag_file, sanitizeUpsName(group.name)),
        ),
        logger,
        notify: wiring.notify,
        dryRun: () => config.behavior.dry_run,
      });
      executors.push(executor);
      return executor;
    },
  });
  const evaluator = new RedundancyEvaluator({
    groups: specs,
    live: wiring.live,
    logger,
    clock: systemClock,
  });
  return {
    name: 'redundancy evaluator',
    start() {
      // A flag held by a live peer or impossible to remove stops the daemon (exit 1).
      for (const executor of executors) executor.clearAtStartup();
      evaluator.start();
    },
    async stop() {
      await evaluator.stop();
      for (const executor of executors) executor.rearm();
    },
  };
}
