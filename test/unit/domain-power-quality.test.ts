import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyNominal,
  defaultMonitorPolicy,
  initialState,
  type MonitorPolicy,
} from '../../src/domain/advance.js';
import { Replay, scenario } from '../support/domain-replay.js';

function replay(
  overrides: Partial<MonitorPolicy> = {},
  transfer: { low: string | null; high: string | null } = { low: '170', high: '280' },
) {
  const policy = defaultMonitorPolicy({ voltageHysteresisSec: 30, ...overrides });
  const state = applyNominal(initialState(policy, { monoMs: 0, wallMs: 0 }), policy, {
    nominal: '230',
    transferLow: transfer.low,
    transferHigh: transfer.high,
  });
  return new Replay(policy, { state });
}
const line = (voltage: string, status = 'OL') =>
  scenario('online-charging', { 'ups.status': status, 'input.voltage': voltage });

describe('voltage state machine and hysteresis', () => {
  it('mild brownout: row at once (notify=false), notification after the dwell', () => {
    const r = replay();
    r.ok(line('230'));
    r.ok(line('205')); // 10.9 % below → mild (≤ 15 %)
    assert.deepEqual(
      r.events.map((e) => [e.type, e.notify]),
      [['BROWNOUT_DETECTED', false]],
    );
    assert.equal(
      r.events[0]?.detail,
      'input voltage 205.0V is 10.9% below 230V nominal (warning threshold 207.0V). UPS will not switch to battery until 170.0V ' +
        '(firmware setting); this is a grid-quality issue (outside the configured ±10% nominal band), not an imminent power loss.',
    );
    assert.equal(r.notifications.length, 0);
    r.repeat(line('205'), 29); // 29 s after the transition
    assert.equal(r.notifications.length, 0);
    r.ok(line('205')); // 30 s
    assert.equal(r.notifications.length, 1);
    assert.equal(r.notifications[0]?.category, 'voltage');
    assert.match(
      r.notifications[0]?.body ?? '',
      /\(warning threshold 207\.0V\)\. Persisted 30s\. UPS will not switch/,
    );
    r.repeat(line('205'), 10);
    assert.equal(r.notifications.length, 1, 'one notification per excursion');
  });

  it('severe deviation bypasses the dwell', () => {
    const r = replay();
    r.ok(line('230'));
    r.ok(line('190')); // 17.4 % below
    assert.equal(
      r.events[0]?.detail,
      '(severe, 17.4% below nominal): input voltage 190.0V. Approaching UPS battery-switch threshold (170.0V) -- battery may engage shortly.',
    );
    assert.equal(r.notifications.length, 1);
    assert.equal(
      r.notifications[0]?.body,
      'Details: (severe, 17.4% below nominal): input voltage 190.0V. Notifying immediately (bypassed hysteresis). ' +
        'Approaching UPS battery-switch threshold (170.0V) -- battery may engage shortly.',
    );
  });

  it('returning to NORMAL before the dwell records a flap row and no notification', () => {
    const r = replay();
    r.ok(line('230'));
    r.ok(line('255'));
    r.repeat(line('256'), 4);
    r.ok(line('231'));
    assert.deepEqual(
      r.events.map((e) => [e.type, e.detail, e.notify]),
      [
        [
          'OVER_VOLTAGE_DETECTED',
          'input voltage 255.0V is 10.9% above 230V nominal (warning threshold 253.0V). UPS will not switch to battery until 280.0V (firmware setting); this is a grid-quality issue (outside the configured ±10% nominal band), not an imminent power loss.',
          false,
        ],
        ['VOLTAGE_NORMALIZED', 'Voltage returned to normal: 231.0V. Previous state: HIGH', false],
        [
          'VOLTAGE_FLAP_SUPPRESSED',
          'state=HIGH duration=5s peak=255.0V (below hysteresis threshold; no notification sent)',
          false,
        ],
      ],
    );
    assert.equal(r.notifications.length, 0);
  });

  it('a mild pending record is upgraded to severe while the state persists', () => {
    const r = replay();
    r.ok(line('230'));
    r.ok(line('205'));
    r.ok(line('200'));
    assert.equal(r.notifications.length, 0);
    r.ok(line('190'));
    assert.equal(r.events.length, 1, 'no new row while LOW');
    assert.equal(r.notifications.length, 1);
    assert.match(
      r.notifications[0]?.body ?? '',
      /severe, 17\.4% below nominal\): input voltage 190\.0V\. Notifying immediately/,
    );
  });

  it('LOW → HIGH opens a new pending record without a flap row', () => {
    const r = replay();
    r.ok(line('230'));
    r.ok(line('205'));
    r.ok(line('255'));
    assert.deepEqual(r.eventTypes(), ['BROWNOUT_DETECTED', 'OVER_VOLTAGE_DETECTED']);
    assert.equal(r.state.voltage.pending?.direction, 'HIGH');
  });

  it('hysteresis 0 notifies on the transition poll', () => {
    const r = replay({ voltageHysteresisSec: 0 });
    r.ok(line('230'));
    r.ok(line('205'));
    assert.equal(r.notifications.length, 1);
    assert.match(r.notifications[0]?.body ?? '', /Persisted 0s\./);
  });

  it('boundaries are strict: exactly the warning threshold is NORMAL', () => {
    const r = replay();
    r.ok(line('207'));
    r.ok(line('253'));
    assert.equal(r.events.length, 0);
    r.ok(line('206.9'));
    assert.deepEqual(r.eventTypes(), ['BROWNOUT_DETECTED']);
  });

  it('no transfer points → no firmware hint', () => {
    const r = replay({}, { low: null, high: null });
    r.ok(line('205'));
    assert.equal(
      r.events[0]?.detail,
      'input voltage 205.0V is 10.9% below 230V nominal (warning threshold 207.0V).',
    );
  });

  it('OB forces NORMAL silently and drops the pending record; neutral and junk change nothing', () => {
    const r = replay();
    r.ok(line('205'));
    r.ok(scenario('on-battery'));
    assert.equal(r.state.voltage.state, 'NORMAL');
    assert.equal(r.state.voltage.pending, null);
    assert.deepEqual(
      r.eventTypes().filter((t) => t.startsWith('VOLTAGE')),
      [],
    );
    const r2 = replay();
    r2.ok(line('205'));
    r2.ok(line('230', 'OFF'));
    r2.ok(line('n/a'));
    r2.ok(line('0'));
    assert.equal(r2.state.voltage.state, 'LOW');
  });

  it('the brownout fixture (165 V on 230 V) is a severe brownout', () => {
    const r = replay();
    r.ok(scenario('brownout'));
    assert.equal(r.state.voltage.state, 'LOW');
    assert.equal(
      r.events[0]?.detail,
      '(severe, 28.3% below nominal): input voltage 165.0V. Approaching UPS battery-switch threshold (170.0V) -- battery may engage shortly.',
    );
  });
});

describe('AVR, bypass and overload', () => {
  it('fire on transitions only, with their detail texts', () => {
    const r = replay();
    r.ok(scenario('avr-boost'));
    r.ok(scenario('avr-boost'));
    r.ok(scenario('online-charging', { 'ups.status': 'OL TRIM', 'input.voltage': '250' }));
    r.ok(scenario('online-charging'));
    r.ok(scenario('overload'));
    r.ok(scenario('overload'));
    r.ok(scenario('online-charging', { 'ups.load': 'junk' }));
    r.ok(scenario('online-charging', { 'ups.status': 'OL BYPASS' }));
    r.ok(scenario('online-charging'));
    const rows = r.events.filter(
      (e) => !e.type.startsWith('VOLTAGE') && e.type !== 'BROWNOUT_DETECTED',
    );
    assert.deepEqual(
      rows.map((e) => [e.type, e.detail, e.notify]),
      [
        ['AVR_BOOST_ACTIVE', 'Input voltage low (195.0V). UPS is boosting output.', true],
        ['AVR_TRIM_ACTIVE', 'Input voltage high (250V). UPS is trimming output.', true],
        ['AVR_INACTIVE', 'AVR is inactive. Input voltage: 230.5V.', false],
        ['OVERLOAD_ACTIVE', 'UPS overload detected! Load: 110%', true],
        ['OVERLOAD_RESOLVED', 'UPS overload resolved. Load: N/A%', true],
        ['BYPASS_MODE_ACTIVE', 'UPS in bypass mode - no protection active!', true],
        ['BYPASS_MODE_INACTIVE', 'UPS left bypass mode.', true],
      ],
    );
  });

  it('notify honours suppress and a running shutdown; unsuppressed rows still land', () => {
    const r = replay({ suppressedEvents: new Set(['AVR_BOOST_ACTIVE']) });
    r.ok(scenario('avr-boost'));
    assert.deepEqual(
      r.events.map((e) => [e.type, e.notify]).filter(([t]) => t === 'AVR_BOOST_ACTIVE'),
      [['AVR_BOOST_ACTIVE', false]],
    );
    assert.equal(r.notifications.filter((n) => n.eventType === 'AVR_BOOST_ACTIVE').length, 0);
    const busy = replay({ shutdownInProgress: true });
    busy.ok(scenario('overload'));
    assert.deepEqual(
      busy.events.map((e) => [e.type, e.notify]),
      [['OVERLOAD_ACTIVE', false]],
    );
    assert.equal(busy.notifications.length, 0);
  });
});
