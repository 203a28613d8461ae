/**
 * Runs local commands for the shutdown sequence (virsh, docker/podman, sync, umount, wall, the
 * local shutdown command). Guarantees: argv only, never a shell; every call bounded by a
 * timeout (the process is killed, SIGKILL after a short grace) and abortable; output capture
 * bounded; the promise always resolves — a missing tool or a hung `sync` is a result, not a
 * crash. Injected everywhere, so tests put stand-in executables first on PATH.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export interface CommandResult {
  /** null when the process was killed (timeout/abort) or never started. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** Spawn failure (`ENOENT` ...), timeout or abort; null when the process ran to an exit. */
  error: string | null;
  /** True when the executable was not found. */
  notFound: boolean;
}

export interface RunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface CommandExecutor {
  run(argv: readonly string[], opts: RunOptions): Promise<CommandResult>;
  /** Whether `name` resolves to an executable on this executor's PATH. */
  has(name: string): boolean;
}

const MAX_CAPTURE_CHARS = 64 * 1024;
const KILL_GRACE_MS = 2000;
const CLOSE_GRACE_MS = 1000;

/** Spawns real processes; `env` (PATH in particular) defaults to the daemon's environment. */
export class SpawnExecutor implements CommandExecutor {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  has(name: string): boolean {
    if (isAbsolute(name)) return isExecutable(name);
    return (this.env.PATH ?? '')
      .split(delimiter)
      .some((dir) => dir !== '' && isExecutable(join(dir, name)));
  }

  run(argv: readonly string[], opts: RunOptions): Promise<CommandResult> {
    const started = performance.now();
    const [file, ...args] = argv;
    const base = { stdout: '', stderr: '', timedOut: false, durationMs: 0 };
    if (!file)
      return Promise.resolve({ ...base, exitCode: null, error: 'empty command', notFound: false });
    if (opts.signal?.aborted)
      return Promise.resolve({ ...base, exitCode: null, error: 'aborted', notFound: false });
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      let aborted = false;
      let spawnError: NodeJS.ErrnoException | null = null;
      let exitCode: number | null = null;
      let settled = false;
      let killTimer: NodeJS.Timeout | undefined;
      let closeTimer: NodeJS.Timeout | undefined;
      const child = spawn(file, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        if (stdout.length < MAX_CAPTURE_CHARS)
          stdout += chunk.slice(0, MAX_CAPTURE_CHARS - stdout.length);
      });
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < MAX_CAPTURE_CHARS)
          stderr += chunk.slice(0, MAX_CAPTURE_CHARS - stderr.length);
      });
      const kill = (): void => {
        if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }, KILL_GRACE_MS);
      };
      const timer = setTimeout(
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
        clearTimeout(timer);
        clearTimeout(killTimer);
        clearTimeout(closeTimer);
        opts.signal?.removeEventListener('abort', onAbort);
        child.stdout.destroy();
        child.stderr.destroy();
        let error: string | null = null;
        if (spawnError)
          error =
            spawnError.code === 'ENOENT'
              ? `${file}: command not found`
              : `${file}: ${spawnError.message}`;
        else if (timedOut) error = `timed out after ${Math.round(opts.timeoutMs / 100) / 10}s`;
        else if (aborted) error = 'aborted';
        resolve({
          exitCode: timedOut || aborted ? null : exitCode,
          stdout,
          stderr,
          timedOut,
          durationMs: Math.round(performance.now() - started),
          error,
          notFound: spawnError?.code === 'ENOENT',
        });
      };
      child.on('error', (err: NodeJS.ErrnoException) => {
        spawnError = err;
        if (child.pid === undefined) finish();
      });
      child.on('exit', (code) => {
        exitCode = code;
        clearTimeout(killTimer);
        closeTimer = setTimeout(finish, CLOSE_GRACE_MS);
      });
      child.on('close', finish);
    });
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    // Not there or not executable: both mean "not available".
    return false;
  }
}

/** One line describing a failed result (for logs and step details). */
export function describeFailure(result: CommandResult): string {
  if (result.error) return result.error;
  const stderr = result.stderr.trim().split('\n').slice(-1)[0] ?? '';
  return `exit code ${result.exitCode}${stderr ? `: ${stderr}` : ''}`;
}
