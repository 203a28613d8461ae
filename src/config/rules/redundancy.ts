/**
 * Redundancy group rules (core spec §7): names, sources, quorum range, forbidden trigger keys,
 * local resources, members that own resources, and remote servers claimed by two groups.
 */
import { error, type ConfigMessage, warning } from '../messages.js';
import { mapping, ownedServers, redundancyRaw, type Rule, upsPath } from './context.js';
import { enabledLocalResources } from './ups.js';

export const redundancyRules: Rule = (ctx) => {
  const out: ConfigMessage[] = [];
  const upsNames = new Map(ctx.config.ups.map((group, index) => [group.name, index]));
  const names = new Set<string>();
  const members = new Set<string>();
  ctx.config.redundancy_groups.forEach((group, index) => {
    const path = `redundancy_groups[${index}]`;
    if (group.name.trim() === '') {
      out.push(error(`${path}.name`, `'${path}.name' is required.`));
    } else if (names.has(group.name)) {
      out.push(
        error(`${path}.name`, `redundancy group name '${group.name}' is used more than once.`),
      );
    }
    names.add(group.name);
    if (group.ups_sources.length === 0) {
      out.push(
        error(`${path}.ups_sources`, `'${path}.ups_sources' must list at least one UPS name.`),
      );
    }
    const sources = new Set<string>();
    group.ups_sources.forEach((source, j) => {
      if (sources.has(source))
        out.push(
          error(
            `${path}.ups_sources[${j}]`,
            `'${path}.ups_sources' lists '${source}' more than once.`,
          ),
        );
      sources.add(source);
      if (!upsNames.has(source)) {
        const known = [...upsNames.keys()].join(', ');
        out.push(
          error(
            `${path}.ups_sources[${j}]`,
            `'${path}.ups_sources' names unknown UPS '${source}' (must exactly match a ups[].name: ${known}).`,
          ),
        );
      } else {
        members.add(source);
      }
    });
    if (sources.size > 0 && group.min_healthy > sources.size) {
      out.push(
        error(
          `${path}.min_healthy`,
          `'${path}.min_healthy' is ${group.min_healthy} but the group has only ${sources.size} source(s).`,
        ),
      );
    } else if (sources.size > 0 && group.min_healthy === sources.size) {
      out.push(
        warning(
          `${path}.min_healthy`,
          `'${path}.min_healthy' equals the number of sources (${sources.size}): losing any one UPS loses quorum, so the group adds no redundancy.`,
        ),
      );
    }
    if ('window' in mapping(mapping(redundancyRaw(ctx, index).triggers).depletion)) {
      out.push(
        error(
          `${path}.triggers.depletion.window`,
          `'${path}.triggers.depletion.window' is not allowed in a redundancy group (the window belongs to each member UPS).`,
        ),
      );
    }
    if (!group.is_local) {
      for (const feature of enabledLocalResources(group)) {
        out.push(
          error(
            `${path}.${feature}`,
            `'${path}.${feature}' is a local resource but redundancy group '${group.name}' is not is_local.`,
          ),
        );
      }
    }
  });

  ctx.config.ups.forEach((group, index) => {
    if (!members.has(group.name)) return;
    const owned = [
      ...(group.remote_servers.length > 0 ? ['remote_servers'] : []),
      ...enabledLocalResources(group),
    ];
    if (owned.length > 0) {
      out.push(
        warning(
          upsPath(ctx, index),
          `UPS '${group.label}' is a redundancy group member, so its own ${owned.join(', ')} will never be shut down by it (members only advise their group); move them to the redundancy group.`,
        ),
      );
    }
  });
  out.push(...sharedServers(ctx));
  return out;
};

/** A server (host, user) may belong to one group only once redundancy groups are involved. */
function sharedServers(ctx: Parameters<Rule>[0]): ConfigMessage[] {
  const out: ConfigMessage[] = [];
  const seen = new Map<string, { kind: string; label: string; path: string }>();
  for (const { server, path, owner } of ownedServers(ctx)) {
    if (server.host.trim() === '') continue;
    const key = `${server.host.trim().toLowerCase()}\u0000${server.user.trim().toLowerCase()}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, { kind: owner.kind, label: owner.label, path });
      continue;
    }
    const crosses =
      first.label !== owner.label && (first.kind === 'redundancy' || owner.kind === 'redundancy');
    if (crosses) {
      out.push(
        error(
          path,
          `remote server ${server.user}@${server.host} (${path}) is also in '${first.label}' (${first.path}); a server may not be shut down by two groups when a redundancy group is involved.`,
        ),
      );
    }
  }
  return out;
}
