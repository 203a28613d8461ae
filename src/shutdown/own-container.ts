/**
 * Finds the id of the container eneru itself runs in, so "stop all remaining containers" never
 * stops the daemon doing the stopping. Reads /proc/self/cgroup (docker/podman/kubepods paths)
 * and /proc/self/mountinfo (the container's own hostname/resolv.conf bind mounts, which also
 * work under cgroup v2 namespaces). Returns null on a bare host or when nothing matches.
 */
import { readFileSync } from 'node:fs';

const ID = /[0-9a-f]{64}/;
const CGROUP_PATTERNS = [
  /docker[-/]([0-9a-f]{64})/,
  /libpod-([0-9a-f]{64})/,
  /crio-([0-9a-f]{64})/,
  /containerd[-/]([0-9a-f]{64})/,
  /kubepods.*\/([0-9a-f]{64})/,
];
const MOUNT_PATTERNS = [
  /\/containers\/([0-9a-f]{64})\/(?:hostname|hosts|resolv\.conf)/,
  /overlay-containers\/([0-9a-f]{64})\/userdata/,
];

function read(path: string, readFile: (path: string) => string): string {
  try {
    return readFile(path);
  } catch {
    // No /proc (not Linux) or not readable: treated as "not in a container we can identify".
    return '';
  }
}

export function detectOwnContainerId(
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): string | null {
  const cgroup = read('/proc/self/cgroup', readFile);
  for (const pattern of CGROUP_PATTERNS) {
    const match = pattern.exec(cgroup);
    if (match?.[1]) return match[1];
  }
  const mounts = read('/proc/self/mountinfo', readFile);
  for (const pattern of MOUNT_PATTERNS) {
    const match = pattern.exec(mounts);
    if (match?.[1] && ID.test(match[1])) return match[1];
  }
  return null;
}
