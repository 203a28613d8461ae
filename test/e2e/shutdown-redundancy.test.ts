/**
 * End to end: a redundancy group of two UPSes with `min_healthy: 1`, run by the built daemon
 * against a real upsd (UPS1, UPS2) and a real sshd. Losing one UPS does nothing; losing both
 * runs the group's shutdown once (a marker command on the "remote server"); the group is not
 * local, so the host poweroff (a marker too) never runs; recovery re-arms the group.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpsd, type UpsdHarness } from '../support/upsd.js';
import { startSshd, type SshdHandle } from '../support/sshd.js';
import { spawnEneru, type DaemonProcess } from '../support/daemon.js';
import { waitFor } from '../support/wait.js';

const TIMEOUT_MS = 45_000;

describe('redundancy group with the built daemon', () => {
  let upsd: UpsdHarness;
  let sshd: SshdHandle;
  let dir: string;
  let daemon: DaemonProcess | null = null;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eneru-e2e-redundancy-'));
    upsd = await startUpsd({ upses: { UPS1: 'online-charging', UPS2: 'online-charging' } });
    sshd = await startSshd();
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await upsd?.stop();
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('min_healthy 1: losing one UPS does nothing, losing both runs the group shutdown once', async () => {
    const markers = join(dir, 'markers.log');
    const poweroff = join(dir, 'local-poweroff');
    const config = join(dir, 'config.yaml');
    const sshOptions = sshd.sshOptions.map((o) => `"${o}"`).join(', ');
    writeFileSync(
      config,
      [
        'ups:',
        `  - name: "UPS1@127.0.0.1:${upsd.port}"`,
        '    check_interval: 1',
        `  - name: "UPS2@127.0.0.1:${upsd.port}"`,
        '    check_interval: 1',
        'triggers:',
        '  on_battery_stabilization_delay: 0',
        '  extended_time:',
        '    enabled: false',
        'redundancy_groups:',
        '  - name: "rack"',
        `    ups_sources: ["UPS1@127.0.0.1:${upsd.port}", "UPS2@127.0.0.1:${upsd.port}"]`,
        '    min_healthy: 1',
        '    remote_servers:',
        '      - name: "dual-psu-server"',
        '        enabled: true',
        '        host: "127.0.0.1"',
        `        user: "${sshd.user}"`,
        '        connect_timeout: 5',
        '        command_timeout: 10',
        `        ssh_options: [${sshOptions}]`,
        `        shutdown_command: "echo \\"group final $(date +%s.%N)\\" >> ${markers}"`,
        'behavior:',
        '  dry_run: false',
        'local_shutdown:',
        '  enabled: true',
        '  trigger_on: any',
        `  command: "touch ${poweroff}"`,
        '  message: ""',
        'remote_health:',
        '  enabled: false',
        'logging:',
        '  format: json',
        `  file: "${join(dir, 'eneru.log')}"`,
        `  state_file: "${join(dir, 'state')}"`,
        `  battery_history_file: "${join(dir, 'battery-history')}"`,
        `  shutdown_flag_file: "${join(dir, 'flag')}"`,
        'statistics:',
        `  db_directory: "${join(dir, 'stats')}"`,
        '',
      ].join('\n'),
    );
    // A stale flag from an "earlier run" must be cleared at startup, not suppress the shutdown.
    writeFileSync(
      join(dir, 'ups-shutdown-redundancy-rack'),
      'pid=1\nstart_time=1\nboot_id=old\ncreated_at=1\n',
    );
    daemon = spawnEneru(['run', '-c', config], { ENERU_SKIP_PRIVILEGE_CHECK: '1' });
    await daemon.waitForOutput(
      /Redundancy group 'rack' evaluator started \(2 sources, min_healthy=1, startup_grace=10s\)/,
      TIMEOUT_MS,
    );
    assert.equal(
      existsSync(join(dir, 'ups-shutdown-redundancy-rack')),
      false,
      'stale flag cleared at startup',
    );
    const started = Date.now();
    await waitFor(() => Date.now() - started > 11_000, 15_000, 'the evaluator startup grace');

    await upsd.switchScenario('UPS1', 'low-battery');
    await daemon.waitForOutput(/Trigger condition met \(advisory, redundancy group\)/, TIMEOUT_MS);
    const oneLost = Date.now();
    await waitFor(() => Date.now() - oneLost > 4000, 6000, 'a few evaluations with one UPS lost');
    assert.equal(existsSync(markers), false, 'one lost UPS shuts nothing down');
    assert.ok(!daemon.stdout.some((l) => l.includes('REDUNDANCY GROUP SHUTDOWN')));
    assert.ok(
      !daemon.stdout.some((l) => l.includes('INITIATING EMERGENCY SHUTDOWN SEQUENCE')),
      'members are advisory',
    );

    await upsd.switchScenario('UPS2', 'low-battery');
    await waitFor(() => existsSync(markers), TIMEOUT_MS, 'the group shutdown marker');
    await daemon.waitForOutput(/quorum LOST \(healthy=0, min_healthy=1/, 1000);
    await daemon.waitForOutput(/REDUNDANCY GROUP SHUTDOWN: rack/, 1000);
    await daemon.waitForOutput(/REDUNDANCY GROUP SHUTDOWN COMPLETE/, 10_000);
    const settle = Date.now();
    await waitFor(() => Date.now() - settle > 3000, 5000, 'a few more evaluations');
    assert.equal(readFileSync(markers, 'utf8').split('\n').filter(Boolean).length, 1, 'ran once');
    assert.equal(existsSync(poweroff), false, 'a non-local group never powers this host off');

    await upsd.switchScenario('UPS1', 'online-charging');
    await daemon.waitForOutput(/quorum restored -- re-armed for next event/, TIMEOUT_MS);
    assert.equal(
      existsSync(join(dir, 'ups-shutdown-redundancy-rack')),
      false,
      'flag cleared on recovery',
    );
    assert.equal(await daemon.stop('SIGTERM'), 0);
    daemon = null;
  });
});
