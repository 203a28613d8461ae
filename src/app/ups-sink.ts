/**
 * The fan-out behind one monitor: every poll becomes a buffered SQLite sample and a metrics
 * observation, every event an events row, every command goes to the shutdown coordinator. Each output is isolated: one failing never stops the others or the loop.
 */
import type {
  DomainEvent,
  MonitorCommand,
  NotificationRequest,
  UpsSnapshot,
} from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import type { MonitorSink, PollReport } from '../monitor/sink.js';
import { sampleFromVars, type StatsStore } from '../store/index.js';

export interface UpsSinkDeps {
  stats: StatsStore;
  logger: Logger;
  observePollDuration: (seconds: number) => void;
  onCommand: (command: MonitorCommand, snapshot: UpsSnapshot) => void;
  notify: (notification: NotificationRequest) => void;
  /** Extra listeners for events (MQTT triggers, tests); each call guarded by the monitor. */
  onEvent?: (event: DomainEvent) => void;
}

export function createUpsSink(deps: UpsSinkDeps): MonitorSink {
  return {
    onPoll(report: PollReport): void {
      deps.observePollDuration(report.durationMs / 1000);
      if (report.outcome.kind !== 'ok') return;
      deps.stats.addSample(
        sampleFromVars(
          report.outcome.vars,
          {
            depletionRate: report.snapshot.depletionRatePctPerMin,
            timeOnBatterySec: report.snapshot.timeOnBatterySec,
            connectionState: report.snapshot.connectionState,
          },
          report.clock.wallMs,
        ),
      );
    },
    onEvent(event: DomainEvent): void {
      // The "⚡ POWER EVENT" log line comes from the core's notes; here the row is stored.
      deps.stats.recordEvent({
        ts: Math.floor(event.wallMs / 1000),
        eventType: event.type,
        detail: event.detail,
        notificationSent: event.notify,
      });
      deps.onEvent?.(event);
    },
    onNotification(notification: NotificationRequest): void {
      deps.notify(notification);
    },
    onCommand(command: MonitorCommand, snapshot: UpsSnapshot): void {
      deps.onCommand(command, snapshot);
    },
  };
}
