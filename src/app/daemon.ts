/**
 * The composition root of a running daemon: builds every part from the frozen configuration,
 * starts them in dependency order (stores, NUT connections, monitors, then the outputs that
 * read live state) and stops them in reverse. `stop()` never throws and records DAEMON_STOP.
 */
import { join } from 'node:path';
import { NutClientPool, parseUpsTarget } from '../nut/index.js';
import type { Config, UpsGroupConfig } from '../config/index.js';
import type { MonitorCommand, UpsSnapshot } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import { LiveStateStore, type UpsIdentity } from '../monitor/live-state.js';
import { UpsMonitor } from '../monitor/ups-monitor.js';
import { StatsStore } from '../store/index.js';
import { createOutageStore } from './outage-store.js';
import { monitorPolicy, redundancyMembers } from './policy.js';
import { createUpsSink } from './ups-sink.js';
import { systemClock } from './clock.js';

export interface DaemonOptions {
  config: Config;
  logger: Logger;
  version: string;
  runtime: { context: string; container: boolean };
}

interface UpsUnit {
  config: UpsGroupConfig;
  identity: UpsIdentity;
  stats: StatsStore;
  monitor: UpsMonitor;
  logger: Logger;
}

export class Daemon {
  readonly live = new LiveStateStore();
  private readonly pool = new NutClientPool();
  private readonly units: UpsUnit[];
  private started = false;

  constructor(private readonly options: DaemonOptions) {
    const { config } = options;
    const members = redundancyMembers(config);
    this.units = config.ups.map((ups) => this.buildUnit(ups, members.has(ups.name)));
  }

  /** Statistics database of each UPS group (single-UPS mode keeps the original's default.db). */
  static statsPath(config: Config, ups: UpsGroupConfig): string {
    const file = config.coordinator ? `${ups.group_id}.db` : 'default.db';
    return join(config.statistics.db_directory, file);
  }

  unitsView(): { identity: UpsIdentity; stats: StatsStore; monitor: UpsMonitor }[] {
    return this.units;
  }

  async start(): Promise<void> {
    const { logger, version, config } = this.options;
    for (const unit of this.units) {
      unit.stats.start();
      unit.stats.recordEvent({
        ts: Math.floor(Date.now() / 1000),
        eventType: 'DAEMON_START',
        detail: `Eneru v${version} monitoring ${unit.identity.name}`,
        notificationSent: false,
      });
    }
    for (const unit of this.units) unit.monitor.start();
    this.started = true;
    const mode = config.coordinator ? 'multi-UPS coordinator' : 'single UPS';
    logger.info(
      `Eneru v${version} started (${mode}, ${this.units.length} UPS, ${config.behavior.dry_run ? 'DRY-RUN' : 'live'})`,
    );
  }

  async stop(signal: string): Promise<void> {
    if (!this.started) return;
    this.started = false;
    const { logger, version } = this.options;
    await Promise.all(this.units.map((unit) => unit.monitor.stop()));
    await this.pool.closeAll();
    for (const unit of this.units) {
      unit.stats.recordEvent({
        ts: Math.floor(Date.now() / 1000),
        eventType: 'DAEMON_STOP',
        detail: `Eneru v${version} stopped by signal (${signal})`,
        notificationSent: false,
      });
    }
    await Promise.all(this.units.map((unit) => unit.stats.stop()));
    logger.info(`Eneru v${version} stopped (${signal})`);
  }

  private buildUnit(ups: UpsGroupConfig, advisory: boolean): UpsUnit {
    const { config } = this.options;
    const identity: UpsIdentity = {
      name: ups.name,
      label: ups.label,
      displayName: ups.display_name ?? null,
      groupId: ups.group_id,
      isLocal: ups.is_local,
    };
    const logger = this.options.logger.child(
      config.mode === 'multi' ? { ups: ups.name, group: ups.label } : { ups: ups.name },
    );
    const target = parseUpsTarget(ups.name);
    const client = this.pool.client({
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
      path: Daemon.statsPath(config, ups),
      retention: {
        rawHours: config.statistics.retention.raw_hours,
        agg5minDays: config.statistics.retention.agg_5min_days,
        aggHourlyDays: config.statistics.retention.agg_hourly_days,
      },
      logger,
    });
    const sink = createUpsSink({
      stats,
      logger,
      observePollDuration: () => undefined,
      onCommand: (command, snapshot) => this.onCommand(ups, command, snapshot),
    });
    const monitor = new UpsMonitor({
      identity,
      policy: monitorPolicy(config, ups, advisory),
      nutUpsName: target.ups,
      client,
      live: this.live,
      sink,
      outage: createOutageStore(stats, logger),
      logger,
      clock: systemClock,
      shutdownInProgress: () => false,
    });
    return { config: ups, identity, stats, monitor, logger };
  }

  private onCommand(ups: UpsGroupConfig, command: MonitorCommand, _snapshot: UpsSnapshot): void {
    this.options.logger.info(`Shutdown command for ${ups.name}: ${command.kind}`);
  }
}
