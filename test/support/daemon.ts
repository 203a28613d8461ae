/**
 * Starts the BUILT `eneru` CLI as a user would (node dist/main.js via bin/eneru), collects its
 * stdout/stderr lines (JSON log lines parsed when possible) and stops it by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { waitFor } from './wait.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ENERU_BIN = join(REPO_ROOT, 'bin', 'eneru');

export interface LogRecord {
  message: string;
  level?: string;
  event_type?: string;
  category?: string;
  [key: string]: unknown;
}

export interface DaemonProcess {
  proc: ChildProcess;
  stdout: string[];
  stderr: string[];
  records(): LogRecord[];
  waitForRecord(
    predicate: (record: LogRecord) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<LogRecord>;
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Sends the signal and resolves with the exit code (kills with SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

export function spawnEneru(args: string[], env: NodeJS.ProcessEnv = {}): DaemonProcess {
  const proc = spawn(process.execPath, [ENERU_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  collectLines(proc.stdout, stdout);
  collectLines(proc.stderr, stderr);
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => resolve(code));
  });
  const records = (): LogRecord[] =>
    stdout.flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as LogRecord];
      } catch {
        return [];
      }
    });
  return {
    proc,
    stdout,
    stderr,
    records,
    exited,
    async waitForRecord(predicate, timeoutMs, what) {
      let found: LogRecord | undefined;
      await waitFor(
        () => {
          found = records().find(predicate);
          return found !== undefined;
        },
        timeoutMs,
        () =>
          `${what}; last output:\n${stdout.slice(-15).join('\n')}\n${stderr.slice(-10).join('\n')}`,
      );
      return found as LogRecord;
    },
    async waitForOutput(pattern, timeoutMs) {
      let found: string | undefined;
      await waitFor(
        () => {
          found = [...stdout, ...stderr].find((line) => pattern.test(line));
          return found !== undefined;
        },
        timeoutMs,
        () =>
          `output matching ${pattern}; last output:\n${stdout.slice(-15).join('\n')}\n${stderr.slice(-10).join('\n')}`,
      );
      return found as string;
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function collectLines(stream: NodeJS.ReadableStream | null, into: string[]): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    into.push(...lines.filter((line) => line.length > 0));
  });
}
