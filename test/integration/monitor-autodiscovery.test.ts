/**
 * UPS-name autodiscovery (core §2.2) through a real monitor loop against the NUT simulator: a
 * configured name upsd does not serve is replaced by the only UPS it serves (identity kept);
 * with several served UPSes nothing is replaced and the names are logged.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultMonitorPolicy } from '../../src/domain/advance.js';
import type { DomainEvent } from '../../src/domain/types.js';
import { LiveStateStore } from '../../src/monitor/live-state.js';
import { UpsMonitor } from '../../src/monitor/ups-monitor.js';
import { NutClient } from '../../src/nut/index.js';
import { systemClock } from '../../src/app/clock.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { startSim, type RunningSim } from '../support/nut-sim.js';
import { waitFor } from '../support/wait.js';

describe('UPS-name autodiscovery', () => {
  let sim: RunningSim | null = null;
  let monitor: UpsMonitor | null = null;
  let client: NutClient | null = null;

  afterEach(async () => {
    await monitor?.stop();
    await client?.close();
    await sim?.stop();
  });

  function startMonitor(
    port: number,
    configured: string,
    logger: RecordingLogger,
    live: LiveStateStore,
  ): UpsMonitor {
    client = new NutClient({ host: '127.0.0.1', port, tls: 'off', requestTimeoutMs: 2000 });
    const events: DomainEvent[] = [];
    const name = `${configured}@127.0.0.1:${port}`;
    const started = new UpsMonitor({
      identity: { name, label: name, displayName: null, groupId: 'configured', isLocal: true },
      policy: defaultMonitorPolicy({ upsName: name }),
      nutUpsName: configured,
      client,
      live,
      sink: {
        onPoll: () => undefined,
        onEvent: (event) => events.push(event),
        onNotification: () => undefined,
        onCommand: () => undefined,
      },
      outage: { load: () => null, save: () => undefined },
      logger,
      clock: systemClock,
      shutdownInProgress: () => false,
    });
    started.start();
    return started;
  }

  test('the only served UPS replaces a wrong configured name; the identity stays', async () => {
    sim = await startSim({ RealUPS: 'online-charging' });
    const logger = new RecordingLogger();
    const live = new LiveStateStore();
    monitor = startMonitor(sim.port, 'WrongName', logger, live);
    await waitFor(
      () => live.find('configured')?.snapshot.status === 'OL CHRG',
      15_000,
      'the served UPS polled',
    );
    assert.ok(logger.messages().some((m) => /exactly one UPS, 'RealUPS'/.test(m)));
    assert.equal(live.find('configured')?.identity.name, `WrongName@127.0.0.1:${sim.port}`);
  });

  test('with several served UPSes nothing is replaced and the names are logged', async () => {
    sim = await startSim({ UPS1: 'online-charging', UPS2: 'on-battery' });
    const logger = new RecordingLogger();
    const live = new LiveStateStore();
    monitor = startMonitor(sim.port, 'WrongName', logger, live);
    await waitFor(
      () => logger.messages().some((m) => /served UPSes: UPS1, UPS2/.test(m)),
      15_000,
      'the served names',
    );
    assert.equal(live.find('configured')?.snapshot.status, '');
  });
});
