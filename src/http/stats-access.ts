/**
 * What the HTTP layer needs from the statistics store, as a structural interface: adapters never
 * import each other, so the composition root hands in the store's real `StatsReader`s.
 */

export interface StoredEventRow {
  id: number;
  ts: number;
  event_type: string;
  detail: string | null;
}

export interface EventsReadQuery {
  /** Inclusive lower bound (epoch seconds). */
  fromSec?: number;
  /** Inclusive upper bound (epoch seconds). */
  upperTs: number;
  /** Only rows with `ts < ts or (ts == ts and id < id)`. */
  strictlyBefore?: { ts: number; id: number } | null;
  limit: number;
  includeTypes?: ReadonlySet<string> | null;
  excludeTypes?: ReadonlySet<string> | null;
}

/** One row of the power inputs (raw values or the tier's averages). */
export interface PowerInputRow {
  ts: number;
  realPowerW: number | null;
  loadPct: number | null;
  powerNominalW: number | null;
}

export interface StatsReaderLike {
  /** Points of a `samples` column in [fromSec, toSec], ascending, tier chosen by span. */
  history(column: string, fromSec: number, toSec: number): Array<{ ts: number; value: number }>;
  /** The newest `limit` matching events of this database, ts DESC, id DESC. */
  events(query: EventsReadQuery): StoredEventRow[];
  /** Power inputs in [fromSec, toSec], ascending, tier by span (`/power`); optional for older wiring. */
  power?(fromSec: number, toSec: number): { points: PowerInputRow[] };
}

export interface StatsAccess {
  /** The read-only reader of one UPS's database, or null when it does not exist (yet). */
  readerFor(groupId: string): StatsReaderLike | null;
}

/** `?metric=` names and the `samples` column each reads (core §6). */
export { HISTORY_METRICS as HISTORY_METRIC_COLUMNS } from '../domain/history-metrics.js';
