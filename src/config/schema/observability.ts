/**
 * Outbound surfaces: logging (+ syslog), notifications (+ legacy discord), the HTTP API with its
 * auth block, Prometheus and MQTT (observability spec §2). Keys and defaults are the original's;
 * `logging.level`, `logging.syslog.format/protocol` and the MQTT extras are eneru additions.
 */
import { z } from 'zod';
import { bool, choice, int, intIn, nullableStr, section, str, stringList } from './primitives.js';

export const SYSLOG_FACILITIES = [
  'auth',
  'authpriv',
  'console',
  'cron',
  'daemon',
  'ftp',
  'kern',
  'lpr',
  'mail',
  'news',
  'ntp',
  'security',
  'solaris-cron',
  'syslog',
  'user',
  'uucp',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;

const facility = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .refine((value) => (SYSLOG_FACILITIES as readonly string[]).includes(value), {
    error: `must be a standard syslog facility (${SYSLOG_FACILITIES.join(', ')})`,
  })
  .default('daemon');

export const loggingSchema = section({
  file: z.string().nullable().default('/var/log/ups-monitor.log'),
  format: choice(['text', 'json'] as const, 'text'),
  level: choice(['debug', 'info', 'warning', 'error'] as const, 'info'),
  state_file: str('/var/run/ups-monitor.state'),
  battery_history_file: str('/var/run/ups-battery-history'),
  shutdown_flag_file: str('/var/run/ups-shutdown-scheduled'),
  syslog: section({
    enabled: bool(false),
    address: str('/dev/log'),
    port: int(514, 1, 65535),
    facility,
    format: choice(['rfc3164', 'rfc5424'] as const, 'rfc3164'),
    protocol: choice(['udp', 'tcp'] as const, 'udp'),
  }),
});

/** Legacy Discord block, accepted at top level and as `notifications.discord`. */
export const discordSchema = z
  .strictObject({
    webhook_url: z.string().nullable().optional(),
    username: z.string().nullable().optional(),
    avatar_url: z.string().nullable().optional(),
  })
  .optional();

export const notificationsSchema = section({
  /** Unset means "enabled when there is at least one URL" (resolved during normalisation). */
  enabled: z.boolean().optional(),
  urls: stringList(),
  discord: discordSchema,
  title: nullableStr(),
  avatar_url: nullableStr(),
  timeout: int(10, 1),
  retry_interval: int(5, 1),
  retry_backoff_max: int(300, 1),
  max_attempts: int(0, 0),
  max_age_days: int(30, 1),
  max_pending: int(10000, 1),
  retention_days: int(7, 1),
  voltage_hysteresis_seconds: int(30, 0),
  suppress: stringList(),
});

export const apiSchema = section({
  enabled: bool(false),
  bind: str('127.0.0.1'),
  port: int(9191, 1, 65535),
  allowed_hosts: stringList(),
  auth: section({
    /** null = not set in the file: auth turns on once the auth DB has a user. */
    enabled: z.boolean().nullable().default(null),
    require_for_reads: bool(false),
    session_ttl: intIn(1).default(3600),
    db_path: str('/var/lib/eneru/auth.db'),
  }),
});

export const prometheusSchema = section({ enabled: bool(true) });

export const mqttSchema = section({
  enabled: bool(false),
  broker: str(''),
  topic_prefix: str('eneru'),
  publish_interval: int(10, 1),
  retain_state: bool(true),
  availability: bool(true),
  homeassistant: section({
    enabled: bool(true),
    discovery_prefix: str('homeassistant'),
  }),
  tls: section({
    ca_file: nullableStr(),
    cert_file: nullableStr(),
    key_file: nullableStr(),
  }),
});

export type LoggingConfig = z.output<typeof loggingSchema>;
export type ApiConfig = z.output<typeof apiSchema>;
export type PrometheusConfig = z.output<typeof prometheusSchema>;
export type MqttConfig = z.output<typeof mqttSchema>;
export type NotificationsRaw = z.output<typeof notificationsSchema>;
