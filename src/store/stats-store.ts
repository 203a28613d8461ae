/**
 * The per-UPS statistics writer (core spec §6). The monitor calls it on its hot path, so:
 * `addSample` is memory only; nothing here ever throws into the caller; a SQLite failure
 * (locked, read-only, disk full, corrupt) is logged once per distinct message per 300 s,
 * counted, and whatever was recorded stays queued (within its bound) for the next flush.
 *
 * Scheduling: one unref'd timer per store. Its first tick is offset by a phase derived from
 * the file path, so 1000 stores started together flush spread over the 10 s period instead
 * of blocking the event loop in one burst; rollups ride on the first tick at least
 * `rollupIntervalMs` after the previous one (so they are spread the same way).
 */
import type { Logger } from '../logging/types.js';
import type { EventKey, StoreConnection } from './connection.js';
import { ConnectionPool } from './connection-pool.js';
import { StoreError, sqliteCode } from './errors.js';
import { FailureLog } from './failure-log.js';
import { PendingWrites } from './pending-writes.js';
import type { Retention } from './rollup.js';
import type { SampleRow } from './sample.js';

export interface StatsStoreOptions {
  path: string;
  retention: Retention;
  logger: Logger;
  /**
   * SQLite connections shared with other stores (the daemon passes one pool for all its UPSes);
   * default: a pool of this store's own.
   */
  pool?: ConnectionPool;
  /** Sample flush period (default 10 000). */
  flushIntervalMs?: number;
  /** Aggregation + retention period; the first run is one period after start (default 300 000). */
  rollupIntervalMs?: number;
  /** Buffered samples kept while the database is unavailable (default 100 000). */
  maxBufferedSamples?: number;
  /** Events kept while the database is unavailable (default 1000). */
  maxPendingEvents?: number;
  /** Delay of the first flush; default a stable per-path value in [0, flushIntervalMs). */
  flushPhaseMs?: number;
  /** Wall clock in epoch ms (injectable for tests and benchmarks). */
  now?: () => number;
}

export interface StatsStoreHealth {
  writeFailures: number;
  bufferedSamples: number;
  droppedSamples: number;
  pendingEvents: number;
  droppedEvents: number;
  lastError: string | null;
  open: boolean;
}

// After these the connection is useless until reopened (file replaced, permissions fixed).
const REOPEN_CODES = /^SQLITE_(CORRUPT|NOTADB|CANTOPEN|READONLY|IOERR)/;
// Another connection holds the lock: retrying within the same flush would only wait again.
const LOCK_CODES = /^SQLITE_(BUSY|LOCKED)/;

/** A stable offset in [0, periodMs) per file, spreading many stores over the flush period. */
export function flushPhaseFor(path: string, periodMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % Math.max(1, periodMs);
}

export class StatsStore {
  readonly path: string;
  private retention: Retention;
  private readonly logger: Logger;
  private readonly flushIntervalMs: number;
  private readonly rollupIntervalMs: number;
  private readonly flushPhaseMs: number;
  private readonly now: () => number;
  private readonly failures: FailureLog;
  private readonly pending: PendingWrites;
  private readonly pool: ConnectionPool;
  private conn: StoreConnection | null = null;
  private timer: NodeJS.Timeout | null = null;
  private state: 'new' | 'started' | 'stopped' = 'new';
  private lastRollupMono = 0;
  /** Whether the latest operation of this flush gave up on a lock (reset per flush). */
  private lastFailureWasLock = false;

  constructor(opts: StatsStoreOptions) {
    this.path = opts.path;
    this.retention = { ...opts.retention };
    this.logger = opts.logger.child({ category: 'statistics' });
    this.flushIntervalMs = opts.flushIntervalMs ?? 10_000;
    this.rollupIntervalMs = opts.rollupIntervalMs ?? 300_000;
    this.flushPhaseMs = opts.flushPhaseMs ?? flushPhaseFor(opts.path, this.flushIntervalMs);
    this.now = opts.now ?? Date.now;
    this.pool = opts.pool ?? new ConnectionPool();
    this.failures = new FailureLog(this.logger, this.now);
    this.pending = new PendingWrites(
      opts.maxBufferedSamples ?? 100_000,
      opts.maxPendingEvents ?? 1000,
    );
  }

  /** Opens the database (retried on every flush if that fails) and starts the timer. */
  start(): void {
    if (this.state !== 'new') return;
    this.state = 'started';
    this.tryOpen();
    this.lastRollupMono = performance.now();
    this.schedule(this.flushPhaseMs);
  }

  /** Final flush (one attempt), then close. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const wasStarted = this.state === 'started';
    this.state = 'stopped';
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (wasStarted) {
      this.lastFailureWasLock = false;
      if (this.conn === null) this.tryOpen();
      else this.writeQueued();
    }
    this.closeConnection();
  }

  /** Hot path: memory only. A full buffer drops its oldest sample. */
  addSample(row: SampleRow): void {
    if (this.state === 'stopped') this.pending.droppedSamples += 1;
    else this.pending.addSample(row);
  }

  /**
   * Writes the event now and returns its id; when the database is unavailable the event is
   * queued for the next flush and null is returned. `ts` is epoch seconds.
   */
  recordEvent(e: {
    ts: number;
    eventType: string;
    detail: string;
    notificationSent: boolean;
  }): number | null {
    if (this.state === 'stopped') {
      this.pending.droppedEvents += 1;
      return null;
    }
    if (!this.pending.addEvent(e)) {
      this.failures.record('event write', new TypeError(`malformed event ${JSON.stringify(e)}`));
      return null;
    }
    if (this.state === 'new' || this.conn === null) return null;
    const ids = this.writeEvents();
    return ids === null ? null : (ids[ids.length - 1] ?? null);
  }

  getMeta(key: string): string | null {
    const pending = this.pending.meta.get(key);
    if (pending !== undefined) return pending;
    if (this.conn === null) return null;
    try {
      return this.conn.getMeta(key);
    } catch (err) {
      this.fail('meta read', err);
      return null;
    }
  }

  setMeta(key: string, value: string): void {
    if (!this.pending.setMeta(key, value)) {
      this.failures.record('meta write', new TypeError(`meta ${String(key)} needs a string value`));
      return;
    }
    if (this.state === 'started' && this.conn !== null) this.writeMeta();
  }

  /** Writes queued events, meta and samples (each one transaction); reopens if needed. */
  flushNow(): void {
    if (this.state !== 'started') return;
    this.lastFailureWasLock = false;
    if (this.conn === null) this.tryOpen();
    else this.writeQueued();
  }

  /** Flushes, then aggregates and purges as of `nowSec` (default: the injected clock). */
  rollupNow(nowSec?: number): void {
    this.flushNow();
    const conn = this.conn;
    if (conn === null || this.lastFailureWasLock) return;
    try {
      conn.rollup(nowSec ?? Math.floor(this.now() / 1000), this.retention);
    } catch (err) {
      this.fail('rollup', err);
    }
  }

  /** Applies a reloaded `statistics.retention` from the next rollup on. */
  setRetention(retention: Retention): void {
    this.retention = { ...retention };
  }

  /**
   * Deletes exact (id, ts, event_type) matches on this store's own connection. Unlike the
   * monitoring calls this throws (`STORE_UNAVAILABLE`, `STORE_WRITE_FAILED`): it serves the API.
   */
  deleteEvents(items: readonly EventKey[]): number {
    if (this.conn === null)
      throw new StoreError('STORE_UNAVAILABLE', `statistics database ${this.path} is not open`);
    try {
      return this.conn.deleteEvents(items);
    } catch (err) {
      this.fail('event delete', err);
      throw new StoreError('STORE_WRITE_FAILED', 'deleting events failed', { cause: err });
    }
  }

  health(): StatsStoreHealth {
    return {
      writeFailures: this.failures.failures,
      bufferedSamples: this.pending.samples.length,
      droppedSamples: this.pending.droppedSamples,
      pendingEvents: this.pending.events.length,
      droppedEvents: this.pending.droppedEvents,
      lastError: this.failures.lastError,
      open: this.conn !== null,
    };
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => this.tick(), delayMs);
    this.timer.unref();
  }

  private tick(): void {
    this.timer = null;
    if (this.state !== 'started') return;
    if (performance.now() - this.lastRollupMono >= this.rollupIntervalMs) {
      this.lastRollupMono = performance.now();
      this.rollupNow();
    } else {
      this.flushNow();
    }
    if (this.state === 'started') this.schedule(this.flushIntervalMs);
  }

  private tryOpen(): void {
    try {
      this.conn = this.pool.open(this.path);
    } catch (err) {
      this.fail('open', err);
      return;
    }
    this.writeQueued();
  }

  /**
   * Events first (the most valuable), then meta, then samples. After a lock timeout the rest
   * is left for the next flush: each step would wait out its own busy_timeout for nothing.
   */
  private writeQueued(): void {
    if (this.pending.events.length > 0) this.writeEvents();
    if (this.blocked()) return;
    if (this.pending.meta.size > 0) this.writeMeta();
    if (this.blocked()) return;
    this.writeSamples();
  }

  private blocked(): boolean {
    return this.conn === null || this.lastFailureWasLock;
  }

  private writeEvents(): number[] | null {
    if (this.conn === null) return null;
    try {
      const ids = this.conn.insertEvents(this.pending.events);
      this.pending.events.length = 0;
      return ids;
    } catch (err) {
      this.fail('event write', err);
      return null;
    }
  }

  private writeMeta(): void {
    if (this.conn === null) return;
    try {
      this.conn.setMeta(this.pending.meta);
      this.pending.meta.clear();
    } catch (err) {
      this.fail('meta write', err);
    }
  }

  private writeSamples(): void {
    const buffer = this.pending.samples;
    if (this.conn === null || buffer.length === 0) return;
    const count = buffer.length;
    try {
      this.conn.insertSamples((visit) => buffer.forEachOldest(count, visit));
      buffer.dropOldest(count);
    } catch (err) {
      this.fail('flush', err);
    }
  }

  private fail(what: string, err: unknown): void {
    this.failures.record(what, err);
    const code = sqliteCode(err);
    this.lastFailureWasLock = code !== null && LOCK_CODES.test(code);
    if (code !== null && REOPEN_CODES.test(code)) this.closeConnection();
  }

  private closeConnection(): void {
    const conn = this.conn;
    this.conn = null;
    if (conn === null) return;
    try {
      conn.close();
    } catch (err) {
      this.failures.record('close', err);
    }
  }
}
