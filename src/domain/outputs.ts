/**
 * Collects what one `advance()` call wants done (events, log notes, notifications, commands)
 * and applies the notification gating rules of the events path in one place, so every event
 * row's `notify` flag and the notifications actually requested can never disagree.
 */
import { ALWAYS_SILENT_EVENT_TYPES } from './event-types.js';
import type { MonitorPolicy } from './policy.js';
import type { DomainEvent, LogNote, MonitorCommand, NotificationRequest } from './types.js';

export interface Outputs {
  events: DomainEvent[];
  notes: LogNote[];
  notifications: NotificationRequest[];
  commands: MonitorCommand[];
}

export function emptyOutputs(): Outputs {
  return { events: [], notes: [], notifications: [], commands: [] };
}

/** Notification text of a power event (the original's per-type handlers). */
function eventNotification(type: string, detail: string): NotificationRequest {
  const make = (
    title: string,
    body: string,
    category: NotificationRequest['category'] = 'power_event',
  ) => ({
    title,
    body,
    category,
    eventType: type,
  });
  switch (type) {
    case 'ON_BATTERY':
      return make(
        'POWER FAILURE DETECTED!',
        `System running on battery.\nDetails: ${detail}`,
        'power_event_on_battery',
      );
    case 'POWER_RESTORED':
      return make(
        'POWER RESTORED',
        `System back on line power/charging.\nDetails: ${detail}`,
        'power_event_on_line',
      );
    case 'BROWNOUT_DETECTED':
    case 'OVER_VOLTAGE_DETECTED':
      return make(`VOLTAGE ISSUE: ${type}`, `Details: ${detail}`, 'voltage');
    case 'AVR_BOOST_ACTIVE':
    case 'AVR_TRIM_ACTIVE':
      return make(`AVR ACTIVE: ${type}`, `Details: ${detail}`);
    case 'BYPASS_MODE_ACTIVE':
      return make('UPS IN BYPASS MODE!', `No protection active!\nDetails: ${detail}`);
    case 'BYPASS_MODE_INACTIVE':
      return make('Bypass Mode Inactive', `Protection restored.\nDetails: ${detail}`);
    case 'OVERLOAD_ACTIVE':
      return make('UPS OVERLOAD DETECTED!', `Details: ${detail}`);
    case 'OVERLOAD_RESOLVED':
      return make('Overload Resolved', `Details: ${detail}`);
    case 'CONNECTION_LOST':
      return make('ERROR: Connection Lost', detail);
    case 'CONNECTION_RESTORED':
      return make('Connection Restored', detail);
    default:
      return make(`Event: ${type}`, `Details: ${detail}`);
  }
}

export interface RecordOptions {
  /** The caller opts out of the notification (voltage hysteresis writes the row first). */
  suppressNotification?: boolean;
  /** A notification to send instead of the generic one for this type. */
  notification?: NotificationRequest;
}

/**
 * Records one power event: the `⚡ POWER EVENT` log note, the row (with its `notify` decision)
 * and, when not gated, the notification. Returns whether a notification was requested.
 */
export function recordEvent(
  out: Outputs,
  policy: MonitorPolicy,
  wallMs: number,
  type: string,
  detail: string,
  options: RecordOptions = {},
): boolean {
  const notify = !(
    options.suppressNotification === true ||
    policy.shutdownInProgress === true ||
    ALWAYS_SILENT_EVENT_TYPES.has(type) ||
    policy.suppressedEvents.has(type)
  );
  out.notes.push({
    level: 'warn',
    message: `⚡  POWER EVENT: ${type} - ${detail}`,
    category: 'power_event',
    eventType: type,
  });
  out.events.push({ type, detail, notify, wallMs });
  if (notify) out.notifications.push(options.notification ?? eventNotification(type, detail));
  return notify;
}

export function note(
  out: Outputs,
  level: LogNote['level'],
  message: string,
  extra: Partial<LogNote> = {},
): void {
  out.notes.push({ level, message, ...extra });
}
