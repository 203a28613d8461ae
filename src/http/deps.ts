/**
 * What the HTTP server is built from. Everything is injected by the composition root: the live
 * state store (never NUT), the statistics readers, the metrics renderer and the readiness
 * function, so the server can run in-process in tests exactly as in the daemon.
 */
import { authEffectivelyActive } from '../config/auth-state.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../logging/types.js';
import type { LiveStateStore } from '../monitor/live-state.js';
import type { ReadinessReport } from '../monitor/readiness.js';
import type { LoopbackDelegate } from '../monitor/ups-document.js';
import type { StatsAccess } from './stats-access.js';

/** The Prometheus registry as the server sees it (adapters never import each other). */
export interface MetricsSource {
  /** The exposition text in chunks, produced as they are sent. */
  exposition(): AsyncIterable<string>;
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
   * Default: the config module's rule (explicit `api.auth.enabled` wins; unset = the auth DB
   * has a user), re-evaluated at most every 5 s like the original.
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
  const nowMs = deps.nowMs ?? (() => Date.now());
  const authActive = deps.authActive ?? cachedAuthCheck(current, nowMs);
  return {
    ...deps,
    config: current,
    auth: () => {
      const active = authActive();
      return { active, requireForReads: active && current().api.auth.require_for_reads };
    },
    nowMs,
    loopbackDelegate: deps.runtime.loopbackDelegate ?? (() => ({ configured: false })),
  };
}

const AUTH_CACHE_MS = 5_000;

function cachedAuthCheck(config: () => Config, nowMs: () => number): () => boolean {
  let cached: { active: boolean; atMs: number } | null = null;
  return () => {
    const api = config().api;
    if (api.auth.enabled !== null) return api.auth.enabled;
    const now = nowMs();
    if (cached === null || now - cached.atMs >= AUTH_CACHE_MS || now < cached.atMs) {
      cached = { active: authEffectivelyActive(api), atMs: now };
    }
    return cached.active;
  };
}
