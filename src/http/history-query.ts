/**
 * `GET /api/v1/ups/{name}/history` parameter rules (observability §3.5): metric map, integer
 * bounds, `from <= to`, and the horizon clamp `to - agg_hourly_days × 86400` that also stands
 * in for an absent `from` ("All"). Check order is the original's: metric, ints, from/to.
 */
import { badRequest } from './errors.js';
import { checkFromTo, optionalInt } from './query.js';
import { HISTORY_METRIC_COLUMNS } from './stats-access.js';

export interface HistoryParams {
  metric: string;
  column: string;
  fromSec: number;
  toSec: number;
}

const METRIC_LIST = Object.keys(HISTORY_METRIC_COLUMNS).sort().join(', ');

/** `from`/`to` with the horizon clamp (shared by history and `/power`). */
export function parseRange(
  query: Readonly<Record<string, string | undefined>>,
  aggHourlyDays: number,
  nowSec: number,
): { fromSec: number; toSec: number } {
  const from = optionalInt(query, 'from');
  const to = optionalInt(query, 'to');
  checkFromTo(from, to);
  const toSec = to ?? nowSec;
  const horizon = toSec - aggHourlyDays * 86_400;
  return { fromSec: from === undefined ? horizon : Math.max(from, horizon), toSec };
}

export function parseHistoryParams(
  query: Readonly<Record<string, string | undefined>>,
  aggHourlyDays: number,
  nowSec: number,
): HistoryParams {
  const metric = query.metric ?? 'charge';
  const column = Object.hasOwn(HISTORY_METRIC_COLUMNS, metric)
    ? HISTORY_METRIC_COLUMNS[metric]
    : undefined;
  if (column === undefined) throw badRequest(`metric must be one of: ${METRIC_LIST}`);
  return { metric, column, ...parseRange(query, aggHourlyDays, nowSec) };
}
