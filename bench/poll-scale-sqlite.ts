/**
 * Attribution check for the poll-scale RSS figures: what holding one statistics file per UPS
 * open costs in a bare better-sqlite3 process, in the two layouts measured for the daemon —
 * one connection per file (`--layout own`) and the daemon's, ten files attached to one shared
 * connection (`--layout shared`, `ConnectionPool`). Each file gets the real schema and ten
 * flushes of ten samples. Prints the growth of RSS, of the malloc heap (SQLite's memory) and of
 * the WAL index maps. Run each layout in its own process: freed malloc memory is not returned.
 *
 *   node --import tsx bench/poll-scale-sqlite.ts --layout shared [--files 1000]
 *   node --import tsx bench/poll-scale-sqlite.ts --layout own [--files 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { ConnectionPool } from '../src/store/connection-pool.js';
import type { StoreConnection } from '../src/store/connection.js';
import type { SampleValue } from '../src/store/sample-buffer.js';
import { SAMPLE_COLUMNS } from '../src/store/sample.js';
import { applyWriterPragmas, migrate } from '../src/store/schema.js';
import { memoryBreakdown } from './poll-scale-memory.js';
import { START_SEC, reading } from './stats-sample.js';

const { values: args } = parseArgs({
  options: {
    layout: { type: 'string', default: 'shared' },
    files: { type: 'string', default: '1000' },
  },
});
const fileCount = Number(args.files);
if (args.layout !== 'shared' && args.layout !== 'own') throw new Error('--layout shared|own');

const dir = mkdtempSync(join(tmpdir(), 'eneru-poll-scale-sqlite-'));
const measure = () => memoryBreakdown(process.pid, process.execPath);
const before = measure();
const rows = Array.from({ length: 10 }, (_, i) => reading(START_SEC + i));
const pool = new ConnectionPool();
const shared: StoreConnection[] = [];
const own: Database.Database[] = [];
try {
  for (let i = 0; i < fileCount; i += 1) {
    const path = join(dir, `ups-${i}.db`);
    if (args.layout === 'shared') {
      const conn = pool.open(path);
      const forEachRow = (visit: (values: readonly SampleValue[]) => void): void =>
        rows.forEach((r) => visit(SAMPLE_COLUMNS.map((c) => r[c])));
      for (let flush = 0; flush < 10; flush += 1) conn.insertSamples(forEachRow);
      shared.push(conn);
    } else {
      const db = new Database(path);
      applyWriterPragmas(db);
      migrate(db);
      const insert = db.prepare(
        'INSERT INTO samples (ts, status, battery_charge) VALUES (?, ?, ?)',
      );
      for (let flush = 0; flush < 10; flush += 1) {
        db.transaction(() => rows.forEach((r) => insert.run(r.ts, r.status, r.battery_charge)))();
        db.pragma('shrink_memory');
      }
      own.push(db);
    }
  }
  const after = measure();
  const perFileKiB = (a: number, b: number): string => (((a - b) * 1024) / fileCount).toFixed(0);
  process.stdout.write(
    [
      `${fileCount} open files, layout ${args.layout}` +
        (args.layout === 'shared' ? ` (${pool.connectionCount} connections)` : ''),
      `  malloc heap: +${(after.mallocHeapMb - before.mallocHeapMb).toFixed(1)} MB (${perFileKiB(after.mallocHeapMb, before.mallocHeapMb)} KiB per file)`,
      `  WAL index maps: +${(after.walIndexMb - before.walIndexMb).toFixed(1)} MB (${perFileKiB(after.walIndexMb, before.walIndexMb)} KiB per file)`,
      `  anonymous (V8 heap ...): +${(after.anonymousMb - before.anonymousMb).toFixed(1)} MB`,
    ].join('\n') + '\n',
  );
} finally {
  for (const conn of shared) conn.close();
  for (const db of own) db.close();
  rmSync(dir, { recursive: true, force: true });
}
