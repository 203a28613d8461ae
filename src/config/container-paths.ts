/**
 * Container path defaults (core spec §1.3 `logging`): inside a container the host's /var/log and
 * /var/run are not where a volume is mounted, so file paths still at their default are moved
 * to `/var/log/eneru/…` and `/var/run/eneru/…`. Paths the user set are never touched.
 */
import { deepFreeze } from './normalize.js';
import type { Config, LoggingConfig } from './types.js';

const CONTAINER_PATHS: Readonly<
  Record<'file' | 'state_file' | 'battery_history_file' | 'shutdown_flag_file', [string, string]>
> = {
  file: ['/var/log/ups-monitor.log', '/var/log/eneru/ups-monitor.log'],
  state_file: ['/var/run/ups-monitor.state', '/var/run/eneru/ups-monitor.state'],
  battery_history_file: ['/var/run/ups-battery-history', '/var/run/eneru/ups-battery-history'],
  shutdown_flag_file: ['/var/run/ups-shutdown-scheduled', '/var/run/eneru/ups-shutdown-scheduled'],
};

export function containerLoggingPaths(logging: LoggingConfig): LoggingConfig {
  const out = { ...logging };
  for (const [key, [host, container]] of Object.entries(CONTAINER_PATHS) as [
    keyof typeof CONTAINER_PATHS,
    [string, string],
  ][]) {
    if (out[key] === host) out[key] = container;
  }
  return out;
}

/** A frozen copy of `config` with container path defaults applied (same object when nothing changes). */
export function withContainerPaths(config: Config): Config {
  const logging = containerLoggingPaths(config.logging);
  const changed = (Object.keys(CONTAINER_PATHS) as (keyof typeof CONTAINER_PATHS)[]).some(
    (key) => logging[key] !== config.logging[key],
  );
  return changed ? deepFreeze({ ...config, logging }) : config;
}
