/**
 * One poll loop per UPS: read NUT, hand the reading to the pure `advance()`, publish the new
 * snapshot, pass events and samples to the sinks, and sleep *after* the poll (check_interval
 * after success, the retry wait after a failure) so a slow poll delays the next one instead of
 * piling up. Nothing a sink does can stop the loop: sink failures are logged and counted.
 */
import { performance } from 'node:perf_hooks';
import type { NutClient } from '../nut/index.js';
import {
  advance,
  applyNominal,
  initialState,
  nextPollDelayMs,
  persistedOutage,
  toSnapshot,
  type AdvanceResult,
  type MonitorPolicy,
  type PersistedOutage,
  type UpsState,
} from '../domain/advance.js';
import type { Clock, PollOutcome, UpsSnapshot } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import { LoopSleeper } from './abortable-sleep.js';
import type { LiveStateStore, UpsIdentity } from './live-state.js';
import { readPoll, type NutError } from '../nut/index.js';
import { UpsNameDiscovery } from './ups-name-discovery.js';
import type { MonitorSink } from './sink.js';

/** The original waits up to 6 polls 5 s apart at startup before warning that NUT is down. */
const STARTUP_FAILED_POLLS_BEFORE_WARNING = 6;
/** While on battery the outage is persisted at most this often (and on every transition). */
const OUTAGE_PERSIST_INTERVAL_MS = 10_000;

export interface OutageStore {
  load(): PersistedOutage | null;
  save(outage: PersistedOutage | null): void;
}

export interface UpsMonitorDeps {
  identity: UpsIdentity;
  policy: MonitorPolicy;
  /** The UPS part of `ups@host:port`, as upsd knows it. */
  nutUpsName: string;
  client: NutClient;
  live: LiveStateStore;
  sink: MonitorSink;
  outage: OutageStore;
  logger: Logger;
  clock: () => Clock;
  shutdownInProgress: () => boolean;
}

export class UpsMonitor {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private state: UpsState | null = null;
  private lastOutageJson = 'null';
  private everSucceeded = false;
  private failedStartupPolls = 0;
  /** The UPS name sent to upsd: the configured one unless autodiscovery replaced it. */
  private pollName: string;
  private readonly discovery: UpsNameDiscovery;
  private lastOutageSaveMs = 0;
  private pollPolicy: MonitorPolicy | null = null;

  constructor(private readonly deps: UpsMonitorDeps) {
    this.pollName = deps.nutUpsName;
    this.discovery = new UpsNameDiscovery(deps.nutUpsName);
  }

  start(): void {
    if (this.loop) return;
    const { deps } = this;
    this.state = initialState(deps.policy, deps.clock(), deps.outage.load());
    deps.live.register(deps.identity, toSnapshot(this.state, deps.clock()));
    this.loop = this.run().catch((error: unknown) => {
      deps.logger.error(`Monitor loop stopped unexpectedly: ${describe(error)}`);
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.persistOutage(true);
  }

  snapshot(): UpsSnapshot | null {
    return this.state ? toSnapshot(this.state, this.deps.clock()) : null;
  }

  private async run(): Promise<void> {
    const { deps } = this;
    const signal = this.abort.signal;
    const sleeper = new LoopSleeper(signal);
    while (!signal.aborted) {
      const started = performance.now();
      const previousVars = this.requireState().vars;
      const outcome = await readPoll(deps.client, this.pollName, signal, previousVars);
      if (signal.aborted) break;
      const durationMs = performance.now() - started;
      if (outcome.kind === 'ok') this.onGoodPoll(outcome.vars, durationMs);
      else await this.onFailedPoll(outcome.error, signal);
      const result = this.step(outcome, durationMs);
      await sleeper.sleep(nextPollDelayMs(result, deps.policy));
    }
  }

  /** The first good poll is logged and gives the nominal voltage (core §3.4). */
  private onGoodPoll(vars: Readonly<Record<string, string>>, durationMs: number): void {
    const { deps } = this;
    if (this.everSucceeded) return;
    this.everSucceeded = true;
    deps.logger.info(
      `First poll of ${deps.identity.name}: ups.status=${vars['ups.status'] ?? ''} (${Math.round(durationMs)} ms)`,
    );
    this.state = applyNominal(this.requireState(), deps.policy, {
      nominal: vars['input.voltage.nominal'] ?? null,
      transferLow: vars['input.transfer.low'] ?? null,
      transferHigh: vars['input.transfer.high'] ?? null,
    });
  }

  private async onFailedPoll(error: NutError, signal: AbortSignal): Promise<void> {
    const { deps } = this;
    if (!this.everSucceeded && ++this.failedStartupPolls === STARTUP_FAILED_POLLS_BEFORE_WARNING) {
      deps.logger.warn(
        `UPS ${deps.identity.name} has not answered for ${STARTUP_FAILED_POLLS_BEFORE_WARNING} polls; monitoring continues and keeps retrying.`,
      );
    }
    if (error.code !== 'UNKNOWN-UPS') return;
    const replacement = await this.discovery.afterUnknownUps({
      client: deps.client,
      logger: deps.logger,
      nowMonoMs: deps.clock().monoMs,
      onBattery: /(^|\s)OB(\s|$)/.test(this.requireState().status),
      signal,
    });
    if (replacement !== null) this.pollName = replacement;
  }

  private step(outcome: PollOutcome, durationMs: number): AdvanceResult {
    const { deps } = this;
    const clock = deps.clock();
    const result = advance(this.requireState(), { ...clock, outcome, durationMs }, this.policy());
    this.state = result.state;
    const snapshot = toSnapshot(result.state, clock);
    deps.live.update(deps.identity.groupId, snapshot);
    for (const note of result.notes) {
      deps.logger[note.level](note.message, {
        ...(note.category ? { category: note.category } : {}),
        ...(note.eventType ? { event_type: note.eventType } : {}),
      });
    }
    this.guard('poll sink', () => deps.sink.onPoll({ outcome, snapshot, durationMs, clock }));
    for (const event of result.events) this.guard('event sink', () => deps.sink.onEvent(event));
    for (const notification of result.notifications) {
      this.guard('notification sink', () => deps.sink.onNotification(notification));
    }
    for (const command of result.commands) {
      this.guard('command handler', () => deps.sink.onCommand(command));
    }
    this.persistOutage(result.events.length > 0 || result.commands.length > 0);
    return result;
  }

  /**
   * The policy for this poll: the configured one plus whether a shutdown is in progress. Copied
   * only when that flag flips, not on every poll (`advance()` never keeps or changes it).
   */
  private policy(): MonitorPolicy {
    const inProgress = this.deps.shutdownInProgress();
    if (this.pollPolicy?.shutdownInProgress !== inProgress) {
      this.pollPolicy = { ...this.deps.policy, shutdownInProgress: inProgress };
    }
    return this.pollPolicy;
  }

  private persistOutage(force: boolean): void {
    if (!this.state) return;
    const outage = persistedOutage(this.state);
    const nowMs = this.deps.clock().monoMs;
    const transition = (outage === null) !== (this.lastOutageJson === 'null');
    // Gate before serialising: on battery the depletion history changes every poll, and
    // stringifying it each time for every UPS would be wasted work on the hot path.
    if (!force && !transition && nowMs - this.lastOutageSaveMs < OUTAGE_PERSIST_INTERVAL_MS) return;
    const json = JSON.stringify(outage);
    if (json === this.lastOutageJson) return;
    this.guard('outage store', () => this.deps.outage.save(outage));
    this.lastOutageJson = json;
    this.lastOutageSaveMs = nowMs;
  }

  private guard(what: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.deps.logger.error(`${what} failed: ${describe(error)}`);
    }
  }

  private requireState(): UpsState {
    if (!this.state) throw new Error('monitor used before start()');
    return this.state;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
