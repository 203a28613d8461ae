import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ConnectionPool } from '../../src/store/connection-pool.js';
import { purge } from '../../src/store/rollup.js';
import { StatsStore } from '../../src/store/index.js';
import { RETENTION, recordingLogger, sample, tempDirs } from './store-support.js';

const dirs = tempDirs();
after(() => dirs.cleanup());

const T0 = 1_800_000_000; // an hour boundary
const HOUR = 3600;
const DAY = 86_400;

function open(path: string): Database.Database {
  return new Database(path, { readonly: true });
}

function meta(path: string, key: string): string | null {
  const db = open(path);
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
    { value: string } | undefined;
  db.close();
  return row?.value ?? null;
}

function startStore() {
  const path = join(dirs.make(), 'default.db');
  const store = new StatsStore({
    path,
    retention: RETENTION,
    logger: recordingLogger(),
    now: () => (T0 + 3 * HOUR) * 1000,
  });
  store.start();
  return { store, path };
}

describe('rollups', () => {
  it('computes 5-minute and hourly buckets from known samples (hourly = avg of avgs)', async () => {
    const { store, path } = startStore();
    store.addSample(
      sample(T0, { battery_charge: 100, ups_load: 10, input_voltage: 230, ups_temperature: 25 }),
    );
    store.addSample(
      sample(T0 + 10, {
        battery_charge: 90,
        ups_load: 20,
        input_voltage: 220,
        ups_temperature: 35,
      }),
    );
    store.addSample(
      sample(T0 + 299, {
        battery_charge: 80,
        ups_load: 30,
        input_voltage: null,
        ups_temperature: null,
      }),
    );
    store.addSample(
      sample(T0 + 300, { battery_charge: 50, ups_load: 40, input_voltage: 200, real_power: null }),
    );
    store.rollupNow(T0 + 3 * HOUR);
    const db = open(path);
    const five = db
      .prepare(
        `SELECT ts, battery_charge_avg, battery_charge_min, battery_charge_max, ups_load_avg, ups_load_max,
           input_voltage_avg, input_voltage_min, input_voltage_max, ups_temperature_min, ups_temperature_max,
           real_power_avg, samples_count FROM agg_5min ORDER BY ts`,
      )
      .all();
    assert.deepEqual(five, [
      {
        ts: T0,
        battery_charge_avg: 90,
        battery_charge_min: 80,
        battery_charge_max: 100,
        ups_load_avg: 20,
        ups_load_max: 30,
        input_voltage_avg: 225,
        input_voltage_min: 220,
        input_voltage_max: 230,
        ups_temperature_min: 25,
        ups_temperature_max: 35,
        real_power_avg: 100,
        samples_count: 3,
      },
      {
        ts: T0 + 300,
        battery_charge_avg: 50,
        battery_charge_min: 50,
        battery_charge_max: 50,
        ups_load_avg: 40,
        ups_load_max: 40,
        input_voltage_avg: 200,
        input_voltage_min: 200,
        input_voltage_max: 200,
        ups_temperature_min: 30,
        ups_temperature_max: 30,
        real_power_avg: null,
        samples_count: 1,
      },
    ]);
    const hourly = db
      .prepare(
        'SELECT ts, battery_charge_avg, battery_charge_min, battery_charge_max, ups_load_max, input_voltage_min, samples_count FROM agg_hourly',
      )
      .all();
    assert.deepEqual(hourly, [
      {
        ts: T0,
        battery_charge_avg: 70,
        battery_charge_min: 50,
        battery_charge_max: 100,
        ups_load_max: 40,
        input_voltage_min: 200,
        samples_count: 4,
      },
    ]);
    db.close();
    assert.equal(meta(path, 'agg_5min_watermark'), String(T0 + 300));
    assert.equal(meta(path, 'agg_hourly_watermark'), String(T0));
    await store.stop();
  });

  it('is incremental: re-aggregates from the watermark minus one bucket, not older rows', async () => {
    const { store, path } = startStore();
    store.addSample(sample(T0, { battery_charge: 100 }));
    store.addSample(sample(T0 + 300, { battery_charge: 50 }));
    store.rollupNow(T0 + 3 * HOUR);
    // Late rows: one two buckets behind the watermark (not rescanned), one in the watermark's
    // previous bucket (rescanned) and one in a new bucket.
    store.addSample(sample(T0 - 300, { battery_charge: 10 }));
    store.addSample(sample(T0 + 1, { battery_charge: 80 }));
    store.addSample(sample(T0 + 600, { battery_charge: 20 }));
    store.rollupNow(T0 + 3 * HOUR);
    const rows = (): unknown[] => {
      const db = open(path);
      const all = db
        .prepare('SELECT ts, battery_charge_avg, samples_count FROM agg_5min ORDER BY ts')
        .all();
      db.close();
      return all;
    };
    assert.deepEqual(rows(), [
      { ts: T0, battery_charge_avg: 90, samples_count: 2 },
      { ts: T0 + 300, battery_charge_avg: 50, samples_count: 1 },
      { ts: T0 + 600, battery_charge_avg: 20, samples_count: 1 },
    ]);
    assert.equal(meta(path, 'agg_5min_watermark'), String(T0 + 600));
    // Without a watermark the next run is a full scan and finds the late row.
    const db = new Database(path);
    db.prepare("DELETE FROM meta WHERE key = 'agg_5min_watermark'").run();
    db.close();
    store.rollupNow(T0 + 3 * HOUR);
    assert.deepEqual(rows()[0], { ts: T0 - 300, battery_charge_avg: 10, samples_count: 1 });
    await store.stop();
  });

  it('does not let a watermark in the future (clock stepped back) freeze aggregation', async () => {
    const { store, path } = startStore();
    const db = new Database(path);
    db.prepare("INSERT INTO meta (key, value) VALUES ('agg_5min_watermark', ?)").run(
      String(T0 + 100 * DAY),
    );
    db.close();
    store.addSample(sample(T0 + 900, { battery_charge: 42 }));
    store.rollupNow(T0 + 1000);
    const check = open(path);
    assert.deepEqual(check.prepare('SELECT ts, battery_charge_avg FROM agg_5min').all(), [
      { ts: T0 + 900, battery_charge_avg: 42 },
    ]);
    check.close();
    assert.equal(meta(path, 'agg_5min_watermark'), String(T0 + 900));
    await store.stop();
  });

  it('purges each tier at its rounded cutoff', () => {
    const path = join(dirs.make(), 'purge.db');
    const conn = new ConnectionPool().open(path);
    conn.close();
    const db = new Database(path);
    const now = T0 + 30 * HOUR + 2000;
    const rawCutoff = T0 + 29 * HOUR + 1800; // now − 1 h = T0+29h+2000, rounded down to 5 min
    const fiveCutoff = T0 + 6 * HOUR; // now − 1 d = T0+6h+2000, rounded down to the hour
    const longCutoff = now - 2 * DAY;
    const insert = (sql: string, values: number[]) => {
      for (const v of values) db.prepare(sql).run(v);
    };
    insert('INSERT INTO samples (ts) VALUES (?)', [rawCutoff - 1, rawCutoff, rawCutoff + 100]);
    insert('INSERT INTO agg_5min (ts) VALUES (?)', [
      fiveCutoff - 300,
      fiveCutoff,
      fiveCutoff + 1500,
    ]);
    insert('INSERT INTO agg_hourly (ts) VALUES (?)', [longCutoff - 1, longCutoff]);
    insert("INSERT INTO events (ts, event_type) VALUES (?, 'ON_BATTERY')", [
      longCutoff - 1,
      longCutoff,
    ]);
    insert('INSERT INTO battery_health (ts) VALUES (?)', [longCutoff - 1, longCutoff]);
    insert("INSERT INTO self_tests (started_ts, command) VALUES (?, 'test.battery.start')", [
      longCutoff - 1,
      longCutoff,
    ]);
    const deleted = purge(db, now, { rawHours: 1, agg5minDays: 1, aggHourlyDays: 2 });
    assert.equal(deleted, 6);
    const ts = (sql: string) => (db.prepare(sql).all() as { t: number }[]).map((r) => r.t);
    assert.deepEqual(ts('SELECT ts AS t FROM samples ORDER BY ts'), [rawCutoff, rawCutoff + 100]);
    assert.deepEqual(ts('SELECT ts AS t FROM agg_5min ORDER BY ts'), [
      fiveCutoff,
      fiveCutoff + 1500,
    ]);
    assert.deepEqual(ts('SELECT ts AS t FROM agg_hourly'), [longCutoff]);
    assert.deepEqual(ts('SELECT ts AS t FROM events'), [longCutoff]);
    assert.deepEqual(ts('SELECT ts AS t FROM battery_health'), [longCutoff]);
    assert.deepEqual(ts('SELECT started_ts AS t FROM self_tests'), [longCutoff]);
    db.close();
  });

  it('aggregates before purging, with retention changed at run time', async () => {
    const { store, path } = startStore();
    for (let i = 0; i < 4 * 12; i++) store.addSample(sample(T0 + i * 300, { battery_charge: i }));
    store.setRetention({ rawHours: 1, agg5minDays: 30, aggHourlyDays: 1825 });
    store.rollupNow(T0 + 4 * HOUR);
    const db = open(path);
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    assert.equal(
      n('SELECT COUNT(*) AS n FROM samples'),
      12,
      'only the last hour of raw rows is kept',
    );
    assert.equal(
      n('SELECT COUNT(*) AS n FROM agg_5min'),
      48,
      'every purged raw row was aggregated first',
    );
    assert.equal(n('SELECT COUNT(*) AS n FROM agg_hourly'), 4);
    db.close();
    await store.stop();
  });

  it('incremental rollups every 300 s (mid-bucket) give the same tiers as one full scan at the end', async () => {
    const incremental = startStore();
    const full = startStore();
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let t = 0; t < 5 * HOUR; t++) {
      if (random() < 0.1) continue; // missed polls
      const row = sample(T0 + t, {
        battery_charge: Math.round(random() * 100),
        ups_load: random() * 80,
        input_voltage: random() < 0.05 ? null : 220 + random() * 20,
        ups_temperature: 25 + random() * 10,
      });
      incremental.store.addSample(row);
      full.store.addSample(row);
      if ((t + 1) % 300 === 150) incremental.store.rollupNow(T0 + t + 1); // mid-bucket
    }
    incremental.store.rollupNow(T0 + 5 * HOUR);
    full.store.rollupNow(T0 + 5 * HOUR);
    const tiers = (path: string) => {
      const db = open(path);
      const round = (rows: unknown[]) =>
        rows.map((r) =>
          Object.fromEntries(
            Object.entries(r as Record<string, unknown>).map(([k, v]) => [
              k,
              typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v,
            ]),
          ),
        );
      const out = {
        five: round(db.prepare('SELECT * FROM agg_5min ORDER BY ts').all()),
        hourly: round(db.prepare('SELECT * FROM agg_hourly ORDER BY ts').all()),
      };
      db.close();
      return out;
    };
    const a = tiers(incremental.path);
    const b = tiers(full.path);
    assert.equal(a.five.length, 60);
    assert.equal(a.hourly.length, 5);
    assert.deepEqual(a, b);
    await incremental.store.stop();
    await full.store.stop();
  });
});
