/**
 * UPS entries and redundancy groups (core spec §1.2, §1.3 `ups`, §7). A UPS entry carries its
 * own overrides (triggers, nut_control, battery_health, self_test, nut) and, in list form, its
 * own resources; the schemas here validate each override standalone, and normalisation merges
 * it with the global section.
 */
import { z } from 'zod';
import { batteryHealthSchema, nutControlSchema, nutSchema, selfTestSchema } from './features.js';
import { bool, choice, int, intIn, numberFrom, section, str, stringList } from './primitives.js';
import {
  containersSchema,
  filesystemsSchema,
  remoteServersSchema,
  virtualMachinesSchema,
} from './resources.js';
import { triggersSchema } from './triggers.js';

/** `upsname[@host[:port]]`; the host may be a bracketed IPv6 literal. */
export const UPS_NAME_PATTERN = /^[^@\s:/[\]]+(@(\[[0-9A-Fa-f:.]+\]|[^@\s:/[\]]+)(:\d{1,5})?)?$/;

export const upsNameSchema = z
  .string()
  .regex(UPS_NAME_PATTERN, { error: 'must look like upsname[@host[:port]]' })
  .refine(
    (name) => {
      const port = /:(\d+)$/.exec(name);
      return port === null || (Number(port[1]) >= 1 && Number(port[1]) <= 65535);
    },
    { error: 'has a port outside 1..65535' },
  );

export const upsEntrySchema = z.strictObject({
  name: upsNameSchema.default('UPS@localhost'),
  display_name: z.string().nullable().default(null),
  check_interval: int(1, 1),
  max_stale_data_tolerance: int(3, 1),
  connection_loss_grace_period: section({
    enabled: bool(true),
    duration: numberFrom(1).default(60),
    flap_threshold: int(5, 1),
  }),
  /** Unset: true for the single-UPS mapping, false in a list. */
  is_local: z.boolean().optional(),
  triggers: triggersSchema,
  remote_servers: remoteServersSchema,
  virtual_machines: virtualMachinesSchema,
  containers: containersSchema,
  filesystems: filesystemsSchema,
  nut_control: nutControlSchema,
  battery_health: batteryHealthSchema,
  self_test: selfTestSchema,
  nut: nutSchema,
});

export const redundancyGroupSchema = z.strictObject({
  /** Required; an empty name is reported by the redundancy rules with a specific message. */
  name: str(''),
  ups_sources: stringList(),
  min_healthy: intIn(1).default(1),
  degraded_counts_as: choice(['healthy', 'critical'] as const, 'healthy'),
  unknown_counts_as: choice(['critical', 'degraded', 'healthy'] as const, 'critical'),
  is_local: bool(false),
  triggers: triggersSchema,
  remote_servers: remoteServersSchema,
  virtual_machines: virtualMachinesSchema,
  containers: containersSchema,
  filesystems: filesystemsSchema,
});

export type UpsEntryRaw = z.output<typeof upsEntrySchema>;
export type RedundancyGroupRaw = z.output<typeof redundancyGroupSchema>;
