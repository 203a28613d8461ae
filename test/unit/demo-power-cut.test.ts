// The demo's power-cut cycle is a pure function of time: drive it with explicit clock values
// and check each phase's status flags and the direction of charge and runtime.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_PHASES,
  PowerCutScenario,
  phaseAt,
  powerCutVars,
  type PowerCutPhases,
} from '../../src/demo/index.js';

const PHASES: PowerCutPhases = {
  onlineMs: 10_000,
  onBatteryMs: 40_000,
  lowBatteryMs: 10_000,
  restoredMs: 20_000,
};
const CYCLE = 80_000;

const num = (vars: Record<string, string>, name: string): number => Number(vars[name]);

describe('phaseAt', () => {
  it('walks online → on-battery → low-battery → restored and loops', () => {
    assert.equal(phaseAt(0, PHASES).phase, 'online');
    assert.equal(phaseAt(9_999, PHASES).phase, 'online');
    assert.equal(phaseAt(10_000, PHASES).phase, 'on-battery');
    assert.equal(phaseAt(50_000, PHASES).phase, 'low-battery');
    assert.equal(phaseAt(60_000, PHASES).phase, 'restored');
    assert.equal(phaseAt(CYCLE, PHASES).phase, 'online');
    assert.equal(phaseAt(CYCLE + 15_000, PHASES).phase, 'on-battery');
    assert.equal(phaseAt(30_000, PHASES).fraction, 0.5);
  });

  it('demo defaults are about 20 s / 40 s / 15 s / 30 s', () => {
    assert.deepEqual(DEMO_PHASES, {
      onlineMs: 20_000,
      onBatteryMs: 40_000,
      lowBatteryMs: 15_000,
      restoredMs: 30_000,
    });
  });
});

describe('powerCutVars', () => {
  it('online: OL, full charge, mains present', () => {
    const v = powerCutVars(5_000, PHASES);
    assert.equal(v['ups.status'], 'OL');
    assert.equal(v['battery.charge'], '100');
    assert.ok(num(v, 'input.voltage') > 225);
    assert.equal(v['input.voltage.nominal'], '230');
  });

  it('on battery: OB DISCHRG, charge and runtime falling, no input voltage, charge stays ≥ 20', () => {
    let previous = powerCutVars(10_000, PHASES);
    assert.equal(previous['ups.status'], 'OB DISCHRG');
    assert.equal(previous['input.voltage'], '0.0');
    for (let t = 12_000; t < 50_000; t += 2_000) {
      const v = powerCutVars(t, PHASES);
      assert.equal(v['ups.status'], 'OB DISCHRG');
      assert.ok(num(v, 'battery.charge') <= num(previous, 'battery.charge'));
      assert.ok(num(v, 'battery.runtime') <= num(previous, 'battery.runtime'));
      assert.ok(num(v, 'battery.charge') >= 20, `charge at ${t}`);
      previous = v;
    }
    assert.ok(num(previous, 'battery.charge') < 30);
  });

  it('low battery: OB DISCHRG LB with charge below 20', () => {
    for (let t = 50_000; t < 60_000; t += 1_000) {
      const v = powerCutVars(t, PHASES);
      assert.equal(v['ups.status'], 'OB DISCHRG LB');
      assert.ok(num(v, 'battery.charge') < 20);
    }
  });

  it('restored: OL CHRG, charging back to 100 by the end', () => {
    const start = powerCutVars(60_000, PHASES);
    const end = powerCutVars(79_999, PHASES);
    assert.equal(start['ups.status'], 'OL CHRG');
    assert.ok(num(start, 'battery.charge') < 20);
    assert.ok(num(end, 'battery.charge') >= 99);
    assert.ok(num(end, 'input.voltage') > 225);
  });

  it('reports every variable the monitor reads, as parseable numbers', () => {
    const v = powerCutVars(30_000, PHASES);
    for (const name of [
      'battery.charge',
      'battery.runtime',
      'ups.load',
      'input.voltage',
      'output.voltage',
      'battery.voltage',
      'ups.temperature',
      'input.frequency',
      'output.frequency',
      'ups.realpower',
      'ups.power.nominal',
      'input.transfer.low',
      'input.transfer.high',
    ]) {
      assert.ok(Number.isFinite(num(v, name)), name);
    }
    assert.equal(v['device.mfr'], 'Eneru');
  });
});

describe('PowerCutScenario', () => {
  it('writes every UPS on tick, relative to the first tick, with stagger', () => {
    const written = new Map<string, Record<string, string>>();
    const scenario = new PowerCutScenario({
      target: { setVars: (ups, vars) => written.set(ups, { ...vars }) },
      upses: ['A', 'B'],
      phases: PHASES,
      staggerMs: 10_000,
    });
    scenario.tick(1_000_000);
    assert.equal(written.get('A')?.['ups.status'], 'OL');
    assert.equal(written.get('B')?.['ups.status'], 'OB DISCHRG');
    scenario.tick(1_000_000 + 45_000);
    assert.equal(written.get('A')?.['ups.status'], 'OB DISCHRG');
    assert.equal(written.get('B')?.['ups.status'], 'OB DISCHRG LB');
    assert.equal(scenario.phaseOf('A', 1_000_000 + 65_000), 'restored');
  });

  it('start() ticks at once and on its timer; stop() clears it', async () => {
    let ticks = 0;
    const scenario = new PowerCutScenario({
      target: { setVars: () => (ticks += 1) },
      upses: ['A'],
      tickMs: 10,
    });
    scenario.start();
    assert.equal(ticks, 1);
    const deadline = Date.now() + 5_000;
    while (ticks < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    scenario.stop();
    const after = ticks;
    assert.ok(after >= 3);
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(ticks, after);
  });
});
