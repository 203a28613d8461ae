/**
 * The event catalogue: type names, display tiers, the API verbosity sets and which types may be
 * muted. Names are a compatibility contract (events table, API, logs), so they live in one place.
 */
import type { EventTier } from './types.js';

export const POWER_EVENT_TYPES = [
  'ON_BATTERY',
  'POWER_RESTORED',
  'EMERGENCY_SHUTDOWN_INITIATED',
  'SHUTDOWN_SEQUENCE_COMPLETE',
  'BROWNOUT_DETECTED',
  'OVER_VOLTAGE_DETECTED',
  'BYPASS_MODE_ACTIVE',
  'OVERLOAD_ACTIVE',
  'CONNECTION_LOST',
  'CONNECTION_RESTORED',
  'BATTERY_HEALTH_WARNING',
  'BATTERY_HEALTH_CRITICAL',
  'BATTERY_REPLACEMENT_PREDICTED',
  // Listed by the original's power set although never emitted; kept so filters match.
  'VOLTAGE_LOW',
  'VOLTAGE_HIGH',
  'OVERLOAD_DETECTED',
  'BATTERY_LOW',
  'FSD_DETECTED',
] as const;

export const LIFECYCLE_EVENT_TYPES = [
  'DAEMON_START',
  'DAEMON_STOP',
  'DAEMON_RESTARTED',
  'DAEMON_UPGRADED',
  'DAEMON_RECOVERED',
] as const;

/** API `verbosity=0`: the power set without the three battery-health types (spec §3.5). */
export const API_POWER_EVENT_TYPES: ReadonlySet<string> = new Set(
  POWER_EVENT_TYPES.filter(
    (type) => !type.startsWith('BATTERY_HEALTH') && type !== 'BATTERY_REPLACEMENT_PREDICTED',
  ),
);

/** API `verbosity=1` excludes these (lifecycle plus the SERVICE_* aliases). */
export const API_LIFECYCLE_EVENT_TYPES: ReadonlySet<string> = new Set([
  ...LIFECYCLE_EVENT_TYPES,
  'SERVICE_STARTED',
  'SERVICE_STOPPED',
  'SERVICE_RESTARTED',
  'SERVICE_UPGRADED',
  'SERVICE_RECOVERED',
]);

const POWER_SET: ReadonlySet<string> = new Set(POWER_EVENT_TYPES);
const LIFECYCLE_SET: ReadonlySet<string> = new Set(LIFECYCLE_EVENT_TYPES);

export function eventTier(type: string): EventTier {
  if (POWER_SET.has(type)) return 'power';
  if (LIFECYCLE_SET.has(type)) return 'lifecycle';
  return 'diagnostics';
}

/** Types that never notify, whatever the configuration says. */
export const ALWAYS_SILENT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'VOLTAGE_NORMALIZED',
  'AVR_INACTIVE',
  'VOLTAGE_FLAP_SUPPRESSED',
  'VOLTAGE_AUTODETECT_MISMATCH',
]);

/** The only types `notifications.suppress` may list. */
export const SUPPRESSIBLE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'POWER_RESTORED',
  'VOLTAGE_NORMALIZED',
  'AVR_BOOST_ACTIVE',
  'AVR_TRIM_ACTIVE',
  'AVR_INACTIVE',
  'BYPASS_MODE_INACTIVE',
  'OVERLOAD_RESOLVED',
  'CONNECTION_RESTORED',
  'VOLTAGE_AUTODETECT_MISMATCH',
  'VOLTAGE_FLAP_SUPPRESSED',
]);

/** Safety-relevant types that may never be muted (plus anything starting with SHUTDOWN). */
export const UNSUPPRESSIBLE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'OVER_VOLTAGE_DETECTED',
  'BROWNOUT_DETECTED',
  'OVERLOAD_ACTIVE',
  'BYPASS_MODE_ACTIVE',
  'ON_BATTERY',
  'CONNECTION_LOST',
]);
