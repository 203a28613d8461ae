/**
 * The 28 gauges of the original's Prometheus catalogue (observability §5), in its order, with its
 * names, HELP texts and label order. Each gauge reads the live state store at scrape time, so a
 * scrape always shows the last poll and never triggers one.
 */
import { Gauge, type Registry } from 'prom-client';
import type { LiveStateStore, LiveUps } from '../monitor/live-state.js';
import { redundancyHealthLabel } from '../monitor/ups-document.js';
import type { RemoteHealthRow } from '../domain/types.js';
import { labelValue, metricValue, oneHot } from './values.js';

type UpsReading = (entry: LiveUps) => unknown;

const nutVar =
  (key: string): UpsReading =>
  (entry) =>
    entry.snapshot.vars[key] ?? '';

/** Per-UPS gauges labelled `{ups, label}`, one sample each. */
const SIMPLE: ReadonlyArray<readonly [string, string, UpsReading]> = [
  ['eneru_ups_battery_charge', 'UPS battery charge percentage.', nutVar('battery.charge')],
  ['eneru_ups_runtime_seconds', 'UPS runtime estimate in seconds.', nutVar('battery.runtime')],
  ['eneru_ups_load_percent', 'UPS load percentage.', nutVar('ups.load')],
  ['eneru_ups_input_voltage', 'UPS input voltage in volts.', nutVar('input.voltage')],
  ['eneru_ups_output_voltage', 'UPS output voltage in volts.', nutVar('output.voltage')],
  ['eneru_ups_battery_voltage', 'UPS battery voltage in volts.', nutVar('battery.voltage')],
  [
    'eneru_ups_temperature_celsius',
    'UPS temperature in degrees Celsius.',
    nutVar('ups.temperature'),
  ],
  ['eneru_ups_input_frequency_hz', 'UPS input frequency in hertz.', nutVar('input.frequency')],
  ['eneru_ups_output_frequency_hz', 'UPS output frequency in hertz.', nutVar('output.frequency')],
  [
    'eneru_ups_nominal_voltage',
    'Snapped nominal grid voltage in volts.',
    (e) => e.snapshot.nominalVoltage,
  ],
  [
    'eneru_ups_voltage_warning_low',
    'Derived low-voltage warning threshold.',
    (e) => e.snapshot.warningLow,
  ],
  [
    'eneru_ups_voltage_warning_high',
    'Derived high-voltage warning threshold.',
    (e) => e.snapshot.warningHigh,
  ],
];

const STATES: ReadonlyArray<
  readonly [string, string, readonly string[], (entry: LiveUps) => string]
> = [
  [
    'eneru_ups_voltage_state',
    'Grid-quality voltage state (one series per label, 1 if active).',
    ['NORMAL', 'LOW', 'HIGH'],
    (e) => e.snapshot.voltageState,
  ],
  [
    'eneru_ups_avr_state',
    'AVR state (one series per label, 1 if active).',
    ['INACTIVE', 'BOOST', 'TRIM'],
    (e) => e.snapshot.avrState,
  ],
  [
    'eneru_ups_bypass_state',
    'Bypass state (one series per label, 1 if active).',
    ['INACTIVE', 'ACTIVE'],
    (e) => e.snapshot.bypassState,
  ],
  [
    'eneru_ups_overload_state',
    'Overload state (one series per label, 1 if active).',
    ['INACTIVE', 'ACTIVE'],
    (e) => e.snapshot.overloadState,
  ],
];

const DERIVED: ReadonlyArray<readonly [string, string, UpsReading]> = [
  [
    'eneru_ups_depletion_rate_percent_per_minute',
    'UPS battery depletion rate (charge percent per minute on battery).',
    (e) => e.snapshot.depletionRatePctPerMin,
  ],
  [
    'eneru_ups_time_on_battery_seconds',
    'Seconds the UPS has been continuously on battery (0 when on line).',
    (e) => Math.trunc(e.snapshot.timeOnBatterySec),
  ],
  [
    'eneru_ups_connection_failed',
    '1 if the upsd connection for this UPS is in the FAILED state, 0 otherwise.',
    (e) => (e.snapshot.connectionState === 'FAILED' ? 1 : 0),
  ],
  [
    'eneru_ups_trigger_active',
    '1 if a shutdown trigger is currently active for this UPS, 0 otherwise.',
    (e) => (e.snapshot.triggerActive ? 1 : 0),
  ],
];

/** Features eneru does not compute yet (battery health, energy, self-test): HELP/TYPE only. */
const WITHOUT_DATA: ReadonlyArray<readonly [string, string, string[]]> = [
  [
    'eneru_ups_battery_health_score',
    'Composite battery-health score 0-100 (omitted when unknown).',
    ['ups', 'label'],
  ],
  [
    'eneru_ups_replacement_days_remaining',
    'Projected days until the battery-health score crosses the replacement threshold (omitted when not projectable).',
    ['ups', 'label'],
  ],
  [
    'eneru_ups_energy_kwh',
    'Energy consumed in kWh, by period label (today|month). A gauge, NOT a _total: it is recomputed per window and is not monotonic.',
    ['ups', 'label', 'period'],
  ],
  [
    'eneru_ups_energy_cost',
    'Energy cost by period label (today|month); omitted entirely when energy.cost_per_kwh is unset.',
    ['ups', 'label', 'period'],
  ],
  [
    'eneru_ups_self_test_result',
    'Latest self-test result, one series per normalized result label (passed|failed|running|unknown|unsupported).',
    ['ups', 'label', 'result'],
  ],
];

function upsLabels(entry: LiveUps): { ups: string; label: string } {
  return { ups: labelValue(entry.identity.name), label: labelValue(entry.identity.label) };
}

interface HealthSeries {
  owner: { ups: string } | { redundancy_group: string };
  row: RemoteHealthRow;
}

function healthSeries(live: LiveStateStore): HealthSeries[] {
  const series: HealthSeries[] = [];
  for (const entry of live.list()) {
    for (const row of live.remoteHealthFor(entry.identity.label)) {
      series.push({ owner: { ups: labelValue(entry.identity.name) }, row });
    }
  }
  for (const group of live.redundancyGroups()) {
    for (const row of live.remoteHealthFor(redundancyHealthLabel(group.name))) {
      series.push({ owner: { redundancy_group: labelValue(group.name) }, row });
    }
  }
  return series;
}

/** Registers the catalogue on `registry`; every collector reads `live` when scraped. */
export function registerCatalogue(registry: Registry, live: LiveStateStore): void {
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    collect?: (this: Gauge) => void,
  ): Gauge =>
    new Gauge({ name, help, labelNames, registers: [registry], ...(collect ? { collect } : {}) });

  gauge('eneru_up', 'Whether the Eneru API is serving metrics (1) or not.', [], function () {
    this.set(1);
  });
  for (const [name, help, read] of [...SIMPLE]) {
    gauge(name, help, ['ups', 'label'], function () {
      this.reset();
      for (const entry of live.list()) this.set(upsLabels(entry), metricValue(read(entry)));
    });
  }
  for (const [name, help, states, read] of STATES) {
    gauge(name, help, ['ups', 'label', 'state'], function () {
      this.reset();
      for (const entry of live.list()) {
        for (const [state, value] of oneHot(states, read(entry)))
          this.set({ ...upsLabels(entry), state }, value);
      }
    });
  }
  for (const [name, help, read] of DERIVED) {
    gauge(name, help, ['ups', 'label'], function () {
      this.reset();
      for (const entry of live.list()) this.set(upsLabels(entry), metricValue(read(entry)));
    });
  }
  const healthLabels = ['ups', 'redundancy_group', 'server', 'host', 'status'];
  gauge(
    'eneru_remote_health_status',
    'Remote SSH target status indicator (1 per status label combination).',
    healthLabels,
    function () {
      this.reset();
      for (const { owner, row } of healthSeries(live)) {
        const status = row.status || 'UNKNOWN';
        this.set(
          { ...owner, server: labelValue(row.server), host: labelValue(row.host), status },
          1,
        );
      }
    },
  );
  gauge(
    'eneru_remote_health_consecutive_failures',
    'Consecutive failed remote-health probes for this SSH target.',
    healthLabels.slice(0, 4),
    function () {
      this.reset();
      for (const { owner, row } of healthSeries(live)) {
        this.set(
          { ...owner, server: labelValue(row.server), host: labelValue(row.host) },
          row.consecutive_failures || 0,
        );
      }
    },
  );
  for (const [name, help, labels] of WITHOUT_DATA) gauge(name, help, labels);
}
