/**
 * A monitor reusing the previous poll's NUT variables still publishes every change: after upsd
 * changes a value, the live snapshot and the UPS document show the new one, and values that did
 * not change keep showing theirs.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultMonitorPolicy } from '../../src/domain/advance.js';
import { LiveStateStore } from '../../src/monitor/live-state.js';
import { buildUpsObject } from '../../src/monitor/ups-document.js';
import { UpsMonitor } from '../../src/monitor/ups-monitor.js';
import { NutClient } from '../../src/nut/index.js';
import { systemClock } from '../../src/app/clock.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { loadScenario, startSim, type RunningSim } from '../support/nut-sim.js';
import { waitFor } from '../support/wait.js';

describe('monitor variables across polls', () => {
  let sim: RunningSim | null = null;
  let monitor: UpsMonitor | null = null;
  let client: NutClient | null = null;

  afterEach(async () => {
    await monitor?.stop();
    await client?.close();
    await sim?.stop();
  });

  test('a changed value reaches the live snapshot and the document; the others stay', async () => {
    sim = await startSim({ TestUPS: 'online-charging' });
    client = new NutClient({
      host: '127.0.0.1',
      port: sim.port,
      tls: 'off',
      requestTimeoutMs: 2000,
    });
    const live = new LiveStateStore();
    const name = `TestUPS@127.0.0.1:${sim.port}`;
    const polls: number[] = [];
    monitor = new UpsMonitor({
      identity: { name, label: name, displayName: null, groupId: 'TestUPS', isLocal: true },
      policy: defaultMonitorPolicy({ upsName: name, checkIntervalSec: 1 }),
      nutUpsName: 'TestUPS',
      client,
      live,
      sink: {
        onPoll: (report) => polls.push(report.clock.wallMs),
        onEvent: () => undefined,
        onNotification: () => undefined,
        onCommand: () => undefined,
      },
      outage: { load: () => null, save: () => undefined },
      logger: new RecordingLogger(),
      clock: systemClock,
      shutdownInProgress: () => false,
    });
    monitor.start();
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
