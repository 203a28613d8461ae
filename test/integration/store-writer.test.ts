import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { StatsStore, type SampleRow } from '../../src/store/index.js';
import { RETENTION, recordingLogger, sample, tempDirs } from './store-support.js';
import { waitFor } from '../support/wait.js';

const dirs = tempDirs();
after(() => dirs.cleanup());

function newStore(extra: Partial<ConstructorParameters<typeof StatsStore>[0]> = {}) {
  const path = join(dirs.make(), 'nested', 'default.db');
  const logger = recordingLogger();
  const store = new StatsStore({ path, retention: RETENTION, logger, ...extra });
  return { store, path, logger };
}

function count(path: string, table: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('StatsStore writer', () => {
  it('does no I/O in the constructor and creates the directory on start', async () => {
    const { store, path } = newStore();
    assert.equal(existsSync(path), false);
    store.start();
    assert.equal(existsSync(path), true);
    assert.equal(store.health().open, true);
    await store.stop();
  });

  it('queues everything recorded before start() and writes it on open', async () => {
    const { store, path } = newStore();
    store.addSample(sample(900_000));
    assert.equal(
      store.recordEvent({
        ts: 900_000,
        eventType: 'DAEMON_START',
        detail: '',
        notificationSent: true,
      }),
      null,
    );
    store.setMeta('last_seen_version', '7.0.0');
    store.flushNow();
    assert.equal(existsSync(path), false, 'nothing touches the disk before start()');
    store.start();
    assert.equal(count(path, 'events'), 1);
    assert.equal(count(path, 'samples'), 1);
    assert.equal(store.getMeta('last_seen_version'), '7.0.0');
    await store.stop();
  });

  it('buffers samples in memory and writes them on flushNow', async () => {
    const { store, path } = newStore();
    store.start();
    for (let i = 0; i < 25; i++) store.addSample(sample(1_000_000 + i));
    assert.equal(count(path, 'samples'), 0);
    assert.equal(store.health().bufferedSamples, 25);
    store.flushNow();
    assert.equal(count(path, 'samples'), 25);
    assert.equal(store.health().bufferedSamples, 0);
    await store.stop();
  });

  it('writes a batch in one transaction: a failing row keeps the whole batch for a retry', async () => {
    const { store, path } = newStore();
    store.start();
    const other = new Database(path);
    other.exec(
      `CREATE TRIGGER reject_ts BEFORE INSERT ON samples WHEN NEW.ts = 2000005
       BEGIN SELECT RAISE(ABORT, 'rejected by test'); END`,
    );
    for (let i = 0; i < 10; i++) store.addSample(sample(2_000_000 + i));
    store.flushNow();
    assert.equal(count(path, 'samples'), 0, 'rows before the failing one were rolled back');
    assert.equal(store.health().bufferedSamples, 10);
    assert.equal(store.health().writeFailures, 1);
    assert.match(store.health().lastError ?? '', /rejected by test/);
    other.exec('DROP TRIGGER reject_ts');
    other.close();
    store.flushNow();
    assert.equal(count(path, 'samples'), 10);
    assert.equal(store.health().bufferedSamples, 0);
    await store.stop();
  });

  it('drops the oldest samples beyond maxBufferedSamples and counts them', async () => {
    const { store, path } = newStore({ maxBufferedSamples: 5 });
    store.start();
    for (let i = 0; i < 8; i++) store.addSample(sample(3_000_000 + i));
    assert.deepEqual(
      { buffered: store.health().bufferedSamples, dropped: store.health().droppedSamples },
      { buffered: 5, dropped: 3 },
    );
    store.flushNow();
    const db = new Database(path, { readonly: true });
    const ts = (db.prepare('SELECT ts FROM samples ORDER BY ts').all() as { ts: number }[]).map(
      (r) => r.ts,
    );
    db.close();
    assert.deepEqual(ts, [3_000_003, 3_000_004, 3_000_005, 3_000_006, 3_000_007]);
    await store.stop();
  });

  it('records events immediately with ids that are never reused', async () => {
    const { store, path } = newStore();
    store.start();
    const ev = (ts: number, eventType: string) => ({
      ts,
      eventType,
      detail: `d${ts}`,
      notificationSent: true,
    });
    const id1 = store.recordEvent(ev(100, 'ON_BATTERY'));
    const id2 = store.recordEvent(ev(101, 'POWER_RESTORED'));
    assert.equal(id1, 1);
    assert.equal(id2, 2);
    assert.equal(count(path, 'events'), 2);
    const db = new Database(path);
    db.prepare('DELETE FROM events WHERE id = ?').run(id2);
    db.close();
    const id3 = store.recordEvent({
      ts: 102,
      eventType: 'ON_BATTERY',
      detail: 'x',
      notificationSent: false,
    });
    assert.equal(id3, 3, 'AUTOINCREMENT: the deleted newest id 2 is not handed out again');
    assert.equal(store.deleteEvents([{ id: 3, ts: 102, eventType: 'ON_BATTERY' }]), 1);
    assert.equal(store.recordEvent(ev(103, 'ON_BATTERY')), 4);
    const reader = new Database(path, { readonly: true });
    const row = reader
      .prepare('SELECT ts, event_type, detail, notification_sent FROM events WHERE id = 1')
      .get();
    reader.close();
    assert.deepEqual(row, {
      ts: 100,
      event_type: 'ON_BATTERY',
      detail: 'd100',
      notification_sent: 1,
    });
    await store.stop();
  });

  it('stores event timestamps given in milliseconds as seconds', async () => {
    const { store, path } = newStore();
    store.start();
    const id = store.recordEvent({
      ts: 1_796_412_117_250,
      eventType: 'DAEMON_START',
      detail: 'x',
      notificationSent: true,
    });
    const db = new Database(path, { readonly: true });
    assert.deepEqual(db.prepare('SELECT ts FROM events WHERE id = ?').get(id), {
      ts: 1_796_412_117,
    });
    db.close();
    await store.stop();
  });

  it('a malformed sample, event or meta value cannot block later writes', async () => {
    const { store, path } = newStore();
    store.start();
    store.addSample({ ...sample(5_000_000), ups_load: undefined } as unknown as SampleRow);
    store.addSample({ ...sample(5_000_001), ts: Number.NaN });
    store.addSample(sample(5_000_002));
    assert.equal(
      store.recordEvent({
        ts: Number.NaN,
        eventType: 'ON_BATTERY',
        detail: '',
        notificationSent: true,
      }),
      null,
    );
    assert.equal(
      store.recordEvent({ ts: 5_000_000, eventType: '', detail: '', notificationSent: true }),
      null,
    );
    store.setMeta('k', undefined as unknown as string);
    store.flushNow();
    assert.equal(count(path, 'samples'), 2);
    assert.deepEqual(
      [store.health().droppedSamples, store.health().droppedEvents, store.health().bufferedSamples],
      [1, 2, 0],
    );
    assert.equal(
      store.recordEvent({
        ts: 5_000_003,
        eventType: 'ON_BATTERY',
        detail: 'ok',
        notificationSent: true,
      }),
      1,
    );
    assert.equal(store.getMeta('k'), null);
    await store.stop();
  });

  it('persists meta values across a restart', async () => {
    const { store, path, logger } = newStore();
    store.start();
    assert.equal(store.getMeta('outage_state'), null);
    store.setMeta('outage_state', '{"onBatterySinceSec":1000}');
    assert.equal(store.getMeta('outage_state'), '{"onBatterySinceSec":1000}');
    await store.stop();
    const again = new StatsStore({ path, retention: RETENTION, logger });
    again.start();
    assert.equal(again.getMeta('outage_state'), '{"onBatterySinceSec":1000}');
    assert.equal(again.getMeta('schema_version'), '7');
    await again.stop();
  });

  it('flushes on its own timer and on stop', async () => {
    const { store, path } = newStore({ flushIntervalMs: 20, flushPhaseMs: 0 });
    store.start();
    store.addSample(sample(4_000_000));
    await waitFor(() => count(path, 'samples') >= 1, 10_000, 'the timer flush', 10);
    store.addSample(sample(4_000_001));
    await store.stop();
    assert.equal(count(path, 'samples'), 2);
    store.addSample(sample(4_000_002));
    assert.equal(store.health().droppedSamples, 1, 'samples after stop are dropped and counted');
    assert.equal(
      store.recordEvent({
        ts: 4_000_003,
        eventType: 'DAEMON_STOP',
        detail: '',
        notificationSent: false,
      }),
      null,
    );
    assert.equal(store.health().droppedEvents, 1);
    store.setMeta('k', 'v');
    store.flushNow();
    store.rollupNow();
    await store.stop();
  });

  it('runs a rollup on the timer one interval after start', async () => {
    const { store, path } = newStore({
      flushIntervalMs: 10,
      flushPhaseMs: 0,
      rollupIntervalMs: 50,
      now: () => 1_000_000_000,
    });
    store.start();
    store.addSample(sample(999_999_990, { battery_charge: 80 }));
    await waitFor(() => count(path, 'agg_5min') >= 1, 10_000, 'the timer rollup', 10);
    await store.stop();
  });
});
