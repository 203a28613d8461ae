/**
 * Remote server rules (core spec §1.3 `remote_servers[]`, §8, §9): ordering keys, the host
 * loopback delegate contract, and the sudo warning for non-root users.
 */
import { error, type ConfigMessage, warning } from '../messages.js';
import { ownedServers, type Rule } from './context.js';

export const remoteServerRules: Rule = (ctx) => {
  const out: ConfigMessage[] = [];
  const servers = ownedServers(ctx);
  const loopbacks = servers.filter((entry) => entry.server.is_host_loopback);
  if (loopbacks.length > 1) {
    out.push(
      error(
        loopbacks[1]?.path ?? '',
        `at most one remote server may set is_host_loopback: true (found ${loopbacks.length}: ${loopbacks.map((l) => l.path).join(', ')}).`,
      ),
    );
  }
  for (const { server, path, owner } of servers) {
    const label = server.name || server.host || path;
    if (server.shutdown_order !== undefined && server.parallel !== undefined) {
      out.push(
        error(
          `${path}.shutdown_order`,
          `'${path}' sets both shutdown_order and the legacy parallel key; use shutdown_order only.`,
        ),
      );
    }
    if (server.is_host_loopback) {
      if (!owner.isLocal) {
        out.push(
          error(
            `${path}.is_host_loopback`,
            `'${path}' is_host_loopback requires its group '${owner.label}' to be the local group (is_local: true).`,
          ),
        );
      }
      if (!server.enabled) {
        out.push(error(`${path}.enabled`, `'${path}' is_host_loopback requires enabled: true.`));
      }
      if (server.user.trim() === '') {
        out.push(error(`${path}.user`, `'${path}' is_host_loopback requires a non-empty user.`));
      }
    } else if (server.enabled && server.host.trim() === '') {
      out.push(error(`${path}.host`, `'${path}' (${label}) is enabled but has no host.`));
    }
    const user = server.user.trim();
    if (user !== '' && user !== 'root' && !server.use_sudo) {
      const usesAction = server.pre_shutdown_commands.some((step) => step.action !== undefined);
      const bareShutdown = !server.shutdown_command.trim().startsWith('sudo');
      if (usesAction || bareShutdown) {
        const why = usesAction
          ? 'uses pre_shutdown_commands actions'
          : 'has a shutdown_command without sudo';
        out.push(
          warning(
            `${path}.use_sudo`,
            `remote server '${label}' connects as non-root user '${user}' with use_sudo: false and ${why}; privileged steps will likely fail (set use_sudo: true).`,
          ),
        );
      }
    }
    server.pre_shutdown_commands.forEach((step, index) => {
      if (step.action === undefined && step.command === undefined) {
        out.push(
          warning(
            `${path}.pre_shutdown_commands[${index}]`,
            `'${path}.pre_shutdown_commands[${index}]' has neither action nor command; it will be skipped.`,
          ),
        );
      }
    });
  }
  return out;
};
