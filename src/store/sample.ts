/**
 * One row of the `samples` table and its construction from a poll (core spec §6 "Sampling").
 * Pure: the monitor calls `sampleFromVars` on the hot path and hands the row to the writer.
 * Guarantees: every numeric column is a finite number or null (never NaN/Infinity, never a
 * string), and the on-line sanitisation rule is applied.
 */
export interface SampleRow {
  ts: number;
  status: string | null;
  battery_charge: number | null;
  battery_runtime: number | null;
  ups_load: number | null;
  input_voltage: number | null;
  output_voltage: number | null;
  depletion_rate: number | null;
  time_on_battery: number | null;
  connection_state: string | null;
  battery_voltage: number | null;
  ups_temperature: number | null;
  input_frequency: number | null;
  output_frequency: number | null;
  real_power: number | null;
  power_nominal: number | null;
}

/** Column order of `samples`, shared by the insert statement and the schema. */
export const SAMPLE_COLUMNS = [
  'ts',
  'status',
  'battery_charge',
  'battery_runtime',
  'ups_load',
  'input_voltage',
  'output_voltage',
  'depletion_rate',
  'time_on_battery',
  'connection_state',
  'battery_voltage',
  'ups_temperature',
  'input_frequency',
  'output_frequency',
  'real_power',
  'power_nominal',
] as const satisfies readonly (keyof SampleRow)[];

export interface SampleDerived {
  depletionRate: number;
  timeOnBatterySec: number;
  connectionState: string;
}

// Plain decimal numbers only: `nan`, `inf`, hex and empty strings are not readings.
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A NUT value as a finite number, or null when absent or not numeric. */
export function parseReading(value: string | undefined): number | null {
  if (value === undefined || !DECIMAL.test(value)) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/**
 * Builds the sample of one successful poll. `wallMs` becomes the integer-second `ts`.
 * On line (`OL` without `OB`/`FSD`) a charge or input voltage ≤ 0 is a meter glitch, not a
 * reading, so it is stored NULL and does not drag averages down.
 */
export function sampleFromVars(
  vars: Readonly<Record<string, string>>,
  derived: SampleDerived,
  wallMs: number,
): SampleRow {
  const status = vars['ups.status'] ?? null;
  const flags = new Set((status ?? '').split(/\s+/).filter((f) => f !== ''));
  const onLineOnly = flags.has('OL') && !flags.has('OB') && !flags.has('FSD');
  let charge = parseReading(vars['battery.charge']);
  let inputVoltage = parseReading(vars['input.voltage']);
  if (onLineOnly && charge !== null && charge <= 0) charge = null;
  if (onLineOnly && inputVoltage !== null && inputVoltage <= 0) inputVoltage = null;
  const onBatterySec = finiteOrNull(derived.timeOnBatterySec);
  return {
    ts: Math.floor(wallMs / 1000),
    status,
    battery_charge: charge,
    battery_runtime: parseReading(vars['battery.runtime']),
    ups_load: parseReading(vars['ups.load']),
    input_voltage: inputVoltage,
    output_voltage: parseReading(vars['output.voltage']),
    depletion_rate: finiteOrNull(derived.depletionRate),
    time_on_battery: onBatterySec === null ? null : Math.trunc(onBatterySec),
    connection_state: derived.connectionState,
    battery_voltage: parseReading(vars['battery.voltage']),
    ups_temperature: parseReading(vars['ups.temperature']),
    input_frequency: parseReading(vars['input.frequency']),
    output_frequency: parseReading(vars['output.frequency']),
    real_power: parseReading(vars['ups.realpower']),
    power_nominal: parseReading(vars['ups.power.nominal']),
  };
}
