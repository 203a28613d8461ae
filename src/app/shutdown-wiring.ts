/**
 * Builds the shutdown path: one runner and guard per UPS group, one local poweroff for the whole
 * daemon (coordinator mode has its own unsuffixed flag), and the dispatch of the monitors'
 * `shutdown` / `rearm` commands. This is the one priority path: it does not go through sinks.
 */
import type { Config, UpsGroupConfig } from '../config/index.js';
import type { NotificationRequest } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import {
  GroupShutdownController,
  LocalPoweroff,
  ShutdownFlag,
  ShutdownRunner,
  SpawnExecutor,
  groupFlagPath,
  type GroupShutdownOutcome,
} from '../shutdown/index.js';

export interface ShutdownWiring {
  config: Config;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  inContainer: boolean;
  notify: (notification: NotificationRequest) => void;
  /** Records an events row in the UPS group's own database. */
  recordEvent: (ups: UpsGroupConfig, eventType: string, detail: string) => void;
  /** `run --exit-after-shutdown`. */
  afterShutdown?: (outcome: GroupShutdownOutcome) => void;
  /** `drain_on_local_shutdown`: stops every monitor loop before the other groups are drained. */
  stopMonitors: () => Promise<void>;
}

export interface ShutdownPath {
  poweroff: LocalPoweroff;
  controllers: Map<string, GroupShutdownController>;
  runnerFor(
    label: string,
    recordEvent: (eventType: string, detail: string) => void,
  ): ShutdownRunner;
  /** True while any group's sequence or the local poweroff runs. */
  inFlight(): boolean;
  /** Startup: flags left by an earlier run must not block this one. */
  clearAtStartup(): void;
}

export function buildShutdownPath(wiring: ShutdownWiring): ShutdownPath {
  const { config, logger } = wiring;
  const executor = new SpawnExecutor(wiring.env);
  const knownHostsFile = wiring.env.ENERU_SSH_KNOWN_HOSTS_FILE ?? null;
  const coordinatorFlag = config.coordinator
    ? new ShutdownFlag(config.logging.shutdown_flag_file, logger)
    : null;
  const controllers = new Map<string, GroupShutdownController>();
  const poweroff = new LocalPoweroff({
    logger,
    executor,
    localShutdown: config.local_shutdown,
    upsGroups: config.ups,
    coordinatorFlag,
    notify: wiring.notify,
    // Core §8.4: stop monitoring, then run every other group's sequence before powering off.
    drainOtherGroups: async (source) => {
      await wiring.stopMonitors();
      const others = config.ups.filter((ups) => ups.label !== source);
      await Promise.all(
        others.map((ups) =>
          controllers
            .get(ups.name)
            ?.trigger(`drain before the local shutdown requested by ${source}`),
        ),
      );
    },
  });
  const runnerFor = (label: string, recordEvent: (eventType: string, detail: string) => void) =>
    new ShutdownRunner({
      logger,
      executor,
      recordEvent,
      notify: wiring.notify,
      localShutdown: config.local_shutdown,
      inContainer: wiring.inContainer,
      knownHostsFile,
    });
  for (const ups of config.ups) {
    const recordEvent = (eventType: string, detail: string): void =>
      wiring.recordEvent(ups, eventType, detail);
    controllers.set(
      ups.name,
      new GroupShutdownController({
        group: { label: ups.label, kind: 'ups', config: ups },
        runner: runnerFor(ups.label, recordEvent),
        poweroff,
        flag: new ShutdownFlag(
          groupFlagPath(
            config.logging.shutdown_flag_file,
            config.coordinator ? ups.group_id : null,
          ),
          logger,
        ),
        logger,
        recordEvent,
        dryRun: () => config.behavior.dry_run,
        coordinator: config.coordinator,
        // In a container, local actions go through the host-loopback SSH delegate (core §8.1).
        delegated:
          wiring.inContainer &&
          ups.remote_servers.some((server) => server.enabled && server.is_host_loopback),
        afterShutdown: wiring.afterShutdown,
      }),
    );
  }
  return {
    poweroff,
    controllers,
    runnerFor,
    // Asked by every monitor on every poll: walk the map in place rather than copying one entry
    // per UPS into an array each time (at 1000 UPSes that copy was the largest per-poll allocation).
    inFlight: () => {
      if (poweroff.inFlight) return true;
      for (const controller of controllers.values()) if (controller.inFlight) return true;
      return false;
    },
    clearAtStartup() {
      for (const controller of controllers.values()) controller.clearAtStartup();
      poweroff.clear();
    },
  };
}
