/**
 * The writer's SQLite connection to one per-UPS database: opening (directory, pragmas,
 * migration), prepared statements and the write operations, each one transaction. Every
 * method may throw SQLite's error; `StatsStore` decides what a failure means.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { aggregate, purge, type Retention } from './rollup.js';
import { SAMPLE_COLUMNS, type SampleRow } from './sample.js';
import { applyWriterPragmas, migrate } from './schema.js';

export interface EventInput {
  ts: number;
  eventType: string;
  detail: string;
  notificationSent: boolean;
}

export interface EventKey {
  id: number;
  ts: number;
  eventType: string;
}

/** Deletes exact (id, ts, event_type) matches, duplicates collapsed, in one transaction. */
export function deleteEventsIn(db: Database.Database, items: readonly EventKey[]): number {
  const unique = new Map<string, EventKey>();
  for (const item of items) unique.set(JSON.stringify([item.id, item.ts, item.eventType]), item);
  const del = db.prepare('DELETE FROM events WHERE id = ? AND ts = ? AND event_type = ?');
  return db
    .transaction((keys: EventKey[]): number => {
      let deleted = 0;
      for (const k of keys) deleted += del.run(k.id, k.ts, k.eventType).changes;
      return deleted;
    })
    .immediate([...unique.values()]);
}

export class StoreConnection {
  private readonly insertSample: Database.Statement;
  private readonly insertEvent: Database.Statement;
  private readonly selectMeta: Database.Statement;
  private readonly upsertMeta: Database.Statement;
  private readonly shrinkMemory: Database.Statement;

  private constructor(private readonly db: Database.Database) {
    this.insertSample = db.prepare(
      `INSERT INTO samples (${SAMPLE_COLUMNS.join(', ')}) VALUES (${SAMPLE_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.insertEvent = db.prepare(
      'INSERT INTO events (ts, event_type, detail, notification_sent) VALUES (?, ?, ?, ?)',
    );
    this.selectMeta = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.upsertMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    this.shrinkMemory = db.prepare('PRAGMA shrink_memory');
    this.releaseMemory();
  }

  /**
   * Frees this connection's page cache (its 20-page bulk block included) after each write or
   * read. With one connection per UPS the caches of 1000 idle stores would otherwise stay
   * resident (~85 KiB each); the next transaction re-reads its few pages from the OS page
   * cache. Freed heap is only reused, never returned to the OS, so a single moment where
   * every store holds a cache (start-up) would fix the process's RSS at that peak.
   */
  private releaseMemory(): void {
    this.shrinkMemory.run();
  }

  /** Creates the directory if needed, opens, applies pragmas and migrates to schema v7. */
  static open(path: string): StoreConnection {
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      applyWriterPragmas(db);
      migrate(db);
      return new StoreConnection(db);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** The connection's effective settings (for diagnostics and tests). */
  settings(): {
    journalMode: string;
    synchronous: number;
    tempStore: number;
    busyTimeoutMs: number;
  } {
    const get = (name: string): unknown => this.db.pragma(name, { simple: true });
    return {
      journalMode: String(get('journal_mode')),
      synchronous: Number(get('synchronous')),
      tempStore: Number(get('temp_store')),
      busyTimeoutMs: Number(get('busy_timeout')),
    };
  }

  insertSamples(rows: readonly SampleRow[]): void {
    this.db
      .transaction(() => {
        for (const r of rows) {
          this.insertSample.run(
            r.ts,
            r.status,
            r.battery_charge,
            r.battery_runtime,
            r.ups_load,
            r.input_voltage,
            r.output_voltage,
            r.depletion_rate,
            r.time_on_battery,
            r.connection_state,
            r.battery_voltage,
            r.ups_temperature,
            r.input_frequency,
            r.output_frequency,
            r.real_power,
            r.power_nominal,
          );
        }
      })
      .immediate();
    this.releaseMemory();
  }

  /** Inserts the events in order; returns their ids. */
  insertEvents(events: readonly EventInput[]): number[] {
    const ids = this.db
      .transaction((): number[] =>
        events.map((e) =>
          Number(
            this.insertEvent.run(e.ts, e.eventType, e.detail, e.notificationSent ? 1 : 0)
              .lastInsertRowid,
          ),
        ),
      )
      .immediate();
    this.releaseMemory();
    return ids;
  }

  /** Also releases the pages it read: the daemon reads meta of every store at start-up. */
  getMeta(key: string): string | null {
    const row = this.selectMeta.get(key) as { value: string | null } | undefined;
    this.releaseMemory();
    return row?.value ?? null;
  }

  setMeta(entries: ReadonlyMap<string, string>): void {
    this.db
      .transaction(() => {
        for (const [key, value] of entries) this.upsertMeta.run(key, value);
      })
      .immediate();
    this.releaseMemory();
  }

  /**
   * Aggregation then retention, one transaction. Its statements are prepared per run and then
   * dropped (finalized when collected): kept for a run every 300 s they cost ~30 KiB per store.
   */
  rollup(nowSec: number, retention: Retention): { aggregated: number; purged: number } {
    const statements = new Map<string, Database.Statement>();
    const preparer = {
      prepare: (sql: string): Database.Statement => {
        let stmt = statements.get(sql);
        if (stmt === undefined) {
          stmt = this.db.prepare(sql);
          statements.set(sql, stmt);
        }
        return stmt;
      },
    };
    const result = this.db
      .transaction(() => ({
        aggregated: aggregate(preparer, nowSec),
        purged: purge(preparer, nowSec, retention),
      }))
      .immediate();
    this.releaseMemory();
    return result;
  }

  deleteEvents(items: readonly EventKey[]): number {
    const deleted = deleteEventsIn(this.db, items);
    this.releaseMemory();
    return deleted;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
