/**
 * Read side of a per-UPS statistics database for the HTTP API and the CLI (observability spec
 * §3.5): history by span tier and the events page query of one database (the HTTP layer merges
 * databases). Connections are read-only, so a reader can never block or damage the writer.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { deleteEventsIn, type EventKey } from './connection.js';
import { StoreError } from './errors.js';
import {
  RAW_ONLY_COLUMNS,
  historyTier,
  isHistoryColumn,
  type HistoryColumn,
  type HistoryTier,
} from './history-metrics.js';

export interface StoredEvent {
  id: number;
  ts: number;
  event_type: string;
  detail: string | null;
  notification_sent: number;
}

export interface EventsQuery {
  /** Inclusive lower bound (epoch seconds). */
  fromSec?: number;
  /** Inclusive upper bound (epoch seconds). */
  upperTs: number;
  /** Cursor: only rows strictly older, i.e. `ts < T or (ts == T and id < I)`. */
  strictlyBefore?: { ts: number; id: number } | null;
  limit: number;
  includeTypes?: ReadonlySet<string> | null;
  excludeTypes?: ReadonlySet<string> | null;
}

export interface HistoryPoint {
  ts: number;
  value: number;
}

/** One row of the power inputs (energy, `/power`): raw values or the tier's averages. */
export interface PowerPoint {
  ts: number;
  realPowerW: number | null;
  loadPct: number | null;
  powerNominalW: number | null;
}

function isMissingTable(err: unknown): boolean {
  return err instanceof Error && /no such (table|column)/.test(err.message);
}

export class StatsReader {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(private readonly db: Database.Database) {}

  /** Opens `path` read-only; null when the file does not exist. Throws STORE_READ_FAILED. */
  static open(path: string): StatsReader | null {
    if (!existsSync(path)) return null;
    try {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 500');
      return new StatsReader(db);
    } catch (err) {
      if (!existsSync(path)) return null;
      throw new StoreError('STORE_READ_FAILED', `cannot open statistics database ${path}`, {
        cause: err,
      });
    }
  }

  /** Points of `column` in [fromSec, toSec], ascending, NULLs skipped, tier chosen by span. */
  history(column: HistoryColumn, fromSec: number, toSec: number): HistoryPoint[] {
    if (!isHistoryColumn(column)) {
      throw new StoreError('STORE_READ_FAILED', `unknown history column ${String(column)}`);
    }
    const tier = historyTier(fromSec, toSec);
    if (tier !== 'samples' && RAW_ONLY_COLUMNS.has(column)) return [];
    const source = tier === 'samples' ? column : `${column}_avg`;
    const sql = `SELECT ts, ${source} AS value FROM ${tier}
      WHERE ts >= ? AND ts <= ? AND ${source} IS NOT NULL ORDER BY ts`;
    return this.run(() => this.statement(sql).all(fromSec, toSec) as HistoryPoint[], []);
  }

  /**
   * Real power, load and nominal power in [fromSec, toSec], ascending, from the tier chosen by
   * span like `history` (core spec §3.7: energy and `/power` are computed on read). Rows are
   * kept even when a value is NULL, because a gap in power is itself information (`partial`).
   */
  power(fromSec: number, toSec: number): { tier: HistoryTier; points: PowerPoint[] } {
    const tier = historyTier(fromSec, toSec);
    const col = (name: string): string => (tier === 'samples' ? name : `${name}_avg`);
    const sql = `SELECT ts, ${col('real_power')} AS realPowerW, ${col('ups_load')} AS loadPct,
      ${col('power_nominal')} AS powerNominalW FROM ${tier} WHERE ts >= ? AND ts <= ? ORDER BY ts`;
    const points = this.run(() => this.statement(sql).all(fromSec, toSec) as PowerPoint[], []);
    return { tier, points };
  }

  /** The newest `limit` matching events, ordered ts DESC, id DESC. */
  events(q: EventsQuery): StoredEvent[] {
    if (q.includeTypes && q.includeTypes.size === 0) return [];
    const where = ['ts <= @upper'];
    const params: Record<string, number | string> = { upper: q.upperTs, limit: q.limit };
    if (q.fromSec !== undefined) {
      where.push('ts >= @from');
      params.from = q.fromSec;
    }
    if (q.strictlyBefore) {
      where.push('(ts < @beforeTs OR (ts = @beforeTs AND id < @beforeId))');
      params.beforeTs = q.strictlyBefore.ts;
      params.beforeId = q.strictlyBefore.id;
    }
    if (q.includeTypes) {
      where.push('event_type IN (SELECT value FROM json_each(@include))');
      params.include = JSON.stringify([...q.includeTypes]);
    }
    if (q.excludeTypes && q.excludeTypes.size > 0) {
      where.push('event_type NOT IN (SELECT value FROM json_each(@exclude))');
      params.exclude = JSON.stringify([...q.excludeTypes]);
    }
    const sql = `SELECT id, ts, event_type, detail, notification_sent FROM events
      WHERE ${where.join(' AND ')} ORDER BY ts DESC, id DESC LIMIT @limit`;
    return this.run(() => this.statement(sql).all(params) as StoredEvent[], []);
  }

  /** A meta value (`schema_version`, watermarks, ...), or null. */
  meta(key: string): string | null {
    const row = this.run(
      () =>
        this.statement('SELECT value FROM meta WHERE key = ?').get(key) as
          { value: string | null } | undefined,
      undefined,
    );
    return row?.value ?? null;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** A database created by an older version may lack a table: that reads as "no rows". */
  private run<T>(query: () => T, whenMissing: T): T {
    try {
      return query();
    } catch (err) {
      if (isMissingTable(err)) return whenMissing;
      throw new StoreError('STORE_READ_FAILED', 'statistics query failed', { cause: err });
    }
  }
}

/**
 * Deletes exact (id, ts, event_type) matches from the database at `path` in one transaction
 * (duplicates collapsed); returns how many rows went. Throws STORE_UNAVAILABLE when the file
 * does not exist and STORE_WRITE_FAILED when SQLite refuses.
 */
export function deleteEvents(path: string, items: readonly EventKey[]): number {
  if (!existsSync(path))
    throw new StoreError('STORE_UNAVAILABLE', `statistics database ${path} does not exist`);
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 500');
    return deleteEventsIn(db, items);
  } catch (err) {
    throw new StoreError('STORE_WRITE_FAILED', `deleting events from ${path} failed`, {
      cause: err,
    });
  } finally {
    db?.close();
  }
}
