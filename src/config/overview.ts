/**
 * The human overview `eneru validate` prints before its messages (core spec §1.4): version,
 * runtime context, mode, dry-run, redacted notification URLs, then per group its triggers and
 * the shutdown tree (local resources, remote servers in effective-order phases, local
 * poweroff) drawn by the shutdown planner, and each redundancy group's quorum rule.
 */
import { effectiveOrders } from '../domain/shutdown-plan.js';
import { renderShutdownTree } from '../domain/shutdown-plan-view.js';
import type { Config, RedundancyGroupConfig, TriggersConfig, UpsGroupConfig } from './types.js';

export interface OverviewOptions {
  version: string;
  runtimeContext: string;
  source: string | null;
}

/** Effective shutdown order per server (core spec §8.2); the shutdown planner owns the rule. */
export const effectiveShutdownOrders = effectiveOrders;

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

const indent = (lines: readonly string[]): string[] => lines.map((line) => `      ${line}`);

function upsLines(config: Config, group: UpsGroupConfig, index: number): string[] {
  const label = group.label === group.name ? group.name : `${group.name} "${group.label}"`;
  return [
    `  [${index + 1}] ${label}${group.is_local ? ' (local)' : ''}`,
    `      Triggers: ${triggersLine(group.triggers)}`,
    ...indent(renderShutdownTree(group, config)),
  ];
}

function redundancyLines(config: Config, group: RedundancyGroupConfig): string[] {
  return [
    `  ${group.name}${group.is_local ? ' (local)' : ''}: sources ${group.ups_sources.join(', ') || '(none)'}`,
    `      Quorum: min_healthy=${group.min_healthy} (degraded→${group.degraded_counts_as}, unknown→${group.unknown_counts_as})`,
    `      Triggers: ${triggersLine(group.triggers)}`,
    ...indent(renderShutdownTree(group, config)),
  ];
}

export function renderOverview(config: Config, options: OverviewOptions): string[] {
  const { local_shutdown: local, notifications } = config;
  const mode =
    config.mode === 'multi'
      ? `multi-UPS (${config.ups.length} UPS groups, coordinator)`
      : `single-UPS${config.coordinator ? ' (coordinator for redundancy groups)' : ''}`;
  const urls =
    notifications.urls.length > 0 ? ` — ${notifications.urls.map(redactUrl).join(', ')}` : '';
  const out = [
    `Eneru v${options.version}`,
    `Config file: ${options.source ?? '(none found; using defaults)'}`,
    `Runtime context: ${options.runtimeContext}`,
    `Mode: ${mode}`,
    `Dry-run: ${config.behavior.dry_run ? 'yes' : 'no'}`,
    `Local shutdown: ${local.enabled ? `enabled ('${local.command}', trigger_on ${local.trigger_on})` : 'disabled'}`,
    `Notifications: ${notifications.enabled ? 'enabled' : 'disabled'}${urls}`,
    'UPS groups:',
  ];
  config.ups.forEach((group, index) => out.push(...upsLines(config, group, index)));
  if (config.redundancy_groups.length > 0) {
    out.push('Redundancy groups:');
    for (const group of config.redundancy_groups) out.push(...redundancyLines(config, group));
  }
  return out;
}
