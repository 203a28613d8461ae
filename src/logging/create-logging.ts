/**
 * The logging factory: one pino instance produces canonical records; a small in-process
 * destination turns each into the configured format and fans it out to stdout (always), the
 * log file (optional) and syslog (optional). Faults in an output (unwritable file, missing
 * syslog socket, closed stdout) become one WARNING through the outputs that still work and
 * never throw into the caller. The pino instance is exported so Fastify can log through the
 * same pipeline (`Fastify({ loggerInstance: logging.pino })`).
 */
import { pino, type Logger as PinoLogger } from 'pino';
import type { LogFields, Logger } from './types.js';
import { toRecord, type LogRecord } from './record.js';
import { renderLine, type LogFormat } from './render.js';
import { createTextClock } from './time-format.js';
import { openFileOutput, type FileOutput } from './file-output.js';
import { LoggingError } from './errors.js';
import { redactSecrets } from './redact.js';
import { createSyslogOutput, type SyslogOptions, type SyslogOutput } from './syslog.js';

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export interface LoggingOptions {
  format: LogFormat;
  /** Lowest level written; default `info` (the original's fixed level). */
  level?: LogLevel;
  /** Append to this file; null = console only. An unwritable path → console only + WARNING. */
  file: string | null;
  /** Where console lines go; default process.stdout. */
  stdout?: NodeJS.WritableStream;
  syslog?: SyslogOptions | null;
  /** The `logger` field of JSON lines; default `ups-monitor`. */
  loggerName?: string;
}

export interface Logging {
  logger: Logger;
  pino: PinoLogger;
  /** Flush and close the file and syslog sockets. Idempotent; never throws. */
  close(): Promise<void>;
}

const PINO_LEVEL: Record<LogLevel, 'debug' | 'info' | 'warn' | 'error'> = {
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  error: 'error',
};
const LEVEL_RANK: Record<LogLevel, number> = { debug: 20, info: 30, warning: 40, error: 50 };

/** Keys pino itself writes; a caller field with one of these names would corrupt the line. */
const PINO_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function cleanFields(fields: LogFields | undefined): Record<string, unknown> | undefined {
  if (fields === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || PINO_KEYS.has(key)) continue;
    out[key] = value instanceof Error ? value.message : value;
  }
  return out;
}

/** The `Logger` contract on top of a pino logger (children are pino children: bound once). */
export function adaptPino(p: PinoLogger): Logger {
  const call = (
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    fields?: LogFields,
  ): void => {
    const clean = cleanFields(fields);
    if (clean === undefined) p[level](message);
    else p[level](clean, message);
  };
  return {
    debug: (message, fields) => call('debug', message, fields),
    info: (message, fields) => call('info', message, fields),
    warn: (message, fields) => call('warn', message, fields),
    error: (message, fields) => call('error', message, fields),
    child: (fields) => adaptPino(p.child(cleanFields(fields) ?? {})),
  };
}

export function createLogging(opts: LoggingOptions): Logging {
  const loggerName = opts.loggerName ?? 'ups-monitor';
  const level = opts.level ?? 'info';
  const stdout = opts.stdout ?? process.stdout;
  const clock = createTextClock();
  let file: FileOutput | null = null;
  let syslog: SyslogOutput | null = null;
  let closed = false;

  // A closed stdout (EPIPE when the reader went away) arrives as an 'error' event; unhandled it
  // would kill the daemon. After the first failure the console is skipped, the file goes on.
  let stdoutBroken = false;
  const stdoutFailed = (error: unknown): void => {
    if (stdoutBroken) return;
    stdoutBroken = true;
    const reason = error instanceof Error ? error.message : String(error);
    warnInternal(
      new LoggingError('LOG_STDOUT_FAILED', `stdout unusable (${reason}), console logging stopped`),
      false,
    );
  };
  const writeConsole = (line: string): void => {
    if (stdoutBroken) return;
    try {
      stdout.write(`${line}\n`);
    } catch (error) {
      stdoutFailed(error);
    }
  };
  stdout.on('error', stdoutFailed);

  const emit = (record: LogRecord, skipSyslog = false): void => {
    const line = renderLine(opts.format, record, clock);
    writeConsole(line);
    file?.write(line);
    if (!skipSyslog) syslog?.send(record, line);
  };

  /** A note about the logging machinery itself, kept away from the output that failed. */
  const warnInternal = (
    error: LoggingError,
    skipSyslog: boolean,
    as: 'info' | 'warning' = 'warning',
  ): void => {
    if (LEVEL_RANK[level] > LEVEL_RANK[as]) return;
    const record: LogRecord = {
      timeMs: Date.now(),
      level: as === 'info' ? 'INFO' : 'WARNING',
      logger: loggerName,
      message: redactSecrets(error.message),
      fields: {},
      extra: { code: error.code },
    };
    emit(record, skipSyslog);
  };

  const destination = {
    write(chunk: string): void {
      let parsed: unknown;
      try {
        parsed = JSON.parse(chunk);
      } catch (error) {
        // pino only emits valid JSON; keep the text rather than lose a line if that ever breaks.
        parsed = {
          level: 40,
          time: Date.now(),
          msg: `unparseable log line (${String(error)}): ${chunk.trim()}`,
        };
      }
      if (typeof parsed !== 'object' || parsed === null) return;
      emit(toRecord(parsed as Record<string, unknown>, loggerName));
    },
  };
  const p = pino({ level: PINO_LEVEL[level], base: null, messageKey: 'msg' }, destination);

  if (opts.file !== null) {
    try {
      file = openFileOutput(opts.file, (error) => {
        file = null;
        warnInternal(
          new LoggingError(error.code, `${error.message}, logging to console only`, {
            cause: error,
          }),
          false,
        );
      });
    } catch (error) {
      const cause =
        error instanceof LoggingError
          ? error
          : new LoggingError('LOG_FILE_UNWRITABLE', String(error));
      warnInternal(
        new LoggingError(cause.code, `${cause.message}, logging to console only`, { cause }),
        false,
      );
    }
  }

  if (opts.syslog) {
    syslog = createSyslogOutput(opts.syslog, (error, as) => warnInternal(error, true, as));
  }

  return {
    logger: adaptPino(p),
    pino: p,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const open = file;
      file = null;
      open?.close();
      const socket = syslog;
      syslog = null;
      if (socket) await socket.close();
      // Write errors surface a tick after the write; keep listening until those have landed.
      await new Promise<void>((resolve) => setImmediate(resolve));
      stdout.off('error', stdoutFailed);
    },
  };
}
