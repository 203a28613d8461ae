/**
 * The one schema for the whole config file: every top-level section of core spec §1.1 with its
 * defaults, strict at every level so unknown keys are reported. Parsing `{}` yields the
 * all-defaults configuration.
 */
import { z } from 'zod';
import {
  batteryHealthSchema,
  behaviorSchema,
  energySchema,
  localShutdownSchema,
  nutControlSchema,
  nutSchema,
  remoteHealthSchema,
  reportsSchema,
  selfTestSchema,
  statisticsSchema,
} from './features.js';
import { redundancyGroupSchema, upsEntrySchema } from './groups.js';
import {
  apiSchema,
  discordSchema,
  loggingSchema,
  mqttSchema,
  notificationsSchema,
  prometheusSchema,
} from './observability.js';
import {
  containersSchema,
  filesystemsSchema,
  remoteServersSchema,
  virtualMachinesSchema,
} from './resources.js';
import { triggersSchema } from './triggers.js';

export const configSchema = z.strictObject({
  behavior: behaviorSchema,
  logging: loggingSchema,
  notifications: notificationsSchema,
  discord: discordSchema,
  local_shutdown: localShutdownSchema,
  triggers: triggersSchema,
  statistics: statisticsSchema,
  api: apiSchema,
  prometheus: prometheusSchema,
  remote_health: remoteHealthSchema,
  mqtt: mqttSchema,
  nut_control: nutControlSchema,
  battery_health: batteryHealthSchema,
  self_test: selfTestSchema,
  reports: reportsSchema,
  energy: energySchema,
  nut: nutSchema,
  /** A mapping (single-UPS) or a list (one entry per UPS); absent = one default UPS. */
  ups: z.union([upsEntrySchema, z.array(upsEntrySchema)]).prefault({}),
  /** Legacy alias of `containers` with `runtime: docker`. */
  docker: containersSchema.optional(),
  remote_servers: remoteServersSchema,
  virtual_machines: virtualMachinesSchema,
  containers: containersSchema,
  filesystems: filesystemsSchema,
  redundancy_groups: z.array(redundancyGroupSchema).default(() => []),
});

/** The allowed top-level keys, in the spec's order. */
export const TOP_LEVEL_KEYS: readonly string[] = Object.keys(configSchema.shape);

export type ParsedConfig = z.output<typeof configSchema>;
