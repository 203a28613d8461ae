/**
 * One remote-health manager per group (UPS label or `redundancy:<name>`, core spec §9): probes
 * the group's enabled servers one after another at startup (`startup_check`) and every
 * `max(60, interval)` s, folds each outcome into the pure state machine, and publishes the rows
 * (live state + sidecar), events, log lines and notifications. Health is advisory: nothing here
 * can block or alter a shutdown, and no failure escapes the loop.
 */
import type { RemoteHealthConfig, RemoteServerConfig } from '../config/types.js';
import {
  applyProbe,
  checkingRow,
  initialServerHealth,
  type HealthStep,
  type RemoteHealthPolicy,
  type ServerHealthState,
} from '../domain/remote-health.js';
import type { Clock, NotificationRequest, RemoteHealthRow } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import { sleep } from '../monitor/abortable-sleep.js';
import { probeServer } from './probe.js';
import { writeSidecar } from './sidecar.js';

export const MIN_INTERVAL_SEC = 60;

export interface RemoteHealthManagerOptions {
  /** UPS label, or `redundancy:<name>` for a redundancy group. */
  label: string;
  /** The group's `remote_servers`; disabled entries are ignored. */
  servers: readonly RemoteServerConfig[];
  settings: RemoteHealthConfig;
  /** Sidecar JSON path (see `remoteHealthSidecarPath`), or null for none. */
  sidecarPath: string | null;
  /** Passed to ssh as `UserKnownHostsFile` (containers, ENERU_SSH_KNOWN_HOSTS_FILE). */
  knownHostsFile?: string | null;
  /** Test-only: the period between passes instead of `max(60, interval)` s. */
  intervalMs?: number;
  sshBinary?: string;
}

export interface RemoteHealthManagerDeps {
  logger: Logger;
  liveState: { setRemoteHealth(label: string, rows: RemoteHealthRow[]): void };
  /** Writes an events row (redundancy managers: into every member's DB); `notify` = notification_sent. */
  recordEvent: (type: string, detail: string, notify: boolean) => void;
  /** Sends a notification for the events above whose `notify` is true (optional until wired). */
  notify?: (request: NotificationRequest) => void;
  clock?: () => Clock;
}

/** Core §9: a manager runs when health checks are on or the group has an enabled loopback. */
export function needsRemoteHealthManager(
  settings: RemoteHealthConfig,
  servers: readonly RemoteServerConfig[],
): boolean {
  const enabled = servers.filter((server) => server.enabled);
  return (
    enabled.length > 0 && (settings.enabled || enabled.some((server) => server.is_host_loopback))
  );
}

interface Entry {
  server: RemoteServerConfig;
  probed: boolean;
  state: ServerHealthState;
}

const systemClock = (): Clock => ({ monoMs: performance.now(), wallMs: Date.now() });

export class RemoteHealthManager {
  private readonly entries: Entry[];
  private readonly policy: RemoteHealthPolicy;
  private readonly log: Logger;
  private readonly clock: () => Clock;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private pass: Promise<void> | null = null;

  constructor(
    private readonly opts: RemoteHealthManagerOptions,
    private readonly deps: RemoteHealthManagerDeps,
  ) {
    this.log = deps.logger.child({ category: 'health', group: opts.label });
    this.clock = deps.clock ?? systemClock;
    this.policy = {
      failureThreshold: opts.settings.failure_threshold,
      notifyOnFailure: opts.settings.notify_on_failure,
      notifyOnRecovery: opts.settings.notify_on_recovery,
    };
    this.entries = opts.servers
      .filter((server) => server.enabled)
      .map((server) => {
        const probed = opts.settings.enabled || server.is_host_loopback;
        const identity = {
          group: opts.label,
          server: server.name,
          host: server.host,
          user: server.user,
          isHostLoopback: server.is_host_loopback,
        };
        return { server, probed, state: initialServerHealth(identity, probed) };
      });
  }

  get label(): string {
    return this.opts.label;
  }

  /** Current rows in configuration order (CHECKING while a probe runs). */
  rows(): RemoteHealthRow[] {
    return this.entries.map((entry) => entry.state.row);
  }

  /** Milliseconds between passes: `max(60, interval)` s unless the test override is set. */
  periodMs(): number {
    return this.opts.intervalMs ?? Math.max(MIN_INTERVAL_SEC, this.opts.settings.interval) * 1000;
  }

  start(): void {
    if (this.loop || this.abort.signal.aborted) return;
    this.publish(this.rows());
    this.loop = this.run().catch((error: unknown) => {
      this.log.error(
        `Remote health manager stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  /** Aborts a running probe (its ssh is killed) and ends the loop. Never throws. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.pass;
  }

  /** Runs one pass now (or joins the running one). */
  checkNow(): Promise<void> {
    if (!this.pass) {
      this.pass = this.probeAll().finally(() => {
        this.pass = null;
      });
    }
    return this.pass;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    if (this.opts.settings.startup_check) await this.checkNow();
    while (!signal.aborted) {
      await sleep(this.periodMs(), signal);
      if (signal.aborted) break;
      await this.checkNow();
    }
  }

  private async probeAll(): Promise<void> {
    const signal = this.abort.signal;
    for (const entry of this.entries) {
      if (signal.aborted) return;
      if (!entry.probed) continue;
      this.publish(this.entries.map((e) => (e === entry ? checkingRow(e.state) : e.state.row)));
      const outcome = await probeServer({
        server: entry.server,
        probeCommand: this.opts.settings.probe_command,
        knownHostsFile: this.opts.knownHostsFile ?? null,
        signal,
        ...(this.opts.sshBinary ? { sshBinary: this.opts.sshBinary } : {}),
      });
      if (signal.aborted) {
        this.publish(this.rows());
        return;
      }
      const step = applyProbe(entry.state, outcome, this.policy, this.clock());
      entry.state = step.state;
      this.publish(this.rows());
      this.emit(entry.server, step);
      await this.persist();
    }
  }

  private publish(rows: RemoteHealthRow[]): void {
    try {
      this.deps.liveState.setRemoteHealth(this.opts.label, rows);
    } catch (error) {
      this.log.warn(
        `Remote health rows could not be published: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private emit(server: RemoteServerConfig, step: HealthStep): void {
    const fields = { server: server.name };
    for (const note of step.logs) {
      this.log[note.level](note.message, {
        ...fields,
        ...(note.eventType ? { event_type: note.eventType } : {}),
      });
    }
    for (const event of step.events) {
      try {
        this.deps.recordEvent(event.type, event.detail, event.notify);
      } catch (error) {
        this.log.warn(
          `Recording ${event.type} failed: ${error instanceof Error ? error.message : String(error)}`,
          fields,
        );
      }
    }
    for (const request of step.notifications) {
      try {
        this.deps.notify?.(request);
      } catch (error) {
        this.log.warn(
          `Notification '${request.title}' failed: ${error instanceof Error ? error.message : String(error)}`,
          fields,
        );
      }
    }
  }

  private async persist(): Promise<void> {
    if (this.opts.sidecarPath === null) return;
    try {
      await writeSidecar(this.opts.sidecarPath, {
        group: this.opts.label,
        generated_at: this.clock().wallMs / 1000,
        servers: this.rows(),
      });
    } catch (error) {
      this.log.warn(
        `Remote health sidecar ${this.opts.sidecarPath} not written: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
