import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultMonitorPolicy, defaultTriggerPolicy } from '../../src/domain/advance.js';
import { minDepletionPoints, updateDepletion } from '../../src/domain/depletion.js';
import {
  formatDuration,
  hasToken,
  parseNumeric,
  pyFloat,
  roundTo,
  statusTokens,
} from '../../src/domain/format.js';
import type { DepletionPoint } from '../../src/domain/state.js';
import { Replay, scenario } from '../support/domain-replay.js';

const online = scenario('online-charging');

describe('formatting helpers', () => {
  const durations: [number | string | null, string][] = [
    [0, '0s'],
    [59, '59s'],
    [59.9, '59s'],
    [60, '1m 0s'],
    [3599, '59m 59s'],
    [3600, '1h 0m'],
    [7322, '2h 2m'],
    ['1200', '20m 0s'],
    ['abc', 'N/A'],
    ['', 'N/A'],
    [null, 'N/A'],
  ];
  for (const [input, text] of durations) {
    it(`duration ${JSON.stringify(input)} → ${text}`, () =>
      assert.equal(formatDuration(input), text));
  }

  it('parses only finite decimal numbers', () => {
    assert.equal(parseNumeric(' 97 '), 97);
    assert.equal(parseNumeric('-1.5e2'), -150);
    assert.equal(parseNumeric('.5'), 0.5);
    for (const junk of ['', 'NaN', 'inf', 'Infinity', '1e999', '0x10', '12abc', '1,5'])
      assert.equal(parseNumeric(junk), null, junk);
  });

  it('rounds like Python round(): exact binary value, ties to even', () => {
    const table: [number, number, number][] = [
      [2.675, 2, 2.67],
      [0.125, 2, 0.12],
      [0.375, 2, 0.38],
      [-0.125, 2, -0.12],
      [1.005, 2, 1],
      [218.49999999999997, 1, 218.5],
      [207.00000000000003, 1, 207],
      [2.5, 0, 2],
      [3.5, 0, 4],
      [142, 2, 142],
    ];
    for (const [value, decimals, expected] of table)
      assert.equal(roundTo(value, decimals), expected, `${value}`);
  });

  it('Python float repr and whole-token status matching', () => {
    assert.equal(pyFloat(230), '230.0');
    assert.equal(pyFloat(120.5), '120.5');
    assert.equal(hasToken('OB DISCHRG', 'CHRG'), false);
    assert.equal(hasToken('OL  CHRG', 'CHRG'), true);
    assert.equal(hasToken('OBX', 'OB'), false);
  });

  it('hasToken agrees with statusTokens on every status shape', () => {
    const statuses = [
      '',
      'OL',
      'OL CHRG',
      ' OB  DISCHRG LB ',
      'OL\tCHRG',
      'DISCHRG',
      'CHRGOL',
      'OB OB',
    ];
    const tokens = ['OL', 'OB', 'CHRG', 'DISCHRG', 'LB', 'FSD', '', 'OL CHRG'];
    for (const status of statuses) {
      for (const token of tokens) {
        const expected = statusTokens(status).has(token);
        assert.equal(hasToken(status, token), expected, `${JSON.stringify(status)} ${token}`);
      }
    }
  });
});

describe('depletion rate', () => {
  const policy = defaultMonitorPolicy({
    checkIntervalSec: 1,
    triggers: defaultTriggerPolicy({
      depletion: { windowSec: 10, criticalRatePctPerMin: 15, gracePeriodSec: 90 },
    }),
  });

  it('minimum points: min(30, max(2, window // interval))', () => {
    const mk = (windowSec: number, checkIntervalSec: number) =>
      minDepletionPoints(
        defaultMonitorPolicy({
          checkIntervalSec,
          triggers: defaultTriggerPolicy({
            depletion: { windowSec, criticalRatePctPerMin: 15, gracePeriodSec: 90 },
          }),
        }),
      );
    assert.equal(mk(300, 1), 30);
    assert.equal(mk(10, 1), 10);
    assert.equal(mk(10, 7), 2);
    assert.equal(mk(1, 1), 2);
    assert.equal(mk(60, 4), 15);
  });

  it('0.0 until enough points, then the two-point delta rounded to 2 decimals', () => {
    const history: DepletionPoint[] = [];
    const rates: number[] = [];
    for (let i = 0; i < 10; i += 1)
      rates.push(
        updateDepletion(
          history,
          String(90 - i / 3),
          { monoMs: i * 1000, wallMs: i * 1000 },
          policy,
        ),
      );
    assert.deepEqual(rates.slice(0, 9), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(rates[9], 20); // 3 points in 9 s = 20 %/min
    assert.equal(
      updateDepletion(history, '86.9', { monoMs: 10_000, wallMs: 10_000 }, policy),
      18.6,
    );
  });

  it('drops points older than the window, clamps to 100, ignores junk and negatives', () => {
    const history: DepletionPoint[] = [];
    assert.equal(updateDepletion(history, 'n/a', { monoMs: 0, wallMs: 0 }, policy), 0);
    assert.equal(updateDepletion(history, '-3', { monoMs: 0, wallMs: 0 }, policy), 0);
    assert.equal(history.length, 0);
    updateDepletion(history, '150', { monoMs: 0, wallMs: 0 }, policy);
    assert.equal(history[0]?.chargePct, 100);
    updateDepletion(history, '99', { monoMs: 10_000, wallMs: 10_000 }, policy);
    assert.equal(history.length, 2, 'a point exactly at now − window is kept');
    updateDepletion(history, '98', { monoMs: 10_001, wallMs: 10_001 }, policy);
    assert.equal(history.length, 2);
  });

  it('is 0.0 on line and published while on battery', () => {
    const r = new Replay(policy);
    r.ok(online);
    for (let i = 0; i < 12; i += 1)
      r.ok(scenario('on-battery', { 'battery.charge': String(90 - i) }));
    assert.equal(r.state.outage.depletionRatePctPerMin, 60);
    r.ok(online);
    assert.equal(r.state.outage.depletionRatePctPerMin, 0);
    assert.equal(r.state.outage.history.length, 0);
  });

  it('keeps at most 1000 points', () => {
    const wide = defaultMonitorPolicy({
      triggers: defaultTriggerPolicy({
        depletion: { windowSec: 100_000, criticalRatePctPerMin: 15, gracePeriodSec: 90 },
      }),
    });
    const history: DepletionPoint[] = [];
    for (let i = 0; i < 1100; i += 1)
      updateDepletion(history, '50', { monoMs: i * 1000, wallMs: i * 1000 }, wide);
    assert.equal(history.length, 1000);
    assert.equal(history[0]?.monoMs, 100_000);
  });
});

describe('slow-NUT diagnostics', () => {
  it('a slow poll is a silent diagnostics row at most every 300 s', () => {
    const r = new Replay(defaultMonitorPolicy({ upsName: 'UPS@nas' }));
    r.ok(online, { durationMs: 2500 });
    r.ok(online, { durationMs: 1999 });
    r.ok(online, { durationMs: 3000, afterMs: 299_000 });
    r.ok(online, { durationMs: 3000, afterMs: 1000 });
    assert.deepEqual(
      r.events.map((e) => [e.type, e.detail, e.notify]),
      [
        ['SLOW_NUT_RESPONSE', 'UPS@nas slow NUT response: 2.5s for LIST VAR UPS@nas', false],
        ['SLOW_NUT_RESPONSE', 'UPS@nas slow NUT response: 3.0s for LIST VAR UPS@nas', false],
      ],
    );
    assert.equal(r.notifications.length, 0);
  });

  it('three consecutive polls ≥ 10 s notify once; a fast poll resets the streak and the latch', () => {
    const r = new Replay(defaultMonitorPolicy({ upsName: 'UPS@nas' }));
    r.ok(online, { durationMs: 10_000 });
    r.ok(online, { durationMs: 12_000 });
    assert.equal(r.notifications.length, 0);
    r.ok(online, { durationMs: 10_500 });
    assert.deepEqual(
      r.notifications.map((n) => [n.title, n.category]),
      [['Sustained slow NUT responses', 'health']],
    );
    const notified = r.events.filter((e) => e.notify);
    assert.deepEqual(
      notified.map((e) => e.detail),
      [
        'UPS@nas sustained slow NUT responses: latest 10.5s; threshold 10.0s for 3 consecutive polls',
      ],
    );
    r.ok(online, { durationMs: 11_000 });
    assert.equal(r.notifications.length, 1, 'latched');
    r.ok(online, { durationMs: 50 });
    r.ok(online, { durationMs: 10_000 });
    r.ok(online, { durationMs: 10_000 });
    assert.equal(r.notifications.length, 1);
    r.ok(online, { durationMs: 10_000 });
    assert.equal(r.notifications.length, 2);
  });

  it('failed polls count too (a timed-out read is slow)', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.error('timeout', { durationMs: 10_000 });
    r.error('timeout', { durationMs: 10_000 });
    r.error('timeout', { durationMs: 10_000 });
    assert.equal(
      r.notifications.filter((n) => n.title === 'Sustained slow NUT responses').length,
      1,
    );
  });
});

describe('battery anomaly tracker', () => {
  it('a > 20 point drop within 120 s confirmed over 3 polls notifies (health), no events row', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.ok({ ...online, 'battery.charge': '100' });
    r.ok({ ...online, 'battery.charge': '70' });
    r.ok({ ...online, 'battery.charge': '70' });
    assert.equal(r.notifications.length, 0);
    r.ok({ ...online, 'battery.charge': '71' });
    assert.deepEqual(
      r.notifications.map((n) => [n.title, n.category]),
      [['Battery Anomaly Detected', 'health']],
    );
    assert.equal(r.state.anomaly.confirmedCount, 1);
    assert.equal(r.events.length, 0);
  });

  it('a rebound of more than 10 points discards the pending anomaly', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.ok({ ...online, 'battery.charge': '100' });
    r.ok({ ...online, 'battery.charge': '70' });
    r.ok({ ...online, 'battery.charge': '85' });
    r.repeat({ ...online, 'battery.charge': '85' }, 3);
    assert.equal(r.notifications.length, 0);
  });

  it('slow drops and on-battery drops are not anomalies', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.ok({ ...online, 'battery.charge': '100' });
    r.ok({ ...online, 'battery.charge': '70' }, { afterMs: 120_000 });
    r.repeat({ ...online, 'battery.charge': '70' }, 3);
    r.ok(scenario('on-battery', { 'battery.charge': '40' }));
    r.repeat(scenario('on-battery', { 'battery.charge': '40' }), 3);
    assert.equal(r.notifications.filter((n) => n.title === 'Battery Anomaly Detected').length, 0);
  });
});

describe('notification gating of power events', () => {
  it('suppress mutes a restore; always-silent types never notify; the rows still land', () => {
    const r = new Replay(defaultMonitorPolicy({ suppressedEvents: new Set(['POWER_RESTORED']) }));
    r.ok(online);
    r.ok(scenario('on-battery'));
    r.ok(online);
    assert.deepEqual(
      r.events.map((e) => [e.type, e.notify]),
      [
        ['ON_BATTERY', true],
        ['POWER_RESTORED', false],
      ],
    );
    assert.deepEqual(
      r.notifications.map((n) => n.eventType),
      ['ON_BATTERY'],
    );
  });
});
