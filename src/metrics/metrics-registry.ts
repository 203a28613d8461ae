/**
 * eneru's Prometheus exposition: the original's catalogue (rendered from live state by
 * catalogue.ts) followed by self-metrics the original lacks, kept in its own prom-client
 * `Registry` (never the global one): build info, per-UPS poll duration, SQLite write failures,
 * and prom-client's process / event-loop-lag metrics. Everything is read at scrape time; the
 * monitor only reports poll durations.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { LiveStateStore } from '../monitor/live-state.js';
import { catalogueFamilies } from './catalogue.js';
import { expositionChunks } from './exposition.js';
import { PollDurationHistogram } from './poll-histogram.js';
import { labelValue } from './values.js';

export interface MetricsRegistryOptions {
  live: LiveStateStore;
  /** eneru's package.json version (`eneru_build_info{version}`). */
  version: string;
  /** Adds prom-client's `process_*` / `nodejs_*` metrics on `start()` (default true). */
  processMetrics?: boolean;
}

/** The poll-duration buckets in seconds: NUT answers in milliseconds, timeouts take seconds. */
const POLL_BUCKETS_SEC = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What `text/plain` scrapes are served as (the original sends no `version=0.0.4`). */
export const METRICS_CONTENT_TYPE = 'text/plain; charset=utf-8';

export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly live: LiveStateStore;
  private readonly processMetrics: boolean;
  private readonly pollDuration = new PollDurationHistogram(POLL_BUCKETS_SEC);
  private readonly writeFailureSources = new Map<string, () => number>();
  private started = false;

  constructor(options: MetricsRegistryOptions) {
    this.live = options.live;
    this.processMetrics = options.processMetrics ?? true;
    const version = options.version;
    new Gauge({
      name: 'eneru_build_info',
      help: 'eneru build information (always 1).',
      labelNames: ['version', 'node_version'],
      registers: [this.registry],
      collect() {
        this.set({ version, node_version: process.version }, 1);
      },
    });
    const sources = this.writeFailureSources;
    const live = this.live;
    new Counter({
      name: 'eneru_sqlite_write_failures_total',
      help: 'Failed SQLite statistics writes (batches) per UPS since the daemon started.',
      labelNames: ['ups', 'label'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [groupId, read] of sources) {
          const entry = live.find(groupId);
          const name = entry?.identity.name ?? groupId;
          const label = entry?.identity.label ?? groupId;
          const value = read();
          if (Number.isFinite(value) && value >= 0) {
            this.inc({ ups: labelValue(name), label: labelValue(label) }, value);
          }
        }
      },
    });
  }

  /** Adds the process and event-loop metrics (prom-client's default collectors). Idempotent. */
  start(): void {
    if (this.started || !this.processMetrics) return;
    this.started = true;
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
  }

  /** Forgets every metric; never throws. */
  stop(): void {
    this.registry.clear();
    this.pollDuration.clear();
    this.writeFailureSources.clear();
  }

  /** Called by the monitor after each poll (good or bad). */
  observePollDuration(groupId: string, label: string, seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    if (!this.pollDuration.tracks(groupId)) {
      this.pollDuration.track(groupId, this.live.find(groupId)?.identity.name ?? groupId, label);
    }
    this.pollDuration.observe(groupId, seconds);
  }

  /** The store's failure counter of one UPS (read at scrape time). */
  setWriteFailureSource(groupId: string, read: () => number): void {
    this.writeFailureSources.set(groupId, read);
  }

  /**
   * The exposition text in chunks (see `expositionChunks`): the catalogue first, then the
   * self-metrics (the poll-duration histogram, then prom-client's: build info, SQLite failures,
   * process). Chunks are produced as they are consumed, so a slow scraper holds back only the
   * formatting, never the monitor.
   */
  exposition(): AsyncGenerator<string> {
    return expositionChunks(this.families());
  }

  private async *families(): AsyncGenerator<Iterable<string>> {
    yield* catalogueFamilies(this.live);
    yield this.pollDuration.family();
    // prom-client spells NaN `Nan`; Prometheus accepts both, but the original and most tools print `NaN`.
    yield [(await this.registry.metrics()).replace(/ Nan$/gm, ' NaN').trimEnd()];
  }
}
