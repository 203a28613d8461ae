/**
 * Public surface of the HTTP adapter: the app factory (no listen), the listening server, and the
 * structural interfaces the composition root satisfies (stats readers, metrics renderer).
 */
export { buildHttpApp, HTTP_LIMITS } from './app.js';
export { HttpServer, isLoopbackBind, type HttpServerOptions } from './server.js';
export type { HttpDeps, MetricsSource } from './deps.js';
export type {
  StatsAccess,
  StatsReaderLike,
  EventsReadQuery,
  StoredEventRow,
} from './stats-access.js';
export { HISTORY_METRIC_COLUMNS } from './stats-access.js';
export { HttpError, type ErrorCode } from './errors.js';
