/**
 * Slow-NUT diagnostics (§2.2): a slow read is a diagnostics row at most every 300 s; only
 * sustained slowness (3 consecutive polls ≥ 10 s) pages someone, once, until a fast poll.
 */
import { fixed } from './format.js';
import { note, type Outputs } from './outputs.js';
import type { MonitorPolicy } from './policy.js';
import type { SlowNutModel } from './state.js';

export const SLOW_LOG_THRESHOLD_MS = 2_000;
export const SLOW_LOG_INTERVAL_MS = 300_000;
export const SLOW_NOTIFY_THRESHOLD_MS = 10_000;
export const SLOW_NOTIFY_CONSECUTIVE = 3;

export function initialSlowNut(): SlowNutModel {
  return { lastEventMonoMs: null, verySlowStreak: 0, notified: false };
}

export function checkSlowNut(
  model: SlowNutModel,
  input: { monoMs: number; wallMs: number; durationMs: number },
  policy: MonitorPolicy,
  out: Outputs,
): void {
  const seconds = fixed(input.durationMs / 1000, 1);
  const command = `LIST VAR ${policy.upsName}`;
  if (input.durationMs >= SLOW_LOG_THRESHOLD_MS) {
    if (
      model.lastEventMonoMs === null ||
      input.monoMs - model.lastEventMonoMs >= SLOW_LOG_INTERVAL_MS
    ) {
      model.lastEventMonoMs = input.monoMs;
      note(out, 'warn', `Slow NUT response from ${policy.upsName}: ${seconds}s for ${command}`);
      out.events.push({
        type: 'SLOW_NUT_RESPONSE',
        detail: `${policy.upsName} slow NUT response: ${seconds}s for ${command}`,
        notify: false,
        wallMs: input.wallMs,
      });
    }
  }
  if (input.durationMs < SLOW_NOTIFY_THRESHOLD_MS) {
    model.verySlowStreak = 0;
    model.notified = false;
    return;
  }
  model.verySlowStreak += 1;
  if (model.notified || model.verySlowStreak < SLOW_NOTIFY_CONSECUTIVE) return;
  const threshold = fixed(SLOW_NOTIFY_THRESHOLD_MS / 1000, 1);
  out.notifications.push({
    title: 'Sustained slow NUT responses',
    body:
      `UPS: ${policy.upsName}\nLatest poll took ${seconds}s. ` +
      `Threshold: ${threshold}s for ${SLOW_NOTIFY_CONSECUTIVE} consecutive polls.`,
    category: 'health',
    eventType: 'SLOW_NUT_RESPONSE',
  });
  out.events.push({
    type: 'SLOW_NUT_RESPONSE',
    detail:
      `${policy.upsName} sustained slow NUT responses: latest ${seconds}s; threshold ${threshold}s ` +
      `for ${SLOW_NOTIFY_CONSECUTIVE} consecutive polls`,
    notify: true,
    wallMs: input.wallMs,
  });
  model.notified = true;
}
