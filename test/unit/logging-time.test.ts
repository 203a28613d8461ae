import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTextClock, isoLocalTimestamp } from '../../src/logging/time-format.js';

// Node re-reads TZ on assignment, so one process can check several zones.
const savedTz = process.env.TZ;
after(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const SUMMER = Date.UTC(2026, 6, 13, 8, 0, 0);
const WINTER = Date.UTC(2026, 0, 5, 8, 0, 0);

test('JSON timestamp is local %Y-%m-%dT%H:%M:%S%z', () => {
  process.env.TZ = 'Europe/Paris';
  assert.equal(isoLocalTimestamp(SUMMER), '2026-07-13T10:00:00+0200');
  assert.equal(isoLocalTimestamp(WINTER), '2026-01-05T09:00:00+0100');
  process.env.TZ = 'America/New_York';
  assert.equal(isoLocalTimestamp(WINTER), '2026-01-05T03:00:00-0500');
  process.env.TZ = 'Asia/Kolkata';
  assert.equal(isoLocalTimestamp(WINTER), '2026-01-05T13:30:00+0530');
  process.env.TZ = 'UTC';
  assert.equal(isoLocalTimestamp(WINTER), '2026-01-05T08:00:00+0000');
});

test('text timestamp carries the zone abbreviation of that instant', () => {
  process.env.TZ = 'Europe/Paris';
  const paris = createTextClock('Europe/Paris');
  assert.equal(paris.textTimestamp(SUMMER), '2026-07-13 10:00:00 CEST');
  assert.equal(paris.textTimestamp(WINTER), '2026-01-05 09:00:00 CET');
  process.env.TZ = 'America/New_York';
  assert.equal(createTextClock('America/New_York').zoneName(WINTER), 'EST');
  process.env.TZ = 'UTC';
  assert.equal(createTextClock('UTC').textTimestamp(WINTER), '2026-01-05 08:00:00 UTC');
  assert.equal(createTextClock('Asia/Kolkata').zoneName(WINTER), 'GMT+5:30');
});

test('the default clock follows the process zone', () => {
  process.env.TZ = 'Europe/Paris';
  assert.equal(createTextClock().zoneName(SUMMER), 'CEST');
});

test('the cached zone name flips exactly at a DST transition', () => {
  process.env.TZ = 'Europe/Paris';
  const clock = createTextClock('Europe/Paris');
  const switchMs = Date.UTC(2026, 2, 29, 1, 0, 0); // 02:00 CET → 03:00 CEST
  assert.equal(clock.textTimestamp(switchMs - 1000), '2026-03-29 01:59:59 CET');
  assert.equal(clock.textTimestamp(switchMs), '2026-03-29 03:00:00 CEST');
  assert.equal(clock.textTimestamp(switchMs - 1000), '2026-03-29 01:59:59 CET');
});
