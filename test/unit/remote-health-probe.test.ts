import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { RemoteHealthConfig, RemoteServerConfig } from '../../src/config/types.js';
import { expectedIdentity, failureReason, sshTargetOf } from '../../src/probes/probe.js';
import {
  needsRemoteHealthManager,
  RemoteHealthManager,
} from '../../src/probes/remote-health-manager.js';
import { remoteHealthSidecarPath, writeSidecar } from '../../src/probes/sidecar.js';
import { CaptureLogger } from '../support/mqtt-capture-logger.js';

const SETTINGS: RemoteHealthConfig = {
  enabled: true,
  startup_check: true,
  interval: 3600,
  probe_command: 'true',
  failure_threshold: 2,
  notify_on_failure: true,
  notify_on_recovery: true,
};

function server(overrides: Partial<RemoteServerConfig>): RemoteServerConfig {
  return {
    name: 'nas',
    host: '10.0.0.9',
    user: 'root',
    enabled: true,
    connect_timeout: 10,
    command_timeout: 30,
    shutdown_command: 'sudo shutdown -h now',
    use_sudo: false,
    ssh_key_path: '/keys/id',
    ssh_options: ['-o Port=2222'],
    pre_shutdown_commands: [],
    shutdown_safety_margin: 60,
    is_host_loopback: false,
    host_identity_command: 'cat /etc/machine-id',
    expected_host_identity: null,
    ...overrides,
  };
}

const result = (
  overrides: Partial<Parameters<typeof failureReason>[0]>,
): Parameters<typeof failureReason>[0] => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  timedOut: false,
  durationMs: 5,
  error: null,
  ...overrides,
});

describe('remote health helpers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eneru-rh-unit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a manager runs when health is on, or for an enabled loopback only', () => {
    assert.equal(needsRemoteHealthManager(SETTINGS, [server({})]), true);
    assert.equal(needsRemoteHealthManager(SETTINGS, [server({ enabled: false })]), false);
    assert.equal(needsRemoteHealthManager({ ...SETTINGS, enabled: false }, [server({})]), false);
    assert.equal(
      needsRemoteHealthManager({ ...SETTINGS, enabled: false }, [
        server({ is_host_loopback: true }),
      ]),
      true,
    );
  });

  it('period is max(60, interval) s unless the test override is given', () => {
    const make = (interval: number, intervalMs?: number): RemoteHealthManager =>
      new RemoteHealthManager(
        {
          label: 'g',
          servers: [],
          settings: { ...SETTINGS, interval },
          sidecarPath: null,
          ...(intervalMs ? { intervalMs } : {}),
        },
        {
          logger: new CaptureLogger(),
          liveState: { setRemoteHealth: () => undefined },
          recordEvent: () => undefined,
        },
      );
    assert.equal(make(3600).periodMs(), 3_600_000);
    assert.equal(make(30).periodMs(), 60_000);
    assert.equal(make(3600, 250).periodMs(), 250);
  });

  it('rows: enabled servers only; DISABLED when health is off (non-loopback), UNKNOWN otherwise', () => {
    const manager = new RemoteHealthManager(
      {
        label: 'redundancy:pair',
        servers: [
          server({}),
          server({ name: 'lo', is_host_loopback: true }),
          server({ name: 'x', enabled: false }),
        ],
        settings: { ...SETTINGS, enabled: false },
        sidecarPath: null,
      },
      {
        logger: new CaptureLogger(),
        liveState: { setRemoteHealth: () => undefined },
        recordEvent: () => undefined,
      },
    );
    assert.deepEqual(
      manager.rows().map((r) => [r.server, r.status, r.group, r.is_host_loopback]),
      [
        ['nas', 'DISABLED', 'redundancy:pair', false],
        ['lo', 'UNKNOWN', 'redundancy:pair', true],
      ],
    );
  });

  it('ssh target: connect timeout, key, options and known-hosts file from the server entry', () => {
    assert.deepEqual(sshTargetOf(server({}), '/kh'), {
      host: '10.0.0.9',
      user: 'root',
      connectTimeoutSec: 10,
      keyPath: '/keys/id',
      sshOptions: ['-o Port=2222'],
      knownHostsFile: '/kh',
    });
  });

  it('failure reasons: runner error, then stderr, then the exit code', () => {
    assert.equal(failureReason(result({})), null);
    assert.equal(
      failureReason(result({ exitCode: null, timedOut: true, error: 'timed out after 20s' })),
      'timed out after 20s',
    );
    assert.equal(
      failureReason(
        result({
          exitCode: 255,
          stderr: 'ssh: connect to host 10.0.0.9 port 22:\n Connection refused\n',
        }),
      ),
      'ssh: connect to host 10.0.0.9 port 22: Connection refused',
    );
    assert.equal(failureReason(result({ exitCode: 3 })), 'exit code 3');
  });

  it('expected identity: explicit value wins, else read from the file a `cat /abs/path` command names', async () => {
    const file = join(dir, 'machine-id');
    writeFileSync(file, 'abc123\n');
    assert.equal(await expectedIdentity(server({ expected_host_identity: ' fixed ' })), 'fixed');
    assert.equal(
      await expectedIdentity(server({ host_identity_command: `cat ${file}` })),
      'abc123',
    );
    assert.equal(await expectedIdentity(server({ host_identity_command: 'hostname' })), null);
    assert.equal(
      await expectedIdentity(server({ host_identity_command: `cat ${join(dir, 'missing')}` })),
      null,
    );
  });

  it('sidecar path per mode, written atomically without leftovers', async () => {
    assert.equal(
      remoteHealthSidecarPath('/var/run/ups-monitor.state', null),
      '/var/run/ups-monitor.state.remote-health.json',
    );
    assert.equal(remoteHealthSidecarPath('/s', 'UPS-host'), '/s.UPS-host.remote-health.json');
    assert.equal(
      remoteHealthSidecarPath('/s', 'redundancy-pair'),
      '/s.redundancy-pair.remote-health.json',
    );
    const path = remoteHealthSidecarPath(join(dir, 'state'), null);
    await writeSidecar(path, { group: 'g', generated_at: 1.5, servers: [] });
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {
      group: 'g',
      generated_at: 1.5,
      servers: [],
    });
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.tmp-')),
      [],
    );
    await assert.rejects(
      writeSidecar(join(dir, 'no', 'such', 'dir.json'), {
        group: 'g',
        generated_at: 1,
        servers: [],
      }),
    );
  });
});
