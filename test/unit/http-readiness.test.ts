import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeReadiness,
  pathLookup,
  poweroffBinary,
  type ReadinessInput,
} from '../../src/monitor/readiness.js';
import type { RemoteHealthRow } from '../../src/domain/types.js';
import {
  baselineLive,
  fixtureJson,
  healthRow,
  identity,
  neverPolled,
  polled,
} from '../support/http-fixtures.js';

const nothing = { vmsEnabled: false, containersEnabled: false, unmountEnabled: false };

function input(overrides: Partial<ReadinessInput> = {}): ReadinessInput {
  return {
    monitors: baselineLive().list(),
    groups: [
      {
        name: 'Baseline TestUPS',
        healthLabel: 'Baseline TestUPS',
        isLocal: false,
        ...nothing,
        remoteServers: [],
      },
    ],
    upsGroupCount: 1,
    localShutdown: { enabled: true, command: 'shutdown -h now', triggerOn: 'none' },
    runtime: {
      context: 'container (Docker)',
      container: true,
      loopbackDelegate: { configured: false },
    },
    remoteHealthFor: () => [],
    hasBinary: () => true,
    ...overrides,
  };
}

function row(server: string, status: RemoteHealthRow['status']): RemoteHealthRow {
  return healthRow({ server, status });
}

describe('readiness', () => {
  it('reproduces the original fixture for a polled non-local UPS', () => {
    const report = computeReadiness(input());
    const expected = fixtureJson('02-ready.txt') as { ups: Array<{ lastUpdateTime: number }> };
    expected.ups[0]!.lastUpdateTime = 1796412170.025;
    assert.deepEqual(report, expected);
  });

  it('a never-polled UPS is not ready: NUT monitoring not connected', () => {
    const live = baselineLive();
    live.register(identity('Other@h'), neverPolled());
    const report = computeReadiness(input({ monitors: live.list() }));
    assert.equal(report.ready, false);
    assert.match(report.reason, /NUT monitoring not connected/);
    assert.deepEqual(report.reasons, ['nut_polling: NUT monitoring not connected']);
    assert.equal(report.ups[1]?.lastUpdateTime, 0);
  });

  it('FAILED is not ready, GRACE_PERIOD is', () => {
    const live = baselineLive();
    live.update('TestUPS-127.0.0.1-3493', polled({ connectionState: 'GRACE_PERIOD' }));
    assert.equal(computeReadiness(input({ monitors: live.list() })).ready, true);
    live.update('TestUPS-127.0.0.1-3493', polled({ connectionState: 'FAILED' }));
    assert.equal(computeReadiness(input({ monitors: live.list() })).ready, false);
  });

  it('no monitors', () => {
    assert.deepEqual(computeReadiness(input({ monitors: [] })), {
      capabilities: [],
      ready: false,
      reason: 'no monitors',
      reasons: ['no monitors'],
      ups: [],
    });
  });

  it('local capabilities need binaries natively, in order and deduplicated', () => {
    const have = new Set(['podman', 'umount']);
    const report = computeReadiness(
      input({
        groups: [
          {
            name: 'A',
            healthLabel: 'A',
            isLocal: true,
            vmsEnabled: true,
            containersEnabled: true,
            unmountEnabled: true,
            remoteServers: [],
          },
          {
            name: 'B',
            healthLabel: 'B',
            isLocal: true,
            vmsEnabled: true,
            containersEnabled: false,
            unmountEnabled: false,
            remoteServers: [],
          },
        ],
        localShutdown: {
          enabled: true,
          command: 'sudo -n -u root /sbin/poweroff',
          triggerOn: 'none',
        },
        runtime: {
          context: 'systemd service',
          container: false,
          loopbackDelegate: { configured: false },
        },
        hasBinary: (name) => have.has(name),
      }),
    );
    assert.deepEqual(
      report.capabilities.map((c) => [c.id, c.achievable]),
      [
        ['nut_polling', true],
        ['local_vm_teardown', false],
        ['local_container_teardown', true],
        ['local_filesystem_unmount', true],
        ['local_host_poweroff', false],
      ],
    );
    assert.equal(
      report.reason,
      'local_vm_teardown: virsh not found; local_host_poweroff: /sbin/poweroff not found',
    );
  });

  it('in a container local capabilities need a HEALTHY loopback delegate', () => {
    const groups = [{ name: 'A', healthLabel: 'A', isLocal: true, ...nothing, remoteServers: [] }];
    const sick = computeReadiness(
      input({
        groups,
        runtime: {
          context: 'container',
          container: true,
          loopbackDelegate: { configured: true, host: 'h', user: 'u', status: 'FAILED' },
        },
      }),
    );
    assert.equal(sick.ready, false);
    assert.equal(sick.capabilities[1]?.id, 'local_host_poweroff');
    const fine = computeReadiness(
      input({
        groups,
        runtime: {
          context: 'container',
          container: true,
          loopbackDelegate: { configured: true, host: 'h', user: 'u', status: 'HEALTHY' },
        },
      }),
    );
    assert.equal(fine.ready, true);
  });

  it('remote servers: unknown/disabled/healthy ok, failed/degraded/checking not; colliding names prefixed', () => {
    const servers = [
      { name: 'nas', host: 'nas.lan', enabled: true, isHostLoopback: false },
      { name: 'off', host: 'off.lan', enabled: false, isHostLoopback: false },
      { name: 'loop', host: '127.0.0.1', enabled: true, isHostLoopback: true },
    ];
    const report = computeReadiness(
      input({
        groups: [
          { name: 'A', healthLabel: 'A', isLocal: false, ...nothing, remoteServers: servers },
          {
            name: 'B',
            healthLabel: 'B',
            isLocal: false,
            ...nothing,
            remoteServers: [
              servers[0]!,
              { name: 'web', host: 'web.lan', enabled: true, isHostLoopback: false },
            ],
          },
        ],
        remoteHealthFor: (label) =>
          label === 'A' ? [row('nas', 'FAILED')] : [row('web', 'CHECKING')],
      }),
    );
    assert.deepEqual(
      report.capabilities.map((c) => [c.id, c.achievable]),
      [
        ['nut_polling', true],
        ['remote_server_shutdown[A/nas]', false],
        ['remote_server_shutdown[B/nas]', true],
        ['remote_server_shutdown[web]', false],
      ],
    );
    assert.equal(report.reasons[0], 'remote_server_shutdown[A/nas]: remote health FAILED');
  });

  it('strips sudo and its options from the poweroff command; looks binaries up on PATH', () => {
    assert.equal(poweroffBinary('sudo -u root shutdown -h now'), 'shutdown');
    assert.equal(poweroffBinary('/usr/bin/sudo -n systemctl poweroff'), 'systemctl');
    assert.equal(poweroffBinary('poweroff'), 'poweroff');
    const lookup = pathLookup(`/nonexistent:${process.env.PATH ?? '/usr/bin:/bin'}`);
    assert.equal(lookup('sh'), true);
    assert.equal(lookup('definitely-not-a-binary-eneru'), false);
    assert.equal(lookup('/bin/sh'), true);
  });
});
