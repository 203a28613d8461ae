import { test } from 'node:test';
import assert from 'node:assert/strict';
import { levelName, toRecord } from '../../src/logging/record.js';
import { renderJson, renderText } from '../../src/logging/render.js';
import { createTextClock } from '../../src/logging/time-format.js';

const T = Date.UTC(2026, 6, 13, 8, 0, 0);
const rec = (msg: string, fields: Record<string, unknown> = {}, level = 30) =>
  toRecord({ level, time: T, msg, ...fields }, 'ups-monitor');
const json = (
  msg: string,
  fields: Record<string, unknown> = {},
  level = 30,
): Record<string, unknown> =>
  JSON.parse(renderJson(rec(msg, fields, level))) as Record<string, unknown>;

test('pinned vector: [Rack A] prefix becomes group, secrets are gone', () => {
  const line = renderJson(rec('[Rack A] MQTT broker mqtt://user:secret@example:1883 token=abc123'));
  const obj = JSON.parse(line) as Record<string, unknown>;
  assert.equal(obj.group, 'Rack A');
  assert.ok(String(obj.message).startsWith('MQTT broker'));
  assert.ok(!line.includes('secret'));
  assert.ok(!line.includes('abc123'));
});

test('JSON record has the documented fields, sorted keys, and nothing empty', () => {
  const line = renderJson(rec('hello', { ups: 'UPS1', server: '', group: null }));
  const obj = JSON.parse(line) as Record<string, unknown>;
  assert.deepEqual(Object.keys(obj), ['level', 'logger', 'message', 'timestamp', 'ups']);
  assert.equal(obj.logger, 'ups-monitor');
  assert.equal(obj.level, 'INFO');
  assert.match(String(obj.timestamp), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/);
  assert.deepEqual(Object.keys(obj), [...Object.keys(obj)].sort());
});

test('all five known fields appear, sorted, when supplied', () => {
  const obj = json('x', { server: 's1', ups: 'u', group: 'g', event_type: 'E', category: 'c' });
  assert.deepEqual(Object.keys(obj), [
    'category',
    'event_type',
    'group',
    'level',
    'logger',
    'message',
    'server',
    'timestamp',
    'ups',
  ]);
});

test('level names follow Python', () => {
  assert.deepEqual([10, 20, 30, 40, 50, 60].map(levelName), [
    'DEBUG',
    'DEBUG',
    'INFO',
    'WARNING',
    'ERROR',
    'CRITICAL',
  ]);
  assert.equal(json('x', {}, 40).level, 'WARNING');
});

test('POWER EVENT heuristic gives category and event_type', () => {
  const obj = json('⚡  POWER EVENT: ON_BATTERY - Battery 80%');
  assert.equal(obj.category, 'power_event');
  assert.equal(obj.event_type, 'ON_BATTERY');
  assert.equal(obj.message, '⚡  POWER EVENT: ON_BATTERY - Battery 80%');
});

test('explicit fields beat the [prefix] and POWER EVENT heuristics', () => {
  const obj = json('[Rack A] ⚡  POWER EVENT: ON_BATTERY - x', {
    group: 'Rack B',
    category: 'custom',
    event_type: 'OVERRIDE',
  });
  assert.equal(obj.group, 'Rack B');
  assert.equal(obj.category, 'custom');
  assert.equal(obj.event_type, 'OVERRIDE');
  assert.equal(obj.message, '[Rack A] ⚡  POWER EVENT: ON_BATTERY - x');
});

test('explicit event_type with the POWER EVENT category heuristic', () => {
  const obj = json('⚡  POWER EVENT: ON_BATTERY - x', { event_type: 'MINE' });
  assert.equal(obj.category, 'power_event');
  assert.equal(obj.event_type, 'MINE');
});

test('a group prefix equal to the explicit group is shown once', () => {
  const r = rec('[Rack A] hello', { group: 'Rack A' });
  assert.equal(r.message, 'hello');
  assert.equal(r.fields.group, 'Rack A');
});

test('Remote health → health; uppercase SHUTDOWN → shutdown; lowercase never', () => {
  assert.equal(json('Remote health check failed for nas').category, 'health');
  assert.equal(json('🚨 EMERGENCY SHUTDOWN INITIATED').category, 'shutdown');
  assert.equal(json('Local shutdown disabled').category, undefined);
  assert.equal(json('shutdown_safety_margin = 5').category, undefined);
});

test('string fields are redacted; scalar extras kept; objects dropped; reserved names ignored', () => {
  const obj = json('x', {
    server: 'ssh://root:pw@nas',
    url: 'mqtt://a:b@h',
    attempts: 3,
    ok: false,
    err: { type: 'Error', message: 'token=zzz failed' },
    nested: { a: 1 },
    logger: 'other',
    timestamp: 'nope',
  });
  assert.equal(obj.server, 'ssh://root:<redacted>@nas');
  assert.equal(obj.url, 'mqtt://a:<redacted>@h');
  assert.equal(obj.attempts, 3);
  assert.equal(obj.ok, false);
  assert.equal(obj.err, 'token=<redacted> failed');
  assert.equal(obj.nested, undefined);
  assert.equal(obj.logger, 'ups-monitor');
  assert.notEqual(obj.timestamp, 'nope');
});

test('non-ASCII is kept verbatim in JSON', () => {
  const line = renderJson(rec('⚡ Überspannung'));
  assert.ok(line.includes('⚡ Überspannung'));
});

test('text format line shape, with the group shown as the message prefix', () => {
  const clock = createTextClock('UTC');
  const saved = process.env.TZ;
  process.env.TZ = 'UTC';
  try {
    assert.equal(renderText(rec('hello'), clock), '2026-07-13 08:00:00 UTC - hello');
    assert.equal(
      renderText(rec('[Rack A] hello'), clock),
      '2026-07-13 08:00:00 UTC - [Rack A] hello',
    );
    assert.equal(
      renderText(rec('hello', { group: 'Rack B' }), clock),
      '2026-07-13 08:00:00 UTC - [Rack B] hello',
    );
    assert.equal(
      renderText(rec('mqtt://u:p@h'), clock),
      '2026-07-13 08:00:00 UTC - mqtt://u:<redacted>@h',
    );
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});
