/**
 * Per-instance cost of the statistics writer with many UPSes in one process: starts N stores
 * (default 1000, one file each), then measures one flush round (10 samples each, as after a
 * 10 s period at 1 poll/s), one rollup round, memory, open file descriptors and stop time.
 * The stores share one `ConnectionPool`, as in the daemon.
 * Like the daemon, it reads one meta key of every store right after starting them all.
 *
 *   node --import tsx bench/stats-many.ts [--stores 1000] [--rounds 30]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from '../src/logging/types.js';
import { ConnectionPool, StatsStore } from '../src/store/index.js';
import { START_SEC, reading } from './stats-sample.js';

const { values: args } = parseArgs({
  options: {
    stores: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '30' },
  },
});
const storeCount = Number(args.stores);
const rounds = Number(args.rounds);
const warnings: string[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (m) => warnings.push(m),
  error: (m) => warnings.push(m),
  child: () => logger,
};

const mib = (b: number): string => (b / 1048576).toFixed(1);
const openFds = (): number => readdirSync('/proc/self/fd').length;
/** The process's peak RSS so far (VmHWM): freed heap is rarely returned, so the peak lingers. */
const peakRss = (): number =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN) *
  1024;
const dir = mkdtempSync(join(tmpdir(), 'eneru-bench-many-'));
const rssBefore = process.memoryUsage.rss();
const fdsBefore = openFds();
let simSec = START_SEC;
// One pool for all stores, as the daemon does: ten files share a SQLite connection.
const makeStores = (pool = new ConnectionPool()): StatsStore[] =>
  Array.from(
    { length: storeCount },
    (_, i) =>
      new StatsStore({
        path: join(dir, `ups-${i}.db`),
        retention: { rawHours: 24, agg5minDays: 30, aggHourlyDays: 1825 },
        logger,
        pool,
        flushIntervalMs: 3_600_000, // rounds are driven below
        rollupIntervalMs: 3_600_000,
        now: () => simSec * 1000,
      }),
  );
const stores = makeStores();
let t = performance.now();
for (const s of stores) s.start();
const startMs = performance.now() - t;
// The daemon reads each store's saved outage state right after start (src/app/outage-store.ts).
for (const s of stores) s.getMeta('outage_state');

const flushRoundMs: number[] = [];
const rollupRoundMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < 10; k++) {
    simSec += 1;
    for (const s of stores) s.addSample(reading(simSec));
  }
  t = performance.now();
  for (const s of stores) s.flushNow();
  flushRoundMs.push(performance.now() - t);
  if (r % 30 === 29) {
    t = performance.now();
    for (const s of stores) s.rollupNow(simSec);
    rollupRoundMs.push(performance.now() - t);
  }
}
const rssAfter = process.memoryUsage.rss();
const rssPeak = peakRss();
const fdsAfter = openFds();
t = performance.now();
await Promise.all(stores.map((s) => s.stop()));
const stopMs = performance.now() - t;
// A daemon restart: the same files exist already (schema present, nothing to create).
const again = makeStores();
t = performance.now();
for (const s of again) s.start();
const restartMs = performance.now() - t;
t = performance.now();
await Promise.all(again.map((s) => s.stop()));
const idleStopMs = performance.now() - t;
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const failures = stores.reduce((n, s) => n + s.health().writeFailures, 0);
process.stdout.write(
  [
    `## Run: ${storeCount} stores in one process, ${rounds} flush rounds of 10 samples per store`,
    '',
    `- start() of all stores (mkdir, open, pragmas, schema): ${startMs.toFixed(0)} ms (${(startMs / storeCount).toFixed(2)} ms per store)`,
    `- One flush round (every store writes its 10 buffered samples, one transaction each): median ${median(flushRoundMs).toFixed(0)} ms = ${((median(flushRoundMs) * 1000) / storeCount).toFixed(0)} µs per store`,
    `- One rollup round (every store aggregates + purges): ${rollupRoundMs.map((m) => `${m.toFixed(0)} ms`).join(', ')}`,
    `- Memory: RSS ${mib(rssBefore)} MiB before, ${mib(rssAfter)} MiB with all stores open = ${((rssAfter - rssBefore) / 1024 / storeCount).toFixed(0)} KiB per store; peak ${mib(rssPeak)} MiB = ${((rssPeak - rssBefore) / 1024 / storeCount).toFixed(0)} KiB per store`,
    `- Open file descriptors: ${fdsBefore} before, ${fdsAfter} with all stores open (${((fdsAfter - fdsBefore) / storeCount).toFixed(1)} per store)`,
    `- stop() of all stores (final flush + close, which checkpoints each WAL): ${stopMs.toFixed(0)} ms (${(stopMs / storeCount).toFixed(2)} ms per store)`,
    `- Restart on the existing files: start() ${restartMs.toFixed(0)} ms (${(restartMs / storeCount).toFixed(2)} ms per store); stop() with nothing written ${idleStopMs.toFixed(0)} ms`,
    `- Write failures ${failures}; warnings ${warnings.length}`,
  ].join('\n') + '\n',
);
