/**
 * Append-only log file output. Opened synchronously at startup so an unwritable path is known
 * before the first line (then the daemon logs to the console only and says so, as the original
 * did); lines are appended with one synchronous write each so nothing is lost on a crash and
 * lines from one process never interleave. A later write failure (disk full, file system gone)
 * disables the file once with a warning instead of throwing into the caller.
 */
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { LoggingError, describeCause } from './errors.js';

/**
 * Create the missing ancestors of `dir` one level at a time. Node 20's recursive mkdirSync
 * never returns on some pseudo file systems (a path under /proc loops forever), and a
 * logger must not hang the daemon at startup.
 */
function ensureDir(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    if (dirname(d) === d) break;
    missing.unshift(d);
  }
  for (const d of missing) mkdirSync(d);
}

export interface FileOutput {
  write(line: string): void;
  close(): void;
}

/** Open `path` for appending (creating parent directories), or throw `LOG_FILE_UNWRITABLE`. */
export function openFileOutput(path: string, onFailure: (error: LoggingError) => void): FileOutput {
  let fd: number | null;
  try {
    ensureDir(dirname(path));
    fd = openSync(path, 'a');
  } catch (cause) {
    throw new LoggingError(
      'LOG_FILE_UNWRITABLE',
      `Cannot write to ${path} (${describeCause(cause)})`,
      { cause },
    );
  }
  return {
    write(line) {
      if (fd === null) return;
      try {
        writeSync(fd, `${line}\n`);
      } catch (cause) {
        const failed = fd;
        fd = null;
        try {
          closeSync(failed);
        } catch (closeError) {
          // Already failing; the write error below is the one worth reporting.
          void closeError;
        }
        onFailure(
          new LoggingError(
            'LOG_FILE_WRITE_FAILED',
            `Cannot write to ${path} (${describeCause(cause)})`,
            { cause },
          ),
        );
      }
    },
    close() {
      if (fd === null) return;
      const open = fd;
      fd = null;
      try {
        closeSync(open);
      } catch (cause) {
        onFailure(
          new LoggingError(
            'LOG_FILE_WRITE_FAILED',
            `Closing ${path} failed (${describeCause(cause)})`,
            { cause },
          ),
        );
      }
    },
  };
}
