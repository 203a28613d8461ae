// Runtime context labels (core spec §10): container kinds from env and files, systemd, bare.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectRuntimeContext, type RuntimeProbes } from '../../src/app/runtime-context.js';

function probes(files: Record<string, string> = {}): RuntimeProbes {
  return { exists: (path) => path in files, read: (path) => files[path] ?? null };
}

describe('runtime context', () => {
  const cases: [string, NodeJS.ProcessEnv, Record<string, string>, string, boolean][] = [
    ['Kubernetes env', { KUBERNETES_SERVICE_HOST: '10.0.0.1' }, {}, 'container (Kubernetes)', true],
    ['container=docker', { container: 'docker' }, {}, 'container (Docker)', true],
    ['container=podman', { container: 'podman' }, {}, 'container (Podman)', true],
    ['container=<other>', { container: 'lxc' }, {}, 'container (lxc)', true],
    ['/run/.containerenv', {}, { '/run/.containerenv': '' }, 'container (Podman)', true],
    ['/.dockerenv', {}, { '/.dockerenv': '' }, 'container (Docker)', true],
    [
      'kubepods cgroup',
      {},
      { '/proc/1/cgroup': '0::/kubepods/besteffort/pod1' },
      'container (Kubernetes)',
      true,
    ],
    ['generic container cgroup', {}, { '/proc/1/cgroup': '0::/lxc/payload' }, 'container', true],
    [
      'systemd INVOCATION_ID',
      { INVOCATION_ID: 'abc' },
      { '/proc/1/cgroup': '0::/init.scope' },
      'systemd service',
      false,
    ],
    [
      'systemd parent',
      {},
      { [`/proc/${process.ppid}/comm`]: 'systemd\n' },
      'systemd service',
      false,
    ],
    ['bare process', {}, { '/proc/1/cgroup': '0::/' }, 'bare process', false],
  ];
  for (const [name, env, files, context, container] of cases) {
    it(name, () =>
      assert.deepEqual(detectRuntimeContext(env, probes(files)), { context, container }),
    );
  }

  it('container evidence wins over systemd', () => {
    assert.equal(
      detectRuntimeContext({ INVOCATION_ID: 'x', container: 'podman' }, probes()).context,
      'container (Podman)',
    );
  });
});
