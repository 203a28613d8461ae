import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { HISTORY_METRICS } from '../../src/store/history-metrics.js';
import { HISTORY_METRIC_COLUMNS } from '../../src/http/stats-access.js';
import { StatsDir, getJson, testApp } from '../support/http-app.js';

const GROUP = 'TestUPS-127.0.0.1-3493';
const NOW_SEC = 2_000_000_000;

describe('GET /api/v1/ups/{name}/history against a real SQLite database', () => {
  const stats = new StatsDir();
  let app: FastifyInstance;

  before(async () => {
    stats.write(GROUP, (db) => {
      const sample = db.prepare(
        'INSERT INTO samples (ts, battery_charge, input_voltage, depletion_rate) VALUES (?, ?, ?, ?)',
      );
      sample.run(NOW_SEC - 120, 90, 230.5, 1.5);
      sample.run(NOW_SEC - 60, null, 231, 2.5);
      sample.run(NOW_SEC - 30, 80, 229.9, 3.5);
      const five = db.prepare('INSERT INTO agg_5min (ts, battery_charge_avg) VALUES (?, ?)');
      five.run(NOW_SEC - 3 * 86_400, 55);
      const hourly = db.prepare('INSERT INTO agg_hourly (ts, battery_charge_avg) VALUES (?, ?)');
      hourly.run(NOW_SEC - 100 * 86_400, 33);
    });
    app = testApp({
      stats,
      nowMs: () => NOW_SEC * 1000,
      raw: { statistics: { retention: { agg_hourly_days: 365 } } },
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    stats.cleanup();
  });

  it('uses the same metric map as the store', () => {
    assert.deepEqual({ ...HISTORY_METRIC_COLUMNS }, { ...HISTORY_METRICS });
  });

  it('default metric is charge over the raw tier for a short span, NULLs skipped', async () => {
    const response = await getJson(app, `/api/v1/ups/${GROUP}/history?from=${NOW_SEC - 600}`);
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, {
      data: [
        { ts: NOW_SEC - 120, value: 90 },
        { ts: NOW_SEC - 30, value: 80 },
      ],
      from: NOW_SEC - 600,
      metric: 'charge',
      to: NOW_SEC,
      ups: GROUP,
    });
  });

  it('picks the tier by span: <= 24 h samples, <= 30 d agg_5min, else agg_hourly', async () => {
    const span = async (seconds: number, metric = 'charge') =>
      (
        await getJson(
          app,
          `/api/v1/ups/${GROUP}/history?metric=${metric}&from=${NOW_SEC - seconds}`,
        )
      ).body.data;
    assert.deepEqual(await span(86_400), [
      { ts: NOW_SEC - 120, value: 90 },
      { ts: NOW_SEC - 30, value: 80 },
    ]);
    assert.deepEqual(await span(30 * 86_400), [{ ts: NOW_SEC - 3 * 86_400, value: 55 }]);
    assert.deepEqual(await span(200 * 86_400), [{ ts: NOW_SEC - 100 * 86_400, value: 33 }]);
    assert.deepEqual(await span(600, 'depletion'), [
      { ts: NOW_SEC - 120, value: 1.5 },
      { ts: NOW_SEC - 60, value: 2.5 },
      { ts: NOW_SEC - 30, value: 3.5 },
    ]);
    assert.deepEqual(await span(2 * 86_400, 'depletion'), []);
  });

  it('answers with the name as requested (raw, sanitized or percent-encoded)', async () => {
    const encoded = await getJson(
      app,
      `/api/v1/ups/TestUPS%40127.0.0.1%3A3493/history?metric=voltage&from=${NOW_SEC - 100}`,
    );
    assert.equal(encoded.status, 200);
    assert.equal(encoded.body.ups, 'TestUPS@127.0.0.1:3493');
    assert.deepEqual(encoded.body.data, [
      { ts: NOW_SEC - 60, value: 231 },
      { ts: NOW_SEC - 30, value: 229.9 },
    ]);
  });

  it('an absent from means the horizon, an older from is clamped up to it', async () => {
    const all = await getJson(app, `/api/v1/ups/${GROUP}/history`);
    assert.equal(all.body.from, NOW_SEC - 365 * 86_400);
    assert.equal(all.body.to, NOW_SEC);
    const old = await getJson(app, `/api/v1/ups/${GROUP}/history?from=0&to=${NOW_SEC - 10}`);
    assert.equal(old.body.from, NOW_SEC - 10 - 365 * 86_400);
  });

  it('pins to=1000000 with agg_hourly_days=10 → from 136000', async () => {
    const small = testApp({ raw: { statistics: { retention: { agg_hourly_days: 10 } } } });
    const response = await getJson(small, `/api/v1/ups/${GROUP}/history?to=1000000`);
    await small.close();
    assert.equal(response.status, 200);
    assert.equal(response.body.from, 136000);
    assert.equal(response.body.to, 1000000);
    assert.deepEqual(response.body.data, []);
  });

  const rejects: Array<[string, string]> = [
    [
      '?metric=bogus',
      'metric must be one of: battery_voltage, charge, depletion, frequency, load, output_frequency, output_voltage, real_power, runtime, temperature, voltage',
    ],
    ['?from=yesterday', 'from must be an integer'],
    ['?to=1.5', 'to must be an integer'],
    ['?from=20&to=10', "'from' must be <= 'to'"],
  ];
  for (const [query, message] of rejects) {
    it(`400 for ${query}, checked before the UPS exists`, async () => {
      for (const name of [GROUP, 'missing']) {
        const response = await getJson(app, `/api/v1/ups/${name}/history${query}`);
        assert.equal(response.status, 400);
        assert.deepEqual(response.body, { error: { code: 'INVALID_REQUEST', message } });
      }
    });
  }

  it('404 for an unknown UPS lists the history endpoint', async () => {
    const response = await getJson(app, '/api/v1/ups/missing/history');
    assert.equal(response.status, 404);
    assert.deepEqual(response.body.error, { code: 'NOT_FOUND', message: 'UPS not found' });
    assert.ok(
      (response.body.availableEndpoints as string[]).includes('/api/v1/ups/{name}/history'),
    );
  });

  it('a UPS without a database has no points', async () => {
    const empty = testApp({ stats: { readerFor: () => null } });
    const response = await getJson(empty, `/api/v1/ups/${GROUP}/history`);
    await empty.close();
    assert.equal(response.status, 200);
    assert.deepEqual(response.body.data, []);
  });
});

describe('GET /api/v1/ups/{name}/power against a real SQLite database', () => {
  const stats = new StatsDir();
  let app: FastifyInstance;
  before(async () => {
    stats.write(GROUP, (db) => {
      const sample = db.prepare(
        'INSERT INTO samples (ts, real_power, ups_load, power_nominal) VALUES (?, ?, ?, ?)',
      );
      sample.run(NOW_SEC - 90, 150, 25, 600);
      sample.run(NOW_SEC - 60, null, 50, 600);
      sample.run(NOW_SEC - 30, null, 40, null);
      sample.run(NOW_SEC - 10, null, null, null);
    });
    app = testApp({ stats, nowMs: () => NOW_SEC * 1000, raw: { energy: { nominal_power: 1000 } } });
    await app.ready();
  });
  after(async () => {
    await app.close();
    stats.cleanup();
  });

  it('real power, else load × nominal (estimated), else unknown', async () => {
    const response = await getJson(app, `/api/v1/ups/${GROUP}/power?from=${NOW_SEC - 600}`);
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, {
      data: [
        { estimated: false, loadPct: 25, ts: NOW_SEC - 90, watts: 150 },
        { estimated: true, loadPct: 50, ts: NOW_SEC - 60, watts: 300 },
        { estimated: true, loadPct: 40, ts: NOW_SEC - 30, watts: 400 },
        { estimated: false, loadPct: null, ts: NOW_SEC - 10, watts: null },
      ],
      from: NOW_SEC - 600,
      to: NOW_SEC,
      ups: GROUP,
    });
  });

  it('follows the history range rules and 404s an unknown UPS', async () => {
    assert.equal((await getJson(app, `/api/v1/ups/${GROUP}/power?from=5&to=1`)).status, 400);
    assert.deepEqual((await getJson(app, `/api/v1/ups/${GROUP}/power?to=x`)).body, {
      error: { code: 'INVALID_REQUEST', message: 'to must be an integer' },
    });
    const all = await getJson(app, `/api/v1/ups/${GROUP}/power`);
    assert.equal(all.body.from, NOW_SEC - 1825 * 86_400);
    const missing = await getJson(app, '/api/v1/ups/missing/power');
    assert.equal(missing.status, 404);
    assert.ok((missing.body.availableEndpoints as string[]).includes('/api/v1/ups/{name}/power'));
  });
});
