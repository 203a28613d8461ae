import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { StatsStore, type StatsStoreHealth } from '../../src/store/index.js';
import { RETENTION, recordingLogger, sample, tempDirs } from './store-support.js';

const dirs = tempDirs();
after(() => dirs.cleanup());

const CHILD = fileURLToPath(new URL('./store-readonly-child.ts', import.meta.url));
const NOBODY = 65_534;

function exerciseMonitoringCalls(store: StatsStore): void {
  store.addSample(sample(1_800_000_000));
  assert.equal(
    store.recordEvent({
      ts: 1_800_000_000,
      eventType: 'ON_BATTERY',
      detail: 'd',
      notificationSent: true,
    }),
    null,
  );
  store.setMeta('k', 'v');
  assert.equal(store.getMeta('k'), 'v', 'a queued meta value is readable before it is written');
  store.flushNow();
  store.rollupNow();
}

function count(path: string, table: string): number {
  const db = new Database(path, { readonly: true });
  const n = (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  db.close();
  return n;
}

interface ChildOutcome {
  afterStart: StatsStoreHealth;
  afterFlush: StatsStoreHealth;
  eventId: number | null;
  meta: string | null;
  warnings: string[];
}

function runReadOnlyChild(dbPath: string): ChildOutcome {
  const asRoot = process.getuid?.() === 0;
  const result = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dbPath], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
    timeout: 60_000,
    ...(asRoot ? { uid: NOBODY, gid: NOBODY, env: { ...process.env, HOME: '/tmp' } } : {}),
  });
  assert.equal(result.status, 0, `child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim()) as ChildOutcome;
}

describe('store failures never reach the monitor', () => {
  it('a read-only directory: start() does not throw, failures are counted, records are kept', () => {
    const root = dirs.make();
    chmodSync(root, 0o755);
    const ro = join(root, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    const outcome = runReadOnlyChild(join(ro, 'default.db'));
    assert.equal(outcome.afterStart.open, false);
    assert.ok(outcome.afterStart.writeFailures >= 1);
    assert.equal(outcome.eventId, null);
    assert.equal(outcome.meta, 'kept');
    assert.equal(outcome.afterFlush.bufferedSamples, 1);
    assert.equal(outcome.afterFlush.pendingEvents, 1);
    assert.ok(
      outcome.afterFlush.writeFailures > outcome.afterStart.writeFailures,
      'each retry is counted',
    );
    assert.match(outcome.afterFlush.lastError ?? '', /open failed/);
    assert.equal(outcome.warnings.length, 1, 'the same message is logged once per 300 s');
  });

  it('an existing database the process may not write: failures counted, nothing thrown', () => {
    const root = dirs.make();
    chmodSync(root, 0o755);
    const path = join(root, 'default.db');
    const store = new StatsStore({ path, retention: RETENTION, logger: recordingLogger() });
    store.start();
    void store.stop();
    chmodSync(path, 0o444);
    chmodSync(root, 0o555);
    const outcome = runReadOnlyChild(path);
    assert.equal(outcome.eventId, null);
    assert.equal(outcome.afterFlush.bufferedSamples, 1);
    assert.equal(outcome.afterFlush.pendingEvents, 1);
    assert.ok(outcome.afterFlush.writeFailures >= 1);
    chmodSync(root, 0o755);
  });

  it('a path whose parent is a file: keeps retrying, then writes everything once it can', async () => {
    const root = dirs.make();
    const parent = join(root, 'stats');
    writeFileSync(parent, 'in the way');
    const path = join(parent, 'default.db');
    const store = new StatsStore({ path, retention: RETENTION, logger: recordingLogger() });
    assert.doesNotThrow(() => store.start());
    exerciseMonitoringCalls(store);
    const before = store.health();
    assert.equal(before.open, false);
    assert.deepEqual([before.bufferedSamples, before.pendingEvents], [1, 1]);
    rmSync(parent);
    store.flushNow();
    const healed = store.health();
    assert.equal(healed.open, true);
    assert.deepEqual([healed.bufferedSamples, healed.pendingEvents], [0, 0]);
    assert.equal(count(path, 'samples'), 1);
    assert.equal(count(path, 'events'), 1);
    assert.equal(store.getMeta('k'), 'v');
    assert.equal(
      store.recordEvent({
        ts: 1_800_000_001,
        eventType: 'POWER_RESTORED',
        detail: '',
        notificationSent: true,
      }),
      2,
    );
    await store.stop();
  });

  it('a corrupt file: logged once per distinct message per 300 s, counted, stop() resolves', async () => {
    const path = join(dirs.make(), 'default.db');
    writeFileSync(path, 'this is not a database '.repeat(400));
    let nowMs = 1_800_000_000_000;
    const logger = recordingLogger();
    const store = new StatsStore({ path, retention: RETENTION, logger, now: () => nowMs });
    assert.doesNotThrow(() => store.start());
    exerciseMonitoringCalls(store);
    store.flushNow();
    const warnings = () => logger.lines.filter((l) => l.level === 'warn');
    assert.ok(store.health().writeFailures >= 3);
    assert.equal(warnings().length, 1);
    assert.match(warnings()[0]?.message ?? '', /not a database/);
    assert.equal(warnings()[0]?.fields.category, 'statistics');
    nowMs += 299_000;
    store.flushNow();
    assert.equal(warnings().length, 1);
    nowMs += 1_000;
    store.flushNow();
    assert.equal(warnings().length, 2, 'logged again once the 300 s window has passed');
    await assert.doesNotReject(store.stop());
  });

  it('a locked database: the flush fails, the batch is retained, a later flush succeeds', async () => {
    const path = join(dirs.make(), 'default.db');
    const store = new StatsStore({ path, retention: RETENTION, logger: recordingLogger() });
    store.start();
    const locker = new Database(path);
    locker.exec('BEGIN EXCLUSIVE');
    for (let i = 0; i < 5; i++) store.addSample(sample(1_800_000_000 + i));
    const started = performance.now();
    store.flushNow();
    const waitedMs = performance.now() - started;
    assert.ok(waitedMs >= 400, `busy_timeout should wait about 500 ms, waited ${waitedMs}`);
    assert.equal(store.health().writeFailures, 1);
    assert.match(store.health().lastError ?? '', /locked|busy/i);
    assert.equal(store.health().bufferedSamples, 5);
    assert.equal(store.health().open, true, 'a busy database keeps its connection');
    assert.equal(
      store.recordEvent({
        ts: 1_800_000_000,
        eventType: 'ON_BATTERY',
        detail: '',
        notificationSent: true,
      }),
      null,
    );
    assert.equal(store.health().writeFailures, 2);
    store.setMeta('outage_state', 'x');
    assert.equal(store.getMeta('outage_state'), 'x', 'reads still work under a write lock (WAL)');
    store.flushNow();
    assert.equal(
      store.health().writeFailures,
      4,
      'setMeta and the events step failed; after that lock timeout meta and samples were not retried in the same flush',
    );
    store.rollupNow();
    assert.equal(
      store.health().writeFailures,
      5,
      'no rollup attempt after a flush blocked by the lock',
    );
    locker.exec('ROLLBACK');
    locker.close();
    store.flushNow();
    assert.equal(store.health().bufferedSamples, 0);
    assert.equal(store.health().pendingEvents, 0);
    assert.equal(count(path, 'samples'), 5);
    assert.equal(count(path, 'events'), 1);
    assert.equal(store.getMeta('outage_state'), 'x');
    await store.stop();
  });

  it('a full disk (SQLITE_FULL): the batch is retained and written once space is back', async () => {
    const path = join(dirs.make(), 'default.db');
    const store = new StatsStore({ path, retention: RETENTION, logger: recordingLogger() });
    store.start();
    // SQLite's page limit of the writer's own connection yields exactly the disk-full error.
    const { db: writer, schema } = (
      store as unknown as { conn: { db: Database.Database; schema: string } }
    ).conn;
    const pages = Number(writer.pragma(`${schema}.page_count`, { simple: true }));
    writer.pragma(`${schema}.max_page_count = ${pages}`);
    for (let i = 0; i < 2000; i++) store.addSample(sample(1_800_000_000 + i));
    store.flushNow();
    assert.match(store.health().lastError ?? '', /full/i);
    assert.equal(store.health().bufferedSamples, 2000);
    assert.equal(store.health().open, true);
    assert.equal(count(path, 'samples'), 0);
    writer.pragma(`${schema}.max_page_count = 1073741823`);
    store.flushNow();
    assert.equal(store.health().bufferedSamples, 0);
    assert.equal(count(path, 'samples'), 2000);
    await store.stop();
  });

  it('caps queued events and counts the dropped ones', async () => {
    const root = dirs.make();
    writeFileSync(join(root, 'blocker'), '');
    const store = new StatsStore({
      path: join(root, 'blocker', 'default.db'),
      retention: RETENTION,
      logger: recordingLogger(),
      maxPendingEvents: 3,
    });
    store.start();
    for (let i = 0; i < 5; i++)
      store.recordEvent({ ts: i, eventType: 'ON_BATTERY', detail: '', notificationSent: true });
    assert.deepEqual([store.health().pendingEvents, store.health().droppedEvents], [3, 2]);
    await store.stop();
  });
});
