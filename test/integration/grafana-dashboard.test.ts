import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MetricsRegistry } from '../../src/metrics/metrics-registry.js';
import { buildHttpApp } from '../../src/http/app.js';
import { baselineLive } from '../support/http-fixtures.js';
import { testDeps } from '../support/http-app.js';

interface Dashboard {
  title: string;
  templating: {
    list: Array<{
      name: string;
      query: { query: string } | string;
      multi: boolean;
      allValue: string;
    }>;
  };
  annotations: { list: Array<{ expr?: string; name: string }> };
  panels: Array<{ title: string; targets: Array<{ expr: string; legendFormat: string }> }>;
}

const dashboard = JSON.parse(readFileSync('examples/grafana-dashboard.json', 'utf8')) as Dashboard;

function expressions(): string[] {
  return [
    ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ...dashboard.annotations.list.flatMap((a) => (a.expr ? [a.expr] : [])),
    ...dashboard.templating.list.map((v) =>
      typeof v.query === 'string' ? v.query : v.query.query,
    ),
  ];
}

/** Metric names an expression reads (identifiers followed by a selector, a range or `,`/`)`). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:eneru|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1] ?? '');
}

describe('examples/grafana-dashboard.json', () => {
  it('follows the published contract: title, ups variable over label, filtered panels', () => {
    assert.equal(dashboard.title, 'Eneru UPS Overview');
    const variable = dashboard.templating.list.find((v) => v.name === 'ups');
    assert.ok(variable);
    assert.equal(
      typeof variable.query === 'string' ? variable.query : variable.query.query,
      'label_values(eneru_ups_battery_charge, label)',
    );
    assert.equal(variable.multi, true);
    assert.equal(variable.allValue, '.+');
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        assert.match(target.expr, /label=~"\$ups"/, panel.title);
        assert.match(target.legendFormat, /\{\{label\}\}/, panel.title);
      }
    }
    const annotationExprs = dashboard.annotations.list.flatMap((a) => (a.expr ? [a.expr] : []));
    for (const needle of [
      'eneru_ups_time_on_battery_seconds',
      'eneru_ups_voltage_state',
      'eneru_ups_avr_state',
      'eneru_ups_bypass_state',
      'eneru_ups_overload_state',
      'eneru_ups_trigger_active',
      'eneru_ups_connection_failed',
      'eneru_remote_health_status{status="FAILED"}',
    ]) {
      assert.ok(
        annotationExprs.some((e) => e.includes(needle)),
        needle,
      );
    }
  });

  it('every metric it references appears in a real scrape of /metrics', async () => {
    const live = baselineLive();
    live.setRemoteHealth('Baseline TestUPS', [
      {
        group: 'Baseline TestUPS',
        server: 'nas',
        host: '10.0.0.5',
        user: 'root',
        status: 'FAILED',
        last_checked_at: 1,
        last_success_at: null,
        last_error: 'timeout',
        latency_ms: null,
        consecutive_failures: 2,
        is_host_loopback: false,
      },
    ]);
    const metrics = new MetricsRegistry({ live, version: '7.0.0' });
    metrics.start();
    metrics.observePollDuration('TestUPS-127.0.0.1-3493', 'Baseline TestUPS', 0.02);
    metrics.setWriteFailureSource('TestUPS-127.0.0.1-3493', () => 0);
    const app = buildHttpApp({ ...testDeps({ live }), metrics });
    try {
      const response = await app.inject({ url: '/metrics', headers: { host: 'localhost' } });
      assert.equal(response.statusCode, 200);
      const sampleNames = new Set(
        response.body
          .split('\n')
          .filter((line) => line !== '' && !line.startsWith('#'))
          .map((line) => line.split(/[{ ]/, 1)[0]),
      );
      const referenced = new Set(expressions().flatMap(metricNames));
      assert.ok(referenced.size >= 18, `only ${referenced.size} metrics referenced`);
      for (const name of referenced) assert.ok(sampleNames.has(name), `${name} is not exported`);
    } finally {
      await app.close();
      metrics.stop();
    }
  });
});
