import assert from 'node:assert/strict';
import { copyFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { StatsStore, adoptDefaultDatabase } from '../../src/store/index.js';
import { RETENTION, recordingLogger, sample, tempDirs } from './store-support.js';

const dirs = tempDirs();
after(() => dirs.cleanup());

describe('adoptDefaultDatabase (single-UPS → coordinator mode)', () => {
  it('checkpoints default.db and renames it to the first group file, keeping rows and ids', async () => {
    const live = dirs.make();
    const store = new StatsStore({
      path: join(live, 'default.db'),
      retention: RETENTION,
      logger: recordingLogger(),
    });
    store.start();
    store.addSample(sample(1_800_000_000));
    store.recordEvent({
      ts: 1_800_000_000,
      eventType: 'ON_BATTERY',
      detail: '',
      notificationSent: true,
    });
    store.flushNow();
    // Copy the files while the writer is open: the rows are still only in the WAL, as after a crash.
    const dir = dirs.make();
    for (const f of ['default.db', 'default.db-wal']) copyFileSync(join(live, f), join(dir, f));
    await store.stop();
    assert.ok(statSync(join(dir, 'default.db-wal')).size > 0);
    const target = join(dir, 'UPS1-10.0.0.1.db');
    const result = adoptDefaultDatabase(dir, target);
    assert.equal(result.outcome, 'renamed');
    assert.equal(existsSync(join(dir, 'default.db')), false);
    assert.equal(existsSync(join(dir, 'default.db-wal')), false);
    const next = new StatsStore({ path: target, retention: RETENTION, logger: recordingLogger() });
    next.start();
    assert.equal(
      next.recordEvent({
        ts: 1_800_000_001,
        eventType: 'POWER_RESTORED',
        detail: '',
        notificationSent: true,
      }),
      2,
    );
    await next.stop();
    const db = new Database(target, { readonly: true });
    assert.deepEqual(db.prepare('SELECT COUNT(*) AS n FROM samples').get(), { n: 1 });
    assert.deepEqual(db.prepare('SELECT id FROM events ORDER BY id').all(), [{ id: 1 }, { id: 2 }]);
    db.close();
  });

  it('leaves everything alone when the target exists or there is no default.db', () => {
    const dir = dirs.make();
    assert.deepEqual(adoptDefaultDatabase(dir, join(dir, 'a.db')), { outcome: 'no-default' });
    writeFileSync(join(dir, 'default.db'), '');
    writeFileSync(join(dir, 'a.db'), 'existing');
    assert.deepEqual(adoptDefaultDatabase(dir, join(dir, 'a.db')), { outcome: 'target-exists' });
    assert.equal(existsSync(join(dir, 'default.db')), true);
  });

  it('reports a failure instead of throwing', () => {
    const dir = dirs.make();
    writeFileSync(join(dir, 'default.db'), 'not a database '.repeat(100));
    const result = adoptDefaultDatabase(dir, join(dir, 'b.db'));
    assert.equal(result.outcome, 'failed');
    assert.equal(existsSync(join(dir, 'b.db')), false);
  });
});
