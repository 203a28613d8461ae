/**
 * The synthetic UPS readings both statistics benchmarks write: mains with a slow drift and a
 * 10-minute outage every 3 days, so rollups and NULL handling see realistic data.
 */
import type { SampleRow } from '../src/store/index.js';

export const START_SEC = 1_767_225_600; // 2026-01-01T00:00:00Z

/** A plausible reading: mains with slow drift, a 10-minute outage every 3 days. */
export function reading(ts: number): SampleRow {
  const t = ts - START_SEC;
  const outage = t % 259_200 < 600;
  const wave = Math.sin(t / 3_600);
  return {
    ts,
    status: outage ? 'OB DISCHRG' : 'OL',
    battery_charge: outage ? 100 - (t % 259_200) / 20 : 100,
    battery_runtime: outage ? 1800 - (t % 259_200) * 2 : 1800,
    ups_load: 22 + 3 * wave,
    input_voltage: outage ? null : 230 + 4 * wave,
    output_voltage: 230,
    depletion_rate: outage ? 3 : 0,
    time_on_battery: outage ? t % 259_200 : 0,
    connection_state: 'OK',
    battery_voltage: 27.1,
    ups_temperature: 30 + wave,
    input_frequency: 50,
    output_frequency: 50,
    real_power: 140 + 20 * wave,
    power_nominal: 900,
  };
}
