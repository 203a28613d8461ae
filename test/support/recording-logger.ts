/**
 * A `Logger` that records every line with its merged fields, for tests that assert on log
 * output (modules log only through the injected logger). Children share the parent's `lines`,
 * so one recorder sees everything a module and its children logged, in order.
 */
import type { LogFields, Logger } from '../../src/logging/types.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

export class RecordingLogger implements Logger {
  constructor(
    readonly lines: LogLine[] = [],
    private readonly base: LogFields = {},
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
    return new RecordingLogger(this.lines, { ...this.base, ...fields });
  }
  messages(): string[] {
    return this.lines.map((line) => line.message);
  }
  has(pattern: RegExp | string): boolean {
    return this.lines.some((line) =>
      typeof pattern === 'string' ? line.message.includes(pattern) : pattern.test(line.message),
    );
  }
  private push(level: LogLine['level'], message: string, fields?: LogFields): void {
    this.lines.push({ level, message, fields: { ...this.base, ...fields } });
  }
}
