/**
 * What the HTTP server is built from. Everything is injected by the composition root: the live
 * state store (never NUT), the statistics readers, the metrics renderer and the readiness
 * function, so the server can run in-process in tests exactly as in the daemon.
 */
import type { Config } from '../config/types.js';
import type { Logger } from '../logging/types.js';
import type { LiveStateStore } from '../monitor/live-state.js';
import type { ReadinessReport } from '../monitor/readiness.js';
import type { LoopbackDelegate } from '../monitor/ups-document.js';
import type { StatsAccess } from './stats-access.js';

/** The Prometheus registry as the server sees it (adapters never import each other). */
export interface MetricsSource {
  render(): Promise<string>;
}

export interface HttpDeps {
  /** The running config; a function when hot reload can replace it (prometheus.enabled is live). */
  config: Config | (() => Config);
  live: LiveStateStore;
  stats: StatsAccess;
  /** eneru's package.json version. */
  version: string;
  runtime: { context: string; container: boolean; loopbackDelegate?: () => LoopbackDelegate };
  logger: Logger;
  metrics: MetricsSource;
  readiness: () => ReadinessReport;
  /** Wall clock (epoch ms); injectable for tests. */
  nowMs?: () => number;
  /**
   * Whether API auth is effectively active (observability §1; pass the config module's
   * `authEffectivelyActive`). eneru does not implement sign-in yet, so an active auth makes the
   * server fail closed: writes 401, reads 401 under `require_for_reads`, login 503.
   * Default: `api.auth.enabled === true`.
   */
  authActive?: () => boolean;
}

export interface AuthView {
  active: boolean;
  requireForReads: boolean;
}

export interface ResolvedDeps extends Omit<HttpDeps, 'config' | 'nowMs' | 'authActive'> {
  config: () => Config;
  nowMs: () => number;
  loopbackDelegate: () => LoopbackDelegate;
  auth: () => AuthView;
}

export function resolveDeps(deps: HttpDeps): ResolvedDeps {
  const { config } = deps;
  const current = typeof config === 'function' ? config : () => config;
  const authActive = deps.authActive ?? (() => current().api.auth.enabled === true);
  return {
    ...deps,
    config: current,
    auth: () => {
      const active = authActive();
      return { active, requireForReads: active && current().api.auth.require_for_reads };
    },
    nowMs: deps.nowMs ?? (() => Date.now()),
    loopbackDelegate: deps.runtime.loopbackDelegate ?? (() => ({ configured: false })),
  };
}
