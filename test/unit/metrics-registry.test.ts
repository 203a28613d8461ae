import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsRegistry } from '../../src/metrics/metrics-registry.js';
import { metricValue, labelValue, oneHot } from '../../src/metrics/values.js';
import { LiveStateStore } from '../../src/monitor/live-state.js';
import {
  baselineLive,
  fixtureText,
  healthRow,
  identity,
  neverPolled,
  polled,
} from '../support/http-fixtures.js';

/** Parses exposition text into `name{labels}` → value, the way a scraper would. */
function samples(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), line.slice(cut + 1));
  }
  return out;
}

/** The whole exposition text of one scrape. */
async function render(metrics: MetricsRegistry): Promise<string> {
  let text = '';
  for await (const chunk of metrics.exposition()) text += chunk;
  return text;
}

async function scrape(live: LiveStateStore): Promise<string> {
  const metrics = new MetricsRegistry({ live, version: '7.0.0', processMetrics: false });
  try {
    return await render(metrics);
  } finally {
    metrics.stop();
  }
}

describe('metric values', () => {
  it('reads numbers like the original and maps the rest to NaN / Inf', () => {
    assert.equal(metricValue('97'), 97);
    assert.equal(metricValue(' 229.4 '), 229.4);
    assert.equal(metricValue('1e500'), Number.POSITIVE_INFINITY);
    assert.equal(metricValue('-1e500'), Number.NEGATIVE_INFINITY);
    assert.equal(metricValue('-inf'), Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN(metricValue('')));
    assert.ok(Number.isNaN(metricValue(null)));
    assert.ok(Number.isNaN(metricValue('0x10')));
    assert.ok(Number.isNaN(metricValue(['1'])));
    assert.ok(Number.isNaN(metricValue('abc')));
  });
  it('maps CR to LF before escaping and defaults unknown states', () => {
    assert.equal(labelValue('a\rb'), 'a\nb');
    assert.deepEqual(oneHot(['NORMAL', 'LOW', 'HIGH'], 'WEIRD'), [
      ['NORMAL', 1],
      ['LOW', 0],
      ['HIGH', 0],
    ]);
  });
});

describe('metrics registry scrape', () => {
  it('exposes the fixture baseline with the same samples as the original', async () => {
    const text = await scrape(baselineLive());
    const fixture = fixtureText('21-metrics.txt');
    const expected = samples(fixture);
    assert.ok(expected.size >= 27, 'fixture parsed');
    const actual = samples(text);
    for (const [series, value] of expected) {
      // battery-health scoring is not implemented by eneru: its series is omitted (documented).
      if (series.startsWith('eneru_ups_battery_health_score')) continue;
      assert.ok(actual.has(series), `missing ${series}`);
      assert.equal(Number(actual.get(series)), Number(value), series);
    }
    assert.ok(text.endsWith('\n'));
  });

  it('declares all 28 catalogue metrics with HELP and TYPE gauge even without UPSes', async () => {
    const text = await scrape(new LiveStateStore());
    const fixture = fixtureText('21-metrics.txt');
    const names = [...fixture.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]);
    assert.equal(names.length, 28);
    for (const name of names) assert.match(text, new RegExp(`^# TYPE ${name} gauge$`, 'm'));
    assert.match(text, /^eneru_up 1$/m);
  });

  it('emits exactly 3/3/2/2 one-hot state series with one 1 each', async () => {
    const live = new LiveStateStore();
    live.register(
      identity('U'),
      polled({
        voltageState: 'LOW',
        avrState: 'TRIM',
        bypassState: 'ACTIVE',
        overloadState: 'INACTIVE',
      }),
    );
    const s = samples(await scrape(live));
    const expectCounts: Array<[string, number, string]> = [
      ['eneru_ups_voltage_state', 3, 'LOW'],
      ['eneru_ups_avr_state', 3, 'TRIM'],
      ['eneru_ups_bypass_state', 2, 'ACTIVE'],
      ['eneru_ups_overload_state', 2, 'INACTIVE'],
    ];
    for (const [name, count, active] of expectCounts) {
      const series = [...s].filter(([k]) => k.startsWith(`${name}{`));
      assert.equal(series.length, count, name);
      assert.deepEqual(
        series.filter(([, v]) => v === '1').map(([k]) => k),
        [`${name}{ups="U",label="U",state="${active}"}`],
      );
    }
  });

  it('prints +Inf / -Inf / NaN and NaN before the first poll', async () => {
    const live = new LiveStateStore();
    live.register(
      identity('A'),
      polled({ vars: { 'input.voltage': '1e500', 'output.voltage': '-1e500', 'ups.load': 'x' } }),
    );
    live.register(identity('B'), neverPolled());
    const s = samples(await scrape(live));
    assert.equal(s.get('eneru_ups_input_voltage{ups="A",label="A"}'), '+Inf');
    assert.equal(s.get('eneru_ups_output_voltage{ups="A",label="A"}'), '-Inf');
    assert.equal(s.get('eneru_ups_load_percent{ups="A",label="A"}'), 'NaN');
    assert.equal(s.get('eneru_ups_battery_charge{ups="A",label="A"}'), 'NaN');
    assert.equal(s.get('eneru_ups_nominal_voltage{ups="B",label="B"}'), 'NaN');
    assert.equal(s.get('eneru_ups_voltage_warning_low{ups="B",label="B"}'), 'NaN');
  });

  it('escapes label values: backslash, quote, LF and CR', async () => {
    const live = new LiveStateStore();
    live.register({ ...identity('UPS"rack\\a'), label: 'Line\nOne' }, polled());
    live.register({ ...identity('CR'), label: 'Car\rriage' }, polled());
    const text = await scrape(live);
    assert.ok(text.includes('eneru_up 1'));
    assert.ok(
      text.includes('eneru_ups_battery_charge{ups="UPS\\"rack\\\\a",label="Line\\nOne"} 100'),
      text,
    );
    assert.ok(text.includes('eneru_ups_battery_charge{ups="CR",label="Car\\nriage"} 100'));
  });

  it('connection_failed is 1 only for FAILED and trigger_active follows the snapshot', async () => {
    const live = new LiveStateStore();
    live.register(identity('F'), polled({ connectionState: 'FAILED', triggerActive: true }));
    live.register(
      identity('G'),
      polled({ connectionState: 'GRACE_PERIOD', timeOnBatterySec: 42.7 }),
    );
    const s = samples(await scrape(live));
    assert.equal(s.get('eneru_ups_connection_failed{ups="F",label="F"}'), '1');
    assert.equal(s.get('eneru_ups_connection_failed{ups="G",label="G"}'), '0');
    assert.equal(s.get('eneru_ups_trigger_active{ups="F",label="F"}'), '1');
    assert.equal(s.get('eneru_ups_time_on_battery_seconds{ups="G",label="G"}'), '42');
  });

  it('exports remote health for UPS and redundancy-group managers', async () => {
    const live = baselineLive();
    const row = healthRow({
      group: 'Baseline TestUPS',
      server: 'nas',
      host: '10.0.0.5',
      status: 'FAILED',
      last_checked_at: 1,
      last_error: 'timeout',
      consecutive_failures: 3,
    });
    live.setRemoteHealth('Baseline TestUPS', [row]);
    live.setRedundancyGroups([
      {
        groupId: 'redundancy-rack',
        name: 'rack',
        upsSources: [],
        minHealthy: 1,
        healthyCount: 1,
        quorumLost: false,
        quorumDeferred: false,
        members: [],
        isLocal: false,
      },
    ]);
    live.setRemoteHealth('redundancy:rack', [
      { ...row, group: 'redundancy:rack', status: 'HEALTHY', consecutive_failures: 0 },
    ]);
    const s = samples(await scrape(live));
    assert.equal(
      s.get(
        'eneru_remote_health_status{ups="TestUPS@127.0.0.1:3493",server="nas",host="10.0.0.5",status="FAILED"}',
      ),
      '1',
    );
    assert.equal(
      s.get(
        'eneru_remote_health_consecutive_failures{ups="TestUPS@127.0.0.1:3493",server="nas",host="10.0.0.5"}',
      ),
      '3',
    );
    assert.equal(
      s.get(
        'eneru_remote_health_status{redundancy_group="rack",server="nas",host="10.0.0.5",status="HEALTHY"}',
      ),
      '1',
    );
  });

  it('adds self-metrics: build info, poll duration, SQLite write failures, process metrics', async () => {
    const live = baselineLive();
    const metrics = new MetricsRegistry({ live, version: '7.0.0' });
    try {
      metrics.start();
      metrics.observePollDuration('TestUPS-127.0.0.1-3493', 'Baseline TestUPS', 0.012);
      let failures = 2;
      metrics.setWriteFailureSource('TestUPS-127.0.0.1-3493', () => failures);
      const s = samples(await render(metrics));
      assert.equal(
        s.get(`eneru_build_info{version="7.0.0",node_version="${process.version}"}`),
        '1',
      );
      assert.equal(
        s.get(
          'eneru_poll_duration_seconds_count{ups="TestUPS@127.0.0.1:3493",label="Baseline TestUPS"}',
        ),
        '1',
      );
      assert.equal(
        s.get(
          'eneru_poll_duration_seconds_bucket{le="0.025",ups="TestUPS@127.0.0.1:3493",label="Baseline TestUPS"}',
        ),
        '1',
      );
      assert.equal(
        s.get(
          'eneru_sqlite_write_failures_total{ups="TestUPS@127.0.0.1:3493",label="Baseline TestUPS"}',
        ),
        '2',
      );
      assert.ok([...s.keys()].some((k) => k.startsWith('process_cpu_seconds_total')));
      assert.ok([...s.keys()].some((k) => k.startsWith('nodejs_eventloop_lag_seconds')));
      failures = 5;
      const again = samples(await render(metrics));
      assert.equal(
        again.get(
          'eneru_sqlite_write_failures_total{ups="TestUPS@127.0.0.1:3493",label="Baseline TestUPS"}',
        ),
        '5',
      );
    } finally {
      metrics.stop();
    }
  });

  it('reads live state at scrape time', async () => {
    const live = baselineLive();
    const metrics = new MetricsRegistry({ live, version: '7.0.0', processMetrics: false });
    const before = samples(await render(metrics));
    live.update('TestUPS-127.0.0.1-3493', polled({ status: 'OB', timeOnBatterySec: 12 }));
    const after = samples(await render(metrics));
    metrics.stop();
    const key =
      'eneru_ups_time_on_battery_seconds{ups="TestUPS@127.0.0.1:3493",label="Baseline TestUPS"}';
    assert.equal(before.get(key), '0');
    assert.equal(after.get(key), '12');
  });

  it('sends a large scrape in chunks that end at line ends', async () => {
    const live = new LiveStateStore();
    for (let i = 0; i < 300; i += 1) live.register(identity(`UPS${i}@127.0.0.1:3493`), polled());
    const metrics = new MetricsRegistry({ live, version: '7.0.0', processMetrics: false });
    const chunks: string[] = [];
    for await (const chunk of metrics.exposition()) chunks.push(chunk);
    metrics.stop();
    assert.ok(chunks.length > 1, `${chunks.length} chunks`);
    for (const chunk of chunks) assert.ok(chunk.endsWith('\n'));
    const s = samples(chunks.join(''));
    for (let i = 0; i < 300; i += 1) {
      assert.equal(
        s.get(
          `eneru_ups_battery_charge{ups="UPS${i}@127.0.0.1:3493",label="UPS${i}@127.0.0.1:3493"}`,
        ),
        '100',
      );
    }
  });
});
