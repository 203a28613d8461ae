/**
 * Nominal voltage and the warning band (§3.4): snapping to the standard grids, the startup read,
 * and the once-per-lifetime auto-detect re-snap that corrects a UPS mis-reporting its nominal
 * (for example a US 120 V grid whose UPS says 230).
 */
import { fixed, hasToken, parseNumeric, pyFloat, roundTo } from './format.js';
import { note, recordEvent, type Outputs } from './outputs.js';
import { SENSITIVITY_PCT, type MonitorPolicy } from './policy.js';
import type { UpsState, VoltageModel } from './state.js';

export const STANDARD_GRIDS_V = [100, 110, 115, 120, 127, 200, 208, 220, 230, 240] as const;
const SNAP_TOLERANCE_V = 15;
const DEFAULT_NOMINAL_V = 230;
const MIN_PLAUSIBLE_NOMINAL_V = 50;
const AUTODETECT_SAMPLES = 10;
const AUTODETECT_DISCREPANCY_V = 25;

/** Nearest standard grid within 15 V (ties → the lower entry), else the value itself. */
export function snapToStandardGrid(value: number): number {
  if (value <= 0) return value;
  let nearest: number = STANDARD_GRIDS_V[0];
  for (const grid of STANDARD_GRIDS_V) {
    if (Math.abs(grid - value) < Math.abs(nearest - value)) nearest = grid;
  }
  return Math.abs(nearest - value) <= SNAP_TOLERANCE_V ? nearest : value;
}

/** Startup rule: numeric and ≥ 50 V → snapped; missing or implausible → 230 V. */
export function resolveNominal(raw: string | null): number {
  const value = parseNumeric(raw);
  if (value === null || value < MIN_PLAUSIBLE_NOMINAL_V) return DEFAULT_NOMINAL_V;
  return snapToStandardGrid(value);
}

export function warningBand(nominal: number, pct: number): { low: number; high: number } {
  return { low: roundTo(nominal * (1 - pct), 1), high: roundTo(nominal * (1 + pct), 1) };
}

export function isPlausibleVoltage(value: number): boolean {
  return value > 0 && value <= 600;
}

export function initialVoltageModel(policy: MonitorPolicy): VoltageModel {
  const pct = SENSITIVITY_PCT[policy.triggers.voltageSensitivity] ?? SENSITIVITY_PCT.normal;
  const band = warningBand(DEFAULT_NOMINAL_V, pct);
  return {
    nominal: DEFAULT_NOMINAL_V,
    pct,
    warningLow: band.low,
    warningHigh: band.high,
    transferLow: null,
    transferHigh: null,
    autodetectSamples: [],
    autodetectDone: false,
    state: 'NORMAL',
    pending: null,
  };
}

/** Applies the startup read of `input.voltage.nominal` and the transfer points. */
export function withNominalReading(
  model: VoltageModel,
  reading: { nominal: string | null; transferLow: string | null; transferHigh: string | null },
): VoltageModel {
  const nominal = resolveNominal(reading.nominal);
  const band = warningBand(nominal, model.pct);
  return {
    ...model,
    nominal,
    warningLow: band.low,
    warningHigh: band.high,
    transferLow: parseNumeric(reading.transferLow),
    transferHigh: parseNumeric(reading.transferHigh),
  };
}

/** Human summary of the band, for the startup log (`Voltage Monitoring Active`). */
export function describeVoltageModel(model: VoltageModel, sensitivity: string): string[] {
  const lines = [
    `Voltage Monitoring Active. Nominal: ${pyFloat(model.nominal)}V. Grid-quality warnings: ` +
      `${pyFloat(model.warningLow)}V / ${pyFloat(model.warningHigh)}V (±${Math.trunc(model.pct * 100)}% nominal, sensitivity=${sensitivity}).`,
  ];
  if (model.transferLow !== null || model.transferHigh !== null) {
    const lo = model.transferLow === null ? '?' : `${pyFloat(model.transferLow)}V`;
    const hi = model.transferHigh === null ? '?' : `${pyFloat(model.transferHigh)}V`;
    lines.push(`UPS battery-switch points: ${lo} / ${hi} (from NUT input.transfer.{low,high}).`);
  }
  return lines;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] ?? 0;
  return ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Collects line-power readings; after 10, re-snaps once if the median disagrees by > 25 V. */
export function autodetectNominal(
  s: UpsState,
  wallMs: number,
  policy: MonitorPolicy,
  out: Outputs,
): void {
  const model = s.voltage;
  if (model.autodetectDone) return;
  if (hasToken(s.status, 'OB') || hasToken(s.status, 'FSD')) return;
  const value = parseNumeric(s.vars['input.voltage']);
  if (value === null || !isPlausibleVoltage(value)) return;
  model.autodetectSamples.push(value);
  if (model.autodetectSamples.length < AUTODETECT_SAMPLES) return;
  const observed = median(model.autodetectSamples);
  const oldNominal = model.nominal;
  if (Math.abs(observed - oldNominal) > AUTODETECT_DISCREPANCY_V) {
    const newNominal = snapToStandardGrid(observed);
    const band = warningBand(newNominal, model.pct);
    model.nominal = newNominal;
    model.warningLow = band.low;
    model.warningHigh = band.high;
    const window = model.autodetectSamples.map((v) => pyFloat(v)).join(', ');
    note(
      out,
      'warn',
      `Voltage auto-detect re-snap: NUT=${pyFloat(oldNominal)}V disagreed with observed median ${fixed(observed, 1)}V ` +
        `(window=[${window}]V). Re-snapped to ${pyFloat(newNominal)}V; new thresholds ${pyFloat(band.low)}V / ${pyFloat(band.high)}V.`,
    );
    recordEvent(
      out,
      policy,
      wallMs,
      'VOLTAGE_AUTODETECT_MISMATCH',
      `NUT nominal=${pyFloat(oldNominal)}V, observed median=${fixed(observed, 1)}V, re-snapped to ${pyFloat(newNominal)}V`,
    );
  }
  model.autodetectDone = true;
}
