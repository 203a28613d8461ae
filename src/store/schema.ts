/**
 * Schema v7 of a per-UPS statistics database (core spec §6) and its migration. Migrations are
 * additive and idempotent: missing tables, columns and indexes are created, nothing is dropped,
 * so a file written by the original daemon (or an older eneru) opens unchanged. The one
 * rebuild is an `events` table without AUTOINCREMENT, because event ids must never be reused.
 */
import type Database from 'better-sqlite3';

export const SCHEMA_VERSION = 7;

type Columns = readonly (readonly [name: string, decl: string])[];

const REAL = 'REAL';

const SAMPLES: Columns = [
  ['ts', 'INTEGER NOT NULL'],
  ['status', 'TEXT'],
  ['battery_charge', REAL],
  ['battery_runtime', REAL],
  ['ups_load', REAL],
  ['input_voltage', REAL],
  ['output_voltage', REAL],
  ['depletion_rate', REAL],
  ['time_on_battery', 'INTEGER'],
  ['connection_state', 'TEXT'],
  ['battery_voltage', REAL],
  ['ups_temperature', REAL],
  ['input_frequency', REAL],
  ['output_frequency', REAL],
  ['real_power', REAL],
  ['power_nominal', REAL],
];

const AGG: Columns = [
  ['ts', 'INTEGER PRIMARY KEY'],
  ['battery_charge_avg', REAL],
  ['battery_charge_min', REAL],
  ['battery_charge_max', REAL],
  ['battery_runtime_avg', REAL],
  ['ups_load_avg', REAL],
  ['ups_load_max', REAL],
  ['input_voltage_avg', REAL],
  ['input_voltage_min', REAL],
  ['input_voltage_max', REAL],
  ['samples_count', 'INTEGER'],
  ['output_voltage_avg', REAL],
  ['battery_voltage_avg', REAL],
  ['ups_temperature_avg', REAL],
  ['ups_temperature_min', REAL],
  ['ups_temperature_max', REAL],
  ['input_frequency_avg', REAL],
  ['output_frequency_avg', REAL],
  ['real_power_avg', REAL],
  ['power_nominal_avg', REAL],
];

const EVENTS: Columns = [
  ['id', 'INTEGER PRIMARY KEY AUTOINCREMENT'],
  ['ts', 'INTEGER NOT NULL'],
  ['event_type', 'TEXT NOT NULL'],
  ['detail', 'TEXT'],
  ['notification_sent', 'INTEGER DEFAULT 1'],
];

const META: Columns = [
  ['key', 'TEXT PRIMARY KEY'],
  ['value', 'TEXT'],
];

const NOTIFICATIONS: Columns = [
  ['id', 'INTEGER PRIMARY KEY AUTOINCREMENT'],
  ['ts', 'INTEGER NOT NULL'],
  ['body', 'TEXT NOT NULL'],
  ['notify_type', 'TEXT NOT NULL'],
  ['category', 'TEXT NOT NULL'],
  ['status', "TEXT NOT NULL DEFAULT 'pending'"],
  ['attempts', 'INTEGER NOT NULL DEFAULT 0'],
  ['sent_at', 'INTEGER'],
  ['delivering_at', 'INTEGER'],
  ['cancel_reason', 'TEXT'],
];

const BATTERY_HEALTH: Columns = [
  ['ts', 'INTEGER PRIMARY KEY'],
  ['score', REAL],
  ['capacity', REAL],
  ['runtime', REAL],
  ['self_test', REAL],
  ['anomaly', REAL],
  ['age', REAL],
  ['detail', 'TEXT'],
];

const SELF_TESTS: Columns = [
  ['id', 'INTEGER PRIMARY KEY AUTOINCREMENT'],
  ['started_ts', 'INTEGER NOT NULL'],
  ['command', 'TEXT NOT NULL'],
  ['result_raw', 'TEXT'],
  ['result_enum', 'TEXT'],
  ['result_date', 'TEXT'],
  ['source', 'TEXT'],
];

/** Every table of schema v7 with its columns, in creation order. */
export const TABLES: Readonly<Record<string, Columns>> = {
  samples: SAMPLES,
  agg_5min: AGG,
  agg_hourly: AGG,
  events: EVENTS,
  meta: META,
  notifications: NOTIFICATIONS,
  battery_health: BATTERY_HEALTH,
  self_tests: SELF_TESTS,
};

const INDEXES = [
  'CREATE INDEX IF NOT EXISTS idx_samples_ts ON samples(ts)',
  'CREATE INDEX IF NOT EXISTS idx_events_ts ON events(ts)',
  'CREATE INDEX IF NOT EXISTS idx_notifications_status_ts ON notifications(status, ts)',
  'CREATE INDEX IF NOT EXISTS idx_self_tests_started ON self_tests(started_ts)',
];

function createSql(table: string, columns: Columns): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (${columns.map(([n, d]) => `${n} ${d}`).join(', ')})`;
}

/** SQLite refuses ADD COLUMN with NOT NULL and no default or with PRIMARY KEY: relax those. */
function addableDecl(decl: string): string {
  const withoutKey = decl.replace(/PRIMARY KEY( AUTOINCREMENT)?/, '').trim();
  return /NOT NULL/.test(withoutKey) && !/DEFAULT/.test(withoutKey)
    ? withoutKey.replace('NOT NULL', '').trim()
    : withoutKey;
}

function addMissingColumns(db: Database.Database, table: string, columns: Columns): void {
  const present = new Set(
    (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name),
  );
  for (const [name, decl] of columns) {
    if (!present.has(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${addableDecl(decl)}`);
  }
}

/** An `events` table created without AUTOINCREMENT would reuse the id of a deleted newest row. */
function ensureEventsAutoincrement(db: Database.Database): void {
  const row = db
    .prepare("SELECT sql FROM sqlite_master WHERE type='table' AND name='events'")
    .get() as { sql: string } | undefined;
  if (row === undefined || /AUTOINCREMENT/i.test(row.sql)) return;
  const names = EVENTS.map(([n]) => n).join(', ');
  db.exec('DROP INDEX IF EXISTS idx_events_ts');
  db.exec('ALTER TABLE events RENAME TO events_pre_v7');
  db.exec(createSql('events', EVENTS));
  db.exec(`INSERT INTO events (${names}) SELECT ${names} FROM events_pre_v7`);
  db.exec('DROP TABLE events_pre_v7');
}

/** Brings `db` to schema v7 in one transaction; returns the version found before. */
export function migrate(db: Database.Database): number | null {
  return db
    .transaction((): number | null => {
      db.exec(createSql('meta', META));
      const found = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
        { value: string } | undefined;
      for (const [table, columns] of Object.entries(TABLES)) {
        db.exec(createSql(table, columns));
        addMissingColumns(db, table, columns);
      }
      ensureEventsAutoincrement(db);
      for (const sql of INDEXES) db.exec(sql);
      const previous = found === undefined ? null : Number.parseInt(found.value, 10);
      // A newer daemon's version is kept: its extra tables and columns are simply ignored.
      if (previous === null || Number.isNaN(previous) || previous < SCHEMA_VERSION) {
        db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(
          String(SCHEMA_VERSION),
        );
      }
      return previous === null || Number.isNaN(previous) ? null : previous;
    })
    .immediate();
}

/**
 * Settings of the connection that migrates a file: WAL is persistent in the file, so the
 * shared connection the file is attached to afterwards writes to it in WAL mode too.
 */
export function applyWriterPragmas(db: Database.Database): void {
  db.pragma('busy_timeout = 500');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}
