/**
 * Time-zone abbreviations from the system's zone files (TZif, RFC 8536), as the C library finds
 * them for `strftime("%Z")`, which is what the original's Python text logs print (`CEST`, `IST`,
 * `+04`). Pure: the caller reads the file (see time-format.ts).
 *
 * Why not Intl: its short names are locale data, not the zone's own (`GMT+5:30` where the zone
 * says `IST`), and merely asking Intl for a zone name pages in ~8 MB of ICU data that stays
 * resident for the life of the daemon.
 */

interface TimeType {
  /** Seconds east of UTC. */
  utoff: number;
  abbreviation: string;
}

export interface ZoneRules {
  /** Transition instants, seconds since the epoch, ascending. */
  transitions: number[];
  /** The time type that starts at each transition (index into `types`). */
  transitionTypes: number[];
  types: TimeType[];
  /** The POSIX TZ string for instants after the last transition ('' when absent). */
  footer: string;
}

export class TzifError extends Error {}

const HEADER_BYTES = 44;

interface Counts {
  isut: number;
  isstd: number;
  leap: number;
  time: number;
  type: number;
  char: number;
}

function readCounts(buf: Buffer, at: number): Counts {
  if (buf.length < at + HEADER_BYTES || buf.toString('latin1', at, at + 4) !== 'TZif') {
    throw new TzifError('not a TZif zone file');
  }
  const count = (i: number): number => buf.readUInt32BE(at + 20 + i * 4);
  return {
    isut: count(0),
    isstd: count(1),
    leap: count(2),
    time: count(3),
    type: count(4),
    char: count(5),
  };
}

function blockBytes(c: Counts, timeBytes: number): number {
  return (
    c.time * timeBytes + c.time + c.type * 6 + c.char + c.leap * (timeBytes + 4) + c.isstd + c.isut
  );
}

/** Parses a zone file: its version-2+ block (64-bit times) when present, else version 1. */
export function parseTzif(buf: Buffer): ZoneRules {
  const first = readCounts(buf, 0);
  const version = buf[4] ?? 0;
  let counts = first;
  let at = HEADER_BYTES;
  let timeBytes = 4;
  if (version >= 0x32) {
    const second = HEADER_BYTES + blockBytes(first, 4);
    counts = readCounts(buf, second);
    at = second + HEADER_BYTES;
    timeBytes = 8;
  }
  const end = at + blockBytes(counts, timeBytes);
  if (buf.length < end || counts.type === 0) throw new TzifError('truncated TZif zone file');

  const transitions: number[] = [];
  for (let i = 0; i < counts.time; i += 1) {
    const offset = at + i * timeBytes;
    transitions.push(
      timeBytes === 8 ? Number(buf.readBigInt64BE(offset)) : buf.readInt32BE(offset),
    );
  }
  at += counts.time * timeBytes;
  const transitionTypes = [...buf.subarray(at, at + counts.time)];
  at += counts.time;
  const charsAt = at + counts.type * 6;
  const types: TimeType[] = [];
  for (let i = 0; i < counts.type; i += 1) {
    const index = buf[at + i * 6 + 5] ?? 0;
    const start = charsAt + index;
    const nul = buf.indexOf(0, start);
    const stop = nul === -1 || nul > charsAt + counts.char ? charsAt + counts.char : nul;
    types.push({
      utoff: buf.readInt32BE(at + i * 6),
      abbreviation: buf.toString('latin1', start, stop),
    });
  }
  if (transitionTypes.some((type) => type >= types.length)) {
    throw new TzifError('TZif transition names a missing time type');
  }
  let footer = '';
  if (timeBytes === 8 && buf[end] === 0x0a) {
    const close = buf.indexOf(0x0a, end + 1);
    if (close !== -1) footer = buf.toString('latin1', end + 1, close);
  }
  return { transitions, transitionTypes, types, footer };
}

/** The names and offsets of a POSIX TZ string; offsets in seconds east of UTC. */
export interface PosixZone {
  standard: string;
  standardUtoff: number;
  daylight: string | null;
  daylightUtoff: number;
}

const POSIX_NAME = /^(?:<([^>]+)>|([A-Za-z]{3,}))/;
const POSIX_OFFSET = /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/;

/** POSIX writes offsets west of UTC (`CET-1` is UTC+1); this returns seconds east. */
function eastSeconds(offset: RegExpExecArray): number {
  const west = Number(offset[2]) * 3600 + Number(offset[3] ?? 0) * 60 + Number(offset[4] ?? 0);
  return offset[1] === '-' ? west : -west;
}

/** Reads the names of a POSIX TZ string (`CET-1CEST,M3.5.0,M10.5.0/3`); null when malformed. */
export function parsePosixZone(text: string): PosixZone | null {
  const std = POSIX_NAME.exec(text);
  if (!std) return null;
  let rest = text.slice(std[0].length);
  const stdOffset = POSIX_OFFSET.exec(rest);
  if (!stdOffset) return null;
  const standardUtoff = eastSeconds(stdOffset);
  rest = rest.slice(stdOffset[0].length);
  const dst = POSIX_NAME.exec(rest);
  const dstOffset = dst ? POSIX_OFFSET.exec(rest.slice(dst[0].length)) : null;
  return {
    standard: std[1] ?? std[2] ?? '',
    standardUtoff,
    daylight: dst ? (dst[1] ?? dst[2] ?? null) : null,
    // Without an explicit offset, daylight time is one hour ahead of standard time.
    daylightUtoff: dstOffset ? eastSeconds(dstOffset) : standardUtoff + 3600,
  };
}

/**
 * The abbreviation in force at `timeSec`. After the last transition the footer's rule applies;
 * which of its two names is in force is told by `localUtoffSec`, the offset the runtime's own
 * clock uses at that instant (rather than re-evaluating the footer's DST dates here). '' when
 * the zone's offset at that instant is not the runtime's (their zone data disagree): a time
 * printed in one offset must not carry the name of another.
 */
export function abbreviationAt(rules: ZoneRules, timeSec: number, localUtoffSec: number): string {
  const { transitions, transitionTypes, types } = rules;
  let low = 0;
  let high = transitions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((transitions[mid] ?? 0) <= timeSec) low = mid + 1;
    else high = mid;
  }
  if (low === transitions.length && rules.footer !== '') {
    const posix = parsePosixZone(rules.footer);
    if (posix) return posixAbbreviation(posix, localUtoffSec);
  }
  const type = low === 0 ? types[0] : types[transitionTypes[low - 1] ?? 0];
  return type !== undefined && type.utoff === localUtoffSec ? type.abbreviation : '';
}

/**
 * The name of a POSIX zone at an instant whose local offset is `localUtoffSec`; '' when the
 * offset is neither of the zone's (the runtime did not apply the rule: a timestamp printed in
 * its offset must not carry this zone's name).
 */
export function posixAbbreviation(zone: PosixZone, localUtoffSec: number): string {
  if (localUtoffSec === zone.standardUtoff) return zone.standard;
  if (zone.daylight !== null && localUtoffSec === zone.daylightUtoff) return zone.daylight;
  return '';
}
