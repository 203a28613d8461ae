/**
 * Local VM phase (core spec §8.1 step 3): ask every running libvirt domain to shut down, wait up
 * to `max_wait` (re-checking every 5 s on a monotonic deadline), then destroy the survivors so
 * the host is never held up by a guest that ignores ACPI.
 */
import type { LocalResourcesPlan } from '../domain/shutdown-plan-types.js';
import { timedStep, type StepContext, type StepResult } from './context.js';
import { describeFailure } from './executor.js';

const VIRSH_CALL_TIMEOUT_MS = 30_000;

async function runningVms(
  ctx: StepContext,
): Promise<{ names: string[] } | { error: string; notFound: boolean }> {
  const result = await ctx.executor.run(['virsh', 'list', '--name', '--state-running'], {
    timeoutMs: VIRSH_CALL_TIMEOUT_MS,
    signal: ctx.signal,
  });
  if (result.exitCode !== 0) return { error: describeFailure(result), notFound: result.notFound };
  return {
    names: result.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  };
}

export function shutdownVms(
  plan: LocalResourcesPlan['vms'],
  ctx: StepContext,
): Promise<StepResult> {
  return timedStep('vms', 'Virtual machines', ctx, async () => {
    if (ctx.dryRun) {
      ctx.logger.info(
        `[DRY-RUN] Would shut down all running libvirt VMs (virsh shutdown, destroy after ${plan.maxWaitSec}s)`,
      );
      return { ok: true, detail: 'dry-run' };
    }
    ctx.logger.info('Shutting down libvirt virtual machines...');
    const first = await runningVms(ctx);
    if ('error' in first) {
      if (first.notFound) {
        ctx.logger.warn('virsh not found; skipping VM shutdown');
        return { ok: true, skipped: true, detail: 'virsh not found' };
      }
      ctx.logger.error(`Cannot list running VMs: ${first.error}`);
      return { ok: false, detail: `virsh list failed: ${first.error}` };
    }
    if (first.names.length === 0) {
      ctx.logger.info('No running VMs');
      return { ok: true, detail: 'no running VMs' };
    }
    for (const vm of first.names) {
      const result = await ctx.executor.run(['virsh', 'shutdown', vm], {
        timeoutMs: VIRSH_CALL_TIMEOUT_MS,
        signal: ctx.signal,
      });
      if (result.exitCode === 0) ctx.logger.info(`Sent shutdown to VM ${vm}`);
      else ctx.logger.warn(`virsh shutdown ${vm} failed: ${describeFailure(result)}`);
    }
    const deadline = ctx.nowMs() + plan.maxWaitSec * 1000;
    let remaining = first.names;
    while (remaining.length > 0 && ctx.nowMs() < deadline && !ctx.signal?.aborted) {
      await ctx.sleep(
        Math.min(ctx.vmPollIntervalMs, Math.max(0, deadline - ctx.nowMs())),
        ctx.signal,
      );
      const check = await runningVms(ctx);
      if ('names' in check) remaining = check.names;
    }
    const final = await runningVms(ctx);
    const survivors = 'names' in final ? final.names : remaining;
    for (const vm of survivors) {
      ctx.logger.warn(`VM ${vm} still running after ${plan.maxWaitSec}s; destroying it`);
      const result = await ctx.executor.run(['virsh', 'destroy', vm], {
        timeoutMs: VIRSH_CALL_TIMEOUT_MS,
        signal: ctx.signal,
      });
      if (result.exitCode !== 0)
        ctx.logger.error(`virsh destroy ${vm} failed: ${describeFailure(result)}`);
    }
    const stopped = first.names.length - survivors.length;
    const detail = `${stopped}/${first.names.length} VM(s) shut down gracefully${survivors.length > 0 ? `, ${survivors.length} destroyed` : ''}`;
    ctx.logger.info(`VM shutdown: ${detail}`);
    return { ok: true, detail };
  });
}
