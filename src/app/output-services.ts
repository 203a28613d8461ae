/**
 * The services around the monitors, in start order: metrics, remote-health managers, the
 * redundancy evaluator, the HTTP API and the MQTT publisher. Each reads live state; none of
 * them can stall a monitor.
 */
import type { Config, RedundancyGroupConfig } from '../config/index.js';
import type { NotificationRequest } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import type { LiveStateStore } from '../monitor/live-state.js';
import type { UpsDocument } from '../monitor/ups-document.js';
import { buildRedundancyService } from './redundancy-wiring.js';
import { buildRemoteHealthManagers } from './remote-health-services.js';
import { lazyService, type Service } from './services.js';
import type { ShutdownPath } from './shutdown-wiring.js';

export interface OutputServicesDeps {
  config: Config;
  logger: Logger;
  version: string;
  env: NodeJS.ProcessEnv;
  runtime: { context: string; container: boolean };
  live: LiveStateStore;
  metrics: MetricsRegistry;
  shutdown: ShutdownPath;
  document: () => UpsDocument;
  notify: (request: NotificationRequest) => void;
  /** Records an events row in the database of the UPS with this configured name. */
  recordEvent: (upsName: string, eventType: string, detail: string, notify: boolean) => void;
  statsPathOf: (groupId: string) => string | null;
}

export function buildOutputServices(deps: OutputServicesDeps): Service[] {
  const { config, logger, live } = deps;
  const services: Service[] = [
    { name: 'metrics', start: () => deps.metrics.start(), stop: () => deps.metrics.stop() },
  ];
  const managers = buildRemoteHealthManagers(
    config,
    live,
    { record: deps.recordEvent },
    logger,
    deps.notify,
    deps.env.ENERU_SSH_KNOWN_HOSTS_FILE ?? null,
  );
  for (const manager of managers) {
    services.push({
      name: 'remote health',
      start: () => manager.start(),
      stop: () => manager.stop(),
    });
  }
  const redundancy = buildRedundancyService({
    config,
    live,
    logger,
    shutdown: deps.shutdown,
    notify: deps.notify,
    recordForMembers: (group: RedundancyGroupConfig, eventType, detail) => {
      for (const member of group.ups_sources) deps.recordEvent(member, eventType, detail, true);
    },
  });
  if (redundancy) services.push(redundancy);
  if (config.api.enabled) {
    services.push(
      lazyService('http', async () =>
        (await import('./http-wiring.js')).buildHttpService({
          config,
          live,
          metrics: deps.metrics,
          logger,
          version: deps.version,
          runtime: deps.runtime,
          pathEnv: deps.env.PATH ?? '',
          statsPathOf: deps.statsPathOf,
        }),
      ),
    );
  }
  if (config.mqtt.enabled) {
    services.push(
      lazyService('mqtt', async () => {
        const { MqttPublisher, mqttPublisherOptions } = await import('../mqtt/index.js');
        const publisher = new MqttPublisher(mqttPublisherOptions(config.mqtt, deps.version), {
          logger,
          document: deps.document,
        });
        return { name: 'mqtt', start: () => publisher.start(), stop: () => publisher.stop() };
      }),
    );
  }
  return services;
}
