/**
 * RemoteHealthManager against a real sshd on loopback: HEALTHY baseline, then sshd stopped →
 * DEGRADED, FAILED at the threshold with exactly one failure event, and a recovery event once
 * an sshd is back. The target is reached through an ssh config file (`-F`) that the test
 * rewrites when the replacement sshd comes up on its new port.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { RemoteHealthConfig, RemoteServerConfig } from '../../src/config/types.js';
import type { NotificationRequest, RemoteHealthRow } from '../../src/domain/types.js';
import { RemoteHealthManager } from '../../src/probes/remote-health-manager.js';
import { CaptureLogger } from '../support/mqtt-capture-logger.js';
import { startSshd, type SshdHandle } from '../support/sshd.js';
import { startSilentServer } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

export function serverConfig(overrides: Partial<RemoteServerConfig>): RemoteServerConfig {
  return {
    name: 'nas',
    host: '127.0.0.1',
    user: 'root',
    enabled: true,
    connect_timeout: 3,
    command_timeout: 30,
    shutdown_command: 'touch /nonexistent/never-run',
    use_sudo: false,
    ssh_key_path: null,
    ssh_options: [],
    pre_shutdown_commands: [],
    shutdown_safety_margin: 60,
    is_host_loopback: false,
    host_identity_command: 'cat /etc/machine-id',
    expected_host_identity: null,
    ...overrides,
  };
}

const SETTINGS: RemoteHealthConfig = {
  enabled: true,
  startup_check: true,
  interval: 3600,
  probe_command: 'true',
  failure_threshold: 2,
  notify_on_failure: true,
  notify_on_recovery: true,
};

function writeSshConfig(path: string, sshd: SshdHandle): void {
  const lines = [
    'Host *',
    `  Port ${sshd.port}`,
    `  IdentityFile ${sshd.keyPath}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${sshd.knownHostsFile}`,
  ];
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('remote health against a real sshd', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'eneru-rh-'));
  const handles: SshdHandle[] = [];
  const managers: RemoteHealthManager[] = [];
  after(async () => {
    for (const manager of managers) await manager.stop();
    for (const handle of handles) await handle.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('HEALTHY, then DEGRADED and FAILED (one failure event) while sshd is down, then recovered', async () => {
    const first = await startSshd();
    handles.push(first);
    const sshConfig = join(dir, 'ssh_config');
    writeSshConfig(sshConfig, first);
    const rows = new Map<string, RemoteHealthRow[]>();
    const events: { type: string; detail: string; notify: boolean }[] = [];
    const notifications: NotificationRequest[] = [];
    const logger = new CaptureLogger();
    const sidecarPath = join(dir, 'ups-monitor.state.remote-health.json');
    const manager = new RemoteHealthManager(
      {
        label: 'Rack',
        servers: [
          serverConfig({ user: first.user, ssh_options: [`-F ${sshConfig}`] }),
          serverConfig({ name: 'off', enabled: false }),
        ],
        settings: SETTINGS,
        sidecarPath,
        intervalMs: 500,
      },
      {
        logger,
        liveState: { setRemoteHealth: (label, r) => rows.set(label, r) },
        recordEvent: (type, detail, notify) => events.push({ type, detail, notify }),
        notify: (request) => notifications.push(request),
      },
    );
    managers.push(manager);
    manager.start();
    const status = (): string | undefined => rows.get('Rack')?.[0]?.status;
    await waitFor(
      () => status() === 'HEALTHY',
      30_000,
      () => `HEALTHY (now ${status()}, ${JSON.stringify(rows.get('Rack'))})`,
    );
    assert.equal(rows.get('Rack')?.length, 1, 'disabled servers have no row');
    const healthy = rows.get('Rack')?.[0];
    assert.ok(healthy && healthy.latency_ms !== null && healthy.latency_ms >= 0);
    assert.equal(healthy?.group, 'Rack');
    assert.equal(events.length, 0, 'UNKNOWN -> HEALTHY is the silent baseline');

    await first.stop();
    await waitFor(
      () => status() === 'FAILED',
      30_000,
      () => `FAILED (now ${status()})`,
    );
    await waitFor(
      () => (rows.get('Rack')?.[0]?.consecutive_failures ?? 0) >= 4,
      30_000,
      'more failed passes',
    );
    assert.deepEqual(
      events.map((e) => [e.type, e.notify]),
      [
        ['REMOTE_HEALTH_DEGRADED', false],
        ['REMOTE_HEALTH_FAILED', true],
      ],
    );
    assert.match(events[0]?.detail ?? '', /^Rack\/nas \(127\.0\.0\.1\) HEALTHY -> DEGRADED: /);
    assert.match(
      events[1]?.detail ?? '',
      /^Rack\/nas \(127\.0\.0\.1\) DEGRADED -> FAILED: .*(refused|closed|Connection)/i,
    );
    assert.deepEqual(
      notifications.map((n) => n.title),
      ['Remote SSH Health Failed'],
    );
    const sidecarFailed = JSON.parse(readFileSync(sidecarPath, 'utf8')) as {
      group: string;
      generated_at: number;
      servers: RemoteHealthRow[];
    };
    assert.equal(sidecarFailed.group, 'Rack');
    assert.equal(sidecarFailed.servers[0]?.status, 'FAILED');
    assert.ok(sidecarFailed.generated_at > 1_600_000_000);

    const second = await startSshd();
    handles.push(second);
    writeSshConfig(sshConfig, second);
    await waitFor(
      () => status() === 'HEALTHY',
      30_000,
      () => `recovery (now ${status()})`,
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['REMOTE_HEALTH_DEGRADED', 'REMOTE_HEALTH_FAILED', 'REMOTE_HEALTH_HEALTHY'],
    );
    assert.equal(events[2]?.detail, 'Rack/nas (127.0.0.1) FAILED -> HEALTHY');
    assert.equal(events[2]?.notify, true);
    assert.deepEqual(
      notifications.map((n) => n.title),
      ['Remote SSH Health Failed', 'Remote SSH Health Recovered'],
    );
    const messages = logger.messages();
    for (const prefix of [
      'Remote health degraded',
      'Remote health failed',
      'Remote health recovered',
    ]) {
      assert.ok(
        messages.some((m) => m.startsWith(prefix)),
        prefix,
      );
    }
    assert.equal(messages.filter((m) => m.startsWith('Remote health failed')).length, 1);
    await manager.stop();
    const sidecar = JSON.parse(readFileSync(sidecarPath, 'utf8')) as { servers: RemoteHealthRow[] };
    assert.equal(sidecar.servers[0]?.status, 'HEALTHY');
    assert.equal(sidecar.servers[0]?.consecutive_failures, 0);
  });

  it('loopback identity: the same host passes, a different expectation fails; unsafe probes never reach ssh', async () => {
    const sshd = await startSshd();
    handles.push(sshd);
    const identityFile = join(dir, 'machine-id');
    writeFileSync(identityFile, 'eneru-test-identity-1234\n');
    const rows = new Map<string, RemoteHealthRow[]>();
    const events: string[] = [];
    const make = (server: RemoteServerConfig, settings = SETTINGS): RemoteHealthManager => {
      const manager = new RemoteHealthManager(
        {
          label: 'Local',
          servers: [server],
          settings: { ...settings, startup_check: false },
          sidecarPath: null,
        },
        {
          logger: new CaptureLogger(),
          liveState: { setRemoteHealth: (label, r) => rows.set(label, r) },
          recordEvent: (type) => events.push(type),
        },
      );
      managers.push(manager);
      return manager;
    };
    const base = {
      user: sshd.user,
      ssh_options: sshd.sshOptions,
      is_host_loopback: true,
      host_identity_command: `cat ${identityFile}`,
    };
    // Health checks off: the loopback is still probed (core §9), and its identity is auto-read.
    await make(serverConfig(base), { ...SETTINGS, enabled: false }).checkNow();
    assert.equal(rows.get('Local')?.[0]?.status, 'HEALTHY', JSON.stringify(rows.get('Local')));
    await make(serverConfig({ ...base, expected_host_identity: 'some-other-host' })).checkNow();
    assert.equal(rows.get('Local')?.[0]?.status, 'DEGRADED');
    assert.match(rows.get('Local')?.[0]?.last_error ?? '', /host identity mismatch/);
    await make(
      serverConfig({ ...base, host_identity_command: 'cat /nonexistent/eneru-id' }),
    ).checkNow();
    assert.match(rows.get('Local')?.[0]?.last_error ?? '', /no expected_host_identity/);

    const accepted = (): number =>
      (readFileSync(sshd.logPath, 'utf8').match(/Accepted publickey/g) ?? []).length;
    const before = accepted();
    await make(serverConfig({ user: sshd.user, ssh_options: sshd.sshOptions }), {
      ...SETTINGS,
      probe_command: 'sudo poweroff',
    }).checkNow();
    assert.match(
      rows.get('Local')?.[0]?.last_error ?? '',
      /^probe_command refused: must not contain 'poweroff'/,
    );
    assert.equal(accepted(), before, 'no SSH session was opened for an unsafe probe');
  });
});

describe('remote health stop()', { timeout: 60_000 }, () => {
  it('kills a probe stuck on a silent server and returns promptly', async () => {
    const silent = await startSilentServer();
    const rows = new Map<string, RemoteHealthRow[]>();
    const manager = new RemoteHealthManager(
      {
        label: 'Stuck',
        servers: [serverConfig({ connect_timeout: 30, ssh_options: [`-o Port=${silent.port}`] })],
        settings: SETTINGS,
        sidecarPath: null,
      },
      {
        logger: new CaptureLogger(),
        liveState: { setRemoteHealth: (label, r) => rows.set(label, r) },
        recordEvent: () => undefined,
      },
    );
    try {
      manager.start();
      await waitFor(
        () => rows.get('Stuck')?.[0]?.status === 'CHECKING' && silent.accepted() > 0,
        10_000,
        'a probe in flight',
      );
      const started = performance.now();
      await manager.stop();
      assert.ok(performance.now() - started < 5_000, 'stop() aborted the probe');
      assert.equal(rows.get('Stuck')?.[0]?.status, 'UNKNOWN', 'an aborted probe is not a failure');
    } finally {
      await manager.stop();
      await silent.close();
    }
  });
});
