/**
 * Power-quality state machines (§3.5): voltage NORMAL/LOW/HIGH with its notification
 * hysteresis, AVR, bypass and overload. Event rows are written on every real transition; the
 * voltage notification is deferred by the dwell unless the deviation is severe (> 15 %).
 */
import { fixed, hasToken, parseNumeric, pyFloat } from './format.js';
import { recordEvent, type Outputs } from './outputs.js';
import type { MonitorPolicy } from './policy.js';
import type { UpsState, VoltageModel } from './state.js';
import type { VoltageState } from './types.js';
import { isPlausibleVoltage } from './voltage.js';

const SEVERE_DEVIATION = 0.15;

function hysteresisSec(policy: MonitorPolicy): number {
  return Math.max(0, Math.trunc(policy.voltageHysteresisSec));
}

/** Detail text of BROWNOUT_DETECTED / OVER_VOLTAGE_DETECTED (and their notifications). */
export function formatVoltageDetail(
  model: VoltageModel,
  direction: 'LOW' | 'HIGH',
  voltage: number,
  threshold: number,
  severe: boolean,
  annotation = '',
): string {
  const nominal = model.nominal;
  const deviation = nominal > 0 ? Math.abs(voltage - nominal) / nominal : 0;
  const relative = direction === 'LOW' ? 'below' : 'above';
  const pctText = `${fixed(deviation * 100, 1)}%`;
  const head = severe
    ? `(severe, ${pctText} ${relative} nominal): input voltage ${pyFloat(voltage)}V.`
    : `input voltage ${pyFloat(voltage)}V is ${pctText} ${relative} ${Math.trunc(nominal)}V nominal ` +
      `(warning threshold ${pyFloat(threshold)}V).`;
  const switchPoint = direction === 'LOW' ? model.transferLow : model.transferHigh;
  let tail = '';
  if (switchPoint !== null) {
    tail = severe
      ? `Approaching UPS battery-switch threshold (${pyFloat(switchPoint)}V) -- battery may engage shortly.`
      : `UPS will not switch to battery until ${pyFloat(switchPoint)}V (firmware setting); this is a grid-quality ` +
        `issue (outside the configured ±${Math.trunc(model.pct * 100)}% nominal band), not an imminent power loss.`;
  }
  return [head, annotation, tail].filter((part) => part !== '').join(' ');
}

function eventFor(direction: 'LOW' | 'HIGH'): string {
  return direction === 'LOW' ? 'BROWNOUT_DETECTED' : 'OVER_VOLTAGE_DETECTED';
}

function maybeNotifyPending(
  s: UpsState,
  monoMs: number,
  policy: MonitorPolicy,
  out: Outputs,
): void {
  const pending = s.voltage.pending;
  if (!pending || pending.notified) return;
  const elapsedSec = (monoMs - pending.sinceMonoMs) / 1000;
  if (!pending.severe && elapsedSec < hysteresisSec(policy)) return;
  const annotation = pending.severe
    ? 'Notifying immediately (bypassed hysteresis).'
    : `Persisted ${Math.round(elapsedSec)}s.`;
  const event = eventFor(pending.direction);
  const detail = formatVoltageDetail(
    s.voltage,
    pending.direction,
    pending.voltage,
    pending.threshold,
    pending.severe,
    annotation,
  );
  out.notifications.push({
    title: `VOLTAGE ISSUE: ${event}`,
    body: `Details: ${detail}`,
    category: 'voltage',
    eventType: event,
  });
  pending.notified = true;
}

function recordFlapIfPending(
  s: UpsState,
  input: { monoMs: number; wallMs: number },
  policy: MonitorPolicy,
  out: Outputs,
): void {
  const pending = s.voltage.pending;
  if (pending && !pending.notified) {
    const durationSec = Math.round((input.monoMs - pending.sinceMonoMs) / 1000);
    recordEvent(
      out,
      policy,
      input.wallMs,
      'VOLTAGE_FLAP_SUPPRESSED',
      `state=${pending.direction} duration=${durationSec}s peak=${pyFloat(pending.voltage)}V ` +
        '(below hysteresis threshold; no notification sent)',
      { suppressNotification: true },
    );
  }
  s.voltage.pending = null;
}

/** Voltage state machine and hysteresis bookkeeping for one good poll. */
export function checkVoltage(
  s: UpsState,
  input: { monoMs: number; wallMs: number },
  policy: MonitorPolicy,
  out: Outputs,
): void {
  const model = s.voltage;
  if (!hasToken(s.status, 'OL')) {
    if (hasToken(s.status, 'OB') || hasToken(s.status, 'FSD')) {
      model.state = 'NORMAL';
      model.pending = null;
    }
    return;
  }
  const voltage = parseNumeric(s.vars['input.voltage']);
  if (voltage === null || !isPlausibleVoltage(voltage)) return;
  const nominal = model.nominal;
  const severe = (nominal > 0 ? Math.abs(voltage - nominal) / nominal : 0) > SEVERE_DEVIATION;
  let target: VoltageState = 'NORMAL';
  if (voltage < model.warningLow) target = 'LOW';
  else if (voltage > model.warningHigh) target = 'HIGH';

  if (target !== model.state) {
    if (target === 'NORMAL') {
      recordEvent(
        out,
        policy,
        input.wallMs,
        'VOLTAGE_NORMALIZED',
        `Voltage returned to normal: ${pyFloat(voltage)}V. Previous state: ${model.state}`,
        { suppressNotification: true },
      );
      recordFlapIfPending(s, input, policy, out);
      model.state = 'NORMAL';
    } else {
      const threshold = target === 'LOW' ? model.warningLow : model.warningHigh;
      recordEvent(
        out,
        policy,
        input.wallMs,
        eventFor(target),
        formatVoltageDetail(model, target, voltage, threshold, severe),
        {
          suppressNotification: true,
        },
      );
      model.state = target;
      model.pending = {
        direction: target,
        sinceMonoMs: input.monoMs,
        voltage,
        threshold,
        severe,
        notified: false,
      };
    }
  } else if (severe && model.pending && !model.pending.severe && !model.pending.notified) {
    model.pending.severe = true;
    model.pending.voltage = voltage;
    model.pending.threshold = target === 'LOW' ? model.warningLow : model.warningHigh;
  }
  maybeNotifyPending(s, input.monoMs, policy, out);
}

/** AVR, bypass and overload state machines (events on transitions only). */
export function checkAvrBypassOverload(
  s: UpsState,
  wallMs: number,
  policy: MonitorPolicy,
  out: Outputs,
): void {
  const rawVoltage = s.vars['input.voltage'];
  const voltageText = parseNumeric(rawVoltage) === null ? 'N/A' : `${rawVoltage ?? ''}V`;
  if (hasToken(s.status, 'BOOST')) {
    if (s.avrState !== 'BOOST') {
      recordEvent(
        out,
        policy,
        wallMs,
        'AVR_BOOST_ACTIVE',
        `Input voltage low (${voltageText}). UPS is boosting output.`,
      );
      s.avrState = 'BOOST';
    }
  } else if (hasToken(s.status, 'TRIM')) {
    if (s.avrState !== 'TRIM') {
      recordEvent(
        out,
        policy,
        wallMs,
        'AVR_TRIM_ACTIVE',
        `Input voltage high (${voltageText}). UPS is trimming output.`,
      );
      s.avrState = 'TRIM';
    }
  } else if (s.avrState !== 'INACTIVE') {
    recordEvent(
      out,
      policy,
      wallMs,
      'AVR_INACTIVE',
      `AVR is inactive. Input voltage: ${voltageText}.`,
    );
    s.avrState = 'INACTIVE';
  }

  if (hasToken(s.status, 'BYPASS')) {
    if (s.bypassState !== 'ACTIVE') {
      recordEvent(
        out,
        policy,
        wallMs,
        'BYPASS_MODE_ACTIVE',
        'UPS in bypass mode - no protection active!',
      );
      s.bypassState = 'ACTIVE';
    }
  } else if (s.bypassState !== 'INACTIVE') {
    recordEvent(out, policy, wallMs, 'BYPASS_MODE_INACTIVE', 'UPS left bypass mode.');
    s.bypassState = 'INACTIVE';
  }

  const load = s.vars['ups.load'] ?? '';
  if (hasToken(s.status, 'OVER')) {
    if (s.overloadState !== 'ACTIVE') {
      recordEvent(out, policy, wallMs, 'OVERLOAD_ACTIVE', `UPS overload detected! Load: ${load}%`);
      s.overloadState = 'ACTIVE';
    }
  } else if (s.overloadState !== 'INACTIVE') {
    const reported = parseNumeric(load) === null ? 'N/A' : load;
    recordEvent(
      out,
      policy,
      wallMs,
      'OVERLOAD_RESOLVED',
      `UPS overload resolved. Load: ${reported}%`,
    );
    s.overloadState = 'INACTIVE';
  }
}
