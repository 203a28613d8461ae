/**
 * `UpsState`: everything the per-UPS decisions need between two polls. It is plain data, never
 * mutated after `advance()` returns it (each poll works on a fresh copy), so the monitor can keep
 * the previous state for comparison and tests can replay sequences deterministically.
 */
import type { AvrState, BinaryState, ConnectionState, NutVars, VoltageState } from './types.js';

export interface DepletionPoint {
  monoMs: number;
  wallMs: number;
  chargePct: number;
}

export interface VoltagePending {
  direction: 'LOW' | 'HIGH';
  sinceMonoMs: number;
  voltage: number;
  threshold: number;
  severe: boolean;
  notified: boolean;
}

export interface VoltageModel {
  /** Nominal after snapping (230 until `applyNominal` / auto-detect say otherwise). */
  nominal: number;
  pct: number;
  warningLow: number;
  warningHigh: number;
  transferLow: number | null;
  transferHigh: number | null;
  autodetectSamples: number[];
  autodetectDone: boolean;
  state: VoltageState;
  pending: VoltagePending | null;
}

export interface ConnectionModel {
  state: ConnectionState;
  staleDataCount: number;
  connectionErrorCount: number;
  lostMonoMs: number | null;
  lostWallMs: number | null;
  flapCount: number;
  firstFlapMonoMs: number | null;
  /** FSB fired in this outage; cleared by a good poll without OB/FSD. */
  failsafeFired: boolean;
}

export interface OutageModel {
  /** Monotonic anchor of the current outage, null when not on battery. */
  anchorMonoMs: number | null;
  anchorWallMs: number | null;
  history: DepletionPoint[];
  depletionRatePctPerMin: number;
  timeOnBatterySec: number;
  onBatteryEventRecorded: boolean;
  extendedTimeNoted: boolean;
  lastStatusLineMonoMs: number | null;
}

export interface ResumeOutage {
  onBatterySinceWallMs: number;
  history: { wallMs: number; chargePct: number }[];
  onBatteryEventRecorded: boolean;
}

export interface SlowNutModel {
  lastEventMonoMs: number | null;
  verySlowStreak: number;
  notified: boolean;
}

export interface AnomalyModel {
  prevChargePct: number | null;
  prevMonoMs: number | null;
  pendingChargePct: number | null;
  pendingPrevChargePct: number | null;
  pendingCount: number;
  confirmedCount: number;
}

export interface UpsState {
  /** Raw `ups.status` of the last good poll; `''` before the first. */
  status: string;
  previousStatus: string;
  vars: NutVars;
  lastUpdateWallMs: number;
  polledOnce: boolean;
  /** Whether the most recent poll (good or failed) succeeded: drives the next delay. */
  lastPollOk: boolean;
  connection: ConnectionModel;
  outage: OutageModel;
  /** A persisted outage handed to `initialState`, consumed by the first good poll. */
  resume: ResumeOutage | null;
  shutdownAdmitted: boolean;
  lastRetriggerNoteMonoMs: number | null;
  triggerActive: boolean;
  triggerReason: string;
  lastNeutralNoteMonoMs: number | null;
  voltage: VoltageModel;
  avrState: AvrState;
  bypassState: BinaryState;
  overloadState: BinaryState;
  slowNut: SlowNutModel;
  anomaly: AnomalyModel;
}

/** A deep-enough copy: every nested object that `advance()` changes is copied. */
export function cloneState(state: UpsState): UpsState {
  return {
    ...state,
    connection: { ...state.connection },
    outage: { ...state.outage, history: [...state.outage.history] },
    voltage: {
      ...state.voltage,
      autodetectSamples: [...state.voltage.autodetectSamples],
      pending: state.voltage.pending ? { ...state.voltage.pending } : null,
    },
    slowNut: { ...state.slowNut },
    anomaly: { ...state.anomaly },
  };
}

/**
 * `next` (a fresh result of `advance()`, not yet handed out) with every nested model that came
 * out equal to `previous`'s replaced by the previous object. Safe because no state is mutated
 * once returned. Why: a state lives one check interval, long enough for V8 to promote it to old
 * space where it then dies; keeping the models that did not change (most of them, most polls)
 * lets their fresh copies die young instead.
 */
export function shareUnchanged(previous: UpsState, next: UpsState): UpsState {
  if (sameItems(previous.outage.history, next.outage.history))
    next.outage.history = previous.outage.history;
  if (sameItems(previous.voltage.autodetectSamples, next.voltage.autodetectSamples))
    next.voltage.autodetectSamples = previous.voltage.autodetectSamples;
  const pending = previous.voltage.pending;
  if (
    pending !== null &&
    next.voltage.pending !== null &&
    sameFields(pending, next.voltage.pending)
  )
    next.voltage.pending = pending;
  if (sameFields(previous.connection, next.connection)) next.connection = previous.connection;
  if (sameFields(previous.outage, next.outage)) next.outage = previous.outage;
  if (sameFields(previous.voltage, next.voltage)) next.voltage = previous.voltage;
  if (sameFields(previous.slowNut, next.slowNut)) next.slowNut = previous.slowNut;
  if (sameFields(previous.anomaly, next.anomaly)) next.anomaly = previous.anomaly;
  return next;
}

function sameFields<T extends object>(a: T, b: T): boolean {
  for (const key in a) if (a[key] !== b[key]) return false;
  for (const key in b) if (!(key in a)) return false;
  return true;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

export function emptyOutage(): OutageModel {
  return {
    anchorMonoMs: null,
    anchorWallMs: null,
    history: [],
    depletionRatePctPerMin: 0,
    timeOnBatterySec: 0,
    onBatteryEventRecorded: false,
    extendedTimeNoted: false,
    lastStatusLineMonoMs: null,
  };
}
