/**
 * The fan-out behind one monitor: every poll becomes a buffered SQLite sample and a metrics
 * observation, every event an events row, every command goes to the shutdown path. The monitor
 * guards each call, so one failing output never stops the others or the loop.
 */
import type { DomainEvent, MonitorCommand, NotificationRequest } from '../domain/types.js';
import type { MonitorSink, PollReport } from '../monitor/sink.js';
import { sampleFromVars, type StatsStore } from '../store/index.js';

export interface UpsSinkDeps {
  stats: StatsStore;
  observePollDuration: (seconds: number) => void;
  onCommand: (command: MonitorCommand) => void;
  notify: (notification: NotificationRequest) => void;
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
    },
    onNotification: deps.notify,
    onCommand: deps.onCommand,
  };
}
