/**
 * Public surface of the metrics adapter: eneru's own Prometheus registry.
 */
export {
  MetricsRegistry,
  METRICS_CONTENT_TYPE,
  type MetricsRegistryOptions,
} from './metrics-registry.js';
export { metricValue } from './values.js';
