/**
 * The 28 gauges of the original's Prometheus catalogue (observability §5), in its order, with its
 * names, HELP texts and label order. They read the live state store at scrape time, so a scrape
 * always shows the last poll and never triggers one.
 *
 * Rendered straight to exposition text rather than through prom-client gauges: with 1000 UPSes
 * the catalogue is ~26 000 series per scrape, and prom-client keeps a labels object, a hash key
 * and an entry per series between scrapes (~10 MB) and allocates several strings per series
 * while rendering (a scrape took ~300 ms and raised RSS by ~20 MB). The text is what prom-client
 * prints (HELP/TYPE lines, label and HELP escaping, `+Inf`/`-Inf`), with NaN spelled `NaN`.
 */
import type { LiveStateStore, LiveUps } from '../monitor/live-state.js';
import { redundancyHealthLabel } from '../monitor/ups-document.js';
import type { RemoteHealthRow } from '../domain/types.js';
import { family, formatSample, labelText } from './exposition.js';
import { metricValue, oneHot } from './values.js';

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
const WITHOUT_DATA: ReadonlyArray<readonly [string, string]> = [
  [
    'eneru_ups_battery_health_score',
    'Composite battery-health score 0-100 (omitted when unknown).',
  ],
  [
    'eneru_ups_replacement_days_remaining',
    'Projected days until the battery-health score crosses the replacement threshold (omitted when not projectable).',
  ],
  [
    'eneru_ups_energy_kwh',
    'Energy consumed in kWh, by period label (today|month). A gauge, NOT a _total: it is recomputed per window and is not monotonic.',
  ],
  [
    'eneru_ups_energy_cost',
    'Energy cost by period label (today|month); omitted entirely when energy.cost_per_kwh is unset.',
  ],
  [
    'eneru_ups_self_test_result',
    'Latest self-test result, one series per normalized result label (passed|failed|running|unknown|unsupported).',
  ],
];

interface HealthSeries {
  owner: readonly [string, string];
  row: RemoteHealthRow;
}

function healthSeries(live: LiveStateStore, entries: readonly LiveUps[]): HealthSeries[] {
  const series: HealthSeries[] = [];
  for (const entry of entries) {
    for (const row of live.remoteHealthFor(entry.identity.label)) {
      series.push({ owner: ['ups', entry.identity.name], row });
    }
  }
  for (const group of live.redundancyGroups()) {
    for (const row of live.remoteHealthFor(redundancyHealthLabel(group.name))) {
      series.push({ owner: ['redundancy_group', group.name], row });
    }
  }
  return series;
}

/**
 * The catalogue's families, in order, each a lazy sequence of lines. Which UPSes and remote
 * targets appear is fixed when the scrape starts; each value is read when its line is formatted.
 */
export function* catalogueFamilies(live: LiveStateStore): Generator<Iterable<string>> {
  const entries = live.list();
  // The `ups` and `label` pair of each UPS, escaped once per scrape for all its series.
  const upsLabels = entries.map((entry) =>
    labelText([
      ['ups', entry.identity.name],
      ['label', entry.identity.label],
    ]),
  );
  // Index loops: these run ~40 000 times per scrape at 1000 UPSes.
  function* perUps(name: string, read: UpsReading): Generator<string> {
    for (let i = 0; i < entries.length; i += 1) {
      const entry = entries[i] as LiveUps;
      yield `${name}{${upsLabels[i]}} ${formatSample(metricValue(read(entry)))}`;
    }
  }
  function* oneHotSeries(
    name: string,
    states: readonly string[],
    read: (entry: LiveUps) => string,
  ): Generator<string> {
    for (let i = 0; i < entries.length; i += 1) {
      for (const [state, value] of oneHot(states, read(entries[i] as LiveUps))) {
        yield `${name}{${upsLabels[i]},${labelText([['state', state]])}} ${value}`;
      }
    }
  }
  yield family('eneru_up', 'Whether the Eneru API is serving metrics (1) or not.', 'gauge', [
    'eneru_up 1',
  ]);
  for (const [name, help, read] of SIMPLE) yield family(name, help, 'gauge', perUps(name, read));
  for (const [name, help, states, read] of STATES) {
    yield family(name, help, 'gauge', oneHotSeries(name, states, read));
  }
  for (const [name, help, read] of DERIVED) yield family(name, help, 'gauge', perUps(name, read));
  const health = healthSeries(live, entries);
  const target = ({ owner, row }: HealthSeries): Array<readonly [string, string]> => [
    owner,
    ['server', row.server],
    ['host', row.host],
  ];
  yield family(
    'eneru_remote_health_status',
    'Remote SSH target status indicator (1 per status label combination).',
    'gauge',
    health.map(
      (h) =>
        `eneru_remote_health_status{${labelText([...target(h), ['status', h.row.status || 'UNKNOWN']])}} 1`,
    ),
  );
  yield family(
    'eneru_remote_health_consecutive_failures',
    'Consecutive failed remote-health probes for this SSH target.',
    'gauge',
    health.map(
      (h) =>
        `eneru_remote_health_consecutive_failures{${labelText(target(h))}} ${formatSample(h.row.consecutive_failures || 0)}`,
    ),
  );
  for (const [name, help] of WITHOUT_DATA) yield family(name, help, 'gauge', []);
}
