/**
 * Behaviour and feature sections: dry-run, local shutdown, statistics, remote health, NUT
 * control and connection settings, battery health, self-test, reports and energy (core spec
 * §1.3, §3.7, §3.8). The `nut` section is an eneru addition (native NUT protocol settings).
 */
import { z } from 'zod';
import {
  bool,
  choice,
  clockTime,
  int,
  nullableStr,
  numberFrom,
  safeProbe,
  section,
  str,
} from './primitives.js';

export const behaviorSchema = section({ dry_run: bool(false) });

export const localShutdownSchema = section({
  enabled: bool(true),
  command: str('shutdown -h now'),
  message: str('UPS battery critical - emergency shutdown'),
  drain_on_local_shutdown: bool(false),
  trigger_on: choice(['any', 'none'] as const, 'any'),
  wall: bool(false),
});

export const statisticsSchema = section({
  /** Legacy key: statistics are always on; accepted and ignored. */
  enabled: z.boolean().optional(),
  db_directory: str('/var/lib/eneru'),
  retention: section({
    raw_hours: int(24, 1),
    agg_5min_days: int(30, 1),
    agg_hourly_days: int(1825, 1),
  }),
});

export const remoteHealthSchema = section({
  enabled: bool(true),
  startup_check: bool(true),
  interval: int(3600, 60),
  probe_command: safeProbe('true'),
  failure_threshold: int(2, 1),
  notify_on_failure: bool(true),
  notify_on_recovery: bool(true),
});

const allowlistEntry = z
  .string()
  .regex(/^[A-Za-z0-9._+-]+$/, { error: 'must match [A-Za-z0-9._+-]+' });

export const nutControlSchema = section({
  enabled: bool(false),
  username: z.string().nullable().default(''),
  password: z.string().nullable().default(''),
  allowed_commands: z.array(allowlistEntry).default(() => []),
  allowed_variables: z.array(allowlistEntry).default(() => []),
  timeout: int(10, 1),
});

/** Native NUT connection settings (eneru addition); per-UPS `nut:` overrides key by key. */
export const nutSchema = section({
  tls: choice(['off', 'opportunistic', 'required'] as const, 'off'),
  ca_file: nullableStr(),
  username: nullableStr(),
  password: nullableStr(),
  timeout: numberFrom(0, true).default(30),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' });
const score = (fallback: number) => z.number().min(0).max(100).default(fallback);

export const batteryHealthSchema = section({
  enabled: bool(true),
  update_interval: int(3600, 60),
  nominal_runtime_seconds: numberFrom(0, true).nullable().default(null),
  battery_install_date: isoDate.nullable().default(null),
  expected_life_years: numberFrom(0, true).default(5.0),
  warn_score: score(30),
  critical_score: score(15),
  replacement: section({
    threshold_score: score(50),
    horizon_days: int(90, 1),
    min_history_days: int(14, 1),
  }),
});

export const selfTestSchema = section({
  enabled: bool(false),
  schedule: choice(['daily', 'weekly', 'monthly'] as const, 'monthly'),
  time: clockTime('03:00'),
  command: str('test.battery.start'),
  result_poll_after: int(60, 1),
});

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export const REPORT_SECTIONS = ['events', 'battery_health', 'energy', 'uptime'] as const;

export const reportsSchema = section({
  enabled: bool(false),
  daily: bool(false),
  weekly: bool(false),
  monthly: bool(false),
  time: clockTime('08:00'),
  weekly_day: choice(WEEKDAYS, 'monday'),
  monthly_day: int(1, 1, 28),
  include: z.array(z.enum(REPORT_SECTIONS)).default(() => [...REPORT_SECTIONS]),
  format: choice(['text', 'markdown', 'html'] as const, 'text'),
});

export const energySchema = section({
  enabled: bool(true),
  cost_per_kwh: numberFrom(0).nullable().default(null),
  currency: str('USD'),
  cost_format: nullableStr(),
  nominal_power: numberFrom(0, true).nullable().default(null),
});

export type LocalShutdownConfig = z.output<typeof localShutdownSchema>;
export type NutControlConfig = z.output<typeof nutControlSchema>;
export type NutConnectionConfig = z.output<typeof nutSchema>;
export type BatteryHealthConfig = z.output<typeof batteryHealthSchema>;
export type SelfTestConfig = z.output<typeof selfTestSchema>;
export type ReportsConfig = z.output<typeof reportsSchema>;
export type EnergyConfig = z.output<typeof energySchema>;
export type StatisticsConfig = z.output<typeof statisticsSchema>;
export type RemoteHealthConfig = z.output<typeof remoteHealthSchema>;
