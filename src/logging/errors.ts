/**
 * Typed errors of the logging module. They are reported as WARNING lines through the outputs
 * that still work (logging faults never crash the daemon), and carry a stable `code`.
 */

export type LoggingErrorCode =
  | 'LOG_FILE_UNWRITABLE'
  | 'LOG_FILE_WRITE_FAILED'
  | 'LOG_STDOUT_FAILED'
  | 'SYSLOG_BAD_FACILITY'
  | 'SYSLOG_INIT_FAILED'
  | 'SYSLOG_RECOVERED'
  | 'SYSLOG_SEND_FAILED'
  | 'SYSLOG_UNAVAILABLE';

export class LoggingError extends Error {
  override readonly name = 'LoggingError';
  constructor(
    readonly code: LoggingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `EACCES: permission denied, open '/x'` → a short reason for a warning line. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.startsWith(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}
