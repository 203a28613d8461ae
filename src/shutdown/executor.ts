/**
 * Runs local commands for the shutdown sequence (virsh, docker/podman, sync, umount, wall, the
 * local shutdown command). Guarantees: argv only, never a shell; every call bounded by a
 * timeout (the process is killed, SIGKILL after a short grace) and abortable; output capture
 * bounded; the promise always resolves — a missing tool or a hung `sync` is a result, not a
 * crash. The spawning itself is the SSH library's bounded process runner (shared with `ssh`);
 * this module adds PATH lookup and the local error texts. Injected everywhere, so tests put
 * stand-in executables first on PATH.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { runBoundedProcess } from '../ssh/index.js';

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

/** Spawns real processes; `env` (PATH in particular) defaults to the daemon's environment. */
export class SpawnExecutor implements CommandExecutor {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  has(name: string): boolean {
    if (isAbsolute(name)) return isExecutable(name);
    return (this.env.PATH ?? '')
      .split(delimiter)
      .some((dir) => dir !== '' && isExecutable(join(dir, name)));
  }

  async run(argv: readonly string[], opts: RunOptions): Promise<CommandResult> {
    const [file, ...args] = argv;
    const base = { stdout: '', stderr: '', timedOut: false, durationMs: 0 };
    if (!file) return { ...base, exitCode: null, error: 'empty command', notFound: false };
    const run = await runBoundedProcess(file, args, {
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      env: this.env,
    });
    let error: string | null = null;
    if (run.spawnError)
      error =
        run.spawnError.code === 'ENOENT'
          ? `${file}: command not found`
          : `${file}: ${run.spawnError.message}`;
    else if (run.timedOut) error = `timed out after ${Math.round(opts.timeoutMs / 100) / 10}s`;
    else if (run.aborted) error = 'aborted';
    return {
      exitCode: run.exitCode,
      stdout: run.stdout,
      stderr: run.stderr,
      timedOut: run.timedOut,
      durationMs: run.durationMs,
      error,
      notFound: run.spawnError?.code === 'ENOENT',
    };
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
