/**
 * The power-state handlers of a good poll (§3.1 dispatch, §3.2, §4): FSD, on battery, on line,
 * neutral. Owns the outage anchor, the once-per-outage shutdown admission and the re-arm on
 * power return, including an outage carried over a daemon restart.
 */
import { clearAdvisory, setAdvisory } from './advisory.js';
import { updateDepletion } from './depletion.js';
import { formatDuration, hasToken, pyFloat } from './format.js';
import { note, recordEvent, type Outputs } from './outputs.js';
import type { MonitorPolicy } from './policy.js';
import { emptyOutage, type UpsState } from './state.js';
import { evaluateTriggers, FSD_REASON } from './triggers.js';
import type { PollInput } from './types.js';

const NEUTRAL_NOTE_INTERVAL_MS = 300_000;
const STATUS_LINE_INTERVAL_MS = 5_000;
const RETRIGGER_NOTE_INTERVAL_MS = 60_000;

function secondsSince(anchorMs: number | null, nowMs: number): number {
  return anchorMs === null ? 0 : Math.max(0, Math.trunc((nowMs - anchorMs) / 1000));
}

/** Independent mode admits the first trigger of an outage; advisory mode only latches. */
export function admitTrigger(
  s: UpsState,
  reason: string,
  input: PollInput,
  policy: MonitorPolicy,
  out: Outputs,
): void {
  if (policy.advisory) {
    setAdvisory(s, reason, out);
    return;
  }
  if (s.shutdownAdmitted) {
    if (
      s.lastRetriggerNoteMonoMs === null ||
      input.monoMs - s.lastRetriggerNoteMonoMs >= RETRIGGER_NOTE_INTERVAL_MS
    ) {
      s.lastRetriggerNoteMonoMs = input.monoMs;
      note(
        out,
        'info',
        `Shutdown already admitted for this outage (${reason}). Ignoring re-trigger.`,
      );
    }
    return;
  }
  s.shutdownAdmitted = true;
  const notification = {
    title: 'EMERGENCY SHUTDOWN INITIATED!',
    body: `Reason: ${reason}\nExecuting shutdown tasks (VMs, Containers, Remote Servers).`,
    category: 'shutdown' as const,
    eventType: 'EMERGENCY_SHUTDOWN_INITIATED',
  };
  recordEvent(out, policy, input.wallMs, 'EMERGENCY_SHUTDOWN_INITIATED', reason, { notification });
  note(out, 'error', `CRITICAL: Triggering immediate shutdown. Reason: ${reason}`);
  out.commands.push({ kind: 'shutdown', failsafe: false, reason });
}

/**
 * Continues an outage persisted before a restart: re-anchors the monotonic clock from wall
 * time and restores the depletion history. Returns whether the outage was resumed.
 */
function resumeOutage(s: UpsState, input: PollInput): boolean {
  const resume = s.resume;
  if (!resume) return false;
  s.resume = null;
  const offsetMs = input.wallMs - input.monoMs;
  s.outage = {
    ...emptyOutage(),
    anchorWallMs: resume.onBatterySinceWallMs,
    anchorMonoMs: resume.onBatterySinceWallMs - offsetMs,
    history: resume.history.map((p) => ({
      monoMs: p.wallMs - offsetMs,
      wallMs: p.wallMs,
      chargePct: p.chargePct,
    })),
    onBatteryEventRecorded: resume.onBatteryEventRecorded,
  };
  return true;
}

export function handleFsd(
  s: UpsState,
  input: PollInput,
  policy: MonitorPolicy,
  out: Outputs,
): void {
  if (s.resume) resumeOutage(s, input);
  s.outage.timeOnBatterySec = secondsSince(s.outage.anchorMonoMs, input.monoMs);
  admitTrigger(s, FSD_REASON, input, policy, out);
}

export function handleOnBattery(
  s: UpsState,
  input: PollInput,
  policy: MonitorPolicy,
  out: Outputs,
): void {
  const vars = s.vars;
  const charge = vars['battery.charge'] ?? '';
  const runtime = vars['battery.runtime'] ?? '';
  const load = vars['ups.load'] ?? '';
  const prev = s.previousStatus;
  const resumed = resumeOutage(s, input);
  if (resumed) {
    const since = new Date(s.outage.anchorWallMs ?? input.wallMs).toISOString();
    note(out, 'info', `Continuing outage recorded before restart (on battery since ${since}).`);
  }
  const fresh = !resumed && !hasToken(prev, 'OB') && !hasToken(prev, 'FSD');
  if (fresh)
    s.outage = { ...emptyOutage(), anchorMonoMs: input.monoMs, anchorWallMs: input.wallMs };
  if (s.outage.anchorMonoMs === null) {
    // On battery after a bare FSD status: anchor now so durations stay meaningful.
    s.outage.anchorMonoMs = input.monoMs;
    s.outage.anchorWallMs = input.wallMs;
  }
  if ((fresh || resumed) && !s.outage.onBatteryEventRecorded) {
    recordEvent(
      out,
      policy,
      input.wallMs,
      'ON_BATTERY',
      `Battery: ${charge}%, Runtime: ${runtime} seconds, Load: ${load}%`,
    );
    s.outage.onBatteryEventRecorded = true;
  }

  const t = secondsSince(s.outage.anchorMonoMs, input.monoMs);
  const rate = updateDepletion(s.outage.history, vars['battery.charge'], input, policy);
  s.outage.timeOnBatterySec = t;
  s.outage.depletionRatePctPerMin = rate;

  const decision = evaluateTriggers(
    {
      vars,
      timeOnBatterySec: t,
      depletionRatePctPerMin: rate,
      extendedTimeNoted: s.outage.extendedTimeNoted,
    },
    policy.triggers,
    out,
  );
  s.outage.extendedTimeNoted = decision.extendedTimeNoted;
  if (decision.reason !== null) {
    admitTrigger(s, decision.reason, input, policy, out);
  } else if (policy.advisory && !decision.stabilizing && decision.readingsValid) {
    clearAdvisory(s, 'clean on-battery reading', out);
  }

  const lastLine = s.outage.lastStatusLineMonoMs;
  if (lastLine === null || input.monoMs - lastLine >= STATUS_LINE_INTERVAL_MS) {
    s.outage.lastStatusLineMonoMs = input.monoMs;
    note(
      out,
      'info',
      `On battery: ${charge}% (${formatDuration(runtime)}), Load: ${load}%, Depletion: ${pyFloat(rate)}%/min, ` +
        `Time on battery: ${formatDuration(t)}`,
    );
  }
}

export function handleOnLine(
  s: UpsState,
  input: PollInput,
  policy: MonitorPolicy,
  out: Outputs,
): void {
  const prev = s.previousStatus;
  const resumed = s.resume !== null && resumeOutage(s, input);
  // The original keys this on the previous raw status only, so OB → OFF → OL never restored
  // (nor re-armed); an open outage or an admitted shutdown counts as well.
  const outageOpen = s.outage.anchorMonoMs !== null || s.shutdownAdmitted;
  if (resumed || outageOpen || hasToken(prev, 'OB') || hasToken(prev, 'FSD')) {
    const outageSec =
      s.outage.anchorWallMs === null
        ? 0
        : Math.max(0, Math.trunc((input.wallMs - s.outage.anchorWallMs) / 1000));
    const vars = s.vars;
    recordEvent(
      out,
      policy,
      input.wallMs,
      'POWER_RESTORED',
      `Battery: ${vars['battery.charge'] ?? ''}% (Status: ${s.status}), Input: ${vars['input.voltage'] ?? ''}V, ` +
        `Outage duration: ${formatDuration(outageSec)}`,
    );
    s.outage = emptyOutage();
    s.shutdownAdmitted = false;
    s.lastRetriggerNoteMonoMs = null;
    out.commands.push({ kind: 'rearm' });
    clearAdvisory(s, 'power restored', out);
  }
  s.outage.depletionRatePctPerMin = 0;
  s.outage.timeOnBatterySec = 0;
}

export function handleNeutral(s: UpsState, input: PollInput, out: Outputs): void {
  const last = s.lastNeutralNoteMonoMs;
  if (last === null || input.monoMs - last >= NEUTRAL_NOTE_INTERVAL_MS) {
    s.lastNeutralNoteMonoMs = input.monoMs;
    note(
      out,
      'info',
      `UPS status '${s.status}' is neither on battery nor on line; no power-state action.`,
    );
  }
}
