/**
 * Statistics writer benchmark: ingests N days (default 365) of 1 s samples for one UPS through
 * StatsStore exactly as the daemon drives it — addSample every second, flushNow every 10 s
 * (one transaction of 10 rows), rollupNow every 300 s with the configured retention — on a
 * simulated clock, then times a whole-range hourly history read through StatsReader.
 *
 *   node --import tsx bench/stats.ts [--days 365] [--raw-hours 24] [--keep]
 *
 * Prints a Markdown report on stdout (bench/results/stats.md is a committed copy).
 */
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { Logger } from '../src/logging/types.js';
import { StatsReader, StatsStore } from '../src/store/index.js';
import { START_SEC, reading } from './stats-sample.js';

const { values: args } = parseArgs({
  options: {
    days: { type: 'string', default: '365' },
    'raw-hours': { type: 'string', default: '24' },
    keep: { type: 'boolean', default: false },
  },
});
const days = Number(args.days);
const rawHours = Number(args['raw-hours']);
const totalSec = Math.round(days * 86_400);

const warnings: string[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (m) => warnings.push(m),
  error: (m) => warnings.push(m),
  child: () => logger,
};

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function fileBytes(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

const dir = mkdtempSync(join(tmpdir(), 'eneru-bench-stats-'));
const path = join(dir, 'default.db');
let simNowSec = START_SEC;
const store = new StatsStore({
  path,
  retention: { rawHours, agg5minDays: 30, aggHourlyDays: 1825 },
  logger,
  flushIntervalMs: 3_600_000, // the benchmark drives flushes and rollups itself
  rollupIntervalMs: 3_600_000,
  now: () => simNowSec * 1000,
});
store.start();

const flushUs = new Float64Array(Math.floor(totalSec / 10));
const rollupUs = new Float64Array(Math.floor(totalSec / 300));
let flushes = 0;
let rollups = 0;
let peakRssBytes = 0;
const t0 = performance.now();
for (let i = 0; i < totalSec; i++) {
  const ts = START_SEC + i;
  simNowSec = ts;
  store.addSample(reading(ts));
  if ((i + 1) % 10 === 0) {
    const f0 = performance.now();
    store.flushNow();
    flushUs[flushes++] = (performance.now() - f0) * 1000;
  }
  if ((i + 1) % 300 === 0) {
    const r0 = performance.now();
    store.rollupNow(ts);
    rollupUs[rollups++] = (performance.now() - r0) * 1000;
  }
  if (i % 864_000 === 0) {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
    process.stderr.write(
      `  day ${Math.floor(i / 86_400)}/${days} after ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
    );
  }
}
const ingestSec = (performance.now() - t0) / 1000;
const health = store.health();
await store.stop();

const dbBytes = fileBytes(path);
const walBytes = fileBytes(`${path}-wal`);
const check = new Database(path, { readonly: true });
const n = (sql: string): number => (check.prepare(sql).get() as { n: number }).n;
const counts = {
  samples: n('SELECT COUNT(*) AS n FROM samples'),
  agg5min: n('SELECT COUNT(*) AS n FROM agg_5min'),
  aggHourly: n('SELECT COUNT(*) AS n FROM agg_hourly'),
  rawCovered: n('SELECT COALESCE(SUM(samples_count), 0) AS n FROM agg_hourly'),
};
const rawTableBytes = n(
  "SELECT COALESCE(SUM(pgsize), 0) AS n FROM dbstat WHERE name IN ('samples', 'idx_samples_ts')",
);
check.close();

const reader = StatsReader.open(path);
if (reader === null) throw new Error('benchmark database disappeared');
const endSec = START_SEC + totalSec;
const readMs: number[] = [];
let points = 0;
for (let r = 0; r < 20; r++) {
  const q0 = performance.now();
  points = reader.history('battery_charge', START_SEC, endSec).length;
  readMs.push(performance.now() - q0);
}
reader.close();
if (!args.keep) rmSync(dir, { recursive: true, force: true });

flushUs.sort();
rollupUs.sort();
const mib = (b: number): string => (b / 1048576).toFixed(1);
const bytesPerRawRow = counts.samples > 0 ? rawTableBytes / counts.samples : 0;
const lines = [
  `## Run: ${days} days of 1 s samples, raw retention ${rawHours} h`,
  '',
  `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'} (shared), Node ${process.version}, SQLite ${String(new Database(':memory:').prepare('SELECT sqlite_version() AS v').pluck().get())}`,
  `- Samples ingested through StatsStore: ${totalSec.toLocaleString('en')} (${flushes.toLocaleString('en')} flush transactions of 10 rows, ${rollups.toLocaleString('en')} rollups)`,
  `- Ingest wall time (generation + addSample + flushes + rollups): **${ingestSec.toFixed(1)} s** (${Math.round(totalSec / ingestSec).toLocaleString('en')} samples/s)`,
  `- Flush of 10 rows: p50 ${percentile(flushUs, 0.5).toFixed(0)} µs, p99 ${percentile(flushUs, 0.99).toFixed(0)} µs, max ${percentile(flushUs, 1).toFixed(0)} µs`,
  `- Rollup (aggregate + purge): p50 ${percentile(rollupUs, 0.5).toFixed(0)} µs, p99 ${percentile(rollupUs, 0.99).toFixed(0)} µs, max ${(percentile(rollupUs, 1) / 1000).toFixed(1)} ms`,
  `- Final size: database ${mib(dbBytes)} MiB + WAL ${mib(walBytes)} MiB (after close)`,
  `- Rows kept: samples ${counts.samples.toLocaleString('en')}, agg_5min ${counts.agg5min.toLocaleString('en')}, agg_hourly ${counts.aggHourly.toLocaleString('en')} (hourly rows account for ${counts.rawCovered.toLocaleString('en')} samples)`,
  `- Raw tier on disk: ${mib(rawTableBytes)} MiB for ${counts.samples.toLocaleString('en')} rows = ${bytesPerRawRow.toFixed(1)} bytes/row (table + ts index, dbstat)`,
  `- Whole-range hourly history read (StatsReader.history, ${points.toLocaleString('en')} points): first ${readMs[0]?.toFixed(2)} ms, median of 20 ${[...readMs].sort((a, b) => a - b)[10]?.toFixed(2)} ms`,
  `- Peak RSS ${mib(peakRssBytes)} MiB; writer health: ${JSON.stringify(health)}; warnings logged: ${warnings.length}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
