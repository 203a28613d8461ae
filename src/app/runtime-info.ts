/**
 * The `runtime` block of the API and MQTT documents: where eneru runs and, in a container, the
 * host-loopback SSH delegate that performs local actions, with its latest health.
 */
import type { Config } from '../config/index.js';
import type { LiveStateStore } from '../monitor/live-state.js';
import type { LoopbackDelegate, RuntimeInfo } from '../monitor/ups-document.js';

export function loopbackDelegate(config: Config, live: LiveStateStore): LoopbackDelegate {
  const groups = [...config.ups, ...config.redundancy_groups];
  for (const group of groups) {
    const server = group.remote_servers.find((s) => s.enabled && s.is_host_loopback);
    if (!server) continue;
    const row = live.remoteHealthRows().find((r) => r.is_host_loopback && r.host === server.host);
    return {
      configured: true,
      host: server.host,
      user: server.user,
      ...(row
        ? { status: row.status, lastChecked: row.last_checked_at, lastError: row.last_error }
        : {}),
    };
  }
  return { configured: false };
}

export function runtimeInfo(config: Config, live: LiveStateStore, context: string): RuntimeInfo {
  return { context, loopbackDelegate: loopbackDelegate(config, live) };
}
