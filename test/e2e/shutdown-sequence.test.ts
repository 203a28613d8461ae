/**
 * End to end: the built `eneru run` against a real upsd + dummy-ups and a real sshd standing in
 * for two remote servers. Every remote command and the local poweroff are harmless markers
 * (they append `<name> <step> <epoch>` to a file or touch a file). Docker and libvirt cannot run
 * here, so `virsh`, `docker`, `sync` and `umount` are stand-in scripts first on the daemon's
 * PATH that record their argv (test/support/shutdown-fixtures.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpsd, type UpsdHarness } from '../support/upsd.js';
import { startSshd, type SshdHandle } from '../support/sshd.js';
import { spawnEneru, type DaemonProcess } from '../support/daemon.js';
import { createStandIns, type StandIns } from '../support/shutdown-fixtures.js';
import { waitFor } from '../support/wait.js';

const TIMEOUT_MS = 30_000;

function markerLines(path: string): { name: string; step: string; at: number }[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', step = '', at = '0'] = line.split(' ');
      return { name, step, at: Number(at) };
    });
}

describe('shutdown sequence with the built daemon', () => {
  let upsd: UpsdHarness;
  let sshd: SshdHandle;
  let standIns: StandIns;
  let dir: string;
  let daemon: DaemonProcess | null = null;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eneru-e2e-shutdown-'));
    upsd = await startUpsd({ upses: { TestUPS: 'online-charging' } });
    sshd = await startSshd();
    standIns = createStandIns(['virsh', 'docker', 'sync', 'umount', 'wall']);
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await upsd?.stop();
    await sshd?.stop();
    if (standIns) rmSync(standIns.dir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  function writeConfig(
    name: string,
    dryRun: boolean,
  ): { config: string; markers: string; poweroff: string } {
    const markers = join(dir, `${name}-markers.log`);
    const poweroff = join(dir, `${name}-local-poweroff`);
    const mark = (server: string, step: string): string =>
      `echo \\"${server} ${step} $(date +%s.%N)\\" >> ${markers}`;
    const sshOptions = sshd.sshOptions.map((o) => `"${o}"`).join(', ');
    const config = join(dir, `${name}.yaml`);
    writeFileSync(
      config,
      [
        'ups:',
        `  name: "TestUPS@127.0.0.1:${upsd.port}"`,
        '  check_interval: 1',
        'triggers:',
        '  on_battery_stabilization_delay: 0',
        '  extended_time:',
        '    enabled: false',
        'behavior:',
        `  dry_run: ${dryRun}`,
        'local_shutdown:',
        '  enabled: true',
        `  command: "touch ${poweroff}"`,
        '  message: ""',
        'virtual_machines:',
        '  enabled: true',
        '  max_wait: 2',
        'containers:',
        '  enabled: true',
        '  runtime: docker',
        '  stop_timeout: 5',
        'filesystems:',
        '  sync_enabled: true',
        '  unmount:',
        '    enabled: true',
        '    mounts: ["/mnt/e2e-data"]',
        'remote_servers:',
        '  - name: "second"',
        '    enabled: true',
        '    host: "127.0.0.1"',
        `    user: "${sshd.user}"`,
        '    shutdown_order: 2',
        '    connect_timeout: 5',
        '    command_timeout: 10',
        '    shutdown_safety_margin: 0',
        `    ssh_options: [${sshOptions}]`,
        `    shutdown_command: "${mark('second', 'final')}"`,
        '  - name: "first"',
        '    enabled: true',
        '    host: "127.0.0.1"',
        `    user: "${sshd.user}"`,
        '    shutdown_order: 1',
        '    connect_timeout: 5',
        '    command_timeout: 10',
        '    shutdown_safety_margin: 0',
        `    ssh_options: [${sshOptions}]`,
        '    pre_shutdown_commands:',
        `      - command: "${mark('first', 'pre')}"`,
        '        timeout: 10',
        `    shutdown_command: "${mark('first', 'final')}"`,
        'logging:',
        '  format: json',
        `  file: "${join(dir, `${name}.log`)}"`,
        `  state_file: "${join(dir, `${name}.state`)}"`,
        `  battery_history_file: "${join(dir, `${name}-battery-history`)}"`,
        `  shutdown_flag_file: "${join(dir, `${name}-flag`)}"`,
        'statistics:',
        `  db_directory: "${join(dir, `${name}-stats`)}"`,
        '',
      ].join('\n'),
    );
    return { config, markers, poweroff };
  }

  test('low battery runs the sequence once, in phase order, and a second trigger starts no second sequence', async () => {
    await upsd.switchScenario('TestUPS', 'online-charging');
    standIns.write('vms', 'guest1\n');
    standIns.write('docker-ids', 'c1\n');
    const { config, markers, poweroff } = writeConfig('real', false);
    daemon = spawnEneru(['run', '-c', config], {
      PATH: standIns.env.PATH,
      STANDIN_DIR: standIns.dir,
      ENERU_SKIP_PRIVILEGE_CHECK: '1',
    });
    await daemon.waitForRecord((r) => /started/.test(r.message), TIMEOUT_MS, 'the start line');

    await upsd.switchScenario('TestUPS', 'low-battery');
    await waitFor(() => existsSync(poweroff), 60_000, 'the local poweroff marker');

    const entries = markerLines(markers);
    assert.deepEqual(
      entries.map((e) => `${e.name} ${e.step}`),
      ['first pre', 'first final', 'second final'],
    );
    const local = standIns.timedCalls();
    assert.deepEqual(
      local.map((c) => c.call).filter((c) => !c.startsWith('virsh list')),
      [
        'virsh shutdown guest1',
        'docker ps -q',
        'docker stop -t 5 c1',
        'sync',
        'umount /mnt/e2e-data',
        'sync',
      ],
    );
    // Local phases before the remote phases, the final sync after them, the poweroff last.
    const unmount = local.find((c) => c.call === 'umount /mnt/e2e-data')?.at ?? Infinity;
    const finalSync = local.filter((c) => c.call === 'sync').at(-1)?.at ?? 0;
    assert.ok(unmount <= (entries[0]?.at ?? 0), 'local phases ran before the remote phases');
    assert.ok(finalSync >= (entries.at(-1)?.at ?? Infinity), 'final sync after the remote phases');
    assert.ok(statSync(poweroff).mtimeMs / 1000 >= finalSync - 0.01, 'poweroff last');

    await daemon.waitForOutput(/INITIATING EMERGENCY SHUTDOWN SEQUENCE/, 1000);
    await daemon.waitForOutput(/Remote shutdown complete \(2\/2 succeeded\)/, 1000);
    await daemon.waitForOutput(/SHUTDOWN SEQUENCE COMPLETE/, 5000);

    // Still critical, then FSD: a new trigger reason, same outage — no second sequence.
    await upsd.switchScenario('TestUPS', 'fsd');
    const settle = Date.now();
    await waitFor(() => Date.now() - settle > 4000, 6000, 'a few more polls');
    assert.equal(markerLines(markers).length, 3, 'no remote command ran twice');
    assert.equal(standIns.calls().filter((c) => c === 'umount /mnt/e2e-data').length, 1);
    assert.equal(
      daemon.stdout.filter((l) => l.includes('INITIATING EMERGENCY SHUTDOWN SEQUENCE')).length,
      1,
    );

    await upsd.switchScenario('TestUPS', 'online-charging');
    await daemon.waitForRecord(
      (r) => r.event_type === 'POWER_RESTORED',
      TIMEOUT_MS,
      'power restored',
    );
    assert.equal(await daemon.stop('SIGTERM'), 0);
    daemon = null;
  });

  test('dry-run executes nothing, logs what it would do, and --exit-after-shutdown exits 0', async () => {
    await upsd.switchScenario('TestUPS', 'online-charging');
    const before = standIns.calls().length;
    const { config, markers, poweroff } = writeConfig('dry', false);
    daemon = spawnEneru(['run', '--dry-run', '--exit-after-shutdown', '-c', config], {
      PATH: standIns.env.PATH,
      STANDIN_DIR: standIns.dir,
      ENERU_SKIP_PRIVILEGE_CHECK: '1',
    });
    await daemon.waitForRecord((r) => /started/.test(r.message), TIMEOUT_MS, 'the start line');
    await upsd.switchScenario('TestUPS', 'low-battery');
    const code = await Promise.race([
      daemon.exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000)),
    ]);
    assert.equal(code, 0);
    assert.equal(existsSync(markers), false, 'no remote command ran');
    assert.equal(existsSync(poweroff), false, 'no local poweroff');
    assert.equal(standIns.calls().length, before, 'no local tool ran');
    const out = daemon.stdout.join('\n');
    for (const expected of [
      'INITIATING EMERGENCY SHUTDOWN SEQUENCE',
      '*** DRY-RUN MODE: No actual shutdown will occur ***',
      '[DRY-RUN] Would shut down all running libvirt VMs',
      "[DRY-RUN] Would run pre-shutdown command 'echo",
      "[DRY-RUN] Would send command 'echo",
      `[DRY-RUN] Would execute: touch ${poweroff}`,
      'SHUTDOWN SEQUENCE COMPLETE',
    ]) {
      assert.ok(out.includes(expected), `log contains ${expected}`);
    }
    daemon = null;
  });
});
