/**
 * Connects the HTTP adapter to the daemon: cached read-only statistics readers per UPS, the
 * readiness report computed from live state and configuration, the metrics registry, and the
 * runtime block. The server itself never polls NUT.
 */
import type { Config } from '../config/index.js';
import { HttpServer } from '../http/server.js';
import type { StatsAccess, StatsReaderLike } from '../http/stats-access.js';
import type { Logger } from '../logging/types.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import type { LiveStateStore } from '../monitor/live-state.js';
import {
  computeReadiness,
  pathLookup,
  type ReadinessGroup,
  type ReadinessReport,
} from '../monitor/readiness.js';
import { isHistoryColumn, StatsReader } from '../store/index.js';
import { loopbackDelegate } from './runtime-info.js';
import type { Service } from './services.js';

export interface HttpWiring {
  config: Config;
  live: LiveStateStore;
  metrics: MetricsRegistry;
  logger: Logger;
  version: string;
  runtime: { context: string; container: boolean };
  pathEnv: string;
  statsPathOf: (groupId: string) => string | null;
}

/**
 * Read-only connections of the most recently read UPS databases. Bounded: every open SQLite
 * connection costs ~110 KiB, so an events query over 1000 UPSes must not leave 1000 of them
 * open for the daemon's lifetime; the least recently used one is closed instead (a reader is
 * used synchronously right after `readerFor`, so closing an older one cannot cut a read short).
 */
export class CachedStatsAccess implements StatsAccess {
  private readonly readers = new Map<string, StatsReader>();
  constructor(
    private readonly pathOf: (groupId: string) => string | null,
    private readonly maxOpenReaders = 32,
  ) {}

  /** Open read-only connections (for tests and diagnostics). */
  get openReaders(): number {
    return this.readers.size;
  }

  readerFor(groupId: string): StatsReaderLike | null {
    let reader = this.readers.get(groupId);
    if (reader) {
      this.readers.delete(groupId);
    } else {
      const path = this.pathOf(groupId);
      const opened = path === null ? null : StatsReader.open(path);
      if (!opened) return null;
      reader = opened;
      this.closeLeastRecentlyUsed();
    }
    this.readers.set(groupId, reader);
    const open = reader;
    return {
      history: (column, fromSec, toSec) =>
        isHistoryColumn(column) ? open.history(column, fromSec, toSec) : [],
      events: (query) => open.events(query),
      power: (fromSec, toSec) => open.power(fromSec, toSec),
    };
  }

  private closeLeastRecentlyUsed(): void {
    // A Map iterates in insertion order and `readerFor` re-inserts on use: oldest first.
    for (const [groupId, reader] of this.readers) {
      if (this.readers.size < this.maxOpenReaders) return;
      this.readers.delete(groupId);
      reader.close();
    }
  }

  close(): void {
    for (const reader of this.readers.values()) reader.close();
    this.readers.clear();
  }
}

function readinessGroups(config: Config): ReadinessGroup[] {
  const servers = (list: Config['ups'][number]['remote_servers']) =>
    list.map((s) => ({
      name: s.name,
      host: s.host,
      enabled: s.enabled,
      isHostLoopback: s.is_host_loopback,
    }));
  return [
    ...config.ups.map((ups) => ({
      name: ups.label,
      healthLabel: ups.label,
      isLocal: ups.is_local,
      vmsEnabled: ups.virtual_machines.enabled,
      containersEnabled: ups.containers.enabled,
      unmountEnabled: ups.filesystems.unmount.enabled,
      remoteServers: servers(ups.remote_servers),
    })),
    ...config.redundancy_groups.map((group) => ({
      name: group.name,
      healthLabel: group.label,
      isLocal: group.is_local,
      vmsEnabled: group.virtual_machines.enabled,
      containersEnabled: group.containers.enabled,
      unmountEnabled: group.filesystems.unmount.enabled,
      remoteServers: servers(group.remote_servers),
    })),
  ];
}

export function buildHttpService(wiring: HttpWiring): Service {
  const { config, live, logger } = wiring;
  const stats = new CachedStatsAccess(wiring.statsPathOf);
  const hasBinary = pathLookup(wiring.pathEnv);
  const groups = readinessGroups(config);
  const readiness = (): ReadinessReport =>
    computeReadiness({
      monitors: live.list(),
      groups,
      upsGroupCount: config.ups.length,
      localShutdown: {
        enabled: config.local_shutdown.enabled,
        command: config.local_shutdown.command,
        triggerOn: config.local_shutdown.trigger_on,
      },
      runtime: { ...wiring.runtime, loopbackDelegate: loopbackDelegate(config, live) },
      remoteHealthFor: (label) => live.remoteHealthFor(label),
      hasBinary,
    });
  const server = new HttpServer(
    {
      config,
      live,
      stats,
      version: wiring.version,
      runtime: { ...wiring.runtime, loopbackDelegate: () => loopbackDelegate(config, live) },
      logger: logger.child({ category: 'api' }),
      metrics: wiring.metrics,
      readiness,
    },
    { bind: config.api.bind, port: config.api.port },
  );
  return {
    name: 'http',
    start: () => server.start(),
    async stop() {
      await server.stop();
      stats.close();
    },
  };
}
