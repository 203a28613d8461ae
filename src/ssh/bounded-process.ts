/**
 * Runs one child process with every resource bounded: the one place that spawns for both the
 * local shutdown commands and the `ssh` client. Guarantees: argv only (never a shell), stdin
 * closed, each output stream capped at the head, the process killed on timeout or abort
 * (SIGTERM, then SIGKILL after a grace), every timer cleared, and the promise always resolves —
 * a spawn failure, timeout or abort is reported as facts in the result, which each caller turns
 * into its own error text.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface BoundedProcessOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Environment of the child; defaults to the daemon's own. */
  env?: NodeJS.ProcessEnv;
}

export interface BoundedProcessResult {
  /** The exit code; null when the process was killed (timeout/abort) or never started. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The signal fired, before the start or while the process ran. */
  aborted: boolean;
  /** Why the process could not be started (or errored), as Node reported it. */
  spawnError: NodeJS.ErrnoException | null;
  durationMs: number;
}

/** Each stream keeps at most this many bytes (the head: errors come first). */
export const MAX_CAPTURE_BYTES = 64 * 1024;
/** After SIGTERM, the process gets this long before SIGKILL. */
const KILL_GRACE_MS = 2000;
/** After exit, wait this long for the pipes to drain before resolving anyway. */
const CLOSE_GRACE_MS = 1000;

class BoundedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  push(chunk: Buffer): void {
    const room = MAX_CAPTURE_BYTES - this.size;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.size += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export function runBoundedProcess(
  file: string,
  args: readonly string[],
  opts: BoundedProcessOptions,
): Promise<BoundedProcessResult> {
  if (opts.signal?.aborted) {
    return Promise.resolve({
      exitCode: null,
      stdout: '',
      stderr: '',
      timedOut: false,
      aborted: true,
      spawnError: null,
      durationMs: 0,
    });
  }
  const started = performance.now();
  return new Promise<BoundedProcessResult>((resolve) => {
    const stdout = new BoundedBuffer();
    const stderr = new BoundedBuffer();
    let timedOut = false;
    let aborted = false;
    let spawnError: NodeJS.ErrnoException | null = null;
    let exitCode: number | null = null;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;

    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn(file, args, {
        env: opts.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      // Invalid arguments (e.g. a NUL byte) throw synchronously: report, never reject.
      resolve({
        exitCode: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        aborted: false,
        spawnError: error as NodeJS.ErrnoException,
        durationMs: 0,
      });
      return;
    }
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    const kill = (): void => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
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
      resolve({
        exitCode: timedOut || aborted ? null : exitCode,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut,
        aborted,
        spawnError,
        durationMs: Math.round(performance.now() - started),
      });
    };

    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
      // A spawn failure emits no 'exit'; the pipes close right away.
      if (child.pid === undefined) finish();
    });
    child.on('exit', (code) => {
      exitCode = code;
      clearTimeout(killTimer);
      // Something the child forked may still hold the pipes open: do not wait for it forever.
      closeTimer = setTimeout(finish, CLOSE_GRACE_MS);
    });
    child.on('close', finish);
  });
}
