/**
 * Readiness (`/ready`, core §10): which shutdown capabilities the daemon needs and whether each
 * is achievable right now. Pure: the live rows, the digested configuration, remote-health rows
 * and the "is this binary on PATH" check are all passed in, so every rule is table-testable.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { RemoteHealthRow } from '../domain/types.js';
import type { LiveUps } from './live-state.js';
import type { LoopbackDelegate } from './ups-document.js';

/** A shutdown group (a UPS or a redundancy group) as readiness needs to see it. */
export interface ReadinessGroup {
  /** UPS label or redundancy-group name: prefixes colliding remote names. */
  name: string;
  /** Manager label whose remote-health rows belong to this group (`<label>` / `redundancy:<name>`). */
  healthLabel: string;
  isLocal: boolean;
  vmsEnabled: boolean;
  containersEnabled: boolean;
  unmountEnabled: boolean;
  remoteServers: ReadonlyArray<{
    name: string;
    host: string;
    enabled: boolean;
    isHostLoopback: boolean;
  }>;
}

export interface ReadinessInput {
  monitors: readonly LiveUps[];
  /** UPS groups first (configuration order), then redundancy groups. */
  groups: readonly ReadinessGroup[];
  /** Number of UPS groups (`local_host_poweroff` also applies when there are none). */
  upsGroupCount: number;
  localShutdown: { enabled: boolean; command: string; triggerOn: string };
  runtime: { context: string; container: boolean; loopbackDelegate: LoopbackDelegate };
  remoteHealthFor: (healthLabel: string) => readonly RemoteHealthRow[];
  hasBinary: (name: string) => boolean;
}

export interface Capability {
  achievable: boolean;
  id: string;
  reason: string;
}

export interface ReadinessUpsRow {
  connectionState: string;
  groupId: string;
  label: string;
  lastUpdateTime: number;
  name: string;
}

export interface ReadinessReport {
  capabilities: Capability[];
  ready: boolean;
  reason: string;
  reasons: string[];
  runtime?: { container: boolean; context: string; loopbackDelegate: LoopbackDelegate };
  ups: ReadinessUpsRow[];
}

const SUDO_OPTIONS_WITH_ARGUMENT = new Set([
  '-u',
  '-g',
  '-C',
  '-p',
  '-r',
  '-t',
  '-U',
  '-D',
  '-R',
  '-T',
  '-h',
]);

/** argv[0] of the local poweroff command after a leading `sudo` and its options. */
export function poweroffBinary(command: string): string {
  const argv = command.trim().split(/\s+/).filter(Boolean);
  let index = 0;
  if (argv[0] === 'sudo' || argv[0] === '/usr/bin/sudo') {
    index = 1;
    while (index < argv.length && argv[index]?.startsWith('-')) {
      const option = argv[index] ?? '';
      index += SUDO_OPTIONS_WITH_ARGUMENT.has(option) ? 2 : 1;
      if (option === '--') break;
    }
  }
  return argv[index] ?? '';
}

function nutReady(monitors: readonly LiveUps[]): boolean {
  return (
    monitors.length > 0 &&
    monitors.every(
      (m) => m.snapshot.connectionState !== 'FAILED' && m.snapshot.lastUpdateWallMs > 0,
    )
  );
}

function remoteIds(groups: readonly ReadinessGroup[]): Map<string, string> {
  const owners = new Map<string, Set<string>>();
  for (const group of groups) {
    for (const server of group.remoteServers) {
      const key = server.name || server.host;
      owners.set(key, (owners.get(key) ?? new Set()).add(group.name));
    }
  }
  const ids = new Map<string, string>();
  for (const group of groups) {
    for (const server of group.remoteServers) {
      const key = server.name || server.host;
      const collides = (owners.get(key)?.size ?? 0) > 1;
      ids.set(`${group.name}\u0000${key}`, collides ? `${group.name}/${key}` : key);
    }
  }
  return ids;
}

export function computeReadiness(input: ReadinessInput): ReadinessReport {
  if (input.monitors.length === 0) {
    return {
      capabilities: [],
      ready: false,
      reason: 'no monitors',
      reasons: ['no monitors'],
      ups: [],
    };
  }
  const capabilities: Capability[] = [];
  const add = (id: string, achievable: boolean, why: string): void => {
    if (capabilities.some((c) => c.id === id)) return;
    capabilities.push({ achievable, id, reason: achievable ? '' : why });
  };
  add('nut_polling', nutReady(input.monitors), 'NUT monitoring not connected');

  const delegateHealthy =
    input.runtime.loopbackDelegate.configured &&
    input.runtime.loopbackDelegate.status === 'HEALTHY';
  const local = (id: string, binaries: string[]): void => {
    if (input.runtime.container) {
      add(id, delegateHealthy, 'container runtime needs a HEALTHY is_host_loopback remote server');
    } else {
      add(
        id,
        binaries.some((b) => b !== '' && input.hasBinary(b)),
        `${binaries.join(' or ') || 'command'} not found`,
      );
    }
  };
  for (const group of input.groups.filter((g) => g.isLocal)) {
    if (group.vmsEnabled) local('local_vm_teardown', ['virsh']);
    if (group.containersEnabled) local('local_container_teardown', ['docker', 'podman']);
    if (group.unmountEnabled) local('local_filesystem_unmount', ['umount']);
  }
  const anyLocal = input.groups.some((g) => g.isLocal);
  if (
    input.localShutdown.enabled &&
    (anyLocal || input.upsGroupCount === 0 || input.localShutdown.triggerOn === 'any')
  ) {
    local('local_host_poweroff', [poweroffBinary(input.localShutdown.command)]);
  }

  const ids = remoteIds(input.groups);
  for (const group of input.groups) {
    const rows = input.remoteHealthFor(group.healthLabel);
    for (const server of group.remoteServers) {
      if (!server.enabled || server.isHostLoopback) continue;
      const key = server.name || server.host;
      const row = rows.find((r) => r.server === key || r.host === server.host);
      const status = row?.status ?? 'UNKNOWN';
      const ok = status === 'HEALTHY' || status === 'UNKNOWN' || status === 'DISABLED';
      add(
        `remote_server_shutdown[${ids.get(`${group.name}\u0000${key}`) ?? key}]`,
        ok,
        `remote health ${status}`,
      );
    }
  }

  const reasons = capabilities.filter((c) => !c.achievable).map((c) => `${c.id}: ${c.reason}`);
  return {
    capabilities,
    ready: reasons.length === 0,
    reason: reasons.length === 0 ? 'ready' : reasons.join('; '),
    reasons,
    runtime: {
      container: input.runtime.container,
      context: input.runtime.context,
      loopbackDelegate: input.runtime.loopbackDelegate,
    },
    ups: input.monitors.map((m) => ({
      connectionState: m.snapshot.connectionState,
      groupId: m.identity.groupId,
      label: m.identity.label,
      lastUpdateTime: m.snapshot.lastUpdateWallMs > 0 ? m.snapshot.lastUpdateWallMs / 1000 : 0,
      name: m.identity.name,
    })),
  };
}

/**
 * The real `hasBinary` for `computeReadiness`: an executable file in one of `pathEnv`'s
 * directories (or at the given path when the name contains a `/`).
 */
export function pathLookup(pathEnv: string): (name: string) => boolean {
  const dirs = pathEnv.split(delimiter).filter(Boolean);
  const executable = (file: string): boolean => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      // ENOENT / EACCES: not an executable here.
      return false;
    }
  };
  return (name) =>
    name.includes('/') ? executable(name) : dirs.some((dir) => executable(join(dir, name)));
}
