/**
 * Layer 1 of loading (core spec §1.1): the structural gate. A scalar where a mapping or list is
 * needed in the spots every later stage walks (`triggers: 5`, `mounts: /mnt`, `ups_sources: "A"`)
 * is fatal, reported as `'<path>' must be a mapping|list, got <type>.` An empty (`null`) section
 * counts as absent, as PyYAML users write `api:` with nothing under it.
 */
import { formatPath, type PathPart, typeName } from './messages.js';

type Kind = 'mapping' | 'list';
type Node = Record<string, unknown>;

const TOP_MAPPINGS = [
  'behavior',
  'logging',
  'notifications',
  'discord',
  'local_shutdown',
  'triggers',
  'statistics',
  'api',
  'prometheus',
  'remote_health',
  'mqtt',
  'nut_control',
  'battery_health',
  'self_test',
  'reports',
  'energy',
  'nut',
  'docker',
  'virtual_machines',
  'containers',
  'filesystems',
];

const GROUP_MAPPINGS = [
  'triggers',
  'virtual_machines',
  'containers',
  'filesystems',
  'nut_control',
  'battery_health',
  'self_test',
  'nut',
];

function isMapping(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Gate {
  readonly problems: string[] = [];

  /** Checks `node[key]`; a null value is deleted so the section's defaults apply. */
  expect(node: Node, key: string, kind: Kind, path: readonly PathPart[]): boolean {
    const value = node[key];
    if (value === undefined) return false;
    if (value === null) {
      delete node[key];
      return false;
    }
    const ok = kind === 'mapping' ? isMapping(value) : Array.isArray(value);
    if (!ok)
      this.problems.push(
        `'${formatPath([...path, key])}' must be a ${kind}, got ${typeName(value)}.`,
      );
    return ok;
  }

  items(
    node: Node,
    key: string,
    path: readonly PathPart[],
    each: (item: Node, itemPath: PathPart[]) => void,
  ): void {
    if (!this.expect(node, key, 'list', path)) return;
    (node[key] as unknown[]).forEach((item, index) => {
      const itemPath = [...path, key, index];
      if (isMapping(item)) each(item, itemPath);
      else
        this.problems.push(`'${formatPath(itemPath)}' must be a mapping, got ${typeName(item)}.`);
    });
  }

  filesystems(node: Node, path: readonly PathPart[]): void {
    if (!this.expect(node, 'filesystems', 'mapping', path)) return;
    const fs = node.filesystems as Node;
    if (this.expect(fs, 'unmount', 'mapping', [...path, 'filesystems'])) {
      this.expect(fs.unmount as Node, 'mounts', 'list', [...path, 'filesystems', 'unmount']);
    }
  }

  remoteServers(node: Node, path: readonly PathPart[]): void {
    this.items(node, 'remote_servers', path, (server, serverPath) => {
      this.expect(server, 'ssh_options', 'list', serverPath);
      this.items(server, 'pre_shutdown_commands', serverPath, (command, commandPath) => {
        this.expect(command, 'mounts', 'list', commandPath);
      });
    });
  }

  group(node: Node, path: readonly PathPart[]): void {
    for (const key of GROUP_MAPPINGS) {
      if (key === 'filesystems') this.filesystems(node, path);
      else this.expect(node, key, 'mapping', path);
    }
    if (isMapping(node.triggers)) {
      for (const nested of ['depletion', 'extended_time'])
        this.expect(node.triggers, nested, 'mapping', [...path, 'triggers']);
    }
    this.remoteServers(node, path);
  }
}

/** Returns every structural problem; `root` is cleaned in place (null sections removed). */
export function structuralProblems(root: Node): string[] {
  const gate = new Gate();
  for (const key of TOP_MAPPINGS) {
    if (key !== 'filesystems') gate.expect(root, key, 'mapping', []);
  }
  gate.group(root, []);
  if (isMapping(root.notifications)) {
    gate.expect(root.notifications, 'urls', 'list', ['notifications']);
    gate.expect(root.notifications, 'suppress', 'list', ['notifications']);
    gate.expect(root.notifications, 'discord', 'mapping', ['notifications']);
  }
  if (isMapping(root.api)) {
    gate.expect(root.api, 'allowed_hosts', 'list', ['api']);
    gate.expect(root.api, 'auth', 'mapping', ['api']);
  }
  for (const key of ['nut_control']) {
    if (isMapping(root[key])) {
      gate.expect(root[key], 'allowed_commands', 'list', [key]);
      gate.expect(root[key], 'allowed_variables', 'list', [key]);
    }
  }
  if (isMapping(root.docker)) {
    gate.expect(root.docker, 'compose_files', 'list', ['docker']);
  }
  if (root.ups === null) delete root.ups;
  if (Array.isArray(root.ups)) {
    gate.items(root, 'ups', [], (entry, path) => gate.group(entry, path));
  } else if (isMapping(root.ups)) {
    gate.group(root.ups, ['ups']);
  } else if (root.ups !== undefined) {
    gate.problems.push(`'ups' must be a mapping or a list, got ${typeName(root.ups)}.`);
  }
  gate.items(root, 'redundancy_groups', [], (group, path) => {
    gate.expect(group, 'ups_sources', 'list', path);
    gate.group(group, path);
  });
  return [...new Set(gate.problems)];
}
