/**
 * Hot-reload classification (observability spec §2, core §8.3): which changed sections a
 * running daemon can apply live and which need a restart. Comparison is structural on the
 * normalised configs, so a reordered-but-equal YAML file reports no change.
 */
import type { Config, UpsGroupConfig } from './types.js';

export interface ReloadPlan {
  /** Changed sections that apply live: prometheus, nut_control, mqtt, remote_health, notifications, statistics.retention. */
  live: string[];
  /** Changed sections that only take effect after a restart (api, logging, db_directory, topology, ...). */
  restartRequired: string[];
}

const LIVE_SECTIONS = [
  'prometheus',
  'nut_control',
  'mqtt',
  'remote_health',
  'notifications',
] as const;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** UPS groups without the parts that reload live (per-UPS nut_control). */
function topology(groups: readonly UpsGroupConfig[]): unknown {
  return groups.map(({ nut_control: _live, ...rest }) => rest);
}

export function reloadPlan(previous: Config, next: Config): ReloadPlan {
  const live: string[] = [];
  const restartRequired: string[] = [];
  for (const key of LIVE_SECTIONS) if (!same(previous[key], next[key])) live.push(key);
  if (
    !same(
      previous.ups.map((g) => g.nut_control),
      next.ups.map((g) => g.nut_control),
    )
  ) {
    if (!live.includes('nut_control')) live.push('nut_control');
  }
  if (!same(previous.statistics.retention, next.statistics.retention))
    live.push('statistics.retention');
  if (previous.statistics.db_directory !== next.statistics.db_directory)
    restartRequired.push('statistics.db_directory');
  if (!same(topology(previous.ups), topology(next.ups))) restartRequired.push('ups');
  const handled = new Set<string>([...LIVE_SECTIONS, 'statistics', 'ups']);
  for (const key of Object.keys(next) as (keyof Config)[]) {
    if (!handled.has(key) && !same(previous[key], next[key])) restartRequired.push(key);
  }
  return { live, restartRequired };
}
