/**
 * One per-UPS statistics database as seen by its writer: a schema attached to a connection
 * that `ConnectionPool` shares between up to ten files. Every statement names the schema, and
 * every write transaction is DEFERRED and starts by taking this file's write lock (a no-op
 * UPDATE), so it never locks the other files on the connection and never upgrades a read
 * snapshot (an upgrade can fail with SQLITE_BUSY without waiting). Only the sample insert (every
 * 10 s) stays prepared (~4 KiB of native memory per file); the rare statements are prepared per
 * operation and finalized when collected, so 1000 files do not keep dozens of statements each.
 * Every method may throw SQLite's error; `StatsStore` decides what a failure means.
 */
import Database from 'better-sqlite3';
import { aggregate, purge, type Retention } from './rollup.js';
import { SAMPLE_COLUMNS } from './sample.js';
import type { SampleValue } from './sample-buffer.js';

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

/**
 * Deletes exact (id, ts, event_type) matches from `schema`'s events, duplicates collapsed, in
 * one transaction; `lockFirst` runs first inside it (the shared connection takes its lock).
 */
export function deleteEventsIn(
  db: Database.Database,
  items: readonly EventKey[],
  schema = 'main',
  lockFirst: () => void = () => undefined,
): number {
  const unique = new Map<string, EventKey>();
  for (const item of items) unique.set(JSON.stringify([item.id, item.ts, item.eventType]), item);
  const del = db.prepare(`DELETE FROM ${schema}.events WHERE id = ? AND ts = ? AND event_type = ?`);
  return db.transaction((keys: EventKey[]): number => {
    lockFirst();
    let deleted = 0;
    for (const k of keys) deleted += del.run(k.id, k.ts, k.eventType).changes;
    return deleted;
  })([...unique.values()]);
}

export class StoreConnection {
  private closed = false;
  private readonly insertSample: Database.Statement;

  /** Made by `ConnectionPool.open`; `detach` gives the schema back to the pool. */
  constructor(
    private readonly db: Database.Database,
    private readonly schema: string,
    private readonly path: string,
    private readonly detach: () => void,
  ) {
    this.insertSample = db.prepare(
      `INSERT INTO ${schema}.samples (${SAMPLE_COLUMNS.join(', ')}) VALUES (${SAMPLE_COLUMNS.map(() => '?').join(', ')})`,
    );
  }

  /**
   * Per-file settings of the writer (core spec §6); journal_mode WAL is persistent in the file
   * and set when it is migrated. Page cache 512 KiB instead of 2 MiB, and the WAL trimmed after
   * checkpoints, so a process holding one file per UPS (1000 UPSes) stays small on RAM and disk.
   */
  applySettings(): void {
    this.db.pragma(`${this.schema}.synchronous = NORMAL`);
    this.db.pragma(`${this.schema}.cache_size = -512`);
    this.db.pragma(`${this.schema}.journal_size_limit = 4194304`);
    this.releaseMemory();
  }

  /** The file's effective settings (for diagnostics and tests). */
  settings(): {
    journalMode: string;
    synchronous: number;
    tempStore: number;
    busyTimeoutMs: number;
  } {
    const get = (name: string): unknown => this.db.pragma(name, { simple: true });
    return {
      journalMode: String(get(`${this.schema}.journal_mode`)),
      synchronous: Number(get(`${this.schema}.synchronous`)),
      tempStore: Number(get('temp_store')),
      busyTimeoutMs: Number(get('busy_timeout')),
    };
  }

  /** Inserts the rows `forEachRow` hands over (values in SAMPLE_COLUMNS order), one transaction. */
  insertSamples(forEachRow: (visit: (values: readonly SampleValue[]) => void) => void): void {
    this.write(() => forEachRow((values) => this.insertSample.run(values)));
  }

  /** Inserts the events in order; returns their ids. */
  insertEvents(events: readonly EventInput[]): number[] {
    const insert = this.db.prepare(
      `INSERT INTO ${this.schema}.events (ts, event_type, detail, notification_sent) VALUES (?, ?, ?, ?)`,
    );
    return this.write(() =>
      events.map((e) =>
        Number(insert.run(e.ts, e.eventType, e.detail, e.notificationSent ? 1 : 0).lastInsertRowid),
      ),
    );
  }

  /** Also releases the pages it read: the daemon reads meta of every store at start-up. */
  getMeta(key: string): string | null {
    const row = this.db.prepare(`SELECT value FROM ${this.schema}.meta WHERE key = ?`).get(key) as
      { value: string | null } | undefined;
    this.releaseMemory();
    return row?.value ?? null;
  }

  setMeta(entries: ReadonlyMap<string, string>): void {
    const upsert = this.db.prepare(
      `INSERT OR REPLACE INTO ${this.schema}.meta (key, value) VALUES (?, ?)`,
    );
    this.write(() => {
      for (const [key, value] of entries) upsert.run(key, value);
    });
  }

  /**
   * Aggregation then retention, one transaction, on a connection of its own that is closed
   * afterwards: its dozen statements are finalized at once instead of waiting for the garbage
   * collector, which for 1000 files would hold tens of MB of native memory (~4 KiB each).
   */
  rollup(nowSec: number, retention: Retention): { aggregated: number; purged: number } {
    const db = new Database(this.path, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 500');
      db.pragma('cache_size = -512');
      return db
        .transaction(() => ({
          aggregated: aggregate(db, nowSec),
          purged: purge(db, nowSec, retention),
        }))
        .immediate();
    } finally {
      db.close();
    }
  }

  deleteEvents(items: readonly EventKey[]): number {
    const deleted = deleteEventsIn(this.db, items, this.schema, () => this.lockFile());
    this.releaseMemory();
    return deleted;
  }

  /** Detaches the file; idempotent. Throws when SQLite refuses (the file then stays attached). */
  close(): void {
    if (this.closed) return;
    this.detach();
    this.closed = true;
  }

  /** One deferred transaction that holds only this file's write lock from its first step. */
  private write<T>(body: () => T): T {
    const result = this.db.transaction(() => {
      this.lockFile();
      return body();
    })();
    this.releaseMemory();
    return result;
  }

  private lockFile(): void {
    this.db.exec(`UPDATE ${this.schema}.meta SET value = value WHERE 0`);
  }

  /**
   * Frees the connection's page caches after each write or read. With one file per UPS the
   * caches of 1000 idle files would otherwise stay resident (~85 KiB each); the next
   * transaction re-reads its few pages from the OS page cache. Freed heap is only reused,
   * never returned to the OS, so a single moment where every file holds a cache (start-up)
   * would fix the process's RSS at that peak.
   */
  private releaseMemory(): void {
    this.db.exec('PRAGMA shrink_memory');
  }
}
