/**
 * The connection state machine (OK / GRACE_PERIOD / FAILED) and the on-battery failsafe (FSB).
 * Guarantees: a connection loss while the last good status was on battery never waits for the
 * connection grace period, and the failsafe fires at most once per outage.
 */
import { hasToken } from './format.js';
import { note, recordEvent, type Outputs } from './outputs.js';
import type { MonitorPolicy } from './policy.js';
import type { UpsState } from './state.js';
import type { PollInput } from './types.js';
import { clearAdvisory, setAdvisory } from './advisory.js';

export const FAILSAFE_REASON = 'FAILSAFE (FSB): connection lost while On Battery';
const FLAP_WINDOW_MS = 86_400_000;

function tolerance(policy: MonitorPolicy): number {
  return Math.max(1, Math.trunc(policy.staleTolerance));
}

function lostDetail(policy: MonitorPolicy, stale: boolean): string {
  return stale
    ? `Data from UPS ${policy.upsName} is persistently stale (>= ${tolerance(policy)} attempts). Monitoring is inactive.`
    : `Cannot connect to UPS ${policy.upsName} (Network, Server, or Config error). Monitoring is inactive.`;
}

/** A stale or hard-error poll. */
export function handleFailedPoll(
  s: UpsState,
  input: PollInput,
  policy: MonitorPolicy,
  out: Outputs,
): void {
  const { outcome } = input;
  if (outcome.kind === 'ok') return;
  const conn = s.connection;
  const tol = tolerance(policy);
  const quiet = conn.state === 'GRACE_PERIOD' || conn.state === 'FAILED';
  const stale = outcome.kind === 'stale';
  let offlineTrigger: boolean;
  let failsafeTrigger: boolean;
  if (stale) {
    conn.staleDataCount += 1;
    if (!quiet) {
      note(
        out,
        'warn',
        `WARNING: Data stale from UPS ${policy.upsName} (Attempt ${conn.staleDataCount}/${tol}).`,
      );
    }
    offlineTrigger = conn.staleDataCount >= tol;
    failsafeTrigger = offlineTrigger;
  } else {
    conn.connectionErrorCount += 1;
    conn.staleDataCount = 0;
    if (!quiet) {
      note(
        out,
        'error',
        `ERROR: Cannot connect to UPS ${policy.upsName} (Attempt ${conn.connectionErrorCount}/${tol}). Output: ${outcome.message}`,
      );
    }
    offlineTrigger = true;
    failsafeTrigger = conn.connectionErrorCount >= tol;
  }

  if (hasToken(s.status, 'OB')) {
    if (failsafeTrigger && !conn.failsafeFired) fireFailsafe(s, policy, out);
    return;
  }
  if (offlineTrigger) handleConnectionLoss(s, input, policy, out, stale);
}

function fireFailsafe(s: UpsState, policy: MonitorPolicy, out: Outputs): void {
  const conn = s.connection;
  conn.state = 'FAILED';
  conn.lostMonoMs = null;
  conn.lostWallMs = null;
  conn.failsafeFired = true;
  if (policy.advisory) {
    setAdvisory(s, FAILSAFE_REASON, out);
    note(
      out,
      'error',
      'FAILSAFE (advisory, redundancy group): connection lost while On Battery; deferring to group evaluator.',
    );
    return;
  }
  s.shutdownAdmitted = true;
  note(
    out,
    'error',
    'FAILSAFE TRIGGERED (FSB): Connection lost or data persistently stale while On Battery. Initiating emergency shutdown.',
  );
  out.notifications.push({
    title: 'FAILSAFE (FSB) TRIGGERED!',
    body:
      'Connection to UPS lost or data stale while system was running On Battery.\n' +
      'Assuming critical failure. Executing immediate shutdown.',
    category: 'shutdown',
  });
  out.commands.push({ kind: 'shutdown', failsafe: true, reason: FAILSAFE_REASON });
}

function handleConnectionLoss(
  s: UpsState,
  input: PollInput,
  policy: MonitorPolicy,
  out: Outputs,
  stale: boolean,
): void {
  const conn = s.connection;
  if (!policy.grace.enabled) {
    if (conn.state !== 'FAILED') {
      recordEvent(out, policy, input.wallMs, 'CONNECTION_LOST', lostDetail(policy, stale));
      conn.state = 'FAILED';
    }
    return;
  }
  if (conn.state === 'OK') {
    conn.state = 'GRACE_PERIOD';
    conn.lostMonoMs = input.monoMs;
    conn.lostWallMs = input.wallMs;
    const what = stale ? 'lost (data stale).' : 'lost.';
    note(
      out,
      'warn',
      `Connection to UPS ${policy.upsName} ${what} Grace period started (${policy.grace.durationSec}s).`,
    );
    return;
  }
  if (conn.state === 'GRACE_PERIOD') {
    const elapsedMs = input.monoMs - (conn.lostMonoMs ?? input.monoMs);
    if (elapsedMs >= policy.grace.durationSec * 1000) {
      const detail = `${lostDetail(policy, stale)} (Grace period ${policy.grace.durationSec}s expired)`;
      recordEvent(out, policy, input.wallMs, 'CONNECTION_LOST', detail);
      conn.state = 'FAILED';
      conn.lostMonoMs = null;
      conn.lostWallMs = null;
    }
  }
}

/** Bookkeeping of a successful poll: counters, grace recovery and flaps, restoration. */
export function handleGoodPollConnection(
  s: UpsState,
  input: PollInput,
  policy: MonitorPolicy,
  out: Outputs,
): void {
  const conn = s.connection;
  conn.staleDataCount = 0;
  conn.connectionErrorCount = 0;
  if (conn.state === 'GRACE_PERIOD') {
    const elapsedSec = Math.round((input.monoMs - (conn.lostMonoMs ?? input.monoMs)) / 1000);
    note(
      out,
      'info',
      `Connection to UPS ${policy.upsName} recovered during grace period (${elapsedSec}s elapsed). No notification sent.`,
    );
    conn.state = 'OK';
    conn.lostMonoMs = null;
    conn.lostWallMs = null;
    if (
      conn.flapCount > 0 &&
      conn.firstFlapMonoMs !== null &&
      input.monoMs - conn.firstFlapMonoMs > FLAP_WINDOW_MS
    ) {
      conn.flapCount = 0;
    }
    if (conn.flapCount === 0) conn.firstFlapMonoMs = input.monoMs;
    conn.flapCount += 1;
    if (conn.flapCount >= policy.grace.flapThreshold) {
      note(
        out,
        'warn',
        `NUT server is unstable: connection to UPS ${policy.upsName} has flapped ${conn.flapCount} times.`,
      );
      out.notifications.push({
        title: 'NUT Server Unstable',
        body:
          `Connection to UPS ${policy.upsName} has flapped ${conn.flapCount} times ` +
          '(recovered within grace period each time). Check your UPS network connection or NUT server configuration.',
        category: 'health',
      });
      conn.flapCount = 0;
      conn.firstFlapMonoMs = null;
    }
  } else if (conn.state === 'FAILED') {
    recordEvent(
      out,
      policy,
      input.wallMs,
      'CONNECTION_RESTORED',
      `Connection to UPS ${policy.upsName} restored. Monitoring is active.`,
    );
    conn.state = 'OK';
    conn.lostMonoMs = null;
    conn.lostWallMs = null;
    conn.flapCount = 0;
    conn.firstFlapMonoMs = null;
    clearAdvisory(s, 'connection restored', out);
  }
}
