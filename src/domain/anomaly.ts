/**
 * Battery anomaly tracker (§3.6): a charge drop of more than 20 points within 120 s while not
 * on battery, confirmed over three polls, becomes a health notification (no events row).
 * The confirmed count feeds battery health.
 */
import { hasToken, parseNumeric, pyFloat } from './format.js';
import { note, type Outputs } from './outputs.js';
import type { MonitorPolicy } from './policy.js';
import type { AnomalyModel } from './state.js';

const DROP_POINTS = 20;
const DROP_WINDOW_MS = 120_000;
const RECOVERY_POINTS = 10;
const CONFIRM_POLLS = 3;

export function initialAnomaly(): AnomalyModel {
  return {
    prevChargePct: null,
    prevMonoMs: null,
    pendingChargePct: null,
    pendingPrevChargePct: null,
    pendingCount: 0,
    confirmedCount: 0,
  };
}

function clearPending(model: AnomalyModel): void {
  model.pendingChargePct = null;
  model.pendingPrevChargePct = null;
  model.pendingCount = 0;
}

export function checkBatteryAnomaly(
  model: AnomalyModel,
  status: string,
  rawCharge: string | undefined,
  monoMs: number,
  policy: MonitorPolicy,
  out: Outputs,
): void {
  const charge = parseNumeric(rawCharge);
  if (charge === null) return;
  if (hasToken(status, 'OB')) {
    // On battery a falling charge is expected: only re-baseline.
    clearPending(model);
    model.prevChargePct = charge;
    model.prevMonoMs = monoMs;
    return;
  }
  if (model.pendingChargePct !== null && model.pendingPrevChargePct !== null) {
    if (charge > model.pendingChargePct + RECOVERY_POINTS) {
      clearPending(model);
    } else {
      model.pendingCount += 1;
      if (model.pendingCount >= CONFIRM_POLLS) {
        const previous = model.pendingPrevChargePct;
        if (previous - charge > DROP_POINTS) {
          model.confirmedCount += 1;
          note(
            out,
            'warn',
            `Battery anomaly detected on ${policy.upsName}: charge dropped from ${pyFloat(previous)}% to ${pyFloat(charge)}% ` +
              'while not on battery.',
          );
          out.notifications.push({
            title: 'Battery Anomaly Detected',
            body:
              `UPS: ${policy.upsName}\nBattery charge dropped from ${pyFloat(previous)}% to ${pyFloat(charge)}% ` +
              'while not on battery. The battery may be failing or miscalibrated.',
            category: 'health',
          });
        }
        clearPending(model);
      }
    }
  } else if (
    model.prevChargePct !== null &&
    model.prevMonoMs !== null &&
    model.prevChargePct - charge > DROP_POINTS &&
    monoMs - model.prevMonoMs < DROP_WINDOW_MS
  ) {
    model.pendingChargePct = charge;
    model.pendingPrevChargePct = model.prevChargePct;
    model.pendingCount = 1;
  }
  model.prevChargePct = charge;
  model.prevMonoMs = monoMs;
}
