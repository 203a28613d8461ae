/**
 * Multi-UPS drain (core §8.4): when the local group's sequence asks for the local shutdown with
 * `drain_on_local_shutdown`, the daemon stops monitoring and runs every other group's sequence
 * first — checked with the built daemon against real upsd, in dry-run (nothing executes).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpsd, type UpsdHarness } from '../support/upsd.js';
import { spawnEneru, type DaemonProcess, type LogRecord } from '../support/daemon.js';
import { writeE2eConfig } from '../support/e2e-config.js';

const STEP_TIMEOUT_MS = 25_000;

describe('drain_on_local_shutdown with the built daemon', () => {
  let upsd: UpsdHarness;
  let dir: string;
  let daemon: DaemonProcess | null = null;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eneru-e2e-drain-'));
    upsd = await startUpsd({ upses: { TestUPS: 'online-charging', UPS2: 'online-charging' } });
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await upsd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the local group drains the other group before the (dry-run) local shutdown', async () => {
    const config = writeE2eConfig(
      dir,
      [
        'ups:',
        `  - name: "TestUPS@127.0.0.1:${upsd.port}"`,
        '    display_name: "Local rack"',
        '    is_local: true',
        `  - name: "UPS2@127.0.0.1:${upsd.port}"`,
        '    display_name: "Other rack"',
      ],
      [
        'triggers:',
        '  on_battery_stabilization_delay: 0',
        'notifications:',
        '  voltage_hysteresis_seconds: 0',
      ],
      ['  drain_on_local_shutdown: true'],
    );
    daemon = spawnEneru(['run', '-c', config]);
    await daemon.waitForRecord(
      (r) => /First poll of UPS2/.test(r.message),
      STEP_TIMEOUT_MS,
      'UPS2 polled',
    );
    await upsd.switchScenario('TestUPS', 'low-battery');
    await daemon.waitForRecord(
      (r) => /Draining the other groups/.test(r.message),
      STEP_TIMEOUT_MS,
      'the drain',
    );
    const isOtherSequence = (r: LogRecord): boolean =>
      r.message === 'INITIATING EMERGENCY SHUTDOWN SEQUENCE' && r.group === 'Other rack';
    const isPoweroff = (r: LogRecord): boolean => /\[DRY-RUN\] Would execute/.test(r.message);
    await daemon.waitForRecord(isOtherSequence, STEP_TIMEOUT_MS, "the other group's sequence");
    await daemon.waitForRecord(isPoweroff, STEP_TIMEOUT_MS, 'the dry-run local shutdown');
    const records = daemon.records();
    assert.ok(
      records.findIndex(isOtherSequence) < records.findIndex(isPoweroff),
      'the other group ran before the local shutdown',
    );
    assert.equal(await daemon.stop('SIGTERM'), 0);
  });
});
