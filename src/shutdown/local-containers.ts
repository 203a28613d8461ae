/**
 * Local container phase (core spec §8.1 step 3): compose stacks first (`down -t`, so their
 * dependency order is respected), then every remaining container (`stop -t`). Runtime `auto`
 * means podman when installed, else docker. eneru's own container is never stopped. With
 * podman and `include_user_containers`, rootless containers of logged-in users are stopped too
 * (through `runuser`, each user's own podman). Every call is bounded by its stop timeout + 30 s.
 */
import type { LocalResourcesPlan } from '../domain/shutdown-plan-types.js';
import { timedStep, type StepContext, type StepResult } from './context.js';
import { describeFailure } from './executor.js';

type ContainersPlan = LocalResourcesPlan['containers'];

const SUBPROCESS_SLACK_MS = 30_000;
const LIST_TIMEOUT_MS = 30_000;

export function resolveRuntime(plan: ContainersPlan, ctx: StepContext): 'docker' | 'podman' | null {
  if (plan.runtime !== 'auto') return ctx.executor.has(plan.runtime) ? plan.runtime : null;
  if (ctx.executor.has('podman')) return 'podman';
  if (ctx.executor.has('docker')) return 'docker';
  return null;
}

function isOwnContainer(id: string, own: string | null): boolean {
  if (!own) return false;
  return own.startsWith(id) || id.startsWith(own);
}

/** `ps -q` then `stop -t` of everything listed (prefix = argv before the runtime subcommand). */
async function stopListed(
  prefix: string[],
  who: string,
  plan: ContainersPlan,
  ctx: StepContext,
): Promise<{ stopped: number; error: string | null }> {
  const listed = await ctx.executor.run([...prefix, 'ps', '-q'], {
    timeoutMs: LIST_TIMEOUT_MS,
    signal: ctx.signal,
  });
  if (listed.exitCode !== 0)
    return { stopped: 0, error: `${who} ps failed: ${describeFailure(listed)}` };
  const ids = listed.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((id) => id !== '' && !isOwnContainer(id, ctx.ownContainerId));
  if (ids.length === 0) {
    ctx.logger.info(`No running ${who} containers to stop`);
    return { stopped: 0, error: null };
  }
  ctx.logger.info(`Stopping ${ids.length} ${who} container(s) (timeout ${plan.stopTimeoutSec}s)`);
  const stop = await ctx.executor.run(
    [...prefix, 'stop', '-t', String(plan.stopTimeoutSec), ...ids],
    {
      timeoutMs: plan.stopTimeoutSec * 1000 + SUBPROCESS_SLACK_MS,
      signal: ctx.signal,
    },
  );
  if (stop.exitCode !== 0)
    return { stopped: 0, error: `${who} stop failed: ${describeFailure(stop)}` };
  return { stopped: ids.length, error: null };
}

/** Logged-in non-root users (`loginctl list-users`): `uid name` pairs. */
async function sessionUsers(ctx: StepContext): Promise<{ uid: string; name: string }[]> {
  const result = await ctx.executor.run(['loginctl', 'list-users', '--no-legend'], {
    timeoutMs: LIST_TIMEOUT_MS,
    signal: ctx.signal,
  });
  if (result.exitCode !== 0) {
    ctx.logger.warn(
      `Cannot list user sessions for rootless containers: ${describeFailure(result)}`,
    );
    return [];
  }
  return result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(
      (f): f is [string, string, ...string[]] =>
        f.length >= 2 && /^\d+$/.test(f[0] ?? '') && f[0] !== '0',
    )
    .map(([uid, name]) => ({ uid, name }));
}

export function stopContainers(plan: ContainersPlan, ctx: StepContext): Promise<StepResult> {
  return timedStep('containers', 'Containers', ctx, async () => {
    const runtime = resolveRuntime(plan, ctx);
    if (runtime === null) {
      const what =
        plan.runtime === 'auto'
          ? 'no container runtime (podman/docker) found'
          : `${plan.runtime} not found`;
      ctx.logger.warn(`${what}; skipping container shutdown`);
      return { ok: true, skipped: true, detail: what };
    }
    if (ctx.dryRun) {
      for (const file of plan.composeFiles) {
        ctx.logger.info(
          `[DRY-RUN] Would run: ${runtime} compose -f ${file.path} down -t ${file.stopTimeoutSec}`,
        );
      }
      if (plan.stopRemaining)
        ctx.logger.info(
          `[DRY-RUN] Would stop all remaining ${runtime} containers (stop -t ${plan.stopTimeoutSec})`,
        );
      if (plan.stopRemaining && runtime === 'podman' && plan.includeUserContainers) {
        ctx.logger.info('[DRY-RUN] Would stop rootless podman containers of logged-in users');
      }
      return { ok: true, detail: 'dry-run' };
    }
    const errors: string[] = [];
    let composeDown = 0;
    for (const file of plan.composeFiles) {
      ctx.logger.info(`Stopping compose stack ${file.path} (timeout ${file.stopTimeoutSec}s)`);
      const result = await ctx.executor.run(
        [runtime, 'compose', '-f', file.path, 'down', '-t', String(file.stopTimeoutSec)],
        {
          timeoutMs: file.stopTimeoutSec * 1000 + SUBPROCESS_SLACK_MS,
          signal: ctx.signal,
        },
      );
      if (result.exitCode === 0) composeDown += 1;
      else errors.push(`compose ${file.path}: ${describeFailure(result)}`);
    }
    let stopped = 0;
    if (plan.stopRemaining) {
      const own = await stopListed([runtime], runtime, plan, ctx);
      stopped += own.stopped;
      if (own.error) errors.push(own.error);
      if (runtime === 'podman' && plan.includeUserContainers) {
        for (const user of await sessionUsers(ctx)) {
          const prefix = [
            'runuser',
            '-u',
            user.name,
            '--',
            'env',
            `XDG_RUNTIME_DIR=/run/user/${user.uid}`,
            'podman',
          ];
          const rootless = await stopListed(prefix, `rootless podman (${user.name})`, plan, ctx);
          stopped += rootless.stopped;
          if (rootless.error) errors.push(rootless.error);
        }
      }
    }
    for (const error of errors) ctx.logger.error(`Container shutdown: ${error}`);
    const detail = `${composeDown}/${plan.composeFiles.length} compose stack(s) down, ${stopped} container(s) stopped${errors.length > 0 ? `; ${errors.length} error(s)` : ''}`;
    ctx.logger.info(`Container shutdown: ${detail}`);
    return { ok: errors.length === 0, detail };
  });
}
