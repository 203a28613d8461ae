/**
 * A real `UpsMonitor` polling the embedded NUT simulator through a real `NutClient`, for
 * integration tests of the monitor loop. The rig remembers what it started; call `stop()` in
 * `afterEach` (monitor first, then the client, then the simulator).
 */
import { systemClock } from '../../src/app/clock.js';
import { defaultMonitorPolicy } from '../../src/domain/advance.js';
import type { DomainEvent } from '../../src/domain/types.js';
import type { LiveStateStore } from '../../src/monitor/live-state.js';
import type { PollReport } from '../../src/monitor/sink.js';
import { UpsMonitor } from '../../src/monitor/ups-monitor.js';
import { NutClient } from '../../src/nut/index.js';
import { startSim, type RunningSim } from './nut-sim.js';
import { RecordingLogger } from './recording-logger.js';

export interface SimMonitorOptions {
  /** The UPS name the monitor asks upsd for (the configured name is `<it>@127.0.0.1:<port>`). */
  nutUpsName: string;
  groupId: string;
  live: LiveStateStore;
  logger?: RecordingLogger;
  checkIntervalSec?: number;
  onPoll?: (report: PollReport) => void;
  onEvent?: (event: DomainEvent) => void;
}

export class SimMonitorRig {
  private sim: RunningSim | null = null;
  private client: NutClient | null = null;
  private monitor: UpsMonitor | null = null;

  /** Starts the simulator serving `upses` (UPS name → fixture scenario name). */
  async startSim(upses: Record<string, string>): Promise<RunningSim> {
    this.sim = await startSim(upses);
    return this.sim;
  }

  /** Starts one monitor on the simulator started before, over a client of its own. */
  startMonitor(options: SimMonitorOptions): UpsMonitor {
    if (this.sim === null) throw new Error('startSim() first');
    const port = this.sim.port;
    this.client = new NutClient({ host: '127.0.0.1', port, tls: 'off', requestTimeoutMs: 2000 });
    const name = `${options.nutUpsName}@127.0.0.1:${port}`;
    this.monitor = new UpsMonitor({
      identity: { name, label: name, displayName: null, groupId: options.groupId, isLocal: true },
      policy: defaultMonitorPolicy({
        upsName: name,
        ...(options.checkIntervalSec === undefined
          ? {}
          : { checkIntervalSec: options.checkIntervalSec }),
      }),
      nutUpsName: options.nutUpsName,
      client: this.client,
      live: options.live,
      sink: {
        onPoll: options.onPoll ?? (() => undefined),
        onEvent: options.onEvent ?? (() => undefined),
        onNotification: () => undefined,
        onCommand: () => undefined,
      },
      outage: { load: () => null, save: () => undefined },
      logger: options.logger ?? new RecordingLogger(),
      clock: systemClock,
      shutdownInProgress: () => false,
    });
    this.monitor.start();
    return this.monitor;
  }

  async stop(): Promise<void> {
    await this.monitor?.stop();
    await this.client?.close();
    await this.sim?.stop();
    this.monitor = null;
    this.client = null;
    this.sim = null;
  }
}
