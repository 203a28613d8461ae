/**
 * Aggregation and retention (core spec §6). `samples` roll up into 5-minute buckets and those
 * into hourly buckets with INSERT OR REPLACE, incrementally from each tier's watermark minus one
 * bucket, so a bucket that was still filling at the previous run is recomputed whole. Retention
 * then deletes what fell out of each tier's window. Callers run both in one transaction.
 */
import type Database from 'better-sqlite3';

export interface Retention {
  rawHours: number;
  agg5minDays: number;
  aggHourlyDays: number;
}

export const FIVE_MIN_SEC = 300;
export const HOUR_SEC = 3600;
const DAY_SEC = 86_400;

const AGG_TARGETS = [
  'ts',
  'battery_charge_avg',
  'battery_charge_min',
  'battery_charge_max',
  'battery_runtime_avg',
  'ups_load_avg',
  'ups_load_max',
  'input_voltage_avg',
  'input_voltage_min',
  'input_voltage_max',
  'samples_count',
  'output_voltage_avg',
  'battery_voltage_avg',
  'ups_temperature_avg',
  'ups_temperature_min',
  'ups_temperature_max',
  'input_frequency_avg',
  'output_frequency_avg',
  'real_power_avg',
  'power_nominal_avg',
];

/** The SELECT list that fills AGG_TARGETS: from raw columns, or from the finer tier's columns. */
function aggSelect(bucketSec: number, fromRaw: boolean): string {
  const avg = (c: string): string => (fromRaw ? `AVG(${c})` : `AVG(${c}_avg)`);
  const min = (c: string): string => (fromRaw ? `MIN(${c})` : `MIN(${c}_min)`);
  const max = (c: string): string => (fromRaw ? `MAX(${c})` : `MAX(${c}_max)`);
  return [
    `(ts / ${bucketSec}) * ${bucketSec} AS bucket`,
    avg('battery_charge'),
    min('battery_charge'),
    max('battery_charge'),
    avg('battery_runtime'),
    avg('ups_load'),
    max('ups_load'),
    avg('input_voltage'),
    min('input_voltage'),
    max('input_voltage'),
    fromRaw ? 'COUNT(*)' : 'SUM(samples_count)',
    avg('output_voltage'),
    avg('battery_voltage'),
    avg('ups_temperature'),
    min('ups_temperature'),
    max('ups_temperature'),
    avg('input_frequency'),
    avg('output_frequency'),
    avg('real_power'),
    avg('power_nominal'),
  ].join(', ');
}

interface Tier {
  source: string;
  target: string;
  bucketSec: number;
  watermarkKey: string;
  fromRaw: boolean;
}

const TIERS: readonly Tier[] = [
  {
    source: 'samples',
    target: 'agg_5min',
    bucketSec: FIVE_MIN_SEC,
    watermarkKey: 'agg_5min_watermark',
    fromRaw: true,
  },
  {
    source: 'agg_5min',
    target: 'agg_hourly',
    bucketSec: HOUR_SEC,
    watermarkKey: 'agg_hourly_watermark',
    fromRaw: false,
  },
];

function floorTo(sec: number, bucketSec: number): number {
  return Math.floor(sec / bucketSec) * bucketSec;
}

/** Anything that prepares statements (a better-sqlite3 Database). */
export interface SqlPreparer {
  prepare(sql: string): Database.Statement;
}

// Lower bound meaning "no watermark yet": the whole source table is aggregated.
const FULL_SCAN_FROM = Number.MIN_SAFE_INTEGER;

function readWatermark(db: SqlPreparer, key: string): number | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
    { value: string | null } | undefined;
  const n = row?.value == null ? Number.NaN : Number.parseInt(row.value, 10);
  return Number.isFinite(n) ? n : null;
}

function aggregateTier(db: SqlPreparer, tier: Tier, nowSec: number): number {
  const nowBucket = floorTo(nowSec, tier.bucketSec);
  const watermark = readWatermark(db, tier.watermarkKey);
  // A watermark in the future (wall clock stepped back) must not freeze aggregation.
  const fromSec =
    watermark === null ? FULL_SCAN_FROM : Math.min(watermark, nowBucket) - tier.bucketSec;
  const rows = db
    .prepare(
      `INSERT OR REPLACE INTO ${tier.target} (${AGG_TARGETS.join(', ')})
       SELECT ${aggSelect(tier.bucketSec, tier.fromRaw)} FROM ${tier.source} WHERE ts >= ?
       GROUP BY bucket`,
    )
    .run(fromSec);
  const newest = db
    .prepare(
      `SELECT MAX((ts / ${tier.bucketSec}) * ${tier.bucketSec}) AS b FROM ${tier.source} WHERE ts >= ?`,
    )
    .get(fromSec) as { b: number | null };
  if (newest.b !== null) {
    const next = Math.min(newest.b, nowBucket);
    if (watermark === null || next !== watermark) {
      db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
        tier.watermarkKey,
        String(next),
      );
    }
  }
  return rows.changes;
}

/** Aggregates every tier; returns the number of bucket rows written. */
export function aggregate(db: SqlPreparer, nowSec: number): number {
  let written = 0;
  for (const tier of TIERS) written += aggregateTier(db, tier, nowSec);
  return written;
}

/** Deletes rows older than each tier's window; returns the number of rows deleted. */
export function purge(db: SqlPreparer, nowSec: number, retention: Retention): number {
  const rawCutoff = floorTo(nowSec - retention.rawHours * HOUR_SEC, FIVE_MIN_SEC);
  const fiveMinCutoff = floorTo(nowSec - retention.agg5minDays * DAY_SEC, HOUR_SEC);
  const longCutoff = nowSec - retention.aggHourlyDays * DAY_SEC;
  const statements: [string, number][] = [
    ['DELETE FROM samples WHERE ts < ?', rawCutoff],
    ['DELETE FROM agg_5min WHERE ts < ?', fiveMinCutoff],
    ['DELETE FROM agg_hourly WHERE ts < ?', longCutoff],
    ['DELETE FROM events WHERE ts < ?', longCutoff],
    ['DELETE FROM battery_health WHERE ts < ?', longCutoff],
    ['DELETE FROM self_tests WHERE started_ts < ?', longCutoff],
  ];
  let deleted = 0;
  for (const [sql, cutoff] of statements) deleted += db.prepare(sql).run(cutoff).changes;
  return deleted;
}
