/**
 * UPS group rules (core spec §1.2, §1.3): unique sanitised names, one local group, local
 * resources only on the local group, ignored top-level sections in list form, the shared upsd
 * connection rule for `nut` settings and per-UPS `nut_control.enabled`.
 */
import { error, type ConfigMessage, warning } from '../messages.js';
import { sanitizeUpsName, upsdEndpoint } from '../sanitize.js';
import type { ContainersConfig, FilesystemsConfig, VirtualMachinesConfig } from '../types.js';
import { isUpsList, mapping, type Rule, upsPath, upsRaw } from './context.js';

const TOP_LEVEL_RESOURCES = [
  'remote_servers',
  'virtual_machines',
  'containers',
  'docker',
  'filesystems',
];

interface LocalResources {
  virtual_machines: VirtualMachinesConfig;
  containers: ContainersConfig;
  filesystems: FilesystemsConfig;
}

/** Names of the local teardown features a group turns on. */
export function enabledLocalResources(group: LocalResources): string[] {
  const out: string[] = [];
  if (group.virtual_machines.enabled) out.push('virtual_machines');
  if (group.containers.enabled) out.push('containers');
  if (group.filesystems.unmount.enabled) out.push('filesystems.unmount');
  return out;
}

export const upsRules: Rule = (ctx) => {
  const out: ConfigMessage[] = [];
  const { config } = ctx;
  const seen = new Map<string, number>();
  config.ups.forEach((group, index) => {
    const path = upsPath(ctx, index);
    const id = sanitizeUpsName(group.name);
    const first = seen.get(id);
    if (first !== undefined) {
      out.push(
        error(
          `${path}.name`,
          `UPS name '${group.name}' (${path}) collides with '${config.ups[first]?.name}' (${upsPath(ctx, first)}) after sanitising to '${id}'.`,
        ),
      );
    } else {
      seen.set(id, index);
    }
    if ('enabled' in mapping(upsRaw(ctx, index).nut_control)) {
      out.push(
        error(
          `${path}.nut_control.enabled`,
          `'${path}.nut_control.enabled' cannot be set per UPS; nut_control.enabled is global.`,
        ),
      );
    }
    if (isUpsList(ctx) && !group.is_local) {
      for (const feature of enabledLocalResources(group)) {
        out.push(
          error(
            `${path}.${feature}`,
            `'${path}.${feature}' is a local resource but UPS '${group.label}' is not the local group (set is_local: true).`,
          ),
        );
      }
    }
  });

  const locals = [
    ...config.ups.flatMap((group, index) =>
      group.is_local && isUpsList(ctx) ? [`${upsPath(ctx, index)} (${group.label})`] : [],
    ),
    ...config.redundancy_groups.flatMap((group, index) =>
      group.is_local ? [`redundancy_groups[${index}] (${group.name})`] : [],
    ),
  ];
  if (locals.length > 1) {
    out.push(
      error(
        'is_local',
        `at most one UPS or redundancy group may be is_local: true (found ${locals.join(', ')}).`,
      ),
    );
  }

  if (isUpsList(ctx) && config.ups.length === 0) {
    out.push(warning('ups', "'ups' is an empty list: no UPS will be monitored."));
  }
  if (isUpsList(ctx)) {
    for (const key of TOP_LEVEL_RESOURCES) {
      if (ctx.raw[key] !== undefined) {
        out.push(
          warning(
            key,
            `Top-level '${key}' section ignored in multi-UPS mode (ups is a list); move it under the UPS entry that owns it.`,
          ),
        );
      }
    }
  }
  if (
    config.mode === 'multi' &&
    !config.ups.some((group) => group.is_local) &&
    config.local_shutdown.enabled &&
    config.local_shutdown.trigger_on === 'any'
  ) {
    out.push(
      warning(
        'local_shutdown.trigger_on',
        'multi-UPS config has no is_local group while local_shutdown.enabled and trigger_on: any — the shutdown of ANY UPS group will power off this host. Mark the UPS feeding this host is_local: true, or set trigger_on: none.',
      ),
    );
  }
  out.push(...nutConflicts(ctx), ...nutCredentials(ctx));
  return out;
};

/** UPSes on one upsd share a connection, so their effective `nut` settings must agree. */
function nutConflicts(ctx: Parameters<Rule>[0]): ConfigMessage[] {
  const out: ConfigMessage[] = [];
  const byEndpoint = new Map<string, number>();
  ctx.config.ups.forEach((group, index) => {
    const { host, port } = upsdEndpoint(group.name);
    const key = `${host.toLowerCase()}:${port}`;
    const first = byEndpoint.get(key);
    if (first === undefined) {
      byEndpoint.set(key, index);
      return;
    }
    const other = ctx.config.ups[first];
    if (other !== undefined && JSON.stringify(other.nut) !== JSON.stringify(group.nut)) {
      const path = upsPath(ctx, index);
      out.push(
        error(
          `${path}.nut`,
          `'${path}.nut' differs from the nut settings of '${other.name}' (${upsPath(ctx, first)}), but both use upsd ${host}:${port} and share one connection; make them identical.`,
        ),
      );
    }
  });
  return out;
}

/** NUT LOGIN needs both halves; one without the other is a typo, not a choice. */
function nutCredentials(ctx: Parameters<Rule>[0]): ConfigMessage[] {
  const out: ConfigMessage[] = [];
  const check = (path: string, nut: { username: string | null; password: string | null }) => {
    if ((nut.username === null) !== (nut.password === null)) {
      out.push(error(path, `'${path}.username' and '${path}.password' must be set together.`));
    }
  };
  check('nut', ctx.config.nut);
  ctx.config.ups.forEach((group, index) => {
    if (upsRaw(ctx, index).nut !== undefined) check(`${upsPath(ctx, index)}.nut`, group.nut);
  });
  return out;
}
