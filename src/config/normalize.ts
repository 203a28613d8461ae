/**
 * Builds the normalised `Config` from a document that already passed the schema: single and
 * multi shapes become one list of UPS groups, overrides are merged, legacy `docker:` and the
 * Discord webhook are folded in. Pure: no I/O and no messages (the rules, which see the raw
 * file, report legacy conversions).
 */
import { mergeSection } from './merge.js';
import { sanitizeUpsName } from './sanitize.js';
import {
  batteryHealthSchema,
  nutControlSchema,
  nutSchema,
  selfTestSchema,
} from './schema/features.js';
import type { RedundancyGroupRaw, UpsEntryRaw } from './schema/groups.js';
import { containersSchema } from './schema/resources.js';
import type { RemoteServerRaw } from './schema/resources.js';
import type { ParsedConfig } from './schema/root.js';
import { triggersSchema } from './schema/triggers.js';
import type { Config, NotificationsConfig, RemoteServerConfig, UpsGroupConfig } from './types.js';

type Node = Record<string, unknown>;

function mapping(value: unknown): Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Node)
    : {};
}

export function normalizeRemoteServer(server: RemoteServerRaw): RemoteServerConfig {
  const { augment_remote_path: _ignored, pre_shutdown_commands, ...rest } = server;
  return {
    ...rest,
    host: rest.host === '' && rest.is_host_loopback ? '127.0.0.1' : rest.host,
    pre_shutdown_commands: pre_shutdown_commands.map((step) => ({
      ...step,
      timeout: step.timeout ?? server.command_timeout,
    })),
  };
}

/** `https://discord.com/api/webhooks/<id>/<token>` → `discord://<id>/<token>/`, null if not one. */
export function discordWebhookToUrl(webhook: string): string | null {
  const match =
    /^https?:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/webhooks\/(\d+)\/([A-Za-z0-9_-]+)\/?$/.exec(
      webhook.trim(),
    );
  return match ? `discord://${match[1]}/${match[2]}/` : null;
}

/** The legacy webhook (top-level `discord` wins over `notifications.discord`), if any. */
export function legacyDiscordWebhook(raw: Node): { path: string; url: string } | null {
  const top = mapping(raw.discord).webhook_url;
  if (typeof top === 'string' && top.trim() !== '')
    return { path: 'discord.webhook_url', url: top };
  const nested = mapping(mapping(raw.notifications).discord).webhook_url;
  if (typeof nested === 'string' && nested.trim() !== '')
    return { path: 'notifications.discord.webhook_url', url: nested };
  return null;
}

function notifications(raw: Node, parsed: ParsedConfig): NotificationsConfig {
  const { enabled, discord: _legacy, ...rest } = parsed.notifications;
  const urls = [...rest.urls];
  const legacy = legacyDiscordWebhook(raw);
  const converted = legacy ? discordWebhookToUrl(legacy.url) : null;
  if (converted !== null && !urls.includes(converted)) urls.unshift(converted);
  return {
    ...rest,
    urls,
    enabled: enabled ?? urls.length > 0,
    suppress: rest.suppress.map((type) => type.trim().toUpperCase()),
  };
}

function groupOverrides(raw: Node, entryRaw: Node) {
  const { enabled: _perUps, ...nutControl } = mapping(entryRaw.nut_control);
  return {
    triggers: mergeSection(triggersSchema, raw.triggers, entryRaw.triggers),
    nut_control: { ...mergeSection(nutControlSchema, raw.nut_control, nutControl) },
    battery_health: mergeSection(batteryHealthSchema, raw.battery_health, entryRaw.battery_health),
    self_test: mergeSection(selfTestSchema, raw.self_test, entryRaw.self_test),
    nut: mergeSection(nutSchema, raw.nut, entryRaw.nut),
  };
}

function upsGroup(raw: Node, entry: UpsEntryRaw, entryRaw: Node, isLocal: boolean): UpsGroupConfig {
  return {
    ...entry,
    ...groupOverrides(raw, entryRaw),
    is_local: isLocal,
    group_id: sanitizeUpsName(entry.name),
    label: entry.display_name ?? entry.name,
    remote_servers: entry.remote_servers.map(normalizeRemoteServer),
  };
}

/** Top-level containers, or the legacy `docker:` block forced to the docker runtime. */
function topLevelContainers(raw: Node, parsed: ParsedConfig): UpsGroupConfig['containers'] {
  if (raw.containers === undefined && raw.docker !== undefined) {
    return { ...containersSchema.parse(raw.docker), runtime: 'docker' };
  }
  return parsed.containers;
}

function upsGroups(raw: Node, parsed: ParsedConfig): UpsGroupConfig[] {
  if (Array.isArray(parsed.ups)) {
    const rawList = Array.isArray(raw.ups) ? (raw.ups as unknown[]) : [];
    return parsed.ups.map((entry, index) =>
      upsGroup(raw, entry, mapping(rawList[index]), entry.is_local ?? false),
    );
  }
  const entryRaw = mapping(raw.ups);
  const single = upsGroup(raw, parsed.ups, entryRaw, true);
  return [
    {
      ...single,
      remote_servers: parsed.remote_servers.map(normalizeRemoteServer),
      virtual_machines: parsed.virtual_machines,
      containers: topLevelContainers(raw, parsed),
      filesystems: parsed.filesystems,
    },
  ];
}

function redundancyGroup(raw: Node, group: RedundancyGroupRaw, groupRaw: Node) {
  return {
    ...group,
    triggers: mergeSection(triggersSchema, raw.triggers, groupRaw.triggers),
    group_id: `redundancy-${sanitizeUpsName(group.name)}`,
    label: `redundancy:${group.name}`,
    remote_servers: group.remote_servers.map(normalizeRemoteServer),
  };
}

export function normalizeConfig(raw: Node, parsed: ParsedConfig): Config {
  const {
    ups: _ups,
    docker: _docker,
    discord: _discord,
    remote_servers: _servers,
    virtual_machines: _vms,
    containers: _containers,
    filesystems: _filesystems,
    redundancy_groups: _groups,
    ...sections
  } = parsed;
  const ups = upsGroups(raw, parsed);
  const rawGroups = Array.isArray(raw.redundancy_groups)
    ? (raw.redundancy_groups as unknown[])
    : [];
  const redundancy = parsed.redundancy_groups.map((group, index) =>
    redundancyGroup(raw, group, mapping(rawGroups[index])),
  );
  return {
    ...sections,
    notifications: notifications(raw, parsed),
    mqtt: { ...parsed.mqtt, topic_prefix: parsed.mqtt.topic_prefix.replace(/\/+$/, '') },
    ups,
    redundancy_groups: redundancy,
    mode: ups.length > 1 ? 'multi' : 'single',
    coordinator: ups.length > 1 || redundancy.length > 0,
  };
}

/** Recursively freezes plain objects and arrays so no module can change the shared config. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
