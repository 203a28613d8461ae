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
  process.env.TZ = 'Asia/Kolkata';
  assert.equal(createTextClock('Asia/Kolkata').zoneName(WINTER), 'IST');
});

test("names are the zone's own, as Python's %Z prints them, not locale names", () => {
  // Expected values are what `TZ=<zone> python3 -c 'time.strftime("%Z", ...)'` prints.
  const cases: Array<[string, number, string]> = [
    ['Asia/Dubai', WINTER, '+04'],
    ['America/Sao_Paulo', SUMMER, '-03'],
    ['Australia/Sydney', WINTER, 'AEDT'],
    ['Australia/Sydney', SUMMER, 'AEST'],
    ['Europe/London', WINTER, 'GMT'],
    ['Europe/London', SUMMER, 'BST'],
    ['Etc/GMT-3', WINTER, '+03'],
    ['EST5EDT', SUMMER, 'EDT'],
    [':Europe/Paris', SUMMER, 'CEST'],
  ];
  for (const [zone, at, expected] of cases) {
    process.env.TZ = zone;
    assert.equal(createTextClock().zoneName(at), expected, zone);
  }
});

test('a POSIX TZ rule without a zone file names itself when the runtime applies it', () => {
  process.env.TZ = 'JST-9';
  assert.equal(createTextClock().textTimestamp(WINTER), '2026-01-05 17:00:00 JST');
  // Node's clock ignores rules with DST dates and angle-bracket names and prints UTC: so must
  // the name (a UTC time labelled CEST would be an hour or two wrong).
  process.env.TZ = 'CET-1CEST,M3.5.0,M10.5.0/3';
  assert.equal(createTextClock().textTimestamp(SUMMER), '2026-07-13 08:00:00 UTC');
  process.env.TZ = '<+0530>-5:30';
  assert.equal(createTextClock().textTimestamp(WINTER), '2026-01-05 08:00:00 UTC');
  // Node 20 reads an absolute TZ path as a fixed -05:00 without DST; the name follows the
  // time Node prints (EDT only if Node applies the zone's summer time).
  process.env.TZ = '/usr/share/zoneinfo/America/New_York';
  const printed = isoLocalTimestamp(SUMMER).slice(-5);
  assert.equal(createTextClock().zoneName(SUMMER), printed === '-0400' ? 'EDT' : printed);
});

test('an unknown zone falls back to UTC, and TZ never leaves the zoneinfo directory', () => {
  process.env.TZ = 'Nowhere/Atlantis';
  assert.equal(createTextClock().textTimestamp(WINTER), '2026-01-05 08:00:00 UTC');
  process.env.TZ = '../../etc/passwd';
  assert.equal(createTextClock().zoneName(WINTER), 'UTC');
});

test("after the zone file's last transition its footer rule names the instant", () => {
  process.env.TZ = 'Europe/Paris';
  const clock = createTextClock();
  assert.equal(clock.zoneName(Date.UTC(2040, 6, 1)), 'CEST');
  assert.equal(clock.zoneName(Date.UTC(2040, 11, 1)), 'CET');
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
