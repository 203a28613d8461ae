/**
 * Attribution check for the poll-scale RSS figures: the memory cost of simply holding one open
 * WAL-mode SQLite database per UPS (the statistics layout: one file per UPS), with one table, a
 * prepared insert and a few rows each, in a bare better-sqlite3 process. Prints RSS before/after.
 *
 *   node --import tsx bench/poll-scale-sqlite.ts [count=1000]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const count = Number(process.argv[2] ?? '1000');
const rssMb = (): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;

const dir = mkdtempSync(join(tmpdir(), 'eneru-poll-scale-sqlite-'));
const before = rssMb();
const dbs: Database.Database[] = [];
try {
  for (let i = 0; i < count; i += 1) {
    const db = new Database(join(dir, `${i}.db`));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(
      'CREATE TABLE IF NOT EXISTS samples (ts INTEGER, status TEXT, charge REAL, runtime REAL)',
    );
    const insert = db.prepare('INSERT INTO samples VALUES (?, ?, ?, ?)');
    for (let j = 0; j < 20; j += 1) insert.run(j, 'OL CHRG', 100, 1800);
    dbs.push(db);
  }
  const after = rssMb();
  process.stdout.write(
    `${count} open databases: RSS ${before.toFixed(0)} MB -> ${after.toFixed(0)} MB (+${(after - before).toFixed(0)} MB)\n`,
  );
} finally {
  for (const db of dbs) db.close();
  rmSync(dir, { recursive: true, force: true });
}
