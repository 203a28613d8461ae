/**
 * Helpers for the store tests: a logger that records lines, temp directories removed after the
 * test, and sample rows with sensible defaults.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogFields, Logger } from '../../src/logging/types.js';
import { RecordingLogger, type LogLine } from '../support/recording-logger.js';
import type { SampleRow } from '../../src/store/index.js';

export type { LogLine } from '../support/recording-logger.js';

/** A logger that records lines (children share them, with their fields merged in). */
export function recordingLogger(
  lines: LogLine[] = [],
  base: LogFields = {},
): Logger & { lines: LogLine[] } {
  return new RecordingLogger(lines, base);
}

/** A fresh temp directory; `cleanup()` removes every directory made so far. */
export function tempDirs(): { make(): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), 'eneru-store-'));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sample(ts: number, values: Partial<SampleRow> = {}): SampleRow {
  return {
    ts,
    status: 'OL',
    battery_charge: 100,
    battery_runtime: 1800,
    ups_load: 20,
    input_voltage: 230,
    output_voltage: 230,
    depletion_rate: 0,
    time_on_battery: 0,
    connection_state: 'OK',
    battery_voltage: 27,
    ups_temperature: 30,
    input_frequency: 50,
    output_frequency: 50,
    real_power: 100,
    power_nominal: 600,
    ...values,
  };
}

export const RETENTION = { rawHours: 24, agg5minDays: 30, aggHourlyDays: 1825 };
