/**
 * UPS-name autodiscovery (core §2.2) through a real monitor loop against the NUT simulator: a
 * configured name upsd does not serve is replaced by the only UPS it serves (identity kept);
 * with several served UPSes nothing is replaced and the names are logged.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveStateStore } from '../../src/monitor/live-state.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { SimMonitorRig } from '../support/sim-monitor.js';
import { waitFor } from '../support/wait.js';

describe('UPS-name autodiscovery', () => {
  const rig = new SimMonitorRig();
  afterEach(() => rig.stop());

  function startMonitor(logger: RecordingLogger, live: LiveStateStore): void {
    rig.startMonitor({ nutUpsName: 'WrongName', groupId: 'configured', live, logger });
  }

  test('the only served UPS replaces a wrong configured name; the identity stays', async () => {
    const sim = await rig.startSim({ RealUPS: 'online-charging' });
    const logger = new RecordingLogger();
    const live = new LiveStateStore();
    startMonitor(logger, live);
    await waitFor(
      () => live.find('configured')?.snapshot.status === 'OL CHRG',
      15_000,
      'the served UPS polled',
    );
    assert.ok(logger.messages().some((m) => /exactly one UPS, 'RealUPS'/.test(m)));
    assert.equal(live.find('configured')?.identity.name, `WrongName@127.0.0.1:${sim.port}`);
  });

  test('with several served UPSes nothing is replaced and the names are logged', async () => {
    await rig.startSim({ UPS1: 'online-charging', UPS2: 'on-battery' });
    const logger = new RecordingLogger();
    const live = new LiveStateStore();
    startMonitor(logger, live);
    await waitFor(
      () => logger.messages().some((m) => /served UPSes: UPS1, UPS2/.test(m)),
      15_000,
      'the served names',
    );
    assert.equal(live.find('configured')?.snapshot.status, '');
  });
});
