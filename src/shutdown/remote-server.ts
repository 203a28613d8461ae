/**
 * One remote server's shutdown (core spec §8.2): pre-shutdown commands in order against
 * `deadline − (command_timeout + 30 s)` so the final command is never starved, then the final
 * command unless the deadline has passed. Every ssh call is capped to what is left of the
 * deadline; a failure is counted and execution continues. Never rejects.
 */
import type { RemoteServerPlan } from '../domain/shutdown-plan-types.js';
import type { NotificationRequest } from '../domain/types.js';
import {
  isTransportTeardown,
  type RunSshOptions,
  type SshResult,
  type SshTarget,
} from '../ssh/index.js';
import type { StepContext } from './context.js';

export type SshRunner = (
  target: SshTarget,
  command: string,
  opts: RunSshOptions,
) => Promise<SshResult>;

export interface RemoteContext extends StepContext {
  ssh: SshRunner;
  notify: (notification: NotificationRequest) => void;
  /** Seconds added to each command's own timeout for the ssh subprocess (30 in production). */
  commandSlackSec: number;
  /** `-o UserKnownHostsFile=` to add (containers / ENERU_SSH_KNOWN_HOSTS_FILE), else null. */
  knownHostsFile: string | null;
}

export interface RemoteServerResult {
  server: string;
  host: string;
  /** Host-loopback delegate (container mode). */
  loopback: boolean;
  completed: boolean;
  shutdown_sent: boolean;
  /** Exit 255 with a transport teardown: sent, but the host could not confirm. */
  unconfirmed: boolean;
  dry_run: boolean;
  pre_commands: { attempted: number; failed: number; timed_out: number; error: string | null };
  error: string | null;
  timed_out: boolean;
  crashed: boolean;
  durationMs: number;
}

export function targetOf(server: RemoteServerPlan, knownHostsFile: string | null): SshTarget {
  return {
    host: server.host,
    user: server.user,
    connectTimeoutSec: server.connectTimeoutSec,
    keyPath: server.keyPath,
    sshOptions: server.sshOptions,
    knownHostsFile,
  };
}

export function serverLabel(server: RemoteServerPlan): string {
  return `${server.name} (${server.user === '' ? server.host : `${server.user}@${server.host}`})`;
}

export function emptyResult(server: RemoteServerPlan, dryRun: boolean): RemoteServerResult {
  return {
    server: server.name,
    host: server.host,
    loopback: server.isLoopback,
    completed: false,
    shutdown_sent: false,
    unconfirmed: false,
    dry_run: dryRun,
    pre_commands: { attempted: 0, failed: 0, timed_out: 0, error: null },
    error: null,
    timed_out: false,
    crashed: false,
    durationMs: 0,
  };
}

export function isSuccess(r: RemoteServerResult): boolean {
  return r.completed && r.shutdown_sent && !r.timed_out && !r.crashed && r.error === null;
}

function shortError(result: SshResult): string {
  if (result.error) return result.error;
  const last = result.stderr.trim().split('\n').slice(-1)[0]?.trim() ?? '';
  return `exit code ${result.exitCode}${last ? `: ${last}` : ''}`;
}

/** Remaining ms before `deadline` (Infinity when unbounded). */
function left(deadline: number | null, ctx: StepContext): number {
  return deadline === null ? Infinity : deadline - ctx.nowMs();
}

/** Pre-shutdown commands; `preDeadline` null = no deadline (loopback phase A). */
export async function runPreCommands(
  server: RemoteServerPlan,
  result: RemoteServerResult,
  preDeadline: number | null,
  ctx: RemoteContext,
): Promise<void> {
  const who = serverLabel(server);
  const log = ctx.logger.child({ server: server.name });
  const stats = result.pre_commands;
  for (const [index, pre] of server.preCommands.entries()) {
    const what = pre.custom ? `command '${pre.command ?? ''}'` : `action '${pre.label}'`;
    if (pre.skipReason !== null || pre.command === null) {
      stats.failed += 1;
      stats.error = pre.skipReason;
      log.warn(
        `Skipping pre-shutdown entry ${index + 1} on ${who}: ${pre.skipReason ?? 'nothing to run'}`,
      );
      continue;
    }
    if (ctx.dryRun) {
      stats.attempted += 1;
      log.info(`[DRY-RUN] Would run pre-shutdown ${what} on ${who} (timeout ${pre.timeoutSec}s)`);
      continue;
    }
    const remaining = left(preDeadline, ctx);
    if (remaining <= 0) {
      stats.timed_out += 1;
      stats.error = 'pre-shutdown deadline reached';
      log.warn(
        `Pre-shutdown deadline reached on ${who}; skipping the remaining pre-shutdown commands`,
      );
      break;
    }
    stats.attempted += 1;
    log.info(`Running pre-shutdown ${what} on ${who} (timeout ${pre.timeoutSec}s)`);
    const ssh = await ctx.ssh(targetOf(server, ctx.knownHostsFile), pre.command, {
      timeoutMs: Math.min((pre.timeoutSec + ctx.commandSlackSec) * 1000, remaining),
      pathPrefix: true,
      signal: ctx.signal,
    });
    if (ssh.timedOut) {
      stats.timed_out += 1;
      stats.failed += 1;
      stats.error = `${pre.label}: ${shortError(ssh)}`;
      log.warn(`Pre-shutdown ${what} on ${who} timed out; continuing`);
    } else if (ssh.exitCode !== 0) {
      stats.failed += 1;
      stats.error = `${pre.label}: ${shortError(ssh)}`;
      log.warn(`Pre-shutdown ${what} on ${who} failed (${shortError(ssh)}); continuing`);
    } else log.info(`Pre-shutdown ${what} on ${who} done (${ssh.durationMs} ms)`);
  }
}

/** The final command; `deadline` null = no phase deadline (loopback phase C). */
export async function runFinalCommand(
  server: RemoteServerPlan,
  result: RemoteServerResult,
  deadline: number | null,
  ctx: RemoteContext,
): Promise<void> {
  const who = serverLabel(server);
  const log = ctx.logger.child({ server: server.name });
  const target = server.user === '' ? server.host : `${server.user}@${server.host}`;
  if (ctx.dryRun) {
    log.info(`[DRY-RUN] Would send command '${server.finalCommand}' to ${target}`);
    result.completed = true;
    result.shutdown_sent = true;
    return;
  }
  const remaining = left(deadline, ctx);
  if (remaining <= 0) {
    result.timed_out = true;
    result.error = 'deadline passed before the shutdown command';
    log.error(`Not sending the shutdown command to ${who}: its deadline has passed`);
    return;
  }
  log.info(`Sending shutdown command to ${who}`);
  const ssh = await ctx.ssh(targetOf(server, ctx.knownHostsFile), server.finalCommand, {
    timeoutMs: Math.min((server.commandTimeoutSec + ctx.commandSlackSec) * 1000, remaining),
    pathPrefix: true,
    signal: ctx.signal,
  });
  if (ssh.exitCode === 0) {
    result.completed = true;
    result.shutdown_sent = true;
    log.info(`Shutdown command sent to ${who}`);
  } else if (ssh.exitCode === 255 && isTransportTeardown(ssh.stderr)) {
    result.completed = true;
    result.shutdown_sent = true;
    result.unconfirmed = true;
    log.info(
      `Shutdown command sent to ${who} (unconfirmed: the connection closed as the host went down)`,
    );
  } else if (ssh.timedOut) {
    result.timed_out = true;
    result.error = shortError(ssh);
    log.error(`Shutdown command to ${who} timed out (${shortError(ssh)})`);
  } else {
    result.error = shortError(ssh);
    log.error(`Shutdown command to ${who} failed: ${shortError(ssh)}`);
  }
}

/** Pre-commands then the final command of one regular server, within `deadline`. */
export async function shutdownServer(
  server: RemoteServerPlan,
  deadline: number,
  ctx: RemoteContext,
): Promise<RemoteServerResult> {
  const started = ctx.nowMs();
  const result = emptyResult(server, ctx.dryRun);
  try {
    if (!ctx.dryRun) {
      ctx.notify({
        title: 'Remote Shutdown Starting',
        body: `Shutting down ${serverLabel(server)}`,
        category: 'shutdown',
      });
    }
    const preDeadline = deadline - (server.commandTimeoutSec + ctx.commandSlackSec) * 1000;
    await runPreCommands(server, result, preDeadline, ctx);
    await runFinalCommand(server, result, deadline, ctx);
  } catch (error) {
    result.crashed = true;
    result.error = error instanceof Error ? error.message : String(error);
    ctx.logger.error(`Remote shutdown of ${serverLabel(server)} crashed: ${result.error}`);
  }
  result.durationMs = Math.round(ctx.nowMs() - started);
  return result;
}
