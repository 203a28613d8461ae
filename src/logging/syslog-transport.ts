/**
 * Shared pieces of the syslog transports: the transport contract and a failure reporter that
 * turns a stream of send errors into one warning per outage (and one when it recovers), so a
 * dead syslog server cannot flood the console with a warning per log line.
 */
import { constants } from 'node:os';
import { LoggingError, describeCause, type LoggingErrorCode } from './errors.js';

export interface SyslogTransport {
  /** Queue or send one framed-by-the-transport message; never throws, never blocks. */
  send(message: Buffer): void;
  /** Flush what can be flushed quickly, release sockets and timers. Never throws. */
  close(): Promise<void>;
}

/** How transports tell the factory about trouble (WARNING) or its end (`'info'`). */
export type Report = (problem: LoggingError, level?: 'info' | 'warning') => void;

export interface FailureTracker {
  fail(code: LoggingErrorCode, what: string, cause: unknown): void;
  ok(): void;
}

export function failureTracker(target: string, report: Report): FailureTracker {
  let failing = false;
  let failures = 0;
  return {
    fail(code, what, cause) {
      failures += 1;
      if (failing) return;
      failing = true;
      report(
        new LoggingError(code, `Syslog ${target}: ${what} (${describeCause(cause)})`, { cause }),
      );
    },
    ok() {
      if (!failing) return;
      report(
        new LoggingError(
          'SYSLOG_RECOVERED',
          `Syslog ${target}: delivery resumed after ${failures} failure(s)`,
        ),
        'info',
      );
      failing = false;
      failures = 0;
    },
  };
}

/** unix-dgram reports errors as negative errno numbers; name them (`-111` → `ECONNREFUSED`). */
export function errnoName(code: unknown): string | undefined {
  if (typeof code === 'string') return code;
  if (typeof code !== 'number') return undefined;
  const wanted = Math.abs(code);
  return Object.entries(constants.errno).find(([, value]) => value === wanted)?.[0];
}
