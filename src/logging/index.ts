/**
 * Public surface of the logging module: the factory the composition root calls, the
 * redaction rule set other modules may reuse (e.g. before echoing a URL), and the syslog
 * tables for config validation and docs.
 */
export {
  createLogging,
  adaptPino,
  type Logging,
  type LoggingOptions,
  type LogLevel,
} from './create-logging.js';
export { redactSecrets } from './redact.js';
export type { SyslogOptions } from './syslog.js';
export { SYSLOG_FACILITIES, SYSLOG_SEVERITY, facilityCode } from './syslog-facility.js';
export { LoggingError, type LoggingErrorCode } from './errors.js';
export type { LogFields, Logger } from './types.js';
