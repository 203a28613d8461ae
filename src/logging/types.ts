/**
 * The logger contract every module receives (never imported as a singleton). Structured fields
 * use the names of the JSON log format (observability spec §7) so sinks need no mapping.
 */
export interface LogFields {
  category?: string;
  event_type?: string;
  group?: string;
  ups?: string;
  server?: string;
  [key: string]: unknown;
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (per module, per UPS, per server). */
  child(fields: LogFields): Logger;
}
