/**
 * Shared vocabulary of the pure core. Everything the monitor decides is expressed in these
 * types; adapters (HTTP, metrics, MQTT, SQLite) read `UpsState` snapshots and never recompute.
 * All times are passed in: `monoMs` (monotonic, for durations) and `wallMs` (epoch, for export).
 */

export type ConnectionState = 'OK' | 'GRACE_PERIOD' | 'FAILED';
export type VoltageState = 'NORMAL' | 'LOW' | 'HIGH';
export type AvrState = 'INACTIVE' | 'BOOST' | 'TRIM';
export type BinaryState = 'INACTIVE' | 'ACTIVE';

/** NUT variables of one poll, verbatim (`'battery.charge'` → `'97'`). */
export type NutVars = Readonly<Record<string, string>>;

/** Result of one full NUT read, already classified as the spec's stale / hard-error classes. */
export type PollOutcome =
  | { kind: 'ok'; vars: NutVars }
  | { kind: 'stale'; message: string }
  | { kind: 'error'; message: string };

export interface Clock {
  monoMs: number;
  wallMs: number;
}

/** One poll handed to `advance()`. */
export interface PollInput extends Clock {
  outcome: PollOutcome;
  /** How long the NUT read took (slow-NUT diagnostics). */
  durationMs: number;
}

export type EventTier = 'power' | 'diagnostics' | 'lifecycle';

/** A recorded transition (a row of the `events` table). */
export interface DomainEvent {
  type: string;
  detail: string;
  /** `notification_sent` column: whether a notification is dispatched for this event. */
  notify: boolean;
  /** Wall-clock epoch ms of the poll that produced it. */
  wallMs: number;
}

/** A log line the pure core wants written (it cannot log itself). */
export interface LogNote {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  category?: string;
  eventType?: string;
}

/**
 * A notification to dispatch. `advance()` returns EVERY notification it wants sent: those for
 * event rows whose `notify` is true (with `eventType` set) and those without a row (flap
 * "NUT Server Unstable", FAILSAFE, voltage after the hysteresis dwell, ...). The monitor sends
 * exactly this list and never derives notifications from events itself.
 */
export interface NotificationRequest {
  title: string;
  body: string;
  category:
    | 'power_event'
    | 'power_event_on_battery'
    | 'power_event_on_line'
    | 'voltage'
    | 'shutdown'
    | 'shutdown_summary'
    | 'health'
    | 'lifecycle'
    | 'general';
  /** The event type this notification reports, when it belongs to an events row. */
  eventType?: string;
}

/** Side effects requested by `advance()`, executed by the monitor outside the pure core. */
export type MonitorCommand =
  { kind: 'shutdown'; reason: string; failsafe: boolean } | { kind: 'rearm' };

/**
 * The public per-UPS values after each poll: what the API, metrics and MQTT show. Produced by
 * the domain from its internal state; consumers never derive figures themselves.
 */
export interface UpsSnapshot {
  /** Raw `ups.status` of the last good poll, `''` before the first one. */
  status: string;
  /** Variables of the last good poll, verbatim. */
  vars: NutVars;
  depletionRatePctPerMin: number;
  timeOnBatterySec: number;
  /** Epoch ms of the last good poll, 0 when never polled. */
  lastUpdateWallMs: number;
  connectionState: ConnectionState;
  triggerActive: boolean;
  triggerReason: string;
  staleDataCount: number;
  /** null until the first good poll. */
  nominalVoltage: number | null;
  warningLow: number | null;
  warningHigh: number | null;
  voltageState: VoltageState;
  avrState: AvrState;
  bypassState: BinaryState;
  overloadState: BinaryState;
  /** Raw status of the good poll before the last one (`''` when none). */
  previousStatus?: string;
  /** Epoch ms the connection was lost while in GRACE_PERIOD, else null (redundancy rule 1). */
  connectionLostWallMs?: number | null;
  /** Epoch ms the current outage started, null when not on battery. */
  onBatterySinceWallMs?: number | null;
  /** Confirmed battery anomalies since start (feeds battery health). */
  confirmedAnomalyCount?: number;
}

export type RemoteHealthStatus =
  'DISABLED' | 'UNKNOWN' | 'CHECKING' | 'HEALTHY' | 'DEGRADED' | 'FAILED';

/** One remote server's health row, snake_case exactly as the API and sidecar file show it. */
export interface RemoteHealthRow {
  group: string;
  server: string;
  host: string;
  user: string;
  status: RemoteHealthStatus;
  last_checked_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
  latency_ms: number | null;
  consecutive_failures: number;
  is_host_loopback: boolean;
}

export type MemberHealth = 'healthy' | 'degraded' | 'critical' | 'unknown';

/** A redundancy group's row in `/api/v1/ups` (`redundancyGroups`). */
export interface RedundancyGroupSnapshot {
  groupId: string;
  name: string;
  upsSources: string[];
  minHealthy: number;
  healthyCount: number;
  quorumLost: boolean;
  quorumDeferred: boolean;
  members: { name: string; health: MemberHealth; effectiveHealth: MemberHealth }[];
  isLocal: boolean;
}
