/**
 * Runs one command on a remote server through the system OpenSSH client. Guarantees: argv only
 * (no local shell), stdin closed (BatchMode never prompts), output capture bounded, the local
 * `ssh` is killed on timeout or abort, and the promise always resolves — a failure is data in
 * the result, never a rejection, so one bad server cannot break a shutdown phase.
 */
import { spawn } from 'node:child_process';
import { buildSshArgv, type SshTarget } from './argv.js';

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

/** Each stream keeps at most this many bytes (the head: errors come first). */
export const MAX_CAPTURE_BYTES = 64 * 1024;
/** After SIGTERM, ssh gets this long before SIGKILL. */
const KILL_GRACE_MS = 2000;
/** After exit, wait this long for the pipes to drain before resolving anyway. */
const CLOSE_GRACE_MS = 1000;

class BoundedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  push(chunk: Buffer): void {
    const room = MAX_CAPTURE_BYTES - this.size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) this.truncated = true;
    this.chunks.push(part);
    this.size += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function formatSeconds(ms: number): string {
  const sec = ms / 1000;
  return Number.isInteger(sec) ? `${sec}s` : `${sec.toFixed(1)}s`;
}

export function runSsh(
  target: SshTarget,
  remoteCommand: string,
  opts: RunSshOptions,
): Promise<SshResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let argv: string[];
  try {
    argv = buildSshArgv(target, remoteCommand, { pathPrefix: opts.pathPrefix });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return Promise.resolve({
      exitCode: null,
      stdout: '',
      stderr: '',
      timedOut: false,
      durationMs: 0,
      error: message,
    });
  }
  if (opts.signal?.aborted) {
    return Promise.resolve({
      exitCode: null,
      stdout: '',
      stderr: '',
      timedOut: false,
      durationMs: 0,
      error: 'aborted',
    });
  }
  return new Promise<SshResult>((resolve) => {
    const stdout = new BoundedBuffer();
    const stderr = new BoundedBuffer();
    let timedOut = false;
    let aborted = false;
    let spawnError: string | null = null;
    let exitCode: number | null = null;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;

    const child = spawn(opts.sshBinary ?? argv[0] ?? 'ssh', argv.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    const kill = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, KILL_GRACE_MS);
    };
    const timeoutTimer = setTimeout(
      () => {
        timedOut = true;
        kill();
      },
      Math.max(0, opts.timeoutMs),
    );
    const onAbort = (): void => {
      aborted = true;
      kill();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      clearTimeout(closeTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      let error: string | null = spawnError;
      if (timedOut) error = `timed out after ${formatSeconds(opts.timeoutMs)}`;
      else if (aborted) error = 'aborted';
      resolve({
        exitCode: timedOut || aborted ? null : exitCode,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut,
        durationMs: elapsed(),
        error,
      });
    };

    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = `cannot run ssh: ${err.message}`;
      // A spawn failure emits no 'exit'; the pipes close right away.
      if (child.pid === undefined) finish();
    });
    child.on('exit', (code) => {
      exitCode = code;
      clearTimeout(killTimer);
      // Something ssh forked may still hold the pipes open: do not wait for it forever.
      closeTimer = setTimeout(finish, CLOSE_GRACE_MS);
    });
    child.on('close', finish);
  });
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
