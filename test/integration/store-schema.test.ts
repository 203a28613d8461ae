import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ConnectionPool } from '../../src/store/connection-pool.js';
import { TABLES } from '../../src/store/schema.js';
import { StatsStore } from '../../src/store/index.js';
import { RETENTION, recordingLogger, tempDirs } from './store-support.js';

const dirs = tempDirs();
after(() => dirs.cleanup());

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

function indexes(db: Database.Database): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%' ORDER BY name",
      )
      .all() as {
      name: string;
    }[]
  ).map((r) => r.name);
}

describe('store schema v7', () => {
  it('creates every table, column and index of the spec, with schema_version 7', async () => {
    const path = join(dirs.make(), 'default.db');
    const store = new StatsStore({ path, retention: RETENTION, logger: recordingLogger() });
    store.start();
    await store.stop();
    const db = new Database(path, { readonly: true });
    assert.deepEqual(
      (
        db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
          )
          .all() as {
          name: string;
        }[]
      ).map((r) => r.name),
      [
        'agg_5min',
        'agg_hourly',
        'battery_health',
        'events',
        'meta',
        'notifications',
        'samples',
        'self_tests',
      ],
    );
    assert.deepEqual(columns(db, 'samples'), [
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
    ]);
    assert.deepEqual(columns(db, 'agg_5min'), columns(db, 'agg_hourly'));
    assert.equal(columns(db, 'agg_5min').length, 20);
    assert.deepEqual(columns(db, 'events'), [
      'id',
      'ts',
      'event_type',
      'detail',
      'notification_sent',
    ]);
    assert.deepEqual(columns(db, 'notifications'), [
      'id',
      'ts',
      'body',
      'notify_type',
      'category',
      'status',
      'attempts',
      'sent_at',
      'delivering_at',
      'cancel_reason',
    ]);
    assert.deepEqual(columns(db, 'battery_health'), [
      'ts',
      'score',
      'capacity',
      'runtime',
      'self_test',
      'anomaly',
      'age',
      'detail',
    ]);
    assert.deepEqual(columns(db, 'self_tests'), [
      'id',
      'started_ts',
      'command',
      'result_raw',
      'result_enum',
      'result_date',
      'source',
    ]);
    assert.deepEqual(indexes(db), [
      'idx_events_ts',
      'idx_notifications_status_ts',
      'idx_samples_ts',
      'idx_self_tests_started',
    ]);
    const eventsSql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events'").get() as {
      sql: string;
    };
    assert.match(eventsSql.sql, /id INTEGER PRIMARY KEY AUTOINCREMENT/);
    assert.deepEqual(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get(), {
      value: '7',
    });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  it('applies the writer pragmas: WAL, synchronous=NORMAL, temp_store=MEMORY, busy_timeout=500', () => {
    const conn = new ConnectionPool().open(join(dirs.make(), 'x.db'));
    assert.deepEqual(conn.settings(), {
      journalMode: 'wal',
      synchronous: 1,
      tempStore: 2,
      busyTimeoutMs: 500,
    });
    conn.close();
  });

  it('migrates an older file additively and idempotently, keeping its rows and event ids', async () => {
    const path = join(dirs.make(), 'old.db');
    const old = new Database(path);
    old.exec(`
      CREATE TABLE samples (ts INTEGER NOT NULL, status TEXT, battery_charge REAL, battery_runtime REAL, ups_load REAL,
        input_voltage REAL, output_voltage REAL, depletion_rate REAL, time_on_battery INTEGER, connection_state TEXT);
      CREATE TABLE events (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, event_type TEXT NOT NULL, detail TEXT);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
      INSERT INTO meta VALUES ('schema_version', '3'), ('last_seen_version', '5.2.0');
      INSERT INTO samples (ts, status, battery_charge) VALUES (100, 'OL', 99);
      INSERT INTO events (id, ts, event_type, detail) VALUES (1, 10, 'ON_BATTERY', 'a'), (7, 20, 'POWER_RESTORED', 'b');
    `);
    old.close();
    for (let run = 0; run < 2; run++) {
      const store = new StatsStore({ path, retention: RETENTION, logger: recordingLogger() });
      store.start();
      assert.equal(store.health().open, true);
      assert.equal(store.health().writeFailures, 0);
      if (run === 0) {
        const db = new Database(path);
        db.prepare('DELETE FROM events WHERE id = 7').run();
        db.close();
        assert.equal(
          store.recordEvent({
            ts: 30,
            eventType: 'ON_BATTERY',
            detail: 'c',
            notificationSent: true,
          }),
          8,
        );
      }
      await store.stop();
    }
    const db = new Database(path, { readonly: true });
    for (const [table, cols] of Object.entries(TABLES)) {
      assert.deepEqual(columns(db, table).sort(), cols.map(([n]) => n).sort(), table);
    }
    assert.deepEqual(
      db.prepare('SELECT ts, status, battery_charge, real_power FROM samples').all(),
      [{ ts: 100, status: 'OL', battery_charge: 99, real_power: null }],
    );
    assert.deepEqual(db.prepare('SELECT id, notification_sent FROM events ORDER BY id').all(), [
      { id: 1, notification_sent: 1 },
      { id: 8, notification_sent: 1 },
    ]);
    assert.deepEqual(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get(), {
      value: '7',
    });
    assert.deepEqual(db.prepare("SELECT value FROM meta WHERE key = 'last_seen_version'").get(), {
      value: '5.2.0',
    });
    db.close();
  });

  it('keeps a newer schema_version instead of downgrading it', async () => {
    const path = join(dirs.make(), 'new.db');
    const db = new Database(path);
    db.exec(
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('schema_version', '9')",
    );
    db.close();
    const store = new StatsStore({ path, retention: RETENTION, logger: recordingLogger() });
    store.start();
    assert.equal(store.getMeta('schema_version'), '9');
    await store.stop();
  });
});
