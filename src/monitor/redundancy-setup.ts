/**
 * Turns the validated `redundancy_groups` into the evaluator's group specs (core spec §7): the
 * group's policy (with its merged triggers), each member's own timing from its `ups` entry, and
 * the startup grace `5 × max(member check_interval) + 5`. The composition root supplies the
 * trigger translation and one executor per group, so this file needs no shutdown import.
 */
import type { Config, RedundancyGroupConfig, UpsGroupConfig } from '../config/index.js';
import { defaultStartupGraceSec } from '../domain/redundancy.js';
import type { TriggerPolicy } from '../domain/policy.js';
import type { RedundancyExecutorPort, RedundancyGroupSpec } from './redundancy-evaluator.js';

/** Member timing when a source names no configured UPS (it then counts UNKNOWN anyway). */
const FALLBACK_TIMING = {
  checkIntervalSec: 1,
  staleTolerance: 3,
  grace: { enabled: true, durationSec: 60 },
};

export function buildRedundancySpecs(
  config: Pick<Config, 'ups' | 'redundancy_groups'>,
  deps: {
    triggerPolicy: (triggers: RedundancyGroupConfig['triggers']) => TriggerPolicy;
    executorFor: (group: RedundancyGroupConfig) => RedundancyExecutorPort;
  },
): RedundancyGroupSpec[] {
  const byName = new Map<string, UpsGroupConfig>(config.ups.map((ups) => [ups.name, ups]));
  return config.redundancy_groups.map((group) => {
    const members = group.ups_sources.map((name) => {
      const ups = byName.get(name);
      const timing = ups
        ? {
            checkIntervalSec: ups.check_interval,
            staleTolerance: ups.max_stale_data_tolerance,
            grace: {
              enabled: ups.connection_loss_grace_period.enabled,
              durationSec: ups.connection_loss_grace_period.duration,
            },
          }
        : FALLBACK_TIMING;
      return { name, timing };
    });
    return {
      policy: {
        name: group.name,
        upsSources: [...group.ups_sources],
        minHealthy: group.min_healthy,
        degradedCountsAs: group.degraded_counts_as,
        unknownCountsAs: group.unknown_counts_as,
        isLocal: group.is_local,
        triggers: deps.triggerPolicy(group.triggers),
        startupGraceSec: defaultStartupGraceSec(members.map((m) => m.timing.checkIntervalSec)),
      },
      members,
      executor: deps.executorFor(group),
    };
  });
}
