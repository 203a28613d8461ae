/**
 * Syslog facility names and level → severity mapping, as Python's SysLogHandler defines them
 * (observability spec §2), so `logging.syslog.facility` means the same number as before.
 * PRI = facility * 8 + severity; daemon + INFO → `<30>`.
 */
import type { LevelName } from './record.js';

export const SYSLOG_FACILITIES: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  security: 13,
  console: 14,
  'solaris-cron': 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

export const SYSLOG_SEVERITY: Readonly<Record<LevelName, number>> = {
  CRITICAL: 2,
  ERROR: 3,
  WARNING: 4,
  INFO: 6,
  DEBUG: 7,
};

/** Facility number for a (case-insensitive) name, or undefined when the name is not standard. */
export function facilityCode(name: string): number | undefined {
  const key = name.trim().toLowerCase();
  return Object.hasOwn(SYSLOG_FACILITIES, key) ? SYSLOG_FACILITIES[key] : undefined;
}

/**
 * Severity of one record. Power events are raised to at least `warning`, the priority the
 * original gave them through its `logger -p daemon.warning` side channel, so syslog filters
 * written for that channel keep matching now that they travel natively.
 */
export function severityOf(level: LevelName, category: string | undefined): number {
  const severity = SYSLOG_SEVERITY[level];
  return category === 'power_event' ? Math.min(severity, SYSLOG_SEVERITY.WARNING) : severity;
}

export function priority(facility: number, severity: number): number {
  return facility * 8 + severity;
}
