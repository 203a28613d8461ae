/**
 * Pure shutdown planner: turns one group's config into the ordered plan the runner executes
 * (core spec §8.1–§8.2). Every ordering and timing rule lives here — effective orders, the
 * legacy `parallel: false` batch, per-server budgets, action expansion, the `use_sudo` rule —
 * so the runner only executes and the plan view, `eneru validate` and tests read the same plan.
 */
import {
  applyUseSudo,
  expandPreCommand,
  normaliseMount,
  shellSplit,
} from './shutdown-plan-actions.js';
import type {
  ComposeFileInput,
  LocalResourcesPlan,
  LocalShutdownInput,
  LocalShutdownPlan,
  PlannedCommand,
  RemotePhasePlan,
  RemotePlan,
  RemoteServerInput,
  RemoteServerPlan,
  ShutdownGroupInput,
  ShutdownPlan,
} from './shutdown-plan-types.js';

/** Extra seconds granted per command on top of its own timeout (ssh setup, teardown). */
export const PER_COMMAND_SLACK_SEC = 30;

/**
 * Per-server budget: Σ pre-command timeouts + command_timeout + connect_timeout +
 * shutdown_safety_margin + 30 × (pre-commands + the final command).
 */
export function serverBudgetSec(server: RemoteServerInput): number {
  const preSec = server.pre_shutdown_commands.reduce(
    (sum, entry) => sum + (entry.timeout ?? server.command_timeout),
    0,
  );
  const commands = server.pre_shutdown_commands.length + 1;
  return (
    preSec +
    server.command_timeout +
    server.connect_timeout +
    server.shutdown_safety_margin +
    PER_COMMAND_SLACK_SEC * commands
  );
}

/**
 * Effective order of each server (same index as the input): explicit `shutdown_order`; legacy
 * `parallel: false` → unique negative orders in config order (they run first, one at a time);
 * otherwise 0, the default parallel batch.
 */
export function effectiveOrders(servers: readonly RemoteServerInput[]): number[] {
  const sequential = servers.filter((s) => s.shutdown_order == null && s.parallel === false).length;
  let seen = 0;
  return servers.map((server) => {
    if (server.shutdown_order != null) return server.shutdown_order;
    if (server.parallel === false) {
      seen += 1;
      return seen - sequential - 1;
    }
    return 0;
  });
}

function planServer(server: RemoteServerInput, order: number): RemoteServerPlan {
  const preCommands: PlannedCommand[] = server.pre_shutdown_commands.map((entry) => {
    const timeoutSec = entry.timeout ?? server.command_timeout;
    return { ...expandPreCommand(entry, timeoutSec, server.use_sudo), timeoutSec };
  });
  const keyPath =
    server.ssh_key_path && server.ssh_key_path.trim() !== '' ? server.ssh_key_path : null;
  return {
    name: server.name,
    host: server.host.trim() === '' && server.is_host_loopback ? '127.0.0.1' : server.host,
    user: server.user,
    connectTimeoutSec: server.connect_timeout,
    commandTimeoutSec: server.command_timeout,
    keyPath,
    sshOptions: [...server.ssh_options],
    isLoopback: server.is_host_loopback === true,
    order,
    preCommands,
    finalCommand: applyUseSudo(server.shutdown_command, server.use_sudo),
    budgetSec: serverBudgetSec(server),
  };
}

/** Enabled servers split into loopback delegates and regular servers grouped by order. */
export function buildRemotePlan(servers: readonly RemoteServerInput[]): RemotePlan {
  const enabled = servers.filter((s) => s.enabled);
  const loopback = enabled.filter((s) => s.is_host_loopback === true);
  const regular = enabled.filter((s) => s.is_host_loopback !== true);
  const orders = effectiveOrders(regular);
  const byOrder = new Map<number, RemoteServerPlan[]>();
  regular.forEach((server, index) => {
    const order = orders[index] ?? 0;
    const list = byOrder.get(order) ?? [];
    list.push(planServer(server, order));
    byOrder.set(order, list);
  });
  const phases: RemotePhasePlan[] = [...byOrder.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([order, list]) => ({ order, servers: list }));
  return { loopback: loopback.map((s) => planServer(s, 0)), phases };
}

function composePlan(
  file: ComposeFileInput,
  fallbackSec: number,
): { path: string; stopTimeoutSec: number } {
  if (typeof file === 'string') return { path: file.trim(), stopTimeoutSec: fallbackSec };
  return { path: file.path.trim(), stopTimeoutSec: file.stop_timeout ?? fallbackSec };
}

export function buildLocalResourcesPlan(group: ShutdownGroupInput): LocalResourcesPlan {
  const vms = group.virtual_machines;
  const containers = group.containers;
  const fs = group.filesystems;
  const stopTimeoutSec = containers?.stop_timeout ?? 60;
  return {
    vms: { enabled: vms?.enabled === true, maxWaitSec: vms?.max_wait ?? 30 },
    containers: {
      enabled: containers?.enabled === true,
      runtime: containers?.runtime ?? 'auto',
      stopTimeoutSec,
      composeFiles: (containers?.compose_files ?? [])
        .map((f) => composePlan(f, stopTimeoutSec))
        .filter((f) => f.path !== ''),
      stopRemaining: containers?.shutdown_all_remaining_containers ?? true,
      includeUserContainers: containers?.include_user_containers ?? false,
    },
    sync: fs?.sync_enabled ?? true,
    unmount: {
      enabled: fs?.unmount.enabled === true,
      timeoutSec: fs?.unmount.timeout ?? 15,
      mounts: (fs?.unmount.mounts ?? []).map(normaliseMount).filter((m) => m.path !== ''),
    },
  };
}

/** The whole plan of one group. Local phases only for local groups. */
export function buildShutdownPlan(group: ShutdownGroupInput): ShutdownPlan {
  return {
    isLocal: group.is_local,
    local: group.is_local ? buildLocalResourcesPlan(group) : null,
    remote: buildRemotePlan(group.remote_servers),
  };
}

/** `local_shutdown`: command shell-split, message appended as one argv element when non-empty. */
export function buildLocalShutdownPlan(local: LocalShutdownInput): LocalShutdownPlan {
  const argv = shellSplit(local.command);
  const message = local.message.trim();
  if (argv.length > 0 && message !== '') argv.push(local.message);
  return {
    enabled: local.enabled,
    argv,
    wall: local.wall,
    drain: local.drain_on_local_shutdown,
    triggerOn: local.trigger_on,
  };
}

/**
 * Coordinator mode (core §8.4): a finished group powers the host off when it is local, or when
 * `trigger_on: any` and no UPS group is local.
 */
export function groupTriggersLocalShutdown(
  group: { is_local: boolean },
  local: { enabled: boolean; trigger_on: 'any' | 'none' },
  upsGroups: readonly { is_local: boolean }[],
): boolean {
  if (!local.enabled) return false;
  if (group.is_local) return true;
  return local.trigger_on === 'any' && !upsGroups.some((g) => g.is_local);
}

/** Number of enabled remote servers (loopback included). */
export function remoteServerCount(plan: RemotePlan): number {
  return plan.loopback.length + plan.phases.reduce((n, p) => n + p.servers.length, 0);
}
