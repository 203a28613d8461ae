/**
 * A `Logger` that records every line with its merged fields, so tests can assert on log output
 * (MQTT and remote-health modules log through the injected logger only).
 */
import type { LogFields, Logger } from '../../src/logging/types.js';

export interface CapturedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

export class CaptureLogger implements Logger {
  constructor(
    readonly lines: CapturedLine[] = [],
    private readonly bound: LogFields = {},
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.push('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.push('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.push('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.push('error', message, fields);
  }
  child(fields: LogFields): Logger {
    return new CaptureLogger(this.lines, { ...this.bound, ...fields });
  }

  messages(): string[] {
    return this.lines.map((line) => line.message);
  }

  private push(level: CapturedLine['level'], message: string, fields?: LogFields): void {
    this.lines.push({ level, message, fields: { ...this.bound, ...fields } });
  }
}
