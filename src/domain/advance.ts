/**
 * The pure decision core of one UPS: `advance(state, poll, policy)` returns the next state and
 * everything the monitor must do (events, log notes, notifications, commands). No I/O, no
 * clocks: time comes in with the poll. Order per poll follows the original daemon: connection
 * bookkeeping, slow-NUT diagnostics, status dispatch (FSD → OB → OL/CHRG → neutral), battery
 * anomaly, nominal auto-detect, power-quality state machines.
 */
import { initialAnomaly, checkBatteryAnomaly } from './anomaly.js';
import { handleFailedPoll, handleGoodPollConnection } from './connection.js';
import { formatDuration, hasToken } from './format.js';
import { emptyOutputs, note } from './outputs.js';
import { handleFsd, handleNeutral, handleOnBattery, handleOnLine } from './outage.js';
import type { MonitorPolicy } from './policy.js';
import { checkAvrBypassOverload, checkVoltage } from './power-quality.js';
import { initialSlowNut, checkSlowNut } from './slow-nut.js';
import type { PersistedOutage } from './snapshot.js';
import { cloneState, emptyOutage, shareUnchanged, type UpsState } from './state.js';
import type {
  Clock,
  DomainEvent,
  LogNote,
  MonitorCommand,
  NotificationRequest,
  PollInput,
} from './types.js';
import { autodetectNominal, initialVoltageModel, withNominalReading } from './voltage.js';

export type { MonitorPolicy, TriggerPolicy, VoltageSensitivity } from './policy.js';
export { defaultMonitorPolicy, defaultTriggerPolicy, RETRY_WAIT_MS } from './policy.js';
export type { UpsState } from './state.js';
export type { PersistedOutage } from './snapshot.js';
export { toSnapshot, persistedOutage, nextPollDelayMs } from './snapshot.js';
export { describeVoltageModel } from './voltage.js';

/** A persisted outage older than this is ignored at start (power surely came back meanwhile). */
export const MAX_RESUME_AGE_MS = 24 * 3600 * 1000;

export interface AdvanceResult {
  state: UpsState;
  events: DomainEvent[];
  notes: LogNote[];
  /** Every notification to send (event ones included); never derive more from `events`. */
  notifications: NotificationRequest[];
  commands: MonitorCommand[];
}

export function initialState(
  policy: MonitorPolicy,
  clock: Clock,
  persisted?: PersistedOutage | null,
): UpsState {
  const usable =
    persisted !== null &&
    persisted !== undefined &&
    Number.isFinite(persisted.onBatterySinceWallMs) &&
    persisted.onBatterySinceWallMs <= clock.wallMs &&
    clock.wallMs - persisted.onBatterySinceWallMs <= MAX_RESUME_AGE_MS;
  return {
    status: '',
    previousStatus: '',
    vars: {},
    lastUpdateWallMs: 0,
    polledOnce: false,
    lastPollOk: true,
    connection: {
      state: 'OK',
      staleDataCount: 0,
      connectionErrorCount: 0,
      lostMonoMs: null,
      lostWallMs: null,
      flapCount: 0,
      firstFlapMonoMs: null,
      failsafeFired: false,
    },
    outage: emptyOutage(),
    resume: usable
      ? {
          onBatterySinceWallMs: persisted.onBatterySinceWallMs,
          history: persisted.depletionHistory
            .filter(
              (p) =>
                Number.isFinite(p.wallMs) &&
                Number.isFinite(p.chargePct) &&
                p.wallMs <= clock.wallMs,
            )
            .map((p) => ({ wallMs: p.wallMs, chargePct: p.chargePct })),
          onBatteryEventRecorded: persisted.onBatteryEventRecorded,
        }
      : null,
    shutdownAdmitted: usable ? persisted.shutdownAdmitted : false,
    lastRetriggerNoteMonoMs: null,
    triggerActive: false,
    triggerReason: '',
    lastNeutralNoteMonoMs: null,
    voltage: initialVoltageModel(policy),
    avrState: 'INACTIVE',
    bypassState: 'INACTIVE',
    overloadState: 'INACTIVE',
    slowNut: initialSlowNut(),
    anomaly: initialAnomaly(),
  };
}

/** Applies the startup read of `input.voltage.nominal` / `input.transfer.*` (§3.4). */
export function applyNominal(
  state: UpsState,
  _policy: MonitorPolicy,
  reading: { nominal: string | null; transferLow: string | null; transferHigh: string | null },
): UpsState {
  const next = cloneState(state);
  next.voltage = withNominalReading(next.voltage, reading);
  return next;
}

export function advance(state: UpsState, input: PollInput, policy: MonitorPolicy): AdvanceResult {
  const s = cloneState(state);
  const out = emptyOutputs();
  checkSlowNut(s.slowNut, input, policy, out);

  if (input.outcome.kind !== 'ok') {
    s.lastPollOk = false;
    handleFailedPoll(s, input, policy, out);
    return { state: shareUnchanged(state, s), ...out };
  }

  const vars = input.outcome.vars;
  const status = (vars['ups.status'] ?? '').trim();
  s.lastPollOk = true;
  handleGoodPollConnection(s, input, policy, out);

  if (s.status !== '' && status !== s.status) {
    note(
      out,
      'info',
      `Status changed: ${s.status} -> ${status} (Battery: ${vars['battery.charge'] ?? ''}%, ` +
        `Runtime: ${formatDuration(vars['battery.runtime'])}, Load: ${vars['ups.load'] ?? ''}%)`,
    );
  }
  s.previousStatus = s.status;
  s.status = status;
  s.vars = vars;
  s.lastUpdateWallMs = input.wallMs;
  s.polledOnce = true;

  // The FSB latch re-arms only once a good poll shows the UPS off battery.
  if (!hasToken(status, 'OB') && !hasToken(status, 'FSD')) s.connection.failsafeFired = false;

  if (hasToken(status, 'FSD')) handleFsd(s, input, policy, out);
  else if (hasToken(status, 'OB')) handleOnBattery(s, input, policy, out);
  else if (hasToken(status, 'OL') || hasToken(status, 'CHRG')) handleOnLine(s, input, policy, out);
  else handleNeutral(s, input, out);

  checkBatteryAnomaly(s.anomaly, status, vars['battery.charge'], input.monoMs, policy, out);
  autodetectNominal(s, input.wallMs, policy, out);
  checkVoltage(s, input, policy, out);
  checkAvrBypassOverload(s, input.wallMs, policy, out);
  return { state: shareUnchanged(state, s), ...out };
}
