/**
 * The history metric names of the API (`?metric=`) and the `samples` column each reads (core
 * spec §6). A compatibility contract shared by the statistics store and the HTTP API, so it is
 * defined once here.
 */
export type HistoryColumn =
  | 'battery_charge'
  | 'battery_runtime'
  | 'ups_load'
  | 'input_voltage'
  | 'output_voltage'
  | 'input_frequency'
  | 'output_frequency'
  | 'battery_voltage'
  | 'ups_temperature'
  | 'real_power'
  | 'depletion_rate';

export const HISTORY_METRICS: Readonly<Record<string, HistoryColumn>> = Object.freeze({
  charge: 'battery_charge',
  runtime: 'battery_runtime',
  load: 'ups_load',
  voltage: 'input_voltage',
  output_voltage: 'output_voltage',
  frequency: 'input_frequency',
  output_frequency: 'output_frequency',
  battery_voltage: 'battery_voltage',
  temperature: 'ups_temperature',
  real_power: 'real_power',
  depletion: 'depletion_rate',
});
