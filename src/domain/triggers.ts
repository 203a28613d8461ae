/**
 * The on-battery shutdown triggers T1–T4 (§4) in their contractual order, with the
 * stabilization window and the depletion grace period. Pure: returns the first admitted reason
 * and writes the INFO notes the original logs for ignored conditions.
 */
import { formatDuration, parseNumeric, pyFloat } from './format.js';
import { note, type Outputs } from './outputs.js';
import type { TriggerPolicy } from './policy.js';
import type { NutVars } from './types.js';

export const FSD_REASON = 'UPS signaled FSD (Forced Shutdown) flag.';

export interface TriggerInput {
  vars: NutVars;
  timeOnBatterySec: number;
  depletionRatePctPerMin: number;
  /** The "extended time disabled" INFO was already written in this outage. */
  extendedTimeNoted: boolean;
}

export interface TriggerDecision {
  reason: string | null;
  stabilizing: boolean;
  extendedTimeNoted: boolean;
  /** charge and runtime both numeric (a "clean" poll may clear the advisory latch). */
  readingsValid: boolean;
}

export function evaluateTriggers(
  input: TriggerInput,
  triggers: TriggerPolicy,
  out: Outputs,
): TriggerDecision {
  const t = input.timeOnBatterySec;
  const stab = Math.max(0, Math.trunc(triggers.stabilizationSec));
  const stabilizing = t < stab;
  const window = `(${t}s/${stab}s)`;
  let reason: string | null = null;
  let extendedTimeNoted = input.extendedTimeNoted;

  const rawCharge = input.vars['battery.charge'];
  const charge = parseNumeric(rawCharge);
  const chargeValid = charge !== null && charge >= 0;
  if (chargeValid) {
    const chargeInt = Math.trunc(charge);
    if (chargeInt < triggers.lowBatteryPct) {
      if (stabilizing) {
        note(
          out,
          'info',
          `INFO: Low battery reading (${chargeInt}% < ${triggers.lowBatteryPct}%) ignored during on-battery stabilization ${window}.`,
        );
      } else {
        reason = `Battery charge ${chargeInt}% below threshold ${triggers.lowBatteryPct}%`;
      }
    }
  } else {
    note(out, 'warn', `WARNING: Received non-numeric battery charge value: '${rawCharge ?? ''}'`);
  }

  const rawRuntime = input.vars['battery.runtime'];
  const runtime = parseNumeric(rawRuntime);
  const runtimeValid = runtime !== null && runtime >= 0;
  if (!runtimeValid) {
    note(out, 'warn', `WARNING: Received non-numeric battery runtime value: '${rawRuntime ?? ''}'`);
  } else if (reason === null) {
    const runtimeInt = Math.trunc(runtime);
    if (runtimeInt < triggers.criticalRuntimeSec) {
      const text = `${formatDuration(runtimeInt)} below threshold ${formatDuration(triggers.criticalRuntimeSec)}`;
      if (stabilizing) {
        note(
          out,
          'info',
          `INFO: Critical runtime reading (${formatDuration(runtimeInt)} < ${formatDuration(triggers.criticalRuntimeSec)}) ` +
            `ignored during on-battery stabilization ${window}.`,
        );
      } else {
        reason = `Runtime ${text}`;
      }
    }
  }

  const rate = input.depletionRatePctPerMin;
  const critical = triggers.depletion.criticalRatePctPerMin;
  if (reason === null && rate > 0 && rate > critical) {
    const grace = triggers.depletion.gracePeriodSec;
    if (stabilizing) {
      note(
        out,
        'info',
        `INFO: High depletion rate (${pyFloat(rate)}%/min) ignored during on-battery stabilization ${window}.`,
      );
    } else if (t < grace) {
      note(
        out,
        'info',
        `INFO: High depletion rate (${pyFloat(rate)}%/min) ignored during grace period (${t}s/${grace}s).`,
      );
    } else {
      reason = `Depletion rate ${pyFloat(rate)}%/min above threshold ${pyFloat(critical)}%/min (after grace period)`;
    }
  }

  const threshold = triggers.extendedTime.thresholdSec;
  if (reason === null && t > threshold) {
    if (stabilizing) {
      note(
        out,
        'info',
        `INFO: Extended-time trigger ignored during on-battery stabilization ${window}.`,
      );
    } else if (triggers.extendedTime.enabled) {
      reason = `Time on battery ${formatDuration(t)} exceeded threshold ${formatDuration(threshold)}`;
    } else if (!extendedTimeNoted) {
      note(
        out,
        'info',
        `INFO: System on battery for ${formatDuration(t)} exceeded threshold (${formatDuration(threshold)}) - ` +
          'extended time shutdown disabled',
      );
      extendedTimeNoted = true;
    }
  }

  return { reason, stabilizing, extendedTimeNoted, readingsValid: chargeValid && runtimeValid };
}
