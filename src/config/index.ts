/**
 * Public surface of the config module: load/validate, the normalised types and the helpers
 * other modules share (sanitised names, upsd endpoints, effective auth, overview printer).
 */
export {
  ConfigLoadError,
  DEFAULT_CONFIG_PATHS,
  hasErrors,
  loadConfigFile,
  parseConfig,
  sanitizeUpsName,
  type ConfigLoadErrorCode,
  type ConfigMessage,
  type LoadedConfig,
  type LoadOptions,
  type MessageLevel,
} from './load.js';
export { upsdEndpoint } from './sanitize.js';
export { authEffectivelyActive, probeAuthDb, type AuthDbProbe } from './auth-state.js';
export { effectiveShutdownOrders, renderOverview, type OverviewOptions } from './overview.js';
export { configSchema, TOP_LEVEL_KEYS } from './schema/root.js';
export { VOLTAGE_SENSITIVITY_BAND } from './schema/triggers.js';
export type * from './types.js';
export { containerLoggingPaths, withContainerPaths } from './container-paths.js';
