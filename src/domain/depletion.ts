/**
 * Battery depletion rate in %/min (§3.3): a two-point delta over the configured window, only
 * published once enough points exist. Kept exactly as the original computes it, because the
 * T3 trigger and the `depletion` history series depend on the same figure.
 */
import { parseNumeric, roundTo } from './format.js';
import type { MonitorPolicy } from './policy.js';
import type { DepletionPoint } from './state.js';

export const HISTORY_CAP = 1000;

export function minDepletionPoints(policy: MonitorPolicy): number {
  const window = Math.trunc(policy.triggers.depletion.windowSec);
  const interval = Math.max(1, Math.trunc(policy.checkIntervalSec));
  return Math.min(30, Math.max(2, Math.floor(window / interval)));
}

/**
 * Appends the charge reading to `history` (in place) and returns the rate. Non-numeric or
 * negative charge → 0.0 and nothing stored.
 */
export function updateDepletion(
  history: DepletionPoint[],
  rawCharge: string | undefined,
  now: { monoMs: number; wallMs: number },
  policy: MonitorPolicy,
): number {
  const parsed = parseNumeric(rawCharge);
  if (parsed === null || parsed < 0) return 0;
  const chargePct = Math.min(parsed, 100);
  const cutoffMs = now.monoMs - policy.triggers.depletion.windowSec * 1000;
  let drop = 0;
  while (drop < history.length && (history[drop]?.monoMs ?? 0) < cutoffMs) drop += 1;
  if (drop > 0) history.splice(0, drop);
  history.push({ monoMs: now.monoMs, wallMs: now.wallMs, chargePct });
  if (history.length > HISTORY_CAP) history.splice(0, history.length - HISTORY_CAP);
  if (history.length < minDepletionPoints(policy)) return 0;
  const oldest = history[0];
  if (!oldest) return 0;
  const elapsedSec = (now.monoMs - oldest.monoMs) / 1000;
  if (elapsedSec <= 0) return 0;
  return roundTo(((oldest.chargePct - chargePct) / elapsedSec) * 60, 2);
}
