import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectOwnContainerId } from '../../src/shutdown/index.js';

const id = 'a'.repeat(12) + '0123456789abcdef'.repeat(3) + 'b'.repeat(4);

function files(map: Record<string, string>): (path: string) => string {
  return (path) => {
    const content = map[path];
    if (content === undefined) throw new Error(`ENOENT: ${path}`);
    return content;
  };
}

test('docker cgroup v1 path', () => {
  assert.equal(
    detectOwnContainerId(files({ '/proc/self/cgroup': `12:memory:/docker/${id}\n` })),
    id,
  );
});

test('systemd-managed docker and podman scopes', () => {
  assert.equal(
    detectOwnContainerId(files({ '/proc/self/cgroup': `0::/system.slice/docker-${id}.scope\n` })),
    id,
  );
  assert.equal(
    detectOwnContainerId(
      files({ '/proc/self/cgroup': `0::/machine.slice/libpod-${id}.scope/container\n` }),
    ),
    id,
  );
});

test('cgroup v2 namespace: falls back to the container hostname bind mount', () => {
  const mountinfo = `612 590 254:1 /var/lib/docker/containers/${id}/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw\n`;
  assert.equal(
    detectOwnContainerId(
      files({ '/proc/self/cgroup': '0::/\n', '/proc/self/mountinfo': mountinfo }),
    ),
    id,
  );
  const podman = `700 650 0:44 /containers/storage/overlay-containers/${id}/userdata/hostname /etc/hostname rw - tmpfs tmpfs rw\n`;
  assert.equal(
    detectOwnContainerId(files({ '/proc/self/cgroup': '0::/\n', '/proc/self/mountinfo': podman })),
    id,
  );
});

test('bare host or no /proc: null', () => {
  assert.equal(
    detectOwnContainerId(
      files({
        '/proc/self/cgroup': '0::/user.slice/user-1000.slice/session-2.scope\n',
        '/proc/self/mountinfo': '22 1 8:1 / / rw - ext4 /dev/sda1 rw\n',
      }),
    ),
    null,
  );
  assert.equal(detectOwnContainerId(files({})), null);
});
