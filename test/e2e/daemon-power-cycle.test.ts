/**
 * End to end: the built `eneru run` against a real upsd + dummy-ups. TestUPS is moved through
 * online → on battery → low battery → online, then brownout, AVR boost and overload; the events
 * must appear in the JSON log and in the SQLite events table with increasing ids, samples must
 * be recorded, and SIGTERM must stop the daemon gracefully (DAEMON_STOP recorded).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startUpsd, type UpsdHarness } from '../support/upsd.js';
import { spawnEneru, type DaemonProcess } from '../support/daemon.js';
import { waitFor } from '../support/wait.js';
import { writeE2eConfig } from '../support/e2e-config.js';

const EVENT_TIMEOUT_MS = 20_000;

describe('eneru run against real upsd', () => {
  let upsd: UpsdHarness;
  let dir: string;
  let daemon: DaemonProcess | null = null;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eneru-e2e-'));
    upsd = await startUpsd({ upses: { TestUPS: 'online-charging' } });
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await upsd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function writeConfig(): string {
    return writeE2eConfig(
      dir,
      ['ups:', `  name: "TestUPS@127.0.0.1:${upsd.port}"`, '  check_interval: 1'],
      [
        'triggers:',
        '  on_battery_stabilization_delay: 0',
        '  extended_time:',
        '    enabled: false',
        'notifications:',
        '  voltage_hysteresis_seconds: 0',
      ],
    );
  }

  async function expectEvent(type: string): Promise<void> {
    assert.ok(daemon);
    await daemon.waitForRecord(
      (r) => r.event_type === type,
      EVENT_TIMEOUT_MS,
      `${type} in the JSON log`,
    );
  }

  test('power cut, low battery, restore, then power-quality events are logged and stored', async () => {
    daemon = spawnEneru(['run', '-c', writeConfig()]);
    await daemon.waitForRecord(
      (r) => /started/.test(r.message),
      EVENT_TIMEOUT_MS,
      'the start line',
    );

    await upsd.switchScenario('TestUPS', 'on-battery');
    await expectEvent('ON_BATTERY');
    await upsd.switchScenario('TestUPS', 'low-battery');
    await expectEvent('EMERGENCY_SHUTDOWN_INITIATED');
    await upsd.switchScenario('TestUPS', 'online-charging');
    await expectEvent('POWER_RESTORED');
    await upsd.switchScenario('TestUPS', 'brownout');
    await expectEvent('BROWNOUT_DETECTED');
    await upsd.switchScenario('TestUPS', 'avr-boost');
    await expectEvent('AVR_BOOST_ACTIVE');
    await upsd.switchScenario('TestUPS', 'overload');
    await expectEvent('OVERLOAD_ACTIVE');

    const started = Date.now();
    const code = await daemon.stop('SIGTERM');
    assert.equal(code, 0, 'graceful stop exits 0');
    assert.ok(Date.now() - started < 8000, 'stops within a few seconds');

    const db = new Database(join(dir, 'stats', 'default.db'), { readonly: true });
    try {
      const events = db.prepare('SELECT id, event_type FROM events ORDER BY id').all() as {
        id: number;
        event_type: string;
      }[];
      const types = events.map((e) => e.event_type);
      for (const type of [
        'DAEMON_START',
        'ON_BATTERY',
        'EMERGENCY_SHUTDOWN_INITIATED',
        'POWER_RESTORED',
        'BROWNOUT_DETECTED',
        'AVR_BOOST_ACTIVE',
        'OVERLOAD_ACTIVE',
        'DAEMON_STOP',
      ]) {
        assert.ok(types.includes(type), `${type} stored (have ${types.join(', ')})`);
      }
      assert.ok(
        types.indexOf('ON_BATTERY') < types.indexOf('POWER_RESTORED'),
        'events stored in the order they happened',
      );
      for (let i = 1; i < events.length; i++) {
        assert.ok(events[i]!.id > events[i - 1]!.id, 'ids increase');
      }
      const samples = db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number };
      assert.ok(samples.n >= 5, `samples recorded (${samples.n})`);
      const onBattery = db
        .prepare("SELECT COUNT(*) AS n FROM samples WHERE status LIKE 'OB%'")
        .get() as { n: number };
      assert.ok(onBattery.n >= 1, 'on-battery samples recorded');
    } finally {
      db.close();
    }
  });

  test('a restart in the middle of an outage keeps time on battery and does not re-fire ON_BATTERY', async () => {
    const config = writeConfig();
    rmSync(join(dir, 'stats'), { recursive: true, force: true });
    await upsd.switchScenario('TestUPS', 'online-charging');
    daemon = spawnEneru(['run', '-c', config]);
    await daemon.waitForRecord(
      (r) => /started/.test(r.message),
      EVENT_TIMEOUT_MS,
      'the start line',
    );
    await upsd.switchScenario('TestUPS', 'on-battery');
    await expectEvent('ON_BATTERY');
    const outageStarted = Date.now();
    await waitFor(() => Date.now() - outageStarted > 3000, 5000, 'three seconds on battery');
    assert.equal(await daemon.stop('SIGTERM'), 0);

    daemon = spawnEneru(['run', '-c', config]);
    await daemon.waitForRecord((r) => /started/.test(r.message), EVENT_TIMEOUT_MS, 'the restart');
    const restarted = Date.now();
    await waitFor(() => Date.now() - restarted > 3000, 5000, 'three seconds after the restart');
    assert.equal(await daemon.stop('SIGTERM'), 0);

    const db = new Database(join(dir, 'stats', 'default.db'), { readonly: true });
    try {
      const onBattery = db
        .prepare("SELECT COUNT(*) AS n FROM events WHERE event_type = 'ON_BATTERY'")
        .get() as { n: number };
      assert.equal(onBattery.n, 1, 'ON_BATTERY recorded once for one outage');
      const last = db
        .prepare('SELECT time_on_battery AS t, ts FROM samples ORDER BY ts DESC LIMIT 1')
        .get() as { t: number; ts: number };
      const sinceOutageSec = last.ts - Math.floor(outageStarted / 1000);
      assert.ok(
        last.t >= sinceOutageSec - 2,
        `time on battery continued across the restart (${last.t}s, outage began ${sinceOutageSec}s before the last sample)`,
      );
    } finally {
      db.close();
    }
  });
});
