/**
 * The redundancy-group evaluator loop (core spec §7): every second, read the members' latest
 * snapshots from the live state, classify and count them with the pure quorum functions, log
 * the LOST / restored edges, run the group's shutdown executor once per loss, re-arm it on
 * recovery, and publish the `redundancyGroups` rows. Guarantees: no action before the startup
 * grace has passed (rows are published from the start); the executor never runs twice at once
 * for a group, and its re-arm waits until a running shutdown ends; a fault in one tick is
 * logged and the next tick runs.
 */
import {
  evaluateQuorum,
  initialQuorumTracker,
  redundancyGroupSnapshot,
  type MemberPolicy,
  type QuorumGroupPolicy,
  type QuorumMember,
  type QuorumTracker,
} from '../domain/redundancy.js';
import type { RedundancyGroupSnapshot } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import { sleep } from './abortable-sleep.js';
import type { LiveStateStore } from './live-state.js';

/** What the evaluator calls on a quorum loss (src/shutdown RedundancyShutdownExecutor fits). */
export interface RedundancyExecutorPort {
  /** Resolves false when the run was suppressed (its flag already existed). */
  execute(reason: string): Promise<boolean>;
  /** Quorum recovered: clear the group's flag. */
  rearm(): void;
}

export interface RedundancyGroupSpec {
  policy: QuorumGroupPolicy;
  /** Members in `ups_sources` order with their own timing (check interval, tolerance, grace). */
  members: { name: string; timing: Omit<MemberPolicy, 'triggers'> }[];
  executor: RedundancyExecutorPort;
}

export interface RedundancyEvaluatorDeps {
  groups: RedundancyGroupSpec[];
  live: LiveStateStore;
  logger: Logger;
  clock: () => { monoMs: number; wallMs: number };
  /** 1000 in production (core §7). */
  tickMs?: number;
}

interface GroupState {
  spec: RedundancyGroupSpec;
  tracker: QuorumTracker;
  row: RedundancyGroupSnapshot;
  running: Promise<void> | null;
  rearmPending: boolean;
}

export class RedundancyEvaluator {
  private readonly abort = new AbortController();
  private readonly states: GroupState[] = [];
  private loops: Promise<void>[] = [];

  constructor(private readonly deps: RedundancyEvaluatorDeps) {}

  start(): void {
    if (this.loops.length > 0) return;
    const now = this.deps.clock();
    for (const spec of this.deps.groups) {
      const tracker = initialQuorumTracker(now.monoMs);
      const evaluation = evaluateQuorum(spec.policy, this.members(spec), tracker, now);
      this.states.push({
        spec,
        tracker,
        row: redundancyGroupSnapshot(spec.policy, evaluation),
        running: null,
        rearmPending: false,
      });
    }
    this.publish();
    this.loops = this.states.map((state) => this.loop(state));
  }

  /** Stops the loops; a group whose shutdown is not running gets its flag cleared (graceful exit). */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    for (const state of this.states) {
      if (!state.running) state.spec.executor.rearm();
    }
  }

  /** Resolves when no group's shutdown is running (for the daemon's bounded stop). */
  async idle(): Promise<void> {
    await Promise.all(
      this.states.map((s) => s.running).filter((p): p is Promise<void> => p !== null),
    );
  }

  rows(): RedundancyGroupSnapshot[] {
    return this.states.map((s) => s.row);
  }

  private members(spec: RedundancyGroupSpec): QuorumMember[] {
    return spec.members.map((member) => {
      const entry = this.deps.live.find(member.name);
      return {
        name: member.name,
        timing: member.timing,
        hasMonitor: entry !== undefined,
        snapshot: entry?.snapshot ?? null,
      };
    });
  }

  private publish(): void {
    this.deps.live.setRedundancyGroups(this.rows());
  }

  private async loop(state: GroupState): Promise<void> {
    const { policy } = state.spec;
    const logger = this.deps.logger.child({ group: `redundancy:${policy.name}` });
    const tickMs = this.deps.tickMs ?? 1000;
    const startupMs = policy.startupGraceSec * 1000;
    logger.info(
      `Redundancy group '${policy.name}' evaluator started (${policy.upsSources.length} sources, min_healthy=${policy.minHealthy}, startup_grace=${policy.startupGraceSec}s)`,
    );
    const startedMono = this.deps.clock().monoMs;
    while (!this.abort.signal.aborted) {
      await sleep(tickMs, this.abort.signal);
      if (this.abort.signal.aborted) break;
      try {
        if (this.deps.clock().monoMs - startedMono < startupMs) this.preview(state);
        else this.tick(state, logger);
      } catch (error) {
        logger.error(
          `Redundancy evaluation failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      this.publish();
    }
  }

  /** During the startup sleep: rows only, no edges, no actions. */
  private preview(state: GroupState): void {
    const evaluation = evaluateQuorum(
      state.spec.policy,
      this.members(state.spec),
      state.tracker,
      this.deps.clock(),
    );
    state.row = redundancyGroupSnapshot(state.spec.policy, evaluation);
  }

  private tick(state: GroupState, logger: Logger): void {
    const { spec } = state;
    const evaluation = evaluateQuorum(
      spec.policy,
      this.members(spec),
      state.tracker,
      this.deps.clock(),
    );
    state.tracker = evaluation.tracker;
    state.row = redundancyGroupSnapshot(spec.policy, evaluation);
    for (const note of evaluation.notes) logger[note.level](note.message);
    if (evaluation.transition === 'restored') {
      if (state.running) state.rearmPending = true;
      else spec.executor.rearm();
    }
    if (evaluation.fire && !state.running) {
      state.running = spec.executor
        .execute(evaluation.reason)
        .then(() => undefined)
        .catch((error: unknown) =>
          logger.error(
            `Redundancy group shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
        )
        .finally(() => {
          state.running = null;
          if (state.rearmPending) {
            state.rearmPending = false;
            spec.executor.rearm();
          }
        });
    }
  }
}
