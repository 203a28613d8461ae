/**
 * The per-UPS settings the pure core decides with. The composition root builds one
 * `MonitorPolicy` per monitor from the validated config; the core never reads config itself,
 * so every decision is reproducible from (state, poll, policy).
 */

export type VoltageSensitivity = 'tight' | 'normal' | 'loose';

export interface TriggerPolicy {
  lowBatteryPct: number;
  criticalRuntimeSec: number;
  stabilizationSec: number;
  depletion: { windowSec: number; criticalRatePctPerMin: number; gracePeriodSec: number };
  extendedTime: { enabled: boolean; thresholdSec: number };
  voltageSensitivity: VoltageSensitivity;
}

export interface MonitorPolicy {
  /** Configured NUT name (`ups[@host[:port]]`), used in detail texts. */
  upsName: string;
  checkIntervalSec: number;
  /** `max_stale_data_tolerance`. */
  staleTolerance: number;
  grace: { enabled: boolean; durationSec: number; flapThreshold: number };
  triggers: TriggerPolicy;
  /** Member of a redundancy group: set `triggerActive`, never command a shutdown. */
  advisory: boolean;
  /** `notifications.voltage_hysteresis_seconds`. */
  voltageHysteresisSec: number;
  /** `notifications.suppress`, already upper-cased. */
  suppressedEvents: ReadonlySet<string>;
  /** Notifications are not dispatched while a shutdown runs. */
  shutdownInProgress?: boolean;
}

/** Deviation fraction of each `voltage_sensitivity` preset. */
export const SENSITIVITY_PCT: Readonly<Record<VoltageSensitivity, number>> = {
  tight: 0.05,
  normal: 0.1,
  loose: 0.15,
};

/** Wait after a failed poll (`RETRY_WAIT_SECONDS`). */
export const RETRY_WAIT_MS = 5000;

/** A policy with the documented defaults, for callers that only override a few keys. */
export function defaultMonitorPolicy(overrides: Partial<MonitorPolicy> = {}): MonitorPolicy {
  return {
    upsName: 'UPS@localhost',
    checkIntervalSec: 1,
    staleTolerance: 3,
    grace: { enabled: true, durationSec: 60, flapThreshold: 5 },
    triggers: defaultTriggerPolicy(),
    advisory: false,
    voltageHysteresisSec: 30,
    suppressedEvents: new Set<string>(),
    shutdownInProgress: false,
    ...overrides,
  };
}

export function defaultTriggerPolicy(overrides: Partial<TriggerPolicy> = {}): TriggerPolicy {
  return {
    lowBatteryPct: 20,
    criticalRuntimeSec: 600,
    stabilizationSec: 30,
    depletion: { windowSec: 300, criticalRatePctPerMin: 15, gracePeriodSec: 90 },
    extendedTime: { enabled: true, thresholdSec: 900 },
    voltageSensitivity: 'normal',
    ...overrides,
  };
}
