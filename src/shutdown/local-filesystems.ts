/**
 * Local filesystem phases (core spec §8.1 steps 3 and 5): a bounded `sync` (a hung NFS mount
 * must not block the poweroff: it is abandoned after 30 s) and `umount [options] <path>` per
 * configured mount with `unmount.timeout`; failures are logged, never fatal.
 */
import type { LocalResourcesPlan } from '../domain/shutdown-plan-types.js';
import { timedStep, type StepContext, type StepResult } from './context.js';
import { describeFailure } from './executor.js';

export const SYNC_TIMEOUT_MS = 30_000;

export function syncFilesystems(
  phase: 'filesystem-sync' | 'final-sync',
  ctx: StepContext,
): Promise<StepResult> {
  const name = phase === 'final-sync' ? 'Final sync' : 'Filesystem sync';
  return timedStep(phase, name, ctx, async () => {
    if (ctx.dryRun) {
      ctx.logger.info('[DRY-RUN] Would sync filesystems');
      return { ok: true, detail: 'dry-run' };
    }
    ctx.logger.info('Syncing filesystems...');
    const result = await ctx.executor.run(['sync'], {
      timeoutMs: SYNC_TIMEOUT_MS,
      signal: ctx.signal,
    });
    if (result.exitCode === 0) return { ok: true, detail: 'synced' };
    const why = result.timedOut
      ? `sync did not finish within ${SYNC_TIMEOUT_MS / 1000}s; abandoned`
      : describeFailure(result);
    ctx.logger.warn(`${name}: ${why}`);
    return { ok: false, detail: why };
  });
}

export function unmountFilesystems(
  plan: LocalResourcesPlan['unmount'],
  ctx: StepContext,
): Promise<StepResult> {
  return timedStep('filesystem-unmount', 'Filesystem unmount', ctx, async () => {
    if (plan.mounts.length === 0)
      return { ok: true, skipped: true, detail: 'no mounts configured' };
    let unmounted = 0;
    const failed: string[] = [];
    for (const mount of plan.mounts) {
      const argv = ['umount', ...mount.options, mount.path];
      if (ctx.dryRun) {
        ctx.logger.info(`[DRY-RUN] Would unmount ${mount.path} (${argv.join(' ')})`);
        continue;
      }
      const result = await ctx.executor.run(argv, {
        timeoutMs: plan.timeoutSec * 1000,
        signal: ctx.signal,
      });
      if (result.exitCode === 0) {
        unmounted += 1;
        ctx.logger.info(`Unmounted ${mount.path}`);
      } else {
        failed.push(mount.path);
        ctx.logger.warn(`Unmount of ${mount.path} failed: ${describeFailure(result)}`);
      }
    }
    if (ctx.dryRun) return { ok: true, detail: 'dry-run' };
    const detail = `${unmounted}/${plan.mounts.length} unmounted${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}`;
    return { ok: failed.length === 0, detail };
  });
}
