/**
 * Read-only renderings of a group's shutdown plan: the JSON of
 * `GET /api/v1/ups/{name}/shutdown-plan` (observability spec §3.7) and the text tree printed by
 * `eneru validate`. Both come from the same `buildShutdownPlan`, so what the operator reviews
 * is what the runner executes. The API view never contains a raw command (custom commands can
 * carry tokens or passwords); it names predefined actions and says "custom command".
 */
import {
  buildLocalShutdownPlan,
  buildShutdownPlan,
  groupTriggersLocalShutdown,
} from './shutdown-plan.js';
import type {
  PlanConfigInput,
  RemoteServerPlan,
  ShutdownGroupInput,
  ShutdownPlan,
} from './shutdown-plan-types.js';

export interface ShutdownPlanStepView {
  title: string;
  /** `user@host` for remote steps, null locally. */
  target: string | null;
  /** What runs, redacted: action names, `custom command`, `shutdown command`, local tool names. */
  actions: string[];
  /** Phase order for remote servers, null otherwise. */
  order: number | null;
  /** Upper bound in seconds, null when unbounded or unknown. */
  timeoutS: number | null;
}

export interface ShutdownPlanPhaseView {
  enabled: boolean;
  estimateS: number | null;
  id:
    | 'vms'
    | 'containers'
    | 'filesystem-sync'
    | 'filesystem-unmount'
    | 'remote'
    | 'final-sync'
    | 'local-poweroff';
  mode: 'sequential' | 'parallel';
  skipped: string | null;
  steps: ShutdownPlanStepView[];
  title: string;
}

export interface ShutdownPlanView {
  coordinatorMode: boolean;
  delegated: boolean;
  dryRun: boolean;
  isLocal: boolean;
  note: string;
  phases: ShutdownPlanPhaseView[];
  totalEstimateS: number | null;
}

/** Upper bound of one bounded local `sync` (core §8.1). */
export const SYNC_BOUND_SEC = 30;
/** Upper bound of the local shutdown command. */
export const LOCAL_COMMAND_BOUND_SEC = 30;

const NON_LOCAL_NOTE =
  'Non-local UPS group: only remote-server shutdown runs; local VM / container / filesystem / poweroff phases belong to the host that owns this UPS.';
const LOCAL_NOTE =
  'Local UPS group: this host stops its VMs, containers and filesystems, then shuts down the remote servers phase by phase, then powers itself off.';

export function isCoordinatorMode(config: PlanConfigInput): boolean {
  return config.ups.length > 1 || (config.redundancy_groups?.length ?? 0) > 0;
}

function phase(
  id: ShutdownPlanPhaseView['id'],
  title: string,
  skipped: string | null,
  steps: ShutdownPlanStepView[] = [],
  mode: ShutdownPlanPhaseView['mode'] = 'sequential',
): ShutdownPlanPhaseView {
  const enabled = skipped === null;
  const known = steps.map((s) => s.timeoutS).filter((t): t is number => t !== null);
  return {
    enabled,
    estimateS: enabled && known.length > 0 ? sumPhase(id, steps) : null,
    id,
    mode,
    skipped,
    steps: enabled ? steps : [],
    title,
  };
}

function sumPhase(id: ShutdownPlanPhaseView['id'], steps: ShutdownPlanStepView[]): number {
  if (id !== 'remote') return steps.reduce((n, s) => n + (s.timeoutS ?? 0), 0);
  // Servers of one order run together: a phase takes as long as its slowest budget.
  const byOrder = new Map<number, number>();
  let loopback = 0;
  for (const step of steps) {
    if (step.order === null) loopback += step.timeoutS ?? 0;
    else byOrder.set(step.order, Math.max(byOrder.get(step.order) ?? 0, step.timeoutS ?? 0));
  }
  return loopback + [...byOrder.values()].reduce((n, v) => n + v, 0);
}

function remoteActions(server: RemoteServerPlan): string[] {
  return [
    ...server.preCommands.map((c) => (c.custom ? 'custom command' : c.label)),
    'shutdown command',
  ];
}

function remoteSteps(plan: ShutdownPlan): ShutdownPlanStepView[] {
  const step = (s: RemoteServerPlan, order: number | null): ShutdownPlanStepView => ({
    title: s.isLoopback ? `${s.name} (host loopback)` : s.name,
    target: s.user === '' ? s.host : `${s.user}@${s.host}`,
    actions: remoteActions(s),
    order,
    timeoutS: s.budgetSec,
  });
  return [
    ...plan.remote.loopback.map((s) => step(s, null)),
    ...plan.remote.phases.flatMap((p) => p.servers.map((s) => step(s, p.order))),
  ];
}

function localPoweroffSkip(group: ShutdownGroupInput, config: PlanConfigInput): string | null {
  const local = config.local_shutdown;
  // A redundancy group (it has `ups_sources`) powers the host off only when it is local itself.
  const redundancy = Array.isArray((group as { ups_sources?: unknown }).ups_sources);
  let runs: boolean;
  if (redundancy) runs = local.enabled && group.is_local;
  else
    runs = isCoordinatorMode(config)
      ? groupTriggersLocalShutdown(group, local, config.ups)
      : local.enabled;
  if (runs) return null;
  if (!group.is_local) return 'non-local group';
  if (!local.enabled) return 'local_shutdown disabled';
  return 'trigger_on: none';
}

export function buildShutdownPlanView(
  group: ShutdownGroupInput,
  config: PlanConfigInput,
  opts: { delegated?: boolean } = {},
): ShutdownPlanView {
  const plan = buildShutdownPlan(group);
  const local = plan.local;
  const nonLocal = 'non-local group';
  const phases: ShutdownPlanPhaseView[] = [];
  phases.push(
    phase('vms', 'Virtual machines', local ? (local.vms.enabled ? null : 'disabled') : nonLocal, [
      {
        title: 'Shut down running VMs, destroy survivors',
        target: null,
        actions: ['virsh shutdown', 'virsh destroy'],
        order: null,
        timeoutS: local?.vms.maxWaitSec ?? null,
      },
    ]),
  );
  const containerSteps: ShutdownPlanStepView[] = (local?.containers.composeFiles ?? []).map(
    (f) => ({
      title: `Compose down ${f.path}`,
      target: null,
      actions: ['compose down'],
      order: null,
      timeoutS: f.stopTimeoutSec,
    }),
  );
  if (local?.containers.stopRemaining) {
    containerSteps.push({
      title: 'Stop remaining containers',
      target: null,
      actions: ['stop'],
      order: null,
      timeoutS: local.containers.stopTimeoutSec,
    });
  }
  phases.push(
    phase(
      'containers',
      'Containers',
      local
        ? local.containers.enabled
          ? containerSteps.length > 0
            ? null
            : 'nothing to stop'
          : 'disabled'
        : nonLocal,
      containerSteps,
    ),
  );
  const syncStep: ShutdownPlanStepView = {
    title: 'sync',
    target: null,
    actions: ['sync'],
    order: null,
    timeoutS: SYNC_BOUND_SEC,
  };
  phases.push(
    phase(
      'filesystem-sync',
      'Filesystem sync',
      local ? (local.sync ? null : 'disabled') : nonLocal,
      [syncStep],
    ),
  );
  const unmountSteps: ShutdownPlanStepView[] = (local?.unmount.mounts ?? []).map((m) => ({
    title: `Unmount ${m.path}`,
    target: null,
    actions: ['umount', ...m.options],
    order: null,
    timeoutS: local?.unmount.timeoutSec ?? null,
  }));
  phases.push(
    phase(
      'filesystem-unmount',
      'Filesystem unmount',
      local
        ? local.unmount.enabled
          ? unmountSteps.length > 0
            ? null
            : 'no mounts configured'
          : 'disabled'
        : nonLocal,
      unmountSteps,
    ),
  );
  const remote = remoteSteps(plan);
  const parallel = plan.remote.phases.some((p) => p.servers.length > 1);
  phases.push(
    phase(
      'remote',
      'Remote servers',
      remote.length > 0 ? null : 'none configured',
      remote,
      parallel ? 'parallel' : 'sequential',
    ),
  );
  phases.push(
    phase(
      'final-sync',
      'Final filesystem sync',
      local ? (local.sync ? null : 'disabled') : nonLocal,
      [syncStep],
    ),
  );
  const poweroffSkip = localPoweroffSkip(group, config);
  phases.push(
    phase('local-poweroff', 'Local host poweroff', poweroffSkip, [
      {
        title: 'Power off this host',
        target: null,
        actions: ['local_shutdown.command'],
        order: null,
        timeoutS: LOCAL_COMMAND_BOUND_SEC,
      },
    ]),
  );
  const estimates = phases.map((p) => p.estimateS).filter((e): e is number => e !== null);
  return {
    coordinatorMode: isCoordinatorMode(config),
    delegated: opts.delegated === true,
    dryRun: config.behavior.dry_run,
    isLocal: group.is_local,
    note: group.is_local ? LOCAL_NOTE : NON_LOCAL_NOTE,
    phases,
    totalEstimateS: estimates.length > 0 ? estimates.reduce((a, b) => a + b, 0) : null,
  };
}

function serverLine(server: RemoteServerPlan): string {
  const target = server.user === '' ? server.host : `${server.user}@${server.host}`;
  const pre = server.preCommands.map((c) =>
    c.skipReason
      ? `${c.label} [skipped: ${c.skipReason}]`
      : `${c.custom ? `'${c.command ?? ''}'` : c.label} (${c.timeoutSec}s)`,
  );
  return `${server.name} (${target}): ${[...pre, `'${server.finalCommand}'`].join(' -> ')} [budget ${server.budgetSec}s]`;
}

/** The shutdown tree of one group for `eneru validate` (lines without a trailing newline). */
export function renderShutdownTree(group: ShutdownGroupInput, config: PlanConfigInput): string[] {
  const plan = buildShutdownPlan(group);
  const lines: string[] = [];
  const local = plan.local;
  if (local) {
    lines.push(
      local.vms.enabled
        ? `VMs: virsh shutdown, destroy after ${local.vms.maxWaitSec}s`
        : 'VMs: disabled',
    );
    if (local.containers.enabled) {
      const parts = local.containers.composeFiles.map(
        (f) => `compose down ${f.path} (-t ${f.stopTimeoutSec})`,
      );
      if (local.containers.stopRemaining)
        parts.push(`stop remaining (-t ${local.containers.stopTimeoutSec})`);
      if (local.containers.includeUserContainers) parts.push('include rootless user containers');
      lines.push(
        `Containers (${local.containers.runtime}): ${parts.join(', ') || 'nothing to stop'}`,
      );
    } else lines.push('Containers: disabled');
    lines.push(`Filesystem sync: ${local.sync ? 'enabled' : 'disabled'}`);
    lines.push(
      local.unmount.enabled
        ? `Unmount (timeout ${local.unmount.timeoutSec}s): ${local.unmount.mounts.map((m) => [...m.options, m.path].join(' ')).join(', ') || 'no mounts'}`
        : 'Unmount: disabled',
    );
  } else lines.push('Local resources: none (non-local group)');
  const phases = plan.remote.phases;
  const count = plan.remote.loopback.length + phases.reduce((n, p) => n + p.servers.length, 0);
  if (count === 0) lines.push('Remote servers: none');
  else {
    lines.push(`Remote servers: ${count} in ${phases.length} phase(s)`);
    for (const server of plan.remote.loopback) lines.push(`  Host loopback: ${serverLine(server)}`);
    phases.forEach((p, index) => {
      lines.push(
        `  Phase ${index + 1}/${phases.length} (order=${p.order})${p.servers.length > 1 ? ', parallel' : ''}:`,
      );
      for (const server of p.servers) lines.push(`    ${serverLine(server)}`);
    });
  }
  const poweroffSkip = localPoweroffSkip(group, config);
  if (poweroffSkip !== null) lines.push(`Local shutdown: no (${poweroffSkip})`);
  else {
    let localPlan;
    try {
      localPlan = buildLocalShutdownPlan(config.local_shutdown);
    } catch (error) {
      lines.push(
        `Local shutdown: INVALID command (${error instanceof Error ? error.message : String(error)})`,
      );
      return lines;
    }
    lines.push(
      `Local shutdown: ${localPlan.argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}${config.behavior.dry_run ? ' (dry-run: logged only)' : ''}`,
    );
  }
  return lines;
}
