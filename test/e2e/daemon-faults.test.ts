/**
 * NUT-side trouble never crashes the daemon: a UPS name upsd does not serve is reported with
 * the names it does serve, an unreachable upsd is retried, and when upsd dies mid-run the
 * connection goes GRACE_PERIOD → FAILED (CONNECTION_LOST) and back (CONNECTION_RESTORED)
 * once upsd returns — all without a restart.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpsd, type UpsdHarness } from '../support/upsd.js';
import { spawnEneru, type DaemonProcess } from '../support/daemon.js';
import { writeE2eConfig } from '../support/e2e-config.js';
import { freePort } from '../support/ports.js';

describe('eneru run through NUT faults', () => {
  let upsd: UpsdHarness;
  let dir: string;
  let daemon: DaemonProcess | null = null;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eneru-e2e-faults-'));
    upsd = await startUpsd({ upses: { TestUPS: 'online-charging' } });
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await upsd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a UPS name upsd does not serve is reported with the served names, then the only one is polled', async () => {
    const config = writeE2eConfig(dir, ['ups:', `  name: "Nope@127.0.0.1:${upsd.port}"`]);
    daemon = spawnEneru(['run', '-c', config]);
    const record = await daemon.waitForRecord(
      (r) => /Nope/.test(r.message) && /available: TestUPS/.test(r.message),
      20_000,
      'an error naming the served UPS',
    );
    assert.match(record.message, /available: TestUPS/);
    // upsd serves exactly one UPS, so autodiscovery (core §2.2) polls it under the configured name.
    await daemon.waitForRecord(
      (r) => /exactly one UPS, 'TestUPS'/.test(r.message),
      20_000,
      'autodiscovery of the only served UPS',
    );
    await daemon.waitForRecord((r) => /First poll of Nope@/.test(r.message), 20_000, 'a good poll');
    assert.equal(daemon.proc.exitCode, null, 'the daemon keeps running');
    assert.equal(await daemon.stop('SIGTERM'), 0);
  });

  test('an unreachable upsd is retried without crashing', async () => {
    const closedPort = await freePort();
    const config = writeE2eConfig(dir, ['ups:', `  name: "TestUPS@127.0.0.1:${closedPort}"`]);
    daemon = spawnEneru(['run', '-c', config]);
    await daemon.waitForRecord(
      (r) => /Cannot connect|ECONNREFUSED|refused/i.test(r.message),
      20_000,
      'a connection error',
    );
    assert.equal(daemon.proc.exitCode, null, 'the daemon keeps running');
    assert.equal(await daemon.stop('SIGTERM'), 0);
  });

  test('upsd dying mid-run: CONNECTION_LOST after the grace period, CONNECTION_RESTORED after', async () => {
    const config = writeE2eConfig(dir, [
      'ups:',
      `  name: "TestUPS@127.0.0.1:${upsd.port}"`,
      '  check_interval: 1',
      '  connection_loss_grace_period:',
      '    enabled: true',
      '    duration: 2',
    ]);
    daemon = spawnEneru(['run', '-c', config]);
    await daemon.waitForRecord((r) => /started/.test(r.message), 20_000, 'the start line');
    await daemon.waitForRecord(
      (r) => /First poll of TestUPS/.test(r.message),
      20_000,
      'a first poll',
    );
    await upsd.stopUpsd();
    await daemon.waitForRecord(
      (r) => r.event_type === 'CONNECTION_LOST',
      30_000,
      'CONNECTION_LOST',
    );
    await upsd.startUpsdAgain();
    await daemon.waitForRecord(
      (r) => r.event_type === 'CONNECTION_RESTORED',
      40_000,
      'CONNECTION_RESTORED',
    );
    assert.equal(await daemon.stop('SIGTERM'), 0);
  });
});
