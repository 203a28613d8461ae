/**
 * Where eneru runs (core spec §10, observability §3.4): the label `/ready`, `/api/v1/ups` and
 * `eneru validate` show, and the `container` flag that switches local teardown to the host
 * loopback delegate. File probes are injected so the detection is testable without root.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface RuntimeContext {
  /** `container (Kubernetes|Docker|Podman|<$container>)`, `container`, `systemd service` or `bare process`. */
  context: string;
  container: boolean;
}

export interface RuntimeProbes {
  exists(path: string): boolean;
  /** File contents, or null when unreadable. */
  read(path: string): string | null;
}

const realProbes: RuntimeProbes = {
  exists: (path) => existsSync(path),
  read: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // Unreadable proc/cgroup files simply mean "no evidence".
      return null;
    }
  },
};

function containerKind(env: NodeJS.ProcessEnv, probes: RuntimeProbes): string | null | undefined {
  if (env.KUBERNETES_SERVICE_HOST) return 'Kubernetes';
  const declared = env.container?.trim();
  if (declared) {
    const lower = declared.toLowerCase();
    if (lower === 'docker') return 'Docker';
    if (lower === 'podman') return 'Podman';
    return declared;
  }
  if (probes.exists('/run/.containerenv')) return 'Podman';
  if (probes.exists('/.dockerenv')) return 'Docker';
  const cgroup = probes.read('/proc/1/cgroup') ?? '';
  if (/kubepods/.test(cgroup)) return 'Kubernetes';
  if (/docker|containerd/.test(cgroup)) return 'Docker';
  if (/libpod/.test(cgroup)) return 'Podman';
  if (/\b(lxc|container)\b/.test(cgroup)) return null;
  return undefined;
}

/** `undefined` = not a container; `null` = a container of unknown kind. */
export function detectRuntimeContext(
  env: NodeJS.ProcessEnv = process.env,
  probes: RuntimeProbes = realProbes,
): RuntimeContext {
  const kind = containerKind(env, probes);
  if (kind !== undefined)
    return { context: kind === null ? 'container' : `container (${kind})`, container: true };
  const parent = probes.read(`/proc/${process.ppid}/comm`)?.trim();
  if (env.INVOCATION_ID || parent === 'systemd')
    return { context: 'systemd service', container: false };
  return { context: 'bare process', container: false };
}
