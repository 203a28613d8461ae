/**
 * Statistics files sharing SQLite connections (`ConnectionPool`): every file stays its own
 * database with its own rows and event ids, files on one connection never lock or break each
 * other, and connections are closed when their last file is detached.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ConnectionPool, MAX_FILES_PER_CONNECTION } from '../../src/store/connection-pool.js';
import { StatsStore } from '../../src/store/index.js';
import { RETENTION, recordingLogger, sample, tempDirs } from './store-support.js';

const dirs = tempDirs();
after(() => dirs.cleanup());

const T0 = 1_800_000_000;

function rows(path: string, sql: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

function storeOn(pool: ConnectionPool, path: string): StatsStore {
  return new StatsStore({ path, retention: RETENTION, logger: recordingLogger(), pool });
}

describe('ConnectionPool', () => {
  it('puts ten files on a connection; each file keeps its own samples and event ids', async () => {
    const dir = dirs.make();
    const pool = new ConnectionPool();
    const paths = Array.from({ length: 25 }, (_, i) => join(dir, `ups-${i}.db`));
    const stores = paths.map((path) => storeOn(pool, path));
    for (const store of stores) store.start();
    assert.equal(MAX_FILES_PER_CONNECTION, 10);
    assert.equal(pool.connectionCount, 3);

    stores.forEach((store, i) => {
      for (let s = 0; s <= i; s++) store.addSample(sample(T0 + s, { ups_load: i }));
      assert.equal(
        store.recordEvent({
          ts: T0,
          eventType: 'ON_BATTERY',
          detail: `ups ${i}`,
          notificationSent: true,
        }),
        1,
      );
      store.flushNow();
    });
    assert.equal(
      stores[7]?.recordEvent({
        ts: T0 + 1,
        eventType: 'POWER_RESTORED',
        detail: '',
        notificationSent: true,
      }),
      2,
    );
    paths.forEach((path, i) => {
      assert.deepEqual(
        rows(path, 'SELECT COUNT(*) AS n, MIN(ups_load) AS lo, MAX(ups_load) AS hi FROM samples'),
        [{ n: i + 1, lo: i, hi: i }],
      );
      assert.deepEqual(rows(path, 'SELECT id, detail FROM events ORDER BY id').slice(0, 1), [
        { id: 1, detail: `ups ${i}` },
      ]);
    });
    for (const store of stores) await store.stop();
    assert.equal(pool.connectionCount, 0, 'the last file detached closes each connection');
  });

  it('reuses a detached slot and opens a new connection only when all are full', async () => {
    const dir = dirs.make();
    const pool = new ConnectionPool(2);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => storeOn(pool, join(dir, `${name}.db`)));
    a?.start();
    b?.start();
    assert.equal(pool.connectionCount, 1);
    await a?.stop();
    c?.start();
    assert.equal(pool.connectionCount, 1);
    c?.addSample(sample(T0));
    c?.flushNow();
    assert.deepEqual(rows(join(dir, 'c.db'), 'SELECT ts FROM samples'), [{ ts: T0 }]);
    await b?.stop();
    await c?.stop();
    assert.equal(pool.connectionCount, 0);
  });

  it('a file locked by another process fails only its own flush, not its neighbours', async () => {
    const dir = dirs.make();
    const pool = new ConnectionPool();
    const locked = storeOn(pool, join(dir, 'locked.db'));
    const free = storeOn(pool, join(dir, 'free.db'));
    locked.start();
    free.start();
    assert.equal(pool.connectionCount, 1);
    const holder = new Database(join(dir, 'locked.db'));
    holder.exec('BEGIN IMMEDIATE');
    try {
      locked.addSample(sample(T0));
      free.addSample(sample(T0));
      locked.flushNow();
      free.flushNow();
      free.rollupNow(T0 + 600);
      assert.match(locked.health().lastError ?? '', /locked|busy/i);
      assert.equal(locked.health().bufferedSamples, 1);
      assert.equal(free.health().writeFailures, 0);
      assert.deepEqual(rows(join(dir, 'free.db'), 'SELECT COUNT(*) AS n FROM agg_5min'), [
        { n: 1 },
      ]);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    locked.flushNow();
    assert.equal(locked.health().bufferedSamples, 0);
    assert.deepEqual(rows(join(dir, 'locked.db'), 'SELECT ts FROM samples'), [{ ts: T0 }]);
    await locked.stop();
    await free.stop();
  });

  it('a file replaced by garbage is detached and reopened on its own; the neighbour goes on', async () => {
    const dir = dirs.make();
    const pool = new ConnectionPool();
    const brokenPath = join(dir, 'broken.db');
    const broken = storeOn(pool, brokenPath);
    const healthy = storeOn(pool, join(dir, 'healthy.db'));
    broken.start();
    healthy.start();
    writeFileSync(brokenPath, Buffer.alloc(8192, 0x5a));
    broken.addSample(sample(T0));
    healthy.addSample(sample(T0));
    broken.flushNow();
    healthy.flushNow();
    assert.match(broken.health().lastError ?? '', /not a database|malformed|disk image/i);
    assert.equal(broken.health().bufferedSamples, 1, 'nothing recorded is lost');
    assert.equal(healthy.health().writeFailures, 0);
    assert.deepEqual(rows(join(dir, 'healthy.db'), 'SELECT ts FROM samples'), [{ ts: T0 }]);
    await broken.stop();
    await healthy.stop();
    assert.equal(pool.connectionCount, 0);
  });

  it('never attaches one file twice to a connection', async () => {
    const dir = dirs.make();
    const pool = new ConnectionPool();
    const path = join(dir, 'same.db');
    const first = storeOn(pool, path);
    const second = storeOn(pool, path);
    first.start();
    second.start();
    assert.equal(pool.connectionCount, 2);
    first.addSample(sample(T0));
    second.addSample(sample(T0 + 1));
    first.flushNow();
    second.flushNow();
    assert.deepEqual(rows(path, 'SELECT ts FROM samples ORDER BY ts'), [
      { ts: T0 },
      { ts: T0 + 1 },
    ]);
    await first.stop();
    await second.stop();
  });

  it('a file that cannot be opened leaves no connection behind', () => {
    const dir = dirs.make();
    writeFileSync(join(dir, 'blocker'), '');
    const pool = new ConnectionPool();
    assert.throws(() => pool.open(join(dir, 'blocker', 'x.db')), /EEXIST|ENOTDIR/);
    writeFileSync(join(dir, 'garbage.db'), Buffer.alloc(8192, 0x5a));
    assert.throws(() => pool.open(join(dir, 'garbage.db')), /not a database/);
    assert.equal(pool.connectionCount, 0);
  });

  it('rejects a capacity that is not a positive integer', () => {
    assert.throws(() => new ConnectionPool(0), RangeError);
  });
});
