/**
 * What leaves the pure core between polls: the public snapshot (API, metrics, MQTT, redundancy
 * evaluator), the outage record persisted across restarts, and the next poll delay.
 */
import { RETRY_WAIT_MS, type MonitorPolicy } from './policy.js';
import type { UpsState } from './state.js';
import type { Clock, PollOutcome, UpsSnapshot } from './types.js';

/** The outage record kept across restarts (see docs/monitoring.md). */
export interface PersistedOutage {
  onBatterySinceWallMs: number;
  depletionHistory: { wallMs: number; chargePct: number }[];
  onBatteryEventRecorded: boolean;
  shutdownAdmitted: boolean;
}

export function toSnapshot(state: UpsState, clock: Clock): UpsSnapshot {
  const polled = state.polledOnce;
  const anchor = state.outage.anchorMonoMs;
  // Live while on battery: measured against the caller's clock, not frozen at the last poll.
  const timeOnBatterySec =
    anchor === null ? 0 : Math.max(0, Math.trunc((clock.monoMs - anchor) / 1000));
  return {
    status: state.status,
    vars: state.vars,
    depletionRatePctPerMin: state.outage.depletionRatePctPerMin,
    timeOnBatterySec,
    lastUpdateWallMs: state.lastUpdateWallMs,
    connectionState: state.connection.state,
    triggerActive: state.triggerActive,
    triggerReason: state.triggerReason,
    staleDataCount: state.connection.staleDataCount,
    nominalVoltage: polled ? state.voltage.nominal : null,
    warningLow: polled ? state.voltage.warningLow : null,
    warningHigh: polled ? state.voltage.warningHigh : null,
    voltageState: state.voltage.state,
    avrState: state.avrState,
    bypassState: state.bypassState,
    overloadState: state.overloadState,
    previousStatus: state.previousStatus,
    connectionLostWallMs:
      state.connection.state === 'GRACE_PERIOD' ? state.connection.lostWallMs : null,
    onBatterySinceWallMs: state.outage.anchorWallMs,
    confirmedAnomalyCount: state.anomaly.confirmedCount,
  };
}

/** The outage to persist, or null when not on battery (nothing to carry over). */
export function persistedOutage(state: UpsState): PersistedOutage | null {
  if (state.resume) {
    return {
      onBatterySinceWallMs: state.resume.onBatterySinceWallMs,
      depletionHistory: state.resume.history.map((p) => ({ ...p })),
      onBatteryEventRecorded: state.resume.onBatteryEventRecorded,
      shutdownAdmitted: state.shutdownAdmitted,
    };
  }
  const since = state.outage.anchorWallMs;
  if (since === null) return null;
  return {
    onBatterySinceWallMs: since,
    depletionHistory: state.outage.history.map((p) => ({
      wallMs: p.wallMs,
      chargePct: p.chargePct,
    })),
    onBatteryEventRecorded: state.outage.onBatteryEventRecorded,
    shutdownAdmitted: state.shutdownAdmitted,
  };
}

/** `check_interval` after a successful poll, `RETRY_WAIT` (5 s) after a failed one. */
export function nextPollDelayMs(
  result: { state: UpsState } | PollOutcome,
  policy: Pick<MonitorPolicy, 'checkIntervalSec'>,
): number {
  const succeeded = 'kind' in result ? result.kind === 'ok' : result.state.lastPollOk;
  return succeeded ? Math.max(1, policy.checkIntervalSec) * 1000 : RETRY_WAIT_MS;
}
