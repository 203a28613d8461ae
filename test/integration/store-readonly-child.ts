/**
 * Runs in a child process (as an unprivileged user when the tests run as root, because root
 * ignores directory permissions): exercises every monitoring-facing call of a store whose
 * directory is read-only and prints what happened as one JSON line.
 */
import { StatsStore } from '../../src/store/index.js';
import { recordingLogger, sample } from './store-support.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: store-readonly-child.ts <db path>');
const logger = recordingLogger();
const store = new StatsStore({
  path,
  retention: { rawHours: 24, agg5minDays: 30, aggHourlyDays: 1825 },
  logger,
});
const outcome: Record<string, unknown> = {};
store.start();
outcome.afterStart = store.health();
store.addSample(sample(1_800_000_000));
outcome.eventId = store.recordEvent({
  ts: 1_800_000_000,
  eventType: 'ON_BATTERY',
  detail: 'x',
  notificationSent: true,
});
store.setMeta('outage_state', 'kept');
outcome.meta = store.getMeta('outage_state');
store.flushNow();
store.rollupNow();
outcome.afterFlush = store.health();
await store.stop();
outcome.warnings = logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
process.stdout.write(`${JSON.stringify(outcome)}\n`);
