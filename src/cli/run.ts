/**
 * `eneru run`: load and validate the configuration, apply the command-line overrides, set up
 * logging and start the daemon. Returns a handle whose `stopped` promise carries the exit code;
 * main.ts connects it to the process signals.
 */
import {
  ConfigLoadError,
  hasErrors,
  loadConfigFile,
  parseConfig,
  withContainerPaths,
  type Config,
  type ConfigMessage,
  type LoadedConfig,
} from '../config/index.js';
import { detectRuntimeContext } from '../app/runtime-context.js';
import { Daemon } from '../app/daemon.js';
import { startDemoEnvironment, type DemoEnvironment } from '../app/demo-config.js';
import { readVersion } from '../app/version.js';
import { createLogging } from '../logging/index.js';
import type { Logger } from '../logging/types.js';

export interface RunOptions {
  config?: string;
  dryRun?: boolean;
  demo?: boolean;
  api?: boolean;
  apiBind?: string;
  apiPort?: number;
  exitAfterShutdown?: boolean;
}

export interface DaemonHandle {
  readonly stopped: Promise<number>;
  readonly stopping: boolean;
  stop(signal: string): Promise<void>;
}

interface RunIo {
  /** Speeds the demo power-cut cycle up (ENERU_DEMO_PHASE_SCALE; tests use it). */
  demoPhaseScale?: number;
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

export async function startDaemon(opts: RunOptions, io: RunIo): Promise<DaemonHandle> {
  let demo: DemoEnvironment | null = null;
  let loaded: LoadedConfig | null = null;
  if (opts.demo !== true) {
    try {
      loaded = loadConfigFile(opts.config);
    } catch (error) {
      if (error instanceof ConfigLoadError) {
        io.err(`ERROR: ${error.message}`);
        return finished(1);
      }
      throw error;
    }
  }
  // No config file anywhere: run the demo rather than arm a shutdown of this host against a
  // UPS nobody configured (docs/compatibility.md).
  const useDemo = loaded === null || loaded.source === null;
  if (loaded === null || loaded.source === null) {
    demo = await startDemoEnvironment(io.demoPhaseScale ?? 1);
    loaded = parseConfig(demo.rawConfig);
  }
  if (hasErrors(loaded.messages)) {
    for (const message of loaded.messages) io.err(message.text);
    io.err(
      'Configuration is INVALID — fix the errors above (eneru validate -c FILE shows them all).',
    );
    await demo?.stop();
    return finished(1);
  }
  const runtime = detectRuntimeContext(io.env);
  // In a container, paths still at their defaults move under /var/log/eneru and /var/run/eneru.
  const located = runtime.container ? withContainerPaths(loaded.config) : loaded.config;
  const config = applyOverrides(located, opts, useDemo);
  const logging = createLogging({
    format: config.logging.format,
    level: config.logging.level,
    file: config.logging.file,
    syslog: config.logging.syslog.enabled
      ? {
          address: config.logging.syslog.address,
          port: config.logging.syslog.port,
          facility: config.logging.syslog.facility,
          format: config.logging.syslog.format,
          protocol: config.logging.syslog.protocol,
        }
      : null,
  });
  const logger = logging.logger;
  if (useDemo && opts.demo !== true) {
    logger.warn(
      'No config file found (/etc/ups-monitor/config.yaml). Running the built-in demo with simulated UPSes; create a config file to monitor real ones.',
    );
  }
  reportMessages(loaded.messages, logger);
  const version = readVersion();
  let stopping = false;
  let resolveStopped: (code: number) => void = () => undefined;
  const stopped = new Promise<number>((resolve) => {
    resolveStopped = resolve;
  });
  const daemon = new Daemon({
    config,
    logger,
    version,
    runtime,
    env: io.env,
    onShutdownComplete:
      opts.exitAfterShutdown === true ? () => void handle.stop('shutdown complete') : undefined,
  });
  const handle: DaemonHandle = {
    stopped,
    get stopping() {
      return stopping;
    },
    async stop(signal: string): Promise<void> {
      if (stopping) return;
      stopping = true;
      logger.info(`Received ${signal}, stopping`);
      await daemon.stop(signal);
      await demo?.stop();
      await logging.close();
      resolveStopped(0);
    },
  };
  await daemon.start();
  return handle;
}

function applyOverrides(config: Config, opts: RunOptions, demo: boolean): Config {
  const apiRequested =
    opts.api === true || opts.apiBind !== undefined || opts.apiPort !== undefined;
  return {
    ...config,
    behavior: {
      ...config.behavior,
      dry_run: demo || opts.dryRun === true || config.behavior.dry_run,
    },
    api: {
      ...config.api,
      enabled: config.api.enabled || apiRequested,
      bind: opts.apiBind ?? config.api.bind,
      port: opts.apiPort ?? config.api.port,
    },
  };
}

function reportMessages(messages: ConfigMessage[], logger: Logger): void {
  for (const message of messages) {
    if (message.level === 'WARNING') logger.warn(message.text);
    else logger.info(message.text);
  }
}

function finished(code: number): DaemonHandle {
  return { stopped: Promise.resolve(code), stopping: false, stop: () => Promise.resolve() };
}
