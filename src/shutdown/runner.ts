/**
 * Executes one group's shutdown sequence (core spec §8.1 steps 1–6) from the pure plan: banner,
 * wall, local phases (VMs, containers, sync, unmount — local groups only, each best-effort),
 * remote phases, final sync. It never powers the host off itself: that is the local poweroff
 * step (local-poweroff.ts), run once for the whole daemon. Dry-run executes nothing — not even
 * ssh or `virsh list` — and logs `[DRY-RUN] Would ...` for every step it would take.
 */
import { buildShutdownPlan } from '../domain/shutdown-plan.js';
import type { LocalShutdownInput, ShutdownGroupInput } from '../domain/shutdown-plan-types.js';
import type { NotificationRequest } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import { runSsh } from '../ssh/index.js';
import { abortableSleep, timedStep, type StepContext, type StepResult } from './context.js';
import { describeFailure, type CommandExecutor } from './executor.js';
import { stopContainers } from './local-containers.js';
import { syncFilesystems, unmountFilesystems } from './local-filesystems.js';
import { shutdownVms } from './local-vms.js';
import { detectOwnContainerId } from './own-container.js';
import { runRemotePhases, type RemotePhaseOutcome } from './remote-phase.js';
import type { RemoteContext, SshRunner } from './remote-server.js';

export interface ShutdownGroup {
  /** Log/notification label: the UPS label, or `redundancy:<name>`. */
  label: string;
  kind: 'ups' | 'redundancy';
  config: ShutdownGroupInput;
}

export interface ShutdownRunnerDeps {
  logger: Logger;
  executor: CommandExecutor;
  /** `runSsh` by default. */
  ssh?: SshRunner;
  recordEvent: (eventType: string, detail: string) => void;
  notify?: (notification: NotificationRequest) => void;
  localShutdown: LocalShutdownInput;
  /** Monotonic ms; `performance.now` by default. */
  nowMs?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Running in a container: no wall broadcast. */
  inContainer?: boolean;
  knownHostsFile?: string | null;
  /** eneru's own container, never stopped; detected from /proc at sequence time when undefined. */
  ownContainerId?: string | null;
  /** 5000 by default (core §8.1); tests shorten it. */
  vmPollIntervalMs?: number;
  /** 30 by default (core §8.2); tests shorten it. */
  commandSlackSec?: number;
}

export interface SequenceOptions {
  dryRun: boolean;
  /** Coordinator mode (multi-UPS or redundancy groups): the poweroff is the coordinator's. */
  coordinator: boolean;
  /** Container with a host-loopback delegate: local phases run through the delegate instead. */
  delegated?: boolean;
  signal?: AbortSignal;
}

export interface SequenceResult {
  group: string;
  reason: string;
  dryRun: boolean;
  coordinator: boolean;
  delegated: boolean;
  isLocal: boolean;
  steps: StepResult[];
  remote: RemotePhaseOutcome;
  durationMs: number;
  /** Every step and every remote server succeeded. */
  ok: boolean;
}

export const WALL_TIMEOUT_MS = 10_000;

export class ShutdownRunner {
  private readonly nowMs: () => number;

  constructor(private readonly deps: ShutdownRunnerDeps) {
    this.nowMs = deps.nowMs ?? (() => performance.now());
  }

  private context(logger: Logger, opts: SequenceOptions): RemoteContext {
    const d = this.deps;
    return {
      executor: d.executor,
      logger,
      dryRun: opts.dryRun,
      signal: opts.signal,
      nowMs: this.nowMs,
      sleep: d.sleep ?? abortableSleep,
      vmPollIntervalMs: d.vmPollIntervalMs ?? 5000,
      ownContainerId: d.ownContainerId !== undefined ? d.ownContainerId : detectOwnContainerId(),
      ssh: d.ssh ?? runSsh,
      notify: d.notify ?? (() => undefined),
      commandSlackSec: d.commandSlackSec ?? 30,
      knownHostsFile: d.knownHostsFile ?? null,
    };
  }

  private wall(ctx: StepContext): Promise<StepResult> {
    return timedStep('wall', 'Wall broadcast', ctx, async () => {
      const message =
        `UPS power failure: emergency shutdown in progress. ${this.deps.localShutdown.message}`.trim();
      const result = await ctx.executor.run(['wall', message], {
        timeoutMs: WALL_TIMEOUT_MS,
        signal: ctx.signal,
      });
      if (result.exitCode === 0) return { ok: true, detail: 'sent' };
      ctx.logger.warn(`wall broadcast failed: ${describeFailure(result)}`);
      return { ok: false, detail: describeFailure(result) };
    });
  }

  async runGroupSequence(
    group: ShutdownGroup,
    reason: string,
    opts: SequenceOptions,
  ): Promise<SequenceResult> {
    const logger = this.deps.logger.child({ group: group.label, category: 'shutdown' });
    const ctx = this.context(logger, opts);
    const started = this.nowMs();
    const plan = buildShutdownPlan(group.config);
    const delegated = opts.delegated === true;
    const steps: StepResult[] = [];

    if (group.kind === 'ups') {
      logger.error('INITIATING EMERGENCY SHUTDOWN SEQUENCE');
      logger.info(`Reason: ${reason}`);
    }
    if (opts.dryRun) logger.warn('*** DRY-RUN MODE: No actual shutdown will occur ***');
    if (delegated) {
      this.deps.recordEvent(
        'DELEGATED_SHUTDOWN_INITIATED',
        'host-loopback SSH delegate will execute local actions',
      );
    }

    if (this.deps.localShutdown.wall) {
      if (opts.dryRun) logger.info('[DRY-RUN] Would broadcast a wall message');
      else if (!this.deps.inContainer) steps.push(await this.wall(ctx));
    }

    const local = delegated ? null : plan.local;
    if (local) {
      if (local.vms.enabled) steps.push(await shutdownVms(local.vms, ctx));
      if (local.containers.enabled) steps.push(await stopContainers(local.containers, ctx));
      if (local.sync) steps.push(await syncFilesystems('filesystem-sync', ctx));
      if (local.unmount.enabled) steps.push(await unmountFilesystems(local.unmount, ctx));
    }

    let remote: RemotePhaseOutcome;
    try {
      remote = await runRemotePhases(plan.remote, ctx);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      logger.error(`Remote phase failed unexpectedly: ${detail}`);
      remote = { results: [], summary: `Remote phase failed: ${detail}`, ok: false, durationMs: 0 };
    }

    if (local?.sync) steps.push(await syncFilesystems('final-sync', ctx));

    const durationMs = Math.round(this.nowMs() - started);
    const result: SequenceResult = {
      group: group.label,
      reason,
      dryRun: opts.dryRun,
      coordinator: opts.coordinator,
      delegated,
      isLocal: group.config.is_local,
      steps,
      remote,
      durationMs,
      ok: steps.every((s) => s.ok) && remote.ok,
    };
    for (const line of summaryLines(result)) logger.info(line);
    if (opts.coordinator && group.kind === 'ups') logger.info('GROUP SHUTDOWN SEQUENCE COMPLETE');
    return result;
  }
}

/** One line per step and per remote server, with outcome and duration. */
export function summaryLines(result: SequenceResult): string[] {
  const lines = result.steps.map((s) =>
    `  ${s.name}: ${s.skipped ? 'skipped' : s.ok ? 'ok' : 'FAILED'} (${(s.durationMs / 1000).toFixed(1)}s) ${s.detail}`.trimEnd(),
  );
  for (const r of result.remote.results) {
    const state = r.dry_run
      ? 'dry-run'
      : r.shutdown_sent && r.error === null && !r.timed_out
        ? r.unconfirmed
          ? 'sent (unconfirmed)'
          : 'sent'
        : r.timed_out
          ? 'TIMED OUT'
          : 'FAILED';
    const pre =
      r.pre_commands.attempted + r.pre_commands.failed > 0
        ? `, pre-commands ${r.pre_commands.attempted} run/${r.pre_commands.failed} failed`
        : '';
    lines.push(
      `  Remote ${r.server}: ${state} (${(r.durationMs / 1000).toFixed(1)}s${pre})${r.error ? ` ${r.error}` : ''}`,
    );
  }
  return [
    `Shutdown sequence summary for ${result.group} (${(result.durationMs / 1000).toFixed(1)}s):`,
    ...lines,
  ];
}
