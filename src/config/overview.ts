/**
 * The human overview `eneru validate` prints before its messages (core spec §1.4): version,
 * runtime context, mode, the per-group shutdown tree (servers by effective order, local
 * resources), redundancy quorum, dry-run and redacted notification URLs. Kept apart from the CLI
 * so the shutdown plan can reuse `effectiveShutdownOrders` and extend the tree.
 */
import type {
  Config,
  RedundancyGroupConfig,
  RemoteServerConfig,
  TriggersConfig,
  UpsGroupConfig,
} from './types.js';

export interface OverviewOptions {
  version: string;
  runtimeContext: string;
  source: string | null;
}

/**
 * Effective shutdown order per server (core spec §8.2): explicit `shutdown_order`; else legacy
 * `parallel: false` servers get unique negative orders in config order (they run first, one at a
 * time); else 0, the default parallel batch.
 */
export function effectiveShutdownOrders(servers: readonly RemoteServerConfig[]): number[] {
  const sequential = servers.filter(
    (s) => s.shutdown_order === undefined && s.parallel === false,
  ).length;
  let next = -sequential;
  return servers.map((server) => {
    if (server.shutdown_order !== undefined) return server.shutdown_order;
    if (server.parallel === false) return next++;
    return 0;
  });
}

export function redactUrl(url: string): string {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1];
  return scheme === undefined ? '***' : `${scheme}://***`;
}

function triggersLine(t: TriggersConfig): string {
  const extended = t.extended_time.enabled
    ? `on battery > ${t.extended_time.threshold}s`
    : 'extended time off';
  return (
    `battery < ${t.low_battery_threshold}%, runtime < ${t.critical_runtime_threshold}s, ` +
    `depletion > ${t.depletion.critical_rate}%/min (window ${t.depletion.window}s, grace ${t.depletion.grace_period}s), ` +
    `${extended}, stabilization ${t.on_battery_stabilization_delay}s, voltage ${t.voltage_sensitivity}`
  );
}

function serverLines(servers: readonly RemoteServerConfig[], indent: string): string[] {
  if (servers.length === 0) return [`${indent}Remote servers: none`];
  const orders = effectiveShutdownOrders(servers);
  const byOrder = new Map<number, string[]>();
  const disabled: string[] = [];
  servers.forEach((server, index) => {
    const pre = server.pre_shutdown_commands.length;
    const flags = [
      server.is_host_loopback ? 'host loopback' : '',
      pre > 0 ? `${pre} pre-shutdown command(s)` : '',
      server.use_sudo ? 'sudo' : '',
    ].filter((flag) => flag !== '');
    const line = `${server.name || server.host} (${server.user}@${server.host})${flags.length > 0 ? ` — ${flags.join(', ')}` : ''}`;
    if (!server.enabled) {
      disabled.push(line);
      return;
    }
    const order = orders[index] ?? 0;
    byOrder.set(order, [...(byOrder.get(order) ?? []), line]);
  });
  const out = [`${indent}Remote servers:`];
  for (const order of [...byOrder.keys()].sort((a, b) => a - b)) {
    const note = order < 0 ? ' (legacy sequential)' : order === 0 ? ' (default batch)' : '';
    out.push(`${indent}  order ${order}${note}:`);
    for (const line of byOrder.get(order) ?? []) out.push(`${indent}    - ${line}`);
  }
  for (const line of disabled) out.push(`${indent}  disabled: ${line}`);
  return out;
}

function localLines(
  group: Pick<UpsGroupConfig, 'virtual_machines' | 'containers' | 'filesystems'>,
  indent: string,
): string[] {
  const parts: string[] = [];
  if (group.virtual_machines.enabled)
    parts.push(`VMs (max_wait ${group.virtual_machines.max_wait}s)`);
  if (group.containers.enabled) {
    parts.push(
      `containers (${group.containers.runtime}, ${group.containers.compose_files.length} compose file(s))`,
    );
  }
  if (group.filesystems.sync_enabled) parts.push('sync');
  if (group.filesystems.unmount.enabled)
    parts.push(`unmount ${group.filesystems.unmount.mounts.length} mount(s)`);
  return [`${indent}Local resources: ${parts.length > 0 ? parts.join(', ') : 'none'}`];
}

function upsLines(group: UpsGroupConfig, index: number): string[] {
  const label = group.label === group.name ? group.name : `${group.name} "${group.label}"`;
  const out = [
    `  [${index + 1}] ${label}${group.is_local ? ' (local)' : ''}`,
    `      Triggers: ${triggersLine(group.triggers)}`,
  ];
  out.push(...serverLines(group.remote_servers, '      '));
  if (group.is_local) out.push(...localLines(group, '      '));
  return out;
}

function redundancyLines(group: RedundancyGroupConfig): string[] {
  const out = [
    `  ${group.name}${group.is_local ? ' (local)' : ''}: sources ${group.ups_sources.join(', ') || '(none)'}`,
    `      Quorum: min_healthy=${group.min_healthy} (degraded→${group.degraded_counts_as}, unknown→${group.unknown_counts_as})`,
    `      Triggers: ${triggersLine(group.triggers)}`,
  ];
  out.push(...serverLines(group.remote_servers, '      '));
  if (group.is_local) out.push(...localLines(group, '      '));
  return out;
}

export function renderOverview(config: Config, options: OverviewOptions): string[] {
  const { local_shutdown: local, notifications } = config;
  const mode =
    config.mode === 'multi'
      ? `multi-UPS (${config.ups.length} UPS groups, coordinator)`
      : `single-UPS${config.coordinator ? ' (coordinator for redundancy groups)' : ''}`;
  const out = [
    `Eneru v${options.version}`,
    `Config file: ${options.source ?? '(none found; using defaults)'}`,
    `Runtime context: ${options.runtimeContext}`,
    `Mode: ${mode}`,
    `Dry-run: ${config.behavior.dry_run ? 'yes' : 'no'}`,
    `Local shutdown: ${local.enabled ? `enabled ('${local.command}', trigger_on ${local.trigger_on})` : 'disabled'}`,
    `Notifications: ${notifications.enabled ? 'enabled' : 'disabled'}${
      notifications.urls.length > 0 ? ` — ${notifications.urls.map(redactUrl).join(', ')}` : ''
    }`,
    'UPS groups:',
  ];
  config.ups.forEach((group, index) => out.push(...upsLines(group, index)));
  if (config.redundancy_groups.length > 0) {
    out.push('Redundancy groups:');
    for (const group of config.redundancy_groups) out.push(...redundancyLines(group));
  }
  return out;
}
