/**
 * The normalised configuration every other module reads. All types derive from the zod schema
 * (`z.output`); this file only describes how normalisation reshapes them: `ups` is always a
 * list of groups with merged overrides, legacy forms are folded in, and a few values are
 * resolved (notification enablement, URL list, topic prefix). The object is deep-frozen.
 */
import type { z } from 'zod';
import type { NotificationsRaw } from './schema/observability.js';
import type { preShutdownCommandSchema, RemoteServerRaw } from './schema/resources.js';
import type { RedundancyGroupRaw, UpsEntryRaw } from './schema/groups.js';
import type { ParsedConfig } from './schema/root.js';

export type { TriggersConfig } from './schema/triggers.js';
export type {
  BatteryHealthConfig,
  EnergyConfig,
  LocalShutdownConfig,
  NutConnectionConfig,
  NutControlConfig,
  RemoteHealthConfig,
  ReportsConfig,
  SelfTestConfig,
  StatisticsConfig,
} from './schema/features.js';
export type {
  ApiConfig,
  LoggingConfig,
  MqttConfig,
  PrometheusConfig,
} from './schema/observability.js';
export type {
  ContainersConfig,
  FilesystemsConfig,
  MountConfig,
  VirtualMachinesConfig,
} from './schema/resources.js';

/** A pre-shutdown step with its timeout resolved (defaults to the server's `command_timeout`). */
export type PreShutdownCommand = Omit<z.output<typeof preShutdownCommandSchema>, 'timeout'> & {
  timeout: number;
};

/** A remote server with every default applied (loopback host defaults to 127.0.0.1). */
export type RemoteServerConfig = Omit<
  RemoteServerRaw,
  'pre_shutdown_commands' | 'augment_remote_path'
> & {
  pre_shutdown_commands: PreShutdownCommand[];
};

/** One UPS group: the entry with merged triggers / nut_control / battery_health / self_test / nut. */
export type UpsGroupConfig = Omit<UpsEntryRaw, 'is_local' | 'remote_servers'> & {
  is_local: boolean;
  /** Sanitised name (`@ : /` → `-`): API groupId, event source, DB stem, file suffix. */
  group_id: string;
  /** `display_name` or `name`. */
  label: string;
  remote_servers: RemoteServerConfig[];
};

export type RedundancyGroupConfig = Omit<RedundancyGroupRaw, 'remote_servers'> & {
  /** `redundancy-<sanitised name>` (API `groupId`). */
  group_id: string;
  /** `redundancy:<name>` (log prefix and remote-health group label). */
  label: string;
  remote_servers: RemoteServerConfig[];
};

/** Notifications with `enabled` resolved and the legacy Discord webhook folded into `urls`. */
export type NotificationsConfig = Omit<NotificationsRaw, 'enabled' | 'discord'> & {
  enabled: boolean;
};

export type Config = Omit<
  ParsedConfig,
  | 'ups'
  | 'docker'
  | 'discord'
  | 'notifications'
  | 'remote_servers'
  | 'virtual_machines'
  | 'containers'
  | 'filesystems'
  | 'redundancy_groups'
> & {
  ups: UpsGroupConfig[];
  redundancy_groups: RedundancyGroupConfig[];
  notifications: NotificationsConfig;
  /** `multi` when more than one UPS entry. */
  mode: 'single' | 'multi';
  /** True in multi mode or when any redundancy group exists. */
  coordinator: boolean;
};
