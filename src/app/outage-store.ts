/**
 * Keeps the part of an outage that must survive a daemon restart (time on battery anchor,
 * depletion history, whether ON_BATTERY was recorded) in the UPS's own statistics database, so
 * a restart mid-outage neither forgets the outage nor re-fires ON_BATTERY.
 */
import type { PersistedOutage } from '../domain/advance.js';
import type { Logger } from '../logging/types.js';
import type { OutageStore } from '../monitor/ups-monitor.js';
import type { StatsStore } from '../store/index.js';

const META_KEY = 'outage_state';

export function createOutageStore(stats: StatsStore, logger: Logger): OutageStore {
  return {
    load(): PersistedOutage | null {
      const raw = stats.getMeta(META_KEY);
      if (raw === null || raw === '' || raw === 'null') return null;
      try {
        const parsed: unknown = JSON.parse(raw);
        return isPersistedOutage(parsed) ? parsed : null;
      } catch (error) {
        logger.warn(`Ignoring unreadable saved outage state: ${(error as Error).message}`);
        return null;
      }
    },
    save(outage: PersistedOutage | null): void {
      stats.setMeta(META_KEY, JSON.stringify(outage));
    },
  };
}

function isPersistedOutage(value: unknown): value is PersistedOutage {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.onBatterySinceWallMs === 'number' &&
    Array.isArray(candidate.depletionHistory) &&
    typeof candidate.onBatteryEventRecorded === 'boolean' &&
    typeof candidate.shutdownAdmitted === 'boolean'
  );
}
