/**
 * One health probe of one remote server (core spec §9): the configured `probe_command` over
 * OpenSSH without the PATH prefix, bounded by `connect_timeout + 10` s, then for the host
 * loopback the identity step proving we reached *this* host. A command that fails the
 * safe-probe rule is refused here too, whatever validation said: a probe never runs a shutdown.
 */
import { readFile } from 'node:fs/promises';
import type { RemoteServerConfig } from '../config/types.js';
import type { ProbeOutcome } from '../domain/remote-health.js';
import { unsafeProbeReason } from '../domain/safe-probe.js';
import { runSsh, type SshResult, type SshTarget } from '../ssh/index.js';

export const PROBE_TIMEOUT_EXTRA_SEC = 10;

/** Output that means the loopback command reached a host that is going down, not our identity. */
const SHUTDOWN_MARKERS = [
  'shutdown',
  'poweroff',
  'reboot',
  'halt',
  'broadcast message',
  'system is going down',
];

export interface ProbeRequest {
  server: RemoteServerConfig;
  probeCommand: string;
  knownHostsFile: string | null;
  signal: AbortSignal;
  sshBinary?: string;
}

export function sshTargetOf(server: RemoteServerConfig, knownHostsFile: string | null): SshTarget {
  return {
    host: server.host,
    user: server.user,
    connectTimeoutSec: server.connect_timeout,
    keyPath: server.ssh_key_path,
    sshOptions: [...server.ssh_options],
    knownHostsFile,
  };
}

/** A short single-line reason: ssh's own error, else its stderr, else the exit code. */
export function failureReason(result: SshResult): string | null {
  if (result.error !== null) return result.error;
  if (result.exitCode === 0) return null;
  const stderr = result.stderr.trim().replace(/\s+/g, ' ');
  if (stderr !== '') return stderr.length > 300 ? `${stderr.slice(0, 300)}…` : stderr;
  return `exit code ${result.exitCode}`;
}

/** `expected_host_identity`, or the local file a `cat /abs/path` identity command reads. */
export async function expectedIdentity(server: RemoteServerConfig): Promise<string | null> {
  if (server.expected_host_identity !== null && server.expected_host_identity.trim() !== '') {
    return server.expected_host_identity.trim();
  }
  const path = /^\s*cat\s+(\/\S+)\s*$/.exec(server.host_identity_command)?.[1];
  if (path === undefined) return null;
  try {
    const content = (await readFile(path, 'utf8')).trim();
    return content === '' ? null : content;
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'EACCES'
    )
      return null;
    throw error;
  }
}

async function identityFailure(
  request: ProbeRequest,
  target: SshTarget,
  timeoutMs: number,
): Promise<string | null> {
  const { server } = request;
  const unsafe = unsafeProbeReason(server.host_identity_command);
  if (unsafe !== null) return `host_identity_command refused: ${unsafe}`;
  let expected: string | null;
  try {
    expected = await expectedIdentity(server);
  } catch (error) {
    return `cannot read the local host identity: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (expected === null) {
    return 'no expected_host_identity: set it, or bind-mount the host file the host_identity_command reads (e.g. /etc/machine-id:ro) so it can be read locally';
  }
  const result = await runSsh(target, server.host_identity_command, {
    timeoutMs,
    signal: request.signal,
    pathPrefix: false,
    ...(request.sshBinary ? { sshBinary: request.sshBinary } : {}),
  });
  const failed = failureReason(result);
  if (failed !== null) return `host identity check failed: ${failed}`;
  const output = result.stdout.trim();
  const marker = SHUTDOWN_MARKERS.find((m) => output.toLowerCase().includes(m));
  if (marker !== undefined)
    return `host identity output mentions '${marker}': the host may be going down`;
  if (output !== expected)
    return 'host identity mismatch: the loopback SSH reached a different host';
  return null;
}

/** Never rejects: every failure, including a refused command, is a failed outcome. */
export async function probeServer(request: ProbeRequest): Promise<ProbeOutcome> {
  const unsafe = unsafeProbeReason(request.probeCommand);
  if (unsafe !== null) return { ok: false, error: `probe_command refused: ${unsafe}` };
  const target = sshTargetOf(request.server, request.knownHostsFile);
  const timeoutMs = (request.server.connect_timeout + PROBE_TIMEOUT_EXTRA_SEC) * 1000;
  const result = await runSsh(target, request.probeCommand, {
    timeoutMs,
    signal: request.signal,
    pathPrefix: false,
    ...(request.sshBinary ? { sshBinary: request.sshBinary } : {}),
  });
  const failed = failureReason(result);
  if (failed !== null) return { ok: false, error: failed };
  if (request.server.is_host_loopback) {
    const identity = await identityFailure(request, target, timeoutMs);
    if (identity !== null) return { ok: false, error: identity };
  }
  return { ok: true, latencyMs: result.durationMs };
}
