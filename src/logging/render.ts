/**
 * Renderers: one canonical record in, one line out (no newline). Text and JSON show the same
 * group — text as the `[<group>] ` message prefix, JSON as the `group` field — so switching
 * `logging.format` never changes what a line says, only its shape.
 */
import type { LogRecord } from './record.js';
import { isoLocalTimestamp, type TextClock } from './time-format.js';

export type LogFormat = 'text' | 'json';

/** The message as text shows it: `[<group>] <message>` when the record has a group. */
export function displayMessage(record: LogRecord): string {
  const group = record.fields.group;
  return group === undefined ? record.message : `[${group}] ${record.message}`;
}

/** `YYYY-MM-DD HH:MM:SS <TZ> - <message>`. */
export function renderText(record: LogRecord, clock: TextClock): string {
  return `${clock.textTimestamp(record.timeMs)} - ${displayMessage(record)}`;
}

/**
 * One JSON object with sorted keys: timestamp, level, logger, message, the non-empty known
 * fields and any scalar extras. Non-ASCII is kept as is (JSON.stringify never escapes it).
 */
export function renderJson(record: LogRecord): string {
  const payload: Record<string, string | number | boolean> = { ...record.extra, ...record.fields };
  payload.timestamp = isoLocalTimestamp(record.timeMs);
  payload.level = record.level;
  payload.logger = record.logger;
  payload.message = record.message;
  const sorted: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(payload).sort()) {
    const value = payload[key];
    if (value !== undefined) sorted[key] = value;
  }
  return JSON.stringify(sorted);
}

export function renderLine(format: LogFormat, record: LogRecord, clock: TextClock): string {
  return format === 'json' ? renderJson(record) : renderText(record, clock);
}
