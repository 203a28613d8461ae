/**
 * The redundancy group's shutdown flag (core spec §7): `<dir>/ups-shutdown-redundancy-<group>`,
 * created with O_EXCL so two evaluators (or two daemons) can never both run the group's
 * shutdown. It records who owns it (pid, process start time, boot id) so startup cleanup can
 * tell a stale file from one held by a live peer process.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class RedundancyFlagError extends Error {
  constructor(
    readonly code: 'REDUNDANCY_FLAG_BUSY' | 'REDUNDANCY_FLAG_UNREMOVABLE',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RedundancyFlagError';
  }
}

export function redundancyFlagPath(shutdownFlagFile: string, sanitisedGroup: string): string {
  return join(dirname(shutdownFlagFile), `ups-shutdown-redundancy-${sanitisedGroup}`);
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    // /proc is missing outside Linux: an empty identity just makes ownership checks stricter.
    return fallback;
  }
}

/** Start time of `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat), '' if gone. */
function processStartTicks(pid: number): string {
  const stat = readOr(`/proc/${pid}/stat`, '');
  if (stat === '') return '';
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

function parse(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return fields;
}

export class RedundancyFlag {
  constructor(readonly path: string) {}

  /** Creates the flag; false when it already exists. Other I/O errors throw. */
  tryCreate(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      const lines = [
        `pid=${process.pid}`,
        `start_time=${processStartTicks(process.pid)}`,
        `boot_id=${readOr('/proc/sys/kernel/random/boot_id', '')}`,
        `created_at=${(Date.now() / 1000).toFixed(3)}`,
      ];
      writeSync(fd, `${lines.join('\n')}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  /** Removes the flag; never throws (returns the error message instead). */
  remove(): string | null {
    try {
      rmSync(this.path, { force: true });
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** The pid of a live process (other than us) that owns the flag, or null. */
  livePeer(): number | null {
    const text = readOr(this.path, '');
    if (text === '') return null;
    const fields = parse(text);
    const pid = Number(fields.pid);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
    if ((fields.boot_id ?? '') !== readOr('/proc/sys/kernel/random/boot_id', '')) return null;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return null;
    }
    const ticks = processStartTicks(pid);
    return ticks !== '' && ticks === (fields.start_time ?? '') ? pid : null;
  }

  /** Startup cleanup: throws when a live peer owns the flag or it cannot be removed. */
  clearAtStartup(): void {
    const peer = this.livePeer();
    if (peer !== null) {
      throw new RedundancyFlagError(
        'REDUNDANCY_FLAG_BUSY',
        `redundancy flag ${this.path} is held by running process ${peer}`,
      );
    }
    const error = this.remove();
    if (error !== null) {
      throw new RedundancyFlagError(
        'REDUNDANCY_FLAG_UNREMOVABLE',
        `cannot remove stale redundancy flag ${this.path}: ${error}`,
      );
    }
  }
}
