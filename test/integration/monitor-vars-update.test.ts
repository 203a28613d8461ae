/**
 * A monitor reusing the previous poll's NUT variables still publishes every change: after upsd
 * changes a value, the live snapshot and the UPS document show the new one, and values that did
 * not change keep showing theirs.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveStateStore } from '../../src/monitor/live-state.js';
import { buildUpsObject } from '../../src/monitor/ups-document.js';
import { loadScenario } from '../support/nut-sim.js';
import { SimMonitorRig } from '../support/sim-monitor.js';
import { waitFor } from '../support/wait.js';

describe('monitor variables across polls', () => {
  const rig = new SimMonitorRig();
  afterEach(() => rig.stop());

  test('a changed value reaches the live snapshot and the document; the others stay', async () => {
    const sim = await rig.startSim({ TestUPS: 'online-charging' });
    const live = new LiveStateStore();
    const polls: number[] = [];
    rig.startMonitor({
      nutUpsName: 'TestUPS',
      groupId: 'TestUPS',
      live,
      checkIntervalSec: 1,
      onPoll: (report) => polls.push(report.clock.wallMs),
    });
    const scenario = loadScenario('online-charging');
    const entry = () => live.find('TestUPS');
    await waitFor(() => polls.length >= 2, 10_000, 'two polls');
    assert.deepEqual(entry()?.snapshot.vars, scenario);

    sim.sim.setVars('TestUPS', { 'battery.charge': '42', 'input.voltage': '199.5' });
    const seen = polls.length;
    await waitFor(() => entry()?.snapshot.vars['battery.charge'] === '42', 10_000, 'new charge');
    assert.ok(polls.length > seen);
    const found = entry();
    assert.ok(found);
    const doc = buildUpsObject(found, { remoteHealth: [] });
    assert.equal(doc.batteryCharge, '42');
    assert.equal(doc.powerQuality.inputVoltage, '199.5');
    assert.equal(doc.load, scenario['ups.load'] ?? '');
    assert.deepEqual(found.snapshot.vars, {
      ...scenario,
      'battery.charge': '42',
      'input.voltage': '199.5',
    });
  });
});
