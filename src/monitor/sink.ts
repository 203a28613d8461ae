/**
 * What a monitor hands out after each poll. The app composes the real sink (SQLite, logs,
 * metrics, MQTT, shutdown); every method must return quickly and must not throw into the loop
 * (the monitor still guards each call).
 */
import type {
  Clock,
  DomainEvent,
  MonitorCommand,
  NotificationRequest,
  PollOutcome,
  UpsSnapshot,
} from '../domain/types.js';

export interface PollReport {
  outcome: PollOutcome;
  snapshot: UpsSnapshot;
  durationMs: number;
  clock: Clock;
}

export interface MonitorSink {
  onPoll(report: PollReport): void;
  onEvent(event: DomainEvent): void;
  onNotification(notification: NotificationRequest): void;
  onCommand(command: MonitorCommand): void;
}
