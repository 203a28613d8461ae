/**
 * Remote SSH health state machine (core spec §9), pure: time and probe outcomes are passed in.
 * Guarantees: DEGRADED below `failure_threshold` consecutive failures, FAILED at it; one failure
 * notification per failed period and a recovery notification only after FAILED;
 * `REMOTE_HEALTH_<NEW>` on every status change except the UNKNOWN → HEALTHY baseline; slow
 * responses reported at most once per 300 s per server, plus once per streak of three ≥ 10 s.
 */
import type { Clock, DomainEvent, LogNote, NotificationRequest, RemoteHealthRow } from './types.js';

export const SLOW_RESPONSE_MS = 2_000;
export const SLOW_RESPONSE_COOLDOWN_MS = 300_000;
export const VERY_SLOW_RESPONSE_MS = 10_000;
export const VERY_SLOW_STREAK = 3;

export interface RemoteHealthPolicy {
  failureThreshold: number;
  notifyOnFailure: boolean;
  notifyOnRecovery: boolean;
}

export interface RemoteHealthIdentity {
  group: string;
  server: string;
  host: string;
  user: string;
  isHostLoopback: boolean;
}

export interface ServerHealthState {
  row: RemoteHealthRow;
  /** The failure notification of the current failed period was sent (or deliberately skipped). */
  failureNotified: boolean;
  /** Monotonic ms of the last REMOTE_SSH_SLOW_RESPONSE, null if none yet. */
  lastSlowEventMonoMs: number | null;
  /** Consecutive successful probes at or above VERY_SLOW_RESPONSE_MS. */
  verySlowStreak: number;
}

export type ProbeOutcome = { ok: true; latencyMs: number } | { ok: false; error: string };

export interface HealthStep {
  state: ServerHealthState;
  events: DomainEvent[];
  logs: LogNote[];
  notifications: NotificationRequest[];
}

/** A server not probed yet (`UNKNOWN`), or never probed because health checks are off (`DISABLED`). */
export function initialServerHealth(
  identity: RemoteHealthIdentity,
  probed: boolean,
): ServerHealthState {
  return {
    row: {
      group: identity.group,
      server: identity.server,
      host: identity.host,
      user: identity.user,
      status: probed ? 'UNKNOWN' : 'DISABLED',
      last_checked_at: null,
      last_success_at: null,
      last_error: null,
      latency_ms: null,
      consecutive_failures: 0,
      is_host_loopback: identity.isHostLoopback,
    },
    failureNotified: false,
    lastSlowEventMonoMs: null,
    verySlowStreak: 0,
  };
}

/** The row shown while a probe runs; the status before it stays in `state` for the transition. */
export function checkingRow(state: ServerHealthState): RemoteHealthRow {
  return { ...state.row, status: 'CHECKING' };
}

function subject(row: RemoteHealthRow): string {
  return `${row.group}/${row.server} (${row.host})`;
}

function failureStep(
  state: ServerHealthState,
  error: string,
  policy: RemoteHealthPolicy,
  clock: Clock,
): HealthStep {
  const previous = state.row.status;
  const failures = state.row.consecutive_failures + 1;
  const status = failures >= policy.failureThreshold ? 'FAILED' : 'DEGRADED';
  const row: RemoteHealthRow = {
    ...state.row,
    status,
    last_checked_at: clock.wallMs / 1000,
    last_error: error,
    latency_ms: null,
    consecutive_failures: failures,
  };
  const next: ServerHealthState = { ...state, row, verySlowStreak: 0 };
  const step: HealthStep = { state: next, events: [], logs: [], notifications: [] };
  const who = subject(row);
  if (status === 'FAILED' && !state.failureNotified) {
    next.failureNotified = true;
    const notify = policy.notifyOnFailure;
    step.logs.push({
      level: 'error',
      message: `Remote health failed: ${who} after ${failures} consecutive failures: ${error}`,
      category: 'health',
      eventType: 'REMOTE_HEALTH_FAILED',
    });
    if (notify) {
      step.notifications.push(
        row.is_host_loopback
          ? {
              title: 'Host Loopback FAILED',
              body: `Host loopback ${who} is unreachable (${error}): if power fails we cannot shut the system down.`,
              category: 'health',
            }
          : {
              title: 'Remote SSH Health Failed',
              body: `${who} failed ${failures} consecutive health checks: ${error}`,
              category: 'health',
            },
      );
    }
    if (previous !== 'FAILED')
      step.events.push({
        type: 'REMOTE_HEALTH_FAILED',
        detail: `${who} ${previous} -> FAILED: ${error}`,
        notify,
        wallMs: clock.wallMs,
      });
  } else if (status === 'FAILED') {
    step.logs.push({
      level: 'warn',
      message: `Remote health still failing: ${who} (${failures} consecutive failures): ${error}`,
      category: 'health',
    });
  } else {
    step.logs.push({
      level: 'warn',
      message: `Remote health degraded: ${who} (${failures}/${policy.failureThreshold}): ${error}`,
      category: 'health',
      eventType: 'REMOTE_HEALTH_DEGRADED',
    });
    if (previous !== 'DEGRADED')
      step.events.push({
        type: 'REMOTE_HEALTH_DEGRADED',
        detail: `${who} ${previous} -> DEGRADED: ${error}`,
        notify: false,
        wallMs: clock.wallMs,
      });
  }
  return step;
}

function slowEvents(
  state: ServerHealthState,
  latencyMs: number,
  clock: Clock,
  step: HealthStep,
): void {
  const who = subject(step.state.row);
  const streak = latencyMs >= VERY_SLOW_RESPONSE_MS ? state.verySlowStreak + 1 : 0;
  step.state.verySlowStreak = streak;
  if (streak === VERY_SLOW_STREAK) {
    const detail = `${who} slow SSH response: ${latencyMs} ms (${VERY_SLOW_STREAK} consecutive probes >= ${VERY_SLOW_RESPONSE_MS} ms)`;
    reportSlowResponse(step, clock, detail, true);
    return;
  }
  if (latencyMs < SLOW_RESPONSE_MS) return;
  const last = state.lastSlowEventMonoMs;
  if (last !== null && clock.monoMs - last < SLOW_RESPONSE_COOLDOWN_MS) return;
  reportSlowResponse(step, clock, `${who} slow SSH response: ${latencyMs} ms`, false);
}

/** One slow-response event and warning; only the sustained case (`notify`) also notifies. */
function reportSlowResponse(step: HealthStep, clock: Clock, detail: string, notify: boolean): void {
  step.events.push({ type: 'REMOTE_SSH_SLOW_RESPONSE', detail, notify, wallMs: clock.wallMs });
  if (notify)
    step.notifications.push({ title: 'Remote SSH Slow', body: detail, category: 'health' });
  step.logs.push({
    level: 'warn',
    message: detail,
    category: 'health',
    eventType: 'REMOTE_SSH_SLOW_RESPONSE',
  });
  step.state.lastSlowEventMonoMs = clock.monoMs;
}

function successStep(
  state: ServerHealthState,
  latencyMs: number,
  policy: RemoteHealthPolicy,
  clock: Clock,
): HealthStep {
  const previous = state.row.status;
  const row: RemoteHealthRow = {
    ...state.row,
    status: 'HEALTHY',
    last_checked_at: clock.wallMs / 1000,
    last_success_at: clock.wallMs / 1000,
    last_error: null,
    latency_ms: Math.round(latencyMs),
    consecutive_failures: 0,
  };
  const step: HealthStep = {
    state: { ...state, row, failureNotified: false },
    events: [],
    logs: [],
    notifications: [],
  };
  const who = subject(row);
  if (previous === 'DEGRADED' || previous === 'FAILED') {
    const notify = previous === 'FAILED' && policy.notifyOnRecovery;
    step.events.push({
      type: 'REMOTE_HEALTH_HEALTHY',
      detail: `${who} ${previous} -> HEALTHY`,
      notify,
      wallMs: clock.wallMs,
    });
    step.logs.push({
      level: 'info',
      message: `Remote health recovered: ${who} (was ${previous})`,
      category: 'health',
      eventType: 'REMOTE_HEALTH_HEALTHY',
    });
    if (notify)
      step.notifications.push({
        title: 'Remote SSH Health Recovered',
        body: `${who} is reachable again (latency ${row.latency_ms} ms).`,
        category: 'health',
      });
  } else if (previous !== 'UNKNOWN' && previous !== 'HEALTHY') {
    step.events.push({
      type: 'REMOTE_HEALTH_HEALTHY',
      detail: `${who} ${previous} -> HEALTHY`,
      notify: false,
      wallMs: clock.wallMs,
    });
  }
  slowEvents(state, row.latency_ms ?? 0, clock, step);
  return step;
}

/** Folds one probe outcome into a server's health. */
export function applyProbe(
  state: ServerHealthState,
  outcome: ProbeOutcome,
  policy: RemoteHealthPolicy,
  clock: Clock,
): HealthStep {
  return outcome.ok
    ? successStep(state, outcome.latencyMs, policy, clock)
    : failureStep(state, outcome.error, policy, clock);
}
