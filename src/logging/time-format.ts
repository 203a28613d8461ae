/**
 * Local-time stamps exactly as the original's Python formatters print them: JSON uses
 * `%Y-%m-%dT%H:%M:%S%z` (`2026-07-13T10:00:00+0200`), text uses `%Y-%m-%d %H:%M:%S %Z`
 * (`2026-07-13 10:00:00 CEST`). The zone abbreviation comes from Intl, so it follows the TZ
 * environment and daylight-saving time of the instant being formatted.
 */

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

/**
 * Build the text clock once per logging instance (Intl formatters are costly to create).
 * `en-US` names American zones (`EST`) and UTC; `en-GB` names European ones (`CET`, `BST`).
 * When neither has an abbreviation the `GMT+5:30` style name is used, which is unambiguous.
 */
export function createTextClock(timeZone?: string): TextClock {
  const tz = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const names = ['en-US', 'en-GB'].map(
    (locale) => new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: 'short' }),
  );
  // Zone names change only at DST transitions, which fall on quarter hours: cache per slot.
  const SLOT_MS = 15 * 60 * 1000;
  let cachedSlot = Number.NaN;
  let cachedName = '';
  const lookup = (timeMs: number): string => {
    let fallback = 'UTC';
    for (const [index, fmt] of names.entries()) {
      const part = fmt.formatToParts(timeMs).find((p) => p.type === 'timeZoneName')?.value;
      if (!part) continue;
      if (index === 0) fallback = part;
      if (!/^(GMT|UTC)[+-]/.test(part)) return part;
    }
    return fallback;
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
