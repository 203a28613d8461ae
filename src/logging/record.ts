/**
 * The canonical log record: what every renderer (text, JSON, syslog) formats. Built from one
 * pino line, with secrets redacted and the original daemon's fallback heuristics applied, so
 * the outputs agree on group, category and event type. Pure: no I/O.
 */
import { redactSecrets } from './redact.js';

export type LevelName = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** The structured fields of the JSON format, in the order the spec lists them. */
export const KNOWN_FIELDS = ['category', 'event_type', 'group', 'ups', 'server'] as const;
export type KnownField = (typeof KNOWN_FIELDS)[number];

export type ExtraValue = string | number | boolean;

export interface LogRecord {
  readonly timeMs: number;
  readonly level: LevelName;
  readonly logger: string;
  /** Redacted message, without a `[group] ` prefix when the group came from (or equals) it. */
  readonly message: string;
  readonly fields: Readonly<Partial<Record<KnownField, string>>>;
  /** Other scalar fields a caller attached (JSON output only), redacted when strings. */
  readonly extra: Readonly<Record<string, ExtraValue>>;
}

/** Keys pino or the JSON format own; caller fields with these names never become extras. */
const RESERVED = new Set([
  'level',
  'time',
  'msg',
  'pid',
  'hostname',
  'timestamp',
  'logger',
  'message',
  'v',
]);

/** pino's numeric levels → Python's level names (trace folds into DEBUG, fatal into CRITICAL). */
export function levelName(pinoLevel: number): LevelName {
  if (pinoLevel <= 20) return 'DEBUG';
  if (pinoLevel <= 30) return 'INFO';
  if (pinoLevel <= 40) return 'WARNING';
  if (pinoLevel <= 50) return 'ERROR';
  return 'CRITICAL';
}

function scalar(value: unknown): ExtraValue | undefined {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  // pino's err serializer (and our adapter) leave errors as objects carrying a message.
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  ) {
    return redactSecrets((value as { message: string }).message);
  }
  return undefined;
}

/**
 * Turn one parsed pino line into a record. Explicit non-empty fields win; otherwise a leading
 * `[X] ` gives `group: X` (and leaves the message), `POWER EVENT: T` gives category
 * `power_event` and `event_type: T`, `Remote health` gives `health`, and an uppercase
 * `SHUTDOWN` gives `shutdown` (lowercase never: it would tag config keys like
 * `shutdown_safety_margin`).
 */
export function toRecord(line: Record<string, unknown>, loggerName: string): LogRecord {
  const rawMessage =
    typeof line.msg === 'string' ? line.msg : line.msg === undefined ? '' : String(line.msg);
  let message = redactSecrets(rawMessage);
  const fields: Partial<Record<KnownField, string>> = {};
  for (const key of KNOWN_FIELDS) {
    const value = line[key];
    if (value === undefined || value === null || value === '') continue;
    fields[key] = redactSecrets(typeof value === 'string' ? value : String(value));
  }

  const prefix = /^\[([^\]]*)\] /.exec(message);
  if (prefix && prefix[1] !== undefined) {
    const group = prefix[1];
    if (fields.group === undefined && group !== '') {
      fields.group = group;
      message = message.slice(prefix[0].length);
    } else if (fields.group === group) {
      // Same group given twice (child field and message prefix): show it once.
      message = message.slice(prefix[0].length);
    }
  }

  if (fields.category === undefined) {
    const power = message.indexOf('POWER EVENT:');
    if (power >= 0) {
      fields.category = 'power_event';
      if (fields.event_type === undefined) {
        const token = message
          .slice(power + 'POWER EVENT:'.length)
          .trim()
          .split(' ', 1)[0];
        if (token) fields.event_type = token;
      }
    } else if (message.includes('Remote health')) {
      fields.category = 'health';
    } else if (message.includes('SHUTDOWN')) {
      fields.category = 'shutdown';
    }
  }

  const extra: Record<string, ExtraValue> = {};
  for (const [key, value] of Object.entries(line)) {
    if (RESERVED.has(key) || (KNOWN_FIELDS as readonly string[]).includes(key)) continue;
    const v = scalar(value);
    if (v !== undefined) extra[key] = v;
  }

  const level = typeof line.level === 'number' ? levelName(line.level) : 'INFO';
  const timeMs = typeof line.time === 'number' ? line.time : Date.now();
  return { timeMs, level, logger: loggerName, message, fields, extra };
}
