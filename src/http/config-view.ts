/**
 * The anonymous (`detail: "sanitized"`) view of `GET /api/v1/config` (observability §3.6).
 * Built field by field from the normalised config, so a secret can only appear if someone adds
 * it here: notification URLs, broker URL and credentials, NUT credentials, raw commands, hashes
 * and tokens are never read.
 */
import type { Config, RemoteServerConfig } from '../config/types.js';

export interface RemoteServerView {
  enabled: boolean;
  hasPreShutdownCommands: boolean;
  host: string;
  isHostLoopback: boolean;
  name: string;
  shutdownOrder: number | null;
  sshOptionsConfigured: boolean;
  user: string;
}

function remoteServer(server: RemoteServerConfig): RemoteServerView {
  return {
    enabled: server.enabled,
    hasPreShutdownCommands: server.pre_shutdown_commands.length > 0,
    host: server.host,
    isHostLoopback: server.is_host_loopback,
    name: server.name || server.host,
    shutdownOrder: server.shutdown_order ?? null,
    sshOptionsConfigured: server.ssh_options.length > 0,
    user: server.user,
  };
}

/** `auth` is the effective state (observability §3.6: the view shows it, not the raw key). */
export function sanitizedConfig(
  config: Config,
  auth: { active: boolean; requireForReads: boolean },
) {
  return {
    api: {
      auth: { enabled: auth.active, requireForReads: auth.requireForReads },
      bind: config.api.bind,
      enabled: config.api.enabled,
      port: config.api.port,
    },
    detail: 'sanitized' as const,
    mqtt: {
      brokerConfigured: config.mqtt.broker.trim() !== '',
      enabled: config.mqtt.enabled,
      publishInterval: config.mqtt.publish_interval,
      topicPrefix: config.mqtt.topic_prefix,
    },
    notifications: {
      enabled: config.notifications.enabled,
      serviceCount: config.notifications.urls.length,
    },
    nutControl: { enabled: config.nut_control.enabled },
    prometheus: { enabled: config.prometheus.enabled },
    redundancyGroups: config.redundancy_groups.map((group) => ({
      groupId: group.group_id,
      isLocal: group.is_local,
      minHealthy: group.min_healthy,
      name: group.name,
      remoteServers: group.remote_servers.map(remoteServer),
      upsSources: [...group.ups_sources],
    })),
    remoteHealth: {
      enabled: config.remote_health.enabled,
      failureThreshold: config.remote_health.failure_threshold,
      interval: config.remote_health.interval,
      startupCheck: config.remote_health.startup_check,
    },
    ups: config.ups.map((ups) => ({
      groupId: ups.group_id,
      isLocal: ups.is_local,
      label: ups.label,
      name: ups.name,
      remoteServers: ups.remote_servers.map(remoteServer),
    })),
  };
}

export type SanitizedConfig = ReturnType<typeof sanitizedConfig>;
