/**
 * Syslog message builders (pure). RFC 3164: `<PRI>Mmm dd hh:mm:ss [host ]eneru[pid]: <line>`
 * (the hostname is left out on the local socket, as glibc's syslog(3) does, because journald
 * and rsyslog's imuxsock would read it as the tag). RFC 5424:
 * `<PRI>1 <ISO time> <host> eneru <pid> <msgid> [eneru@32473 category=".." ...] <line>`.
 * `<line>` is the formatted text or JSON line, as in the original.
 */
import type { LogRecord } from './record.js';
import { utcOffset } from './time-format.js';

/** Private enterprise number used by the original project's structured-data id. */
export const SD_ID = 'eneru@32473';
export const APP_NAME = 'eneru';

export interface SyslogIdentity {
  hostname: string;
  pid: number;
  appName?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** RFC 3164 TIMESTAMP: local `Mmm dd hh:mm:ss` with a space-padded day. */
export function rfc3164Timestamp(timeMs: number): string {
  const d = new Date(timeMs);
  const day = String(d.getDate()).padStart(2, ' ');
  return `${MONTHS[d.getMonth()]} ${day} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** RFC 5424 TIMESTAMP: local time with milliseconds and a `+hh:mm` offset. */
export function rfc5424Timestamp(timeMs: number): string {
  const d = new Date(timeMs);
  const offset = utcOffset(d);
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.` +
    `${String(d.getMilliseconds()).padStart(3, '0')}${offset.slice(0, 3)}:${offset.slice(3)}`
  );
}

/** RFC 5424 header fields are printable US-ASCII without spaces; anything else becomes `-`. */
function headerToken(value: string | undefined, maxLength: number): string {
  if (!value || value.length > maxLength || !/^[\x21-\x7e]+$/.test(value)) return '-';
  return value;
}

/** PARAM-VALUE escaping of RFC 5424 §6.3.3: `"`, `\` and `]` get a backslash. */
export function escapeParamValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

const SD_PARAMS = ['category', 'event_type', 'ups', 'group', 'server'] as const;

export function structuredData(record: LogRecord): string {
  const params = SD_PARAMS.filter((key) => record.fields[key] !== undefined).map(
    (key) => `${key}="${escapeParamValue(record.fields[key] ?? '')}"`,
  );
  return params.length === 0 ? '-' : `[${SD_ID} ${params.join(' ')}]`;
}

export function formatRfc3164(
  pri: number,
  record: LogRecord,
  line: string,
  id: SyslogIdentity,
  withHostname: boolean,
): string {
  const host = withHostname ? `${headerToken(id.hostname, 255)} ` : '';
  return `<${pri}>${rfc3164Timestamp(record.timeMs)} ${host}${id.appName ?? APP_NAME}[${id.pid}]: ${line}`;
}

export function formatRfc5424(
  pri: number,
  record: LogRecord,
  line: string,
  id: SyslogIdentity,
): string {
  const msgId = headerToken(record.fields.event_type ?? record.fields.category, 32);
  return (
    `<${pri}>1 ${rfc5424Timestamp(record.timeMs)} ${headerToken(id.hostname, 255)} ` +
    `${headerToken(id.appName ?? APP_NAME, 48)} ${id.pid} ${msgId} ${structuredData(record)} ${line}`
  );
}
