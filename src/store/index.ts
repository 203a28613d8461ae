/**
 * Public surface of the statistics store: the per-UPS writer (`StatsStore`), the read-only
 * side for the API and CLI (`StatsReader`, `deleteEvents`) and the pure sample builder.
 */
export { StatsStore, type StatsStoreOptions, type StatsStoreHealth } from './stats-store.js';
export { ConnectionPool, MAX_FILES_PER_CONNECTION } from './connection-pool.js';
export {
  StatsReader,
  deleteEvents,
  type StoredEvent,
  type EventsQuery,
  type HistoryPoint,
  type PowerPoint,
} from './stats-reader.js';
export {
  sampleFromVars,
  parseReading,
  SAMPLE_COLUMNS,
  type SampleRow,
  type SampleDerived,
} from './sample.js';
export {
  HISTORY_METRICS,
  RAW_ONLY_COLUMNS,
  historyTier,
  isHistoryColumn,
  type HistoryColumn,
  type HistoryTier,
} from './history-metrics.js';
export type { Retention } from './rollup.js';
export type { EventInput, EventKey } from './connection.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { SCHEMA_VERSION } from './schema.js';
export {
  adoptDefaultDatabase,
  DEFAULT_DB_FILE,
  type AdoptDefaultOutcome,
} from './adopt-default.js';
