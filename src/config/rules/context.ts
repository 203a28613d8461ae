/**
 * What every semantic rule sees: the (repaired) raw document, to know which keys the file
 * actually sets, and the normalised config, to check effective values. Rules return messages
 * and never throw.
 */
import type { ConfigMessage } from '../messages.js';
import type { Config, RemoteServerConfig } from '../types.js';

export type Node = Record<string, unknown>;

export interface RuleContext {
  raw: Node;
  config: Config;
  /** Whether API authentication is effectively active (observability spec §1); lazy. */
  authActive: () => boolean;
}

export type Rule = (ctx: RuleContext) => ConfigMessage[];

export function mapping(value: unknown): Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Node)
    : {};
}

export function isUpsList(ctx: RuleContext): boolean {
  return Array.isArray(ctx.raw.ups);
}

/** Key path of UPS group `index` as written in the file. */
export function upsPath(ctx: RuleContext, index: number): string {
  return isUpsList(ctx) ? `ups[${index}]` : 'ups';
}

/** The raw YAML mapping of UPS group `index`. */
export function upsRaw(ctx: RuleContext, index: number): Node {
  return isUpsList(ctx) ? mapping((ctx.raw.ups as unknown[])[index]) : mapping(ctx.raw.ups);
}

export function redundancyRaw(ctx: RuleContext, index: number): Node {
  const list = ctx.raw.redundancy_groups;
  return Array.isArray(list) ? mapping(list[index]) : {};
}

export interface OwnedServer {
  server: RemoteServerConfig;
  path: string;
  owner: { kind: 'ups' | 'redundancy'; label: string; isLocal: boolean; path: string };
}

/** Every remote server the daemon will use, with the key path and the group that owns it. */
export function ownedServers(ctx: RuleContext): OwnedServer[] {
  const out: OwnedServer[] = [];
  ctx.config.ups.forEach((group, index) => {
    const base = isUpsList(ctx) ? `ups[${index}].remote_servers` : 'remote_servers';
    const owner = {
      kind: 'ups' as const,
      label: group.label,
      isLocal: group.is_local,
      path: upsPath(ctx, index),
    };
    group.remote_servers.forEach((server, j) => out.push({ server, path: `${base}[${j}]`, owner }));
  });
  ctx.config.redundancy_groups.forEach((group, index) => {
    const path = `redundancy_groups[${index}]`;
    const owner = {
      kind: 'redundancy' as const,
      label: group.label,
      isLocal: group.is_local,
      path,
    };
    group.remote_servers.forEach((server, j) =>
      out.push({ server, path: `${path}.remote_servers[${j}]`, owner }),
    );
  });
  return out;
}
