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
import { adoptDefaultDatabase, StatsStore } from '../store/index.js';
import { createOutageStore } from './outage-store.js';
import { monitorPolicy, redundancyMembers } from './policy.js';
import { createUpsSink } from './ups-sink.js';
import { systemClock } from './clock.js';
import { MetricsRegistry } from '../metrics/metrics-registry.js';
import { MqttPublisher, mqttPublisherOptions } from '../mqtt/index.js';
import { buildUpsDocument } from '../monitor/ups-document.js';
import type { NotificationRequest } from '../domain/types.js';
import { buildHttpService } from './http-wiring.js';
import { buildRedundancyService } from './redundancy-wiring.js';
import { buildShutdownPath, type ShutdownPath } from './shutdown-wiring.js';
import { sleep } from '../monitor/abortable-sleep.js';
import { buildRemoteHealthManagers } from './remote-health-services.js';
import { runtimeInfo } from './runtime-info.js';
import { startServices, stopServices, type Service } from './services.js';

export interface DaemonOptions {
  config: Config;
  logger: Logger;
  version: string;
  runtime: { context: string; container: boolean };
  /** Environment for spawned commands (PATH for shutdown binaries and readiness checks). */
  env: NodeJS.ProcessEnv;
  /** `run --exit-after-shutdown`: called once a shutdown sequence and its poweroff step end. */
  onShutdownComplete?: () => void;
}

/** How long a graceful stop waits for a running shutdown sequence to finish. */
const STOP_WAITS_FOR_SEQUENCE_MS = 120_000;

interface UpsUnit {
  config: UpsGroupConfig;
  identity: UpsIdentity;
  stats: StatsStore;
  monitor: UpsMonitor;
  logger: Logger;
}

export class Daemon {
  readonly live = new LiveStateStore();
  readonly metrics: MetricsRegistry;
  private readonly pool = new NutClientPool();
  private readonly units: UpsUnit[];
  private readonly services: Service[];
  private readonly shutdown: ShutdownPath;
  private readonly sequences = new Set<Promise<void>>();
  private started = false;

  constructor(private readonly options: DaemonOptions) {
    const { config } = options;
    this.metrics = new MetricsRegistry({ live: this.live, version: options.version });
    this.shutdown = buildShutdownPath({
      config,
      logger: options.logger,
      env: options.env,
      inContainer: options.runtime.container,
      notify: (request) => this.logNotification(request),
      recordEvent: (ups, eventType, detail) => this.recordEvent(ups.name, eventType, detail, true),
      afterShutdown: () => options.onShutdownComplete?.(),
      stopMonitors: async () => {
        await Promise.all(this.units.map((unit) => unit.monitor.stop()));
      },
    });
    const members = redundancyMembers(config);
    this.units = config.ups.map((ups) => this.buildUnit(ups, members.has(ups.name)));
    this.services = this.buildServices();
  }

  /** The `/api/v1/ups` document: the API and MQTT publish exactly this. */
  document() {
    const { config, version, runtime } = this.options;
    return buildUpsDocument({
      live: this.live,
      version,
      runtime: runtimeInfo(config, this.live, runtime.context),
      nowWallMs: Date.now(),
    });
  }

  private buildServices(): Service[] {
    const { config, logger, version } = this.options;
    const services: Service[] = [
      { name: 'metrics', start: () => this.metrics.start(), stop: () => this.metrics.stop() },
    ];
    const notify = (request: NotificationRequest): void => this.logNotification(request);
    const recorder = {
      record: (upsName: string, type: string, detail: string, notifyFlag: boolean) =>
        this.recordEvent(upsName, type, detail, notifyFlag),
    };
    for (const manager of buildRemoteHealthManagers(
      config,
      this.live,
      recorder,
      logger,
      notify,
      this.options.env.ENERU_SSH_KNOWN_HOSTS_FILE ?? null,
    )) {
      services.push({
        name: 'remote health',
        start: () => manager.start(),
        stop: () => manager.stop(),
      });
    }
    const redundancy = buildRedundancyService({
      config,
      live: this.live,
      logger,
      shutdown: this.shutdown,
      notify,
      recordForMembers: (group, eventType, detail) => {
        for (const member of group.ups_sources) this.recordEvent(member, eventType, detail, true);
      },
    });
    if (redundancy) services.push(redundancy);
    if (config.api.enabled) {
      services.push(
        buildHttpService({
          config,
          live: this.live,
          metrics: this.metrics,
          logger,
          version,
          runtime: this.options.runtime,
          pathEnv: this.options.env.PATH ?? '',
          statsPathOf: (groupId) => {
            const unit = this.units.find((u) => u.identity.groupId === groupId);
            return unit ? Daemon.statsPath(config, unit.config) : null;
          },
        }),
      );
    }
    if (config.mqtt.enabled) {
      const publisher = new MqttPublisher(mqttPublisherOptions(config.mqtt, version), {
        logger,
        document: () => this.document(),
      });
      services.push({ name: 'mqtt', start: () => publisher.start(), stop: () => publisher.stop() });
    }
    return services;
  }

  private recordEvent(upsName: string, eventType: string, detail: string, notify: boolean): void {
    const unit = this.units.find((u) => u.config.name === upsName);
    unit?.stats.recordEvent({
      ts: Math.floor(Date.now() / 1000),
      eventType,
      detail,
      notificationSent: notify,
    });
  }

  /**
   * No delivery transport exists yet: every notification the core decides is logged with its
   * category, so it stays visible (and greppable) until a notifications subsystem consumes it.
   */
  private logNotification(request: NotificationRequest): void {
    this.options.logger.info(`Notification: ${request.title} - ${request.body}`, {
      category: request.category,
    });
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
    const first = this.units[0];
    if (config.coordinator && first) {
      // Moving from single- to multi-UPS keeps the history: default.db becomes the first group's file.
      const adopted = adoptDefaultDatabase(
        config.statistics.db_directory,
        Daemon.statsPath(config, first.config),
      );
      if (adopted.outcome === 'renamed')
        logger.info(`Statistics: ${adopted.from} adopted as ${adopted.to}`);
      if (adopted.outcome === 'failed')
        logger.warn(`Statistics: could not adopt default.db: ${adopted.error}`);
    }
    for (const unit of this.units) {
      unit.stats.start();
      unit.stats.recordEvent({
        ts: Math.floor(Date.now() / 1000),
        eventType: 'DAEMON_START',
        detail: `Eneru v${version} monitoring ${unit.identity.name}`,
        notificationSent: false,
      });
    }
    this.shutdown.clearAtStartup();
    for (const unit of this.units) unit.monitor.start();
    await startServices(this.services);
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
    if (this.sequences.size > 0) {
      logger.warn('A shutdown sequence is running; waiting for it before stopping');
      const budget = new AbortController();
      await Promise.race([
        Promise.allSettled([...this.sequences]),
        sleep(STOP_WAITS_FOR_SEQUENCE_MS, budget.signal),
      ]);
      budget.abort();
    }
    await stopServices(this.services, (name, error) =>
      logger.error(
        `Stopping ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
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
      observePollDuration: (seconds) =>
        this.metrics.observePollDuration(identity.groupId, identity.label, seconds),
      onCommand: (command, snapshot) => this.onCommand(ups, command, snapshot),
      notify: (request) => this.logNotification(request),
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
      shutdownInProgress: () => this.shutdown.inFlight(),
    });
    this.metrics.setWriteFailureSource(identity.groupId, () => stats.health().writeFailures);
    return { config: ups, identity, stats, monitor, logger };
  }

  private onCommand(ups: UpsGroupConfig, command: MonitorCommand, _snapshot: UpsSnapshot): void {
    const controller = this.shutdown.controllers.get(ups.name);
    if (!controller) return;
    const sequence = controller.handle(command).catch((error: unknown) => {
      this.options.logger.error(
        `Shutdown handling for ${ups.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        { category: 'shutdown' },
      );
    });
    this.sequences.add(sequence);
    void sequence.finally(() => this.sequences.delete(sequence));
  }
}
