import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyNominal,
  defaultMonitorPolicy,
  defaultTriggerPolicy,
  initialState,
  toSnapshot,
} from '../../src/domain/advance.js';
import { resolveNominal, snapToStandardGrid, warningBand } from '../../src/domain/voltage.js';
import { Replay, scenario } from '../support/domain-replay.js';

describe('nominal voltage snapping', () => {
  const table: [number, number][] = [
    [118, 120],
    [122.5, 120],
    [110, 110],
    [228, 230],
    [244, 240],
    [212, 208],
    [115, 115],
    [127, 127],
    [50, 50],
    [175, 175],
    [300, 300],
    [255, 240],
    [256, 256],
    // Ties go to the lower grid entry.
    [112.5, 110],
    [204, 200],
    [225, 220],
    [235, 230],
    [105, 100],
  ];
  for (const [raw, snapped] of table) {
    it(`${raw} → ${snapped}`, () => assert.equal(snapToStandardGrid(raw), snapped));
  }

  it('startup read: missing, junk or < 50 V → 230', () => {
    assert.equal(resolveNominal(null), 230);
    assert.equal(resolveNominal(''), 230);
    assert.equal(resolveNominal('abc'), 230);
    assert.equal(resolveNominal('0'), 230);
    assert.equal(resolveNominal('49.9'), 230);
    assert.equal(resolveNominal('120'), 120);
    assert.equal(resolveNominal('117'), 115);
    assert.equal(resolveNominal('119'), 120);
    assert.equal(resolveNominal('50'), 50);
  });

  it('warning band per sensitivity, rounded to 1 decimal', () => {
    assert.deepEqual(warningBand(230, 0.1), { low: 207, high: 253 });
    assert.deepEqual(warningBand(230, 0.05), { low: 218.5, high: 241.5 });
    assert.deepEqual(warningBand(120, 0.15), { low: 102, high: 138 });
    assert.deepEqual(warningBand(127, 0.1), { low: 114.3, high: 139.7 });
  });

  it('applyNominal snaps, keeps transfer points, and the snapshot shows null until the first poll', () => {
    const policy = defaultMonitorPolicy({
      triggers: defaultTriggerPolicy({ voltageSensitivity: 'tight' }),
    });
    const state = applyNominal(initialState(policy, { monoMs: 0, wallMs: 0 }), policy, {
      nominal: '118',
      transferLow: '106',
      transferHigh: 'junk',
    });
    assert.equal(state.voltage.nominal, 120);
    assert.equal(state.voltage.warningLow, 114);
    assert.equal(state.voltage.warningHigh, 126);
    assert.equal(state.voltage.transferLow, 106);
    assert.equal(state.voltage.transferHigh, null);
    const before = toSnapshot(state, { monoMs: 0, wallMs: 0 });
    assert.equal(before.nominalVoltage, null);
    assert.equal(before.warningLow, null);
    const r = new Replay(policy, { state });
    r.ok(scenario('us-grid-hot'));
    const after = toSnapshot(r.state, r.clock);
    assert.deepEqual([after.nominalVoltage, after.warningLow, after.warningHigh], [120, 114, 126]);
  });
});

describe('auto-detect re-snap', () => {
  function misreport() {
    const policy = defaultMonitorPolicy();
    const vars = scenario('us-grid-misreport');
    const state = applyNominal(initialState(policy, { monoMs: 0, wallMs: 0 }), policy, {
      nominal: vars['input.voltage.nominal'] ?? null,
      transferLow: vars['input.transfer.low'] ?? null,
      transferHigh: vars['input.transfer.high'] ?? null,
    });
    return { r: new Replay(policy, { state }), vars };
  }

  it('us-grid-misreport: 120.5 V readings with a reported 230 V nominal re-snap to 120 after 10 polls', () => {
    const { r, vars } = misreport();
    assert.equal(r.state.voltage.nominal, 230);
    r.repeat(vars, 9);
    assert.equal(r.state.voltage.nominal, 230);
    // While the nominal is wrong, 120.5 V reads as a severe brownout (the reason for the re-snap).
    assert.equal(r.state.voltage.state, 'LOW');
    r.ok(vars);
    assert.equal(r.state.voltage.nominal, 120);
    assert.equal(r.state.voltage.warningLow, 108);
    assert.equal(r.state.voltage.warningHigh, 132);
    const mismatch = r.events.filter((e) => e.type === 'VOLTAGE_AUTODETECT_MISMATCH');
    assert.deepEqual(
      mismatch.map((e) => [e.detail, e.notify]),
      [['NUT nominal=230.0V, observed median=120.5V, re-snapped to 120.0V', false]],
    );
    assert.equal(
      r.noteMatching(
        'Voltage auto-detect re-snap: NUT=230.0V disagreed with observed median 120.5V',
      ).length,
      1,
    );
    // Same poll: the state machine re-evaluates against the new band and normalises.
    assert.equal(r.state.voltage.state, 'NORMAL');
    r.repeat(vars, 20);
    assert.equal(
      r.events.filter((e) => e.type === 'VOLTAGE_AUTODETECT_MISMATCH').length,
      1,
      'once per lifetime',
    );
  });

  it('agreeing readings finish the check without an event', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.repeat(scenario('online-charging'), 12);
    assert.equal(r.state.voltage.autodetectDone, true);
    assert.equal(r.state.voltage.nominal, 230);
    assert.equal(r.events.length, 0);
  });

  it('ignores on-battery and implausible readings', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.repeat(scenario('on-battery', { 'input.voltage': '120' }), 12);
    r.repeat(scenario('online-charging', { 'input.voltage': '0' }), 12);
    r.repeat(scenario('online-charging', { 'input.voltage': '65535' }), 12);
    assert.equal(r.state.voltage.autodetectSamples.length, 0);
    assert.equal(r.state.voltage.autodetectDone, false);
  });
});
