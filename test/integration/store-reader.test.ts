import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ConnectionPool } from '../../src/store/connection-pool.js';
import {
  HISTORY_METRICS,
  StatsReader,
  StoreError,
  deleteEvents,
  historyTier,
  type StoredEvent,
} from '../../src/store/index.js';
import { tempDirs } from './store-support.js';

const dirs = tempDirs();
after(() => dirs.cleanup());

const NOW = 1_800_000_000;
const DAY = 86_400;

/** A v7 database with distinguishable values per tier: raw 1, 5-minute 2, hourly 3. */
function historyDb(): string {
  const path = join(dirs.make(), 'history.db');
  new ConnectionPool().open(path).close();
  const db = new Database(path);
  const raw = db.prepare(
    'INSERT INTO samples (ts, battery_charge, depletion_rate, ups_load) VALUES (?, 1, 0.5, ?)',
  );
  for (const ts of [NOW - DAY - 1, NOW - DAY, NOW - 10, NOW])
    raw.run(ts, ts === NOW - 10 ? null : 20);
  const five = db.prepare(
    'INSERT INTO agg_5min (ts, battery_charge_avg, ups_load_avg) VALUES (?, 2, 20)',
  );
  for (const ts of [NOW - 31 * DAY, NOW - 30 * DAY, NOW - 300]) five.run(ts);
  const hourly = db.prepare(
    'INSERT INTO agg_hourly (ts, battery_charge_avg, ups_temperature_avg) VALUES (?, 3, NULL)',
  );
  for (const ts of [NOW - 400 * DAY, NOW - 3600]) hourly.run(ts);
  db.close();
  return path;
}

describe('StatsReader.history', () => {
  let path = '';
  let reader: StatsReader;
  before(() => {
    path = historyDb();
    const opened = StatsReader.open(path);
    assert.ok(opened);
    reader = opened;
  });
  after(() => reader.close());

  it('returns null for a missing file', () => {
    assert.equal(StatsReader.open(join(dirs.make(), 'absent.db')), null);
  });

  it('maps every API metric name to its column', () => {
    assert.deepEqual(HISTORY_METRICS, {
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
  });

  it('reads raw samples for spans up to 24 h, bounds inclusive, ascending', () => {
    assert.equal(historyTier(NOW - DAY, NOW), 'samples');
    assert.deepEqual(reader.history('battery_charge', NOW - DAY, NOW), [
      { ts: NOW - DAY, value: 1 },
      { ts: NOW - 10, value: 1 },
      { ts: NOW, value: 1 },
    ]);
  });

  it('skips NULLs', () => {
    assert.deepEqual(reader.history('ups_load', NOW - DAY, NOW), [
      { ts: NOW - DAY, value: 20 },
      { ts: NOW, value: 20 },
    ]);
    assert.deepEqual(reader.history('ups_temperature', NOW - 400 * DAY, NOW), []);
  });

  it('reads the 5-minute averages for spans over 24 h up to 30 days', () => {
    assert.equal(historyTier(NOW - DAY - 1, NOW), 'agg_5min');
    assert.deepEqual(reader.history('battery_charge', NOW - DAY - 1, NOW), [
      { ts: NOW - 300, value: 2 },
    ]);
    assert.deepEqual(reader.history('battery_charge', NOW - 30 * DAY, NOW), [
      { ts: NOW - 30 * DAY, value: 2 },
      { ts: NOW - 300, value: 2 },
    ]);
  });

  it('reads the hourly averages beyond 30 days', () => {
    assert.equal(historyTier(NOW - 30 * DAY - 1, NOW), 'agg_hourly');
    assert.deepEqual(reader.history('battery_charge', NOW - 30 * DAY - 1, NOW), [
      { ts: NOW - 3600, value: 3 },
    ]);
    assert.deepEqual(reader.history('battery_charge', NOW - 500 * DAY, NOW), [
      { ts: NOW - 400 * DAY, value: 3 },
      { ts: NOW - 3600, value: 3 },
    ]);
  });

  it('has depletion only in the raw tier (empty beyond 24 h)', () => {
    assert.equal(reader.history('depletion_rate', NOW - 10, NOW).length, 2);
    assert.deepEqual(reader.history('depletion_rate', NOW - DAY - 1, NOW), []);
    assert.deepEqual(reader.history('depletion_rate', NOW - 100 * DAY, NOW), []);
  });

  it('reads power inputs per tier, keeping rows with NULLs', () => {
    const raw = reader.power(NOW - 10, NOW);
    assert.equal(raw.tier, 'samples');
    assert.deepEqual(raw.points, [
      { ts: NOW - 10, realPowerW: null, loadPct: null, powerNominalW: null },
      { ts: NOW, realPowerW: null, loadPct: 20, powerNominalW: null },
    ]);
    const five = reader.power(NOW - 2 * DAY, NOW);
    assert.equal(five.tier, 'agg_5min');
    assert.deepEqual(five.points, [
      { ts: NOW - 300, realPowerW: null, loadPct: 20, powerNominalW: null },
    ]);
    assert.equal(reader.power(NOW - 365 * DAY, NOW).tier, 'agg_hourly');
  });

  it('rejects a column that is not a history column', () => {
    assert.throws(
      () => reader.history('status' as never, NOW - 10, NOW),
      (e: unknown) => e instanceof StoreError,
    );
  });

  it('opens read-only: writes through the reader are impossible', () => {
    assert.throws(
      () => (reader as unknown as { db: Database.Database }).db.exec('DELETE FROM samples'),
      /readonly/,
    );
  });
});

describe('StatsReader.events', () => {
  let path = '';
  let reader: StatsReader;
  // id: ts, type — ids deliberately not in ts order for id 8.
  const rows: [number, string][] = [
    [100, 'DAEMON_START'],
    [100, 'ON_BATTERY'],
    [101, 'SLOW_NUT_RESPONSE'],
    [102, 'POWER_RESTORED'],
    [102, 'ON_BATTERY'],
    [102, 'AVR_BOOST_ACTIVE'],
    [105, 'POWER_RESTORED'],
    [99, 'ON_BATTERY'],
  ];
  const ids = (events: StoredEvent[]) => events.map((e) => e.id);

  before(() => {
    path = join(dirs.make(), 'events.db');
    new ConnectionPool().open(path).close();
    const db = new Database(path);
    const insert = db.prepare(
      'INSERT INTO events (ts, event_type, detail, notification_sent) VALUES (?, ?, ?, ?)',
    );
    for (const [ts, type] of rows)
      insert.run(ts, type, type === 'SLOW_NUT_RESPONSE' ? null : `d${ts}`, 1);
    db.close();
    const opened = StatsReader.open(path);
    assert.ok(opened);
    reader = opened;
  });
  after(() => reader.close());

  it('returns the newest matches ordered ts DESC, id DESC with every column', () => {
    const events = reader.events({ upperTs: 1000, limit: 100 });
    assert.deepEqual(ids(events), [7, 6, 5, 4, 3, 2, 1, 8]);
    assert.deepEqual(events[4], {
      id: 3,
      ts: 101,
      event_type: 'SLOW_NUT_RESPONSE',
      detail: null,
      notification_sent: 1,
    });
  });

  it('keeps only the newest `limit` rows', () => {
    assert.deepEqual(ids(reader.events({ upperTs: 1000, limit: 3 })), [7, 6, 5]);
  });

  it('treats upperTs and fromSec as inclusive bounds', () => {
    assert.deepEqual(
      ids(reader.events({ upperTs: 102, fromSec: 100, limit: 100 })),
      [6, 5, 4, 3, 2, 1],
    );
    assert.deepEqual(ids(reader.events({ upperTs: 101, fromSec: 101, limit: 100 })), [3]);
  });

  it('pages with the strictlyBefore cursor: ts < T or (ts == T and id < I)', () => {
    const page = reader.events({ upperTs: 102, strictlyBefore: { ts: 102, id: 5 }, limit: 100 });
    assert.deepEqual(ids(page), [4, 3, 2, 1, 8]);
    assert.deepEqual(
      ids(reader.events({ upperTs: 102, strictlyBefore: { ts: 102, id: 4 }, limit: 2 })),
      [3, 2],
    );
    assert.deepEqual(
      ids(reader.events({ upperTs: 99, strictlyBefore: { ts: 99, id: 8 }, limit: 2 })),
      [],
    );
  });

  it('filters by included and excluded types', () => {
    const power = new Set(['ON_BATTERY', 'POWER_RESTORED']);
    assert.deepEqual(
      ids(reader.events({ upperTs: 1000, limit: 100, includeTypes: power })),
      [7, 5, 4, 2, 8],
    );
    const lifecycle = new Set(['DAEMON_START']);
    assert.deepEqual(
      ids(reader.events({ upperTs: 1000, limit: 100, excludeTypes: lifecycle })),
      [7, 6, 5, 4, 3, 2, 8],
    );
    assert.deepEqual(
      ids(reader.events({ upperTs: 1000, limit: 100, includeTypes: new Set() })),
      [],
    );
    assert.deepEqual(
      ids(reader.events({ upperTs: 1000, limit: 100, excludeTypes: new Set() })).length,
      8,
    );
    assert.deepEqual(
      ids(
        reader.events({
          upperTs: 1000,
          limit: 1,
          includeTypes: power,
          excludeTypes: new Set(['POWER_RESTORED']),
        }),
      ),
      [5],
    );
  });
});

describe('StatsReader on unusual files', () => {
  it('reads a database of an older version without aggregate tables as empty', () => {
    const path = join(dirs.make(), 'old.db');
    const db = new Database(path);
    db.exec('CREATE TABLE samples (ts INTEGER NOT NULL, battery_charge REAL)');
    db.prepare('INSERT INTO samples VALUES (?, 50)').run(NOW);
    db.close();
    const reader = StatsReader.open(path);
    assert.ok(reader);
    assert.deepEqual(reader.history('battery_charge', NOW - 10, NOW), [{ ts: NOW, value: 50 }]);
    assert.deepEqual(reader.history('battery_charge', NOW - 40 * DAY, NOW), []);
    assert.deepEqual(reader.history('ups_load', NOW - 10, NOW), []);
    assert.deepEqual(reader.events({ upperTs: NOW, limit: 10 }), []);
    assert.equal(reader.meta('schema_version'), null);
    reader.close();
  });

  it('reads while another connection holds the write lock (WAL)', () => {
    const path = historyDb();
    const locker = new Database(path);
    locker.exec(
      'BEGIN EXCLUSIVE; INSERT INTO samples (ts, battery_charge) VALUES (' + NOW + ', 99)',
    );
    const reader = StatsReader.open(path);
    assert.ok(reader);
    const started = performance.now();
    assert.equal(
      reader.history('battery_charge', NOW - 10, NOW).length,
      2,
      'uncommitted row not visible',
    );
    assert.ok(performance.now() - started < 400, 'the read did not wait for the lock');
    locker.exec('COMMIT');
    assert.equal(
      reader.history('battery_charge', NOW - 10, NOW).length,
      3,
      'committed row visible to a cached reader',
    );
    locker.close();
    reader.close();
  });

  it('reports a corrupt file as STORE_READ_FAILED', () => {
    const path = join(dirs.make(), 'corrupt.db');
    writeFileSync(path, 'garbage '.repeat(1000));
    const isReadFailure = (e: unknown) => e instanceof StoreError && e.code === 'STORE_READ_FAILED';
    let reader: StatsReader | null = null;
    try {
      reader = StatsReader.open(path);
    } catch (e) {
      assert.ok(isReadFailure(e));
    }
    if (reader !== null) {
      const opened = reader;
      assert.throws(() => opened.events({ upperTs: NOW, limit: 10 }), isReadFailure);
      opened.close();
    }
  });
});

describe('deleteEvents', () => {
  function eventsDb(): string {
    const path = join(dirs.make(), 'del.db');
    new ConnectionPool().open(path).close();
    const db = new Database(path);
    const insert = db.prepare('INSERT INTO events (ts, event_type) VALUES (?, ?)');
    insert.run(100, 'ON_BATTERY');
    insert.run(101, 'POWER_RESTORED');
    insert.run(102, 'ON_BATTERY');
    db.close();
    return path;
  }
  const remaining = (path: string) => {
    const db = new Database(path, { readonly: true });
    const left = (db.prepare('SELECT id FROM events ORDER BY id').all() as { id: number }[]).map(
      (r) => r.id,
    );
    db.close();
    return left;
  };

  it('deletes only exact (id, ts, event_type) matches and collapses duplicates', () => {
    const path = eventsDb();
    const n = deleteEvents(path, [
      { id: 1, ts: 100, eventType: 'ON_BATTERY' },
      { id: 1, ts: 100, eventType: 'ON_BATTERY' },
      { id: 2, ts: 999, eventType: 'POWER_RESTORED' },
      { id: 3, ts: 102, eventType: 'on_battery' },
      { id: 42, ts: 100, eventType: 'ON_BATTERY' },
    ]);
    assert.equal(n, 1);
    assert.deepEqual(remaining(path), [2, 3]);
    assert.equal(deleteEvents(path, []), 0);
  });

  it('throws STORE_UNAVAILABLE for a missing database', () => {
    assert.throws(
      () => deleteEvents(join(dirs.make(), 'missing.db'), [{ id: 1, ts: 1, eventType: 'X' }]),
      (e: unknown) => e instanceof StoreError && e.code === 'STORE_UNAVAILABLE',
    );
  });
});
