// Hot-reload classification and container path defaults.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, reloadPlan, withContainerPaths } from '../../src/config/index.js';

const opts = { probeAuthDb: () => ({ state: 'missing' as const }) };
const load = (raw: object) => parseConfig(raw, opts).config;

describe('reload plan', () => {
  it('identical configs change nothing', () => {
    assert.deepEqual(
      reloadPlan(load({ mqtt: { broker: 'mqtt://a' } }), load({ mqtt: { broker: 'mqtt://a' } })),
      { live: [], restartRequired: [] },
    );
  });

  it('live sections are applied live', () => {
    const plan = reloadPlan(
      load({ ups: [{ name: 'A' }] }),
      load({
        ups: [{ name: 'A', nut_control: { allowed_commands: ['beeper.toggle'] } }],
        prometheus: { enabled: false },
        notifications: { suppress: ['POWER_RESTORED'] },
        statistics: { retention: { raw_hours: 48 } },
        remote_health: { interval: 600 },
        mqtt: { topic_prefix: 'x' },
      }),
    );
    assert.deepEqual(plan.restartRequired, []);
    assert.deepEqual(plan.live.sort(), [
      'mqtt',
      'notifications',
      'nut_control',
      'prometheus',
      'remote_health',
      'statistics.retention',
    ]);
  });

  it('api, logging, db_directory, local_shutdown and topology need a restart', () => {
    const plan = reloadPlan(
      load({}),
      load({
        api: { port: 9000 },
        logging: { format: 'json' },
        statistics: { db_directory: '/srv' },
        local_shutdown: { wall: true },
        ups: { name: 'Other@h' },
      }),
    );
    assert.deepEqual(plan.live, []);
    assert.deepEqual(plan.restartRequired.sort(), [
      'api',
      'local_shutdown',
      'logging',
      'statistics.db_directory',
      'ups',
    ]);
  });
});

describe('container paths', () => {
  it('moves default paths under eneru/ and keeps user paths', () => {
    const config = withContainerPaths(load({ logging: { state_file: '/data/state' } }));
    assert.equal(config.logging.file, '/var/log/eneru/ups-monitor.log');
    assert.equal(config.logging.state_file, '/data/state');
    assert.equal(config.logging.battery_history_file, '/var/run/eneru/ups-battery-history');
    assert.equal(config.logging.shutdown_flag_file, '/var/run/eneru/ups-shutdown-scheduled');
    assert.ok(Object.isFrozen(config.logging));
  });

  it('a null log file stays null and an unchanged config is returned as is', () => {
    const base = load({
      logging: {
        file: null,
        state_file: '/a',
        battery_history_file: '/b',
        shutdown_flag_file: '/c',
      },
    });
    assert.equal(withContainerPaths(base), base);
  });
});
