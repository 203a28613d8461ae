/**
 * A member snapshot for redundancy tests: a healthy on-line UPS polled a second before `NOW`,
 * with any field overridden.
 */
import type { UpsSnapshot } from '../../src/domain/types.js';

export const NOW = 1_700_000_000_000;

export function snap(
  overrides: Partial<UpsSnapshot> = {},
  vars: Record<string, string> = {},
): UpsSnapshot {
  return {
    status: 'OL',
    vars: { 'battery.charge': '100', 'battery.runtime': '1800', ...vars },
    depletionRatePctPerMin: 0,
    timeOnBatterySec: 0,
    lastUpdateWallMs: NOW - 1000,
    connectionState: 'OK',
    triggerActive: false,
    triggerReason: '',
    staleDataCount: 0,
    nominalVoltage: 230,
    warningLow: 207,
    warningHigh: 253,
    voltageState: 'NORMAL',
    avrState: 'INACTIVE',
    bypassState: 'INACTIVE',
    overloadState: 'INACTIVE',
    ...overrides,
  };
}
