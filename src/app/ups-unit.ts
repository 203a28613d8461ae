/**
 * Everything one configured UPS needs at run time: its identity, its statistics database, its
 * NUT client (shared per upsd through the pool) and its monitor loop wired to the sink fan-out.
 */
import { join } from 'node:path';
import type { Config, UpsGroupConfig } from '../config/index.js';
import type { MonitorCommand, NotificationRequest } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import type { LiveStateStore, UpsIdentity } from '../monitor/live-state.js';
import { UpsMonitor } from '../monitor/ups-monitor.js';
import { parseUpsTarget, type NutClientPool } from '../nut/index.js';
import { StatsStore, type ConnectionPool } from '../store/index.js';
import { systemClock } from './clock.js';
import { createOutageStore } from './outage-store.js';
import { monitorPolicy } from './policy.js';
import { createUpsSink } from './ups-sink.js';

export interface UpsUnit {
  config: UpsGroupConfig;
  identity: UpsIdentity;
  stats: StatsStore;
  monitor: UpsMonitor;
}

export interface UpsUnitDeps {
  config: Config;
  logger: Logger;
  live: LiveStateStore;
  pool: NutClientPool;
  /** SQLite connections shared by every UPS's statistics database. */
  statsConnections: ConnectionPool;
  metrics: MetricsRegistry;
  /** Member of a redundancy group: the monitor only raises advisory triggers. */
  advisory: boolean;
  onCommand: (command: MonitorCommand) => void;
  notify: (request: NotificationRequest) => void;
  shutdownInProgress: () => boolean;
}

/** Statistics database of a UPS group (single-UPS mode keeps the original's default.db). */
export function statsPath(config: Config, ups: UpsGroupConfig): string {
  const file = config.coordinator ? `${ups.group_id}.db` : 'default.db';
  return join(config.statistics.db_directory, file);
}

export function buildUpsUnit(ups: UpsGroupConfig, deps: UpsUnitDeps): UpsUnit {
  const { config } = deps;
  const identity: UpsIdentity = {
    name: ups.name,
    label: ups.label,
    displayName: ups.display_name ?? null,
    groupId: ups.group_id,
    isLocal: ups.is_local,
  };
  const logger = deps.logger.child(
    config.mode === 'multi' ? { ups: ups.name, group: ups.label } : { ups: ups.name },
  );
  const target = parseUpsTarget(ups.name);
  const client = deps.pool.client({
    host: target.host,
    port: target.port,
    tls: ups.nut.tls,
    caFile: ups.nut.ca_file,
    username: ups.nut.username,
    password: ups.nut.password,
    requestTimeoutMs: ups.nut.timeout * 1000,
    onLog: (level, message) => logger[level](message),
  });
  const stats = new StatsStore({
    path: statsPath(config, ups),
    retention: {
      rawHours: config.statistics.retention.raw_hours,
      agg5minDays: config.statistics.retention.agg_5min_days,
      aggHourlyDays: config.statistics.retention.agg_hourly_days,
    },
    logger,
    pool: deps.statsConnections,
  });
  const sink = createUpsSink({
    stats,
    observePollDuration: (seconds) =>
      deps.metrics.observePollDuration(identity.groupId, identity.label, seconds),
    onCommand: deps.onCommand,
    notify: deps.notify,
  });
  const monitor = new UpsMonitor({
    identity,
    policy: monitorPolicy(config, ups, deps.advisory),
    nutUpsName: target.ups,
    client,
    live: deps.live,
    sink,
    outage: createOutageStore(stats, logger),
    logger,
    clock: systemClock,
    shutdownInProgress: deps.shutdownInProgress,
  });
  deps.metrics.setWriteFailureSource(identity.groupId, () => stats.health().writeFailures);
  return { config: ups, identity, stats, monitor };
}
