/**
 * Stopping the processes tests start, by PID: the servers in test/support/ and the stand-in
 * commands tests leave hanging on purpose. A process that already exited is not an error here,
 * and a process that ignores SIGTERM is still gone when `stopChild` resolves.
 */
import type { ChildProcess } from 'node:child_process';

/** Sends `signal` to `pid`; a process that has already exited (ESRCH) is fine. */
export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** SIGTERM, SIGKILL after `graceMs`, and resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
