/**
 * The composition root of a running daemon: builds every part from the frozen configuration,
 * starts them in dependency order (stores, NUT connections, monitors, then the outputs that
 * read live state) and stops them in reverse. `stop()` never throws and records DAEMON_STOP.
 */
import type { Config } from '../config/index.js';
import type { MonitorCommand, NotificationRequest } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import { MetricsRegistry } from '../metrics/metrics-registry.js';
import { sleep } from '../monitor/abortable-sleep.js';
import { LiveStateStore } from '../monitor/live-state.js';
import { buildUpsDocument, type UpsDocument } from '../monitor/ups-document.js';
import { NutClientPool } from '../nut/index.js';
import { adoptDefaultDatabase, ConnectionPool } from '../store/index.js';
import { buildOutputServices } from './output-services.js';
import { redundancyMembers } from './policy.js';
import { runtimeInfo } from './runtime-info.js';
import { startServices, stopServices, type Service } from './services.js';
import { buildShutdownPath, type ShutdownPath } from './shutdown-wiring.js';
import { buildUpsUnit, statsPath, type UpsUnit } from './ups-unit.js';

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

export class Daemon {
  readonly live = new LiveStateStore();
  readonly metrics: MetricsRegistry;
  private readonly pool = new NutClientPool();
  private readonly statsConnections = new ConnectionPool();
  private readonly units: UpsUnit[];
  private readonly unitsByName: Map<string, UpsUnit>;
  private readonly services: Service[];
  private readonly shutdown: ShutdownPath;
  private readonly sequences = new Set<Promise<void>>();
  private started = false;

  constructor(private readonly options: DaemonOptions) {
    const { config, logger } = options;
    const notify = (request: NotificationRequest): void => this.logNotification(request);
    this.metrics = new MetricsRegistry({ live: this.live, version: options.version });
    this.shutdown = buildShutdownPath({
      config,
      logger,
      env: options.env,
      inContainer: options.runtime.container,
      notify,
      recordEvent: (ups, eventType, detail) => this.recordEvent(ups.name, eventType, detail, true),
      afterShutdown: () => options.onShutdownComplete?.(),
      stopMonitors: () => this.stopMonitors(),
    });
    const members = redundancyMembers(config);
    this.units = config.ups.map((ups) =>
      buildUpsUnit(ups, {
        config,
        logger,
        live: this.live,
        pool: this.pool,
        statsConnections: this.statsConnections,
        metrics: this.metrics,
        advisory: members.has(ups.name),
        onCommand: (command) => this.onCommand(ups.name, command),
        notify,
        shutdownInProgress: () => this.shutdown.inFlight(),
      }),
    );
    this.unitsByName = new Map(this.units.map((unit) => [unit.config.name, unit]));
    this.services = buildOutputServices({
      config,
      logger,
      version: options.version,
      env: options.env,
      runtime: options.runtime,
      live: this.live,
      metrics: this.metrics,
      shutdown: this.shutdown,
      document: () => this.document(),
      notify,
      recordEvent: (upsName, eventType, detail, notifyFlag) =>
        this.recordEvent(upsName, eventType, detail, notifyFlag),
      statsPathOf: (groupId) => {
        const unit = this.units.find((u) => u.identity.groupId === groupId);
        return unit ? statsPath(config, unit.config) : null;
      },
    });
  }

  /** The `/api/v1/ups` document: the API and MQTT publish exactly this. */
  document(): UpsDocument {
    const { config, version, runtime } = this.options;
    return buildUpsDocument({
      live: this.live,
      version,
      runtime: runtimeInfo(config, this.live, runtime.context),
      nowWallMs: Date.now(),
    });
  }

  async start(): Promise<void> {
    const { logger, version, config } = this.options;
    this.adoptSingleUpsHistory();
    for (const unit of this.units) {
      unit.stats.start();
      this.recordEvent(
        unit.config.name,
        'DAEMON_START',
        `Eneru v${version} monitoring ${unit.identity.name}`,
        false,
      );
    }
    this.shutdown.clearAtStartup();
    for (const unit of this.units) unit.monitor.start();
    await startServices(this.services);
    this.started = true;
    const mode = config.coordinator ? 'multi-UPS coordinator' : 'single UPS';
    const run = config.behavior.dry_run ? 'DRY-RUN' : 'live';
    logger.info(`Eneru v${version} started (${mode}, ${this.units.length} UPS, ${run})`);
  }

  async stop(signal: string): Promise<void> {
    if (!this.started) return;
    this.started = false;
    const { logger, version } = this.options;
    await this.waitForSequences();
    await stopServices(this.services, (name, error) =>
      logger.error(`Stopping ${name} failed: ${describe(error)}`),
    );
    await this.stopMonitors();
    await this.pool.closeAll();
    for (const unit of this.units) {
      this.recordEvent(
        unit.config.name,
        'DAEMON_STOP',
        `Eneru v${version} stopped by signal (${signal})`,
        false,
      );
    }
    await Promise.all(this.units.map((unit) => unit.stats.stop()));
    logger.info(`Eneru v${version} stopped (${signal})`);
  }

  /** Moving from single- to multi-UPS keeps the history: default.db becomes the first group's file. */
  private adoptSingleUpsHistory(): void {
    const { config, logger } = this.options;
    const first = this.units[0];
    if (!config.coordinator || !first) return;
    const adopted = adoptDefaultDatabase(
      config.statistics.db_directory,
      statsPath(config, first.config),
    );
    if (adopted.outcome === 'renamed')
      logger.info(`Statistics: ${adopted.from} adopted as ${adopted.to}`);
    if (adopted.outcome === 'failed')
      logger.warn(`Statistics: could not adopt default.db: ${adopted.error}`);
  }

  private async stopMonitors(): Promise<void> {
    await Promise.all(this.units.map((unit) => unit.monitor.stop()));
  }

  /** A running shutdown sequence finishes before the daemon stops (bounded). */
  private async waitForSequences(): Promise<void> {
    if (this.sequences.size === 0) return;
    this.options.logger.warn('A shutdown sequence is running; waiting for it before stopping');
    const budget = new AbortController();
    await Promise.race([
      Promise.allSettled([...this.sequences]),
      sleep(STOP_WAITS_FOR_SEQUENCE_MS, budget.signal),
    ]);
    budget.abort();
  }

  private recordEvent(upsName: string, eventType: string, detail: string, notify: boolean): void {
    this.unitsByName.get(upsName)?.stats.recordEvent({
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

  /** The priority path: shutdown / rearm commands go straight to the group's controller. */
  private onCommand(upsName: string, command: MonitorCommand): void {
    const controller = this.shutdown.controllers.get(upsName);
    if (!controller) return;
    const sequence = controller.handle(command).catch((error: unknown) => {
      this.options.logger.error(`Shutdown handling for ${upsName} failed: ${describe(error)}`, {
        category: 'shutdown',
      });
    });
    this.sequences.add(sequence);
    void sequence.finally(() => this.sequences.delete(sequence));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
