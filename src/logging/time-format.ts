/**
 * Local-time stamps exactly as the original's Python formatters print them: JSON uses
 * `%Y-%m-%dT%H:%M:%S%z` (`2026-07-13T10:00:00+0200`), text uses `%Y-%m-%d %H:%M:%S %Z`
 * (`2026-07-13 10:00:00 CEST`). The zone abbreviation comes from the system's zone file, as the C
 * library's `%Z` does (tzif.ts), so it follows the TZ environment and daylight-saving time of
 * the instant being formatted.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import {
  abbreviationAt,
  parsePosixZone,
  parseTzif,
  posixAbbreviation,
  type PosixZone,
  type ZoneRules,
} from './tzif.js';

const pad2 = (n: number): string => String(n).padStart(2, '0');

function localDateTime(d: Date, sep: string): string {
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}` +
    `${sep}${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`
  );
}

/** `+HHMM` / `-HHMM` offset of local time from UTC at that instant (strftime `%z`). */
export function utcOffset(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
}

/** JSON timestamp: local `%Y-%m-%dT%H:%M:%S%z`. */
export function isoLocalTimestamp(timeMs: number): string {
  const d = new Date(timeMs);
  return `${localDateTime(d, 'T')}${utcOffset(d)}`;
}

export interface TextClock {
  /** Text timestamp: local `YYYY-MM-DD HH:MM:SS <TZ>`. */
  textTimestamp(timeMs: number): string;
  /** The zone abbreviation (`UTC`, `CET`, `EST`) at that instant. */
  zoneName(timeMs: number): string;
}

const ZONEINFO_DIR = '/usr/share/zoneinfo';

/**
 * The zone file the C library would read for `TZ` (unset: /etc/localtime; a leading `:` is
 * dropped; absolute paths as given, names under /usr/share/zoneinfo), or a POSIX TZ string
 * (`EST5EDT`, `<+0530>-5:30`) when no such file exists. null when nothing applies.
 */
function loadZone(tz: string | undefined): ZoneRules | PosixZone | null {
  const name = tz?.startsWith(':') ? tz.slice(1) : tz;
  const path =
    name === undefined ? '/etc/localtime' : isAbsolute(name) ? name : join(ZONEINFO_DIR, name);
  const insideZoneinfo = name === undefined || isAbsolute(name) || !name.split('/').includes('..');
  if (name !== '' && insideZoneinfo) {
    try {
      return parseTzif(readFileSync(path));
    } catch {
      // Not a readable zone file: TZ may be a POSIX rule, handled below.
    }
  }
  return name ? parsePosixZone(name) : null;
}

/**
 * Builds the text clock once per logging instance (the zone file is read once). `timeZone` is
 * the `TZ` value to follow (default: the process's). The local offset of each instant comes from
 * the runtime's clock, the abbreviation from the zone file; when neither a zone file nor a POSIX
 * rule applies (no tzdata installed, an unknown name), the name is `UTC` at offset zero and the
 * numeric offset (`+0530`) otherwise, which is unambiguous.
 */
export function createTextClock(timeZone: string | undefined = process.env.TZ): TextClock {
  const zone = loadZone(timeZone);
  // Zone names change only at DST transitions, which fall on quarter hours: cache per slot.
  const SLOT_MS = 15 * 60 * 1000;
  let cachedSlot = Number.NaN;
  let cachedName = '';
  const lookup = (timeMs: number): string => {
    const d = new Date(timeMs);
    const utoffSec = -d.getTimezoneOffset() * 60;
    let name = '';
    if (zone !== null && 'types' in zone) {
      name = abbreviationAt(zone, Math.floor(timeMs / 1000), utoffSec);
    } else if (zone !== null) {
      name = posixAbbreviation(zone, utoffSec);
    }
    if (name !== '') return name;
    return utoffSec === 0 ? 'UTC' : utcOffset(d);
  };
  const zoneName = (timeMs: number): string => {
    const slot = Math.floor(timeMs / SLOT_MS);
    if (slot !== cachedSlot) {
      cachedName = lookup(timeMs);
      cachedSlot = slot;
    }
    return cachedName;
  };
  return {
    zoneName,
    textTimestamp: (timeMs) => `${localDateTime(new Date(timeMs), ' ')} ${zoneName(timeMs)}`,
  };
}
