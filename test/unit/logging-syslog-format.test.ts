import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { toRecord } from '../../src/logging/record.js';
import {
  SYSLOG_FACILITIES,
  facilityCode,
  priority,
  severityOf,
} from '../../src/logging/syslog-facility.js';
import {
  escapeParamValue,
  formatRfc3164,
  formatRfc5424,
  rfc3164Timestamp,
  rfc5424Timestamp,
  structuredData,
} from '../../src/logging/syslog-format.js';

const savedTz = process.env.TZ;
process.env.TZ = 'UTC';
after(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const T = Date.UTC(2026, 0, 5, 8, 4, 9, 7);
const id = { hostname: 'host1', pid: 4242 };
const rec = (msg: string, fields: Record<string, unknown> = {}, level = 30) =>
  toRecord({ level, time: T, msg, ...fields }, 'ups-monitor');

test('facility names and numbers match Python SysLogHandler', () => {
  assert.deepEqual(SYSLOG_FACILITIES, {
    kern: 0,
    user: 1,
    mail: 2,
    daemon: 3,
    auth: 4,
    syslog: 5,
    lpr: 6,
    news: 7,
    uucp: 8,
    cron: 9,
    authpriv: 10,
    ftp: 11,
    ntp: 12,
    security: 13,
    console: 14,
    'solaris-cron': 15,
    local0: 16,
    local1: 17,
    local2: 18,
    local3: 19,
    local4: 20,
    local5: 21,
    local6: 22,
    local7: 23,
  });
  assert.equal(facilityCode('DAEMON'), 3);
  assert.equal(facilityCode(' local7 '), 23);
  assert.equal(facilityCode('local8'), undefined);
  assert.equal(facilityCode('toString'), undefined);
});

test('PRI = facility*8 + severity for several facility/level pairs', () => {
  const pri = (facility: string, level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR') =>
    priority(facilityCode(facility) ?? -1, severityOf(level, undefined));
  assert.equal(pri('daemon', 'INFO'), 30);
  assert.equal(pri('daemon', 'WARNING'), 28);
  assert.equal(pri('daemon', 'ERROR'), 27);
  assert.equal(pri('daemon', 'DEBUG'), 31);
  assert.equal(pri('kern', 'DEBUG'), 7);
  assert.equal(pri('local7', 'ERROR'), 187);
  assert.equal(pri('auth', 'WARNING'), 36);
  assert.equal(pri('user', 'INFO'), 14);
});

test('power events are at least warning severity (the old logger -p daemon.warning)', () => {
  assert.equal(severityOf('INFO', 'power_event'), 4);
  assert.equal(severityOf('ERROR', 'power_event'), 3);
  assert.equal(severityOf('INFO', 'health'), 6);
});

test('RFC 3164 timestamp pads the day with a space', () => {
  assert.equal(rfc3164Timestamp(T), 'Jan  5 08:04:09');
  assert.equal(rfc3164Timestamp(Date.UTC(2026, 11, 24, 23, 59, 59)), 'Dec 24 23:59:59');
});

test('RFC 3164 message, with and without hostname', () => {
  const r = rec('hello');
  assert.equal(
    formatRfc3164(30, r, 'LINE', id, true),
    '<30>Jan  5 08:04:09 host1 eneru[4242]: LINE',
  );
  assert.equal(formatRfc3164(30, r, 'LINE', id, false), '<30>Jan  5 08:04:09 eneru[4242]: LINE');
});

test('RFC 5424 message with structured data and msgid', () => {
  const r = rec('⚡  POWER EVENT: ON_BATTERY - x', { ups: 'UPS1@h', group: 'Rack "A"' });
  assert.equal(
    formatRfc5424(28, r, 'LINE', id),
    '<28>1 2026-01-05T08:04:09.007+00:00 host1 eneru 4242 ON_BATTERY ' +
      '[eneru@32473 category="power_event" event_type="ON_BATTERY" ups="UPS1@h" group="Rack \\"A\\""] LINE',
  );
  assert.equal(
    formatRfc5424(30, rec('plain'), 'L', { hostname: 'bad host', pid: 1 }),
    '<30>1 2026-01-05T08:04:09.007+00:00 - eneru 1 - - L',
  );
});

test('RFC 5424 timestamp offset follows the local zone', () => {
  process.env.TZ = 'Asia/Kolkata';
  try {
    assert.equal(rfc5424Timestamp(T), '2026-01-05T13:34:09.007+05:30');
  } finally {
    process.env.TZ = 'UTC';
  }
});

test('PARAM-VALUE escaping of ", \\ and ]', () => {
  assert.equal(escapeParamValue('a"b\\c]d'), 'a\\"b\\\\c\\]d');
  assert.equal(structuredData(rec('x', { server: 'n]as' })), '[eneru@32473 server="n\\]as"]');
  assert.equal(structuredData(rec('nothing')), '-');
});
