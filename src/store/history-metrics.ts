/**
 * The history metric names of the API (`?metric=`) and the `samples` column each reads
 * (core spec §6 "History metric names"), defined in the domain; here: tiers and raw-only columns.
 */
import { HISTORY_METRICS, type HistoryColumn } from '../domain/history-metrics.js';

export { HISTORY_METRICS, type HistoryColumn } from '../domain/history-metrics.js';

/** Columns that exist only in `samples` (not aggregated), so history beyond 24 h is empty. */
export const RAW_ONLY_COLUMNS: ReadonlySet<HistoryColumn> = new Set(['depletion_rate']);

export type HistoryTier = 'samples' | 'agg_5min' | 'agg_hourly';

export const RAW_TIER_MAX_SPAN_SEC = 86_400;
export const FIVE_MIN_TIER_MAX_SPAN_SEC = 30 * 86_400;

/** Table a history read of this span uses: ≤ 24 h raw, ≤ 30 d 5-minute, else hourly. */
export function historyTier(fromSec: number, toSec: number): HistoryTier {
  const span = toSec - fromSec;
  if (span <= RAW_TIER_MAX_SPAN_SEC) return 'samples';
  if (span <= FIVE_MIN_TIER_MAX_SPAN_SEC) return 'agg_5min';
  return 'agg_hourly';
}

export function isHistoryColumn(value: string): value is HistoryColumn {
  return Object.values(HISTORY_METRICS).includes(value as HistoryColumn);
}
