/**
 * Runs one command on a remote server through the system OpenSSH client. Guarantees: argv only
 * (no local shell), stdin closed (BatchMode never prompts), output capture bounded, the local
 * `ssh` is killed on timeout or abort, and the promise always resolves — a failure is data in
 * the result, never a rejection, so one bad server cannot break a shutdown phase.
 */
import { buildSshArgv, type SshTarget } from './argv.js';
import { runBoundedProcess } from './bounded-process.js';

export { MAX_CAPTURE_BYTES } from './bounded-process.js';

export interface SshResult {
  /** Exit code of the local `ssh` (255 = ssh-level failure); null when killed or never started. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** Why the call failed to produce an exit code (spawn error, timeout, abort, bad options). */
  error: string | null;
}

export interface RunSshOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  pathPrefix: boolean;
  /** Defaults to `ssh` on PATH. */
  sshBinary?: string;
}

function formatSeconds(ms: number): string {
  const sec = ms / 1000;
  return Number.isInteger(sec) ? `${sec}s` : `${sec.toFixed(1)}s`;
}

export async function runSsh(
  target: SshTarget,
  remoteCommand: string,
  opts: RunSshOptions,
): Promise<SshResult> {
  let argv: string[];
  try {
    argv = buildSshArgv(target, remoteCommand, { pathPrefix: opts.pathPrefix });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      exitCode: null,
      stdout: '',
      stderr: '',
      timedOut: false,
      durationMs: 0,
      error: message,
    };
  }
  const run = await runBoundedProcess(opts.sshBinary ?? argv[0] ?? 'ssh', argv.slice(1), {
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
  });
  let error: string | null = run.spawnError ? `cannot run ssh: ${run.spawnError.message}` : null;
  if (run.timedOut) error = `timed out after ${formatSeconds(opts.timeoutMs)}`;
  else if (run.aborted) error = 'aborted';
  return {
    exitCode: run.exitCode,
    stdout: run.stdout,
    stderr: run.stderr,
    timedOut: run.timedOut,
    durationMs: run.durationMs,
    error,
  };
}

const TEARDOWN_MARKERS = ['closed by remote host', 'broken pipe', 'connection reset'];

/**
 * True when ssh's stderr shows the connection was torn down under it — what a successful
 * `shutdown -h now` looks like from the client side (core §8.2: exit 255 counts as sent,
 * unconfirmed).
 */
export function isTransportTeardown(stderr: string): boolean {
  const lower = stderr.toLowerCase();
  if (TEARDOWN_MARKERS.some((marker) => lower.includes(marker))) return true;
  return /connection to \S.* closed/.test(lower);
}
