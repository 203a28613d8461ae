/**
 * The remote phase of a group (core spec §8.2): phase A runs loopback delegates' pre-commands,
 * phase B the regular servers by effective order (the servers of one order concurrently, a
 * phase deadline = now + the largest budget), phase C the loopback final commands. A server
 * still running at its phase deadline is reported timed out and the next phase starts: an
 * unreachable or hanging server never blocks later phases.
 */
import type { RemotePlan, RemoteServerPlan } from '../domain/shutdown-plan-types.js';
import {
  emptyResult,
  isSuccess,
  runFinalCommand,
  runPreCommands,
  serverLabel,
  shutdownServer,
  type RemoteContext,
  type RemoteServerResult,
} from './remote-server.js';

export interface RemotePhaseOutcome {
  results: RemoteServerResult[];
  /** `Remote shutdown complete (S/N succeeded[, F failed][, T timed out][, C crashed])`, or null with no servers. */
  summary: string | null;
  ok: boolean;
  durationMs: number;
}

export function summarise(results: RemoteServerResult[]): string {
  const ok = results.filter(isSuccess).length;
  const crashed = results.filter((r) => !isSuccess(r) && r.crashed).length;
  const timedOut = results.filter((r) => !isSuccess(r) && !r.crashed && r.timed_out).length;
  const failed = results.length - ok - crashed - timedOut;
  let text = `Remote shutdown complete (${ok}/${results.length} succeeded`;
  if (failed > 0) text += `, ${failed} failed`;
  if (timedOut > 0) text += `, ${timedOut} timed out`;
  if (crashed > 0) text += `, ${crashed} crashed`;
  return `${text})`;
}

async function runPhase(
  servers: RemoteServerPlan[],
  ctx: RemoteContext,
): Promise<RemoteServerResult[]> {
  const budgetMs = Math.max(...servers.map((s) => s.budgetSec)) * 1000;
  const deadline = ctx.nowMs() + budgetMs;
  const settled: (RemoteServerResult | null)[] = servers.map(() => null);
  const all = Promise.all(
    servers.map((server, index) =>
      shutdownServer(server, deadline, ctx).then((result) => {
        settled[index] = result;
      }),
    ),
  );
  const timer = new AbortController();
  await Promise.race([all, ctx.sleep(budgetMs, timer.signal)]);
  timer.abort();
  const stragglers = settled.filter((r) => r === null).length;
  if (stragglers > 0) {
    ctx.logger.warn(
      `${stragglers} remote shutdown(s) still in progress (continuing with next phase)`,
    );
    void all.then(() =>
      ctx.logger.info('Late remote shutdown(s) of an earlier phase have now finished'),
    );
  }
  return servers.map((server, index) => {
    const done = settled[index];
    if (done) return done;
    const late = emptyResult(server, ctx.dryRun);
    late.timed_out = true;
    late.error = `still running at the phase deadline (${budgetMs / 1000}s)`;
    late.durationMs = budgetMs;
    return late;
  });
}

export async function runRemotePhases(
  plan: RemotePlan,
  ctx: RemoteContext,
): Promise<RemotePhaseOutcome> {
  const started = ctx.nowMs();
  const total = plan.loopback.length + plan.phases.reduce((n, p) => n + p.servers.length, 0);
  if (total === 0) return { results: [], summary: null, ok: true, durationMs: 0 };
  ctx.logger.info(`Shutting down ${total} remote servers in ${plan.phases.length} phases...`);

  const loopbackResults = new Map<RemoteServerPlan, RemoteServerResult>();
  for (const server of plan.loopback) {
    const result = emptyResult(server, ctx.dryRun);
    loopbackResults.set(server, result);
    ctx.logger.info(
      `Host loopback ${serverLabel(server)}: running pre-shutdown commands on the host`,
    );
    const t0 = ctx.nowMs();
    try {
      await runPreCommands(server, result, null, ctx);
    } catch (error) {
      result.crashed = true;
      result.error = error instanceof Error ? error.message : String(error);
    }
    result.durationMs += Math.round(ctx.nowMs() - t0);
  }

  const results: RemoteServerResult[] = [];
  for (const [index, phase] of plan.phases.entries()) {
    if (ctx.signal?.aborted) break;
    ctx.logger.info(
      `Phase ${index + 1}/${plan.phases.length} (order=${phase.order}): ${phase.servers.map((s) => s.name).join(', ')}`,
    );
    results.push(...(await runPhase(phase.servers, ctx)));
  }

  for (const server of plan.loopback) {
    const result = loopbackResults.get(server) ?? emptyResult(server, ctx.dryRun);
    if (result.crashed) {
      results.push(result);
      continue;
    }
    ctx.logger.info(`Host loopback ${serverLabel(server)}: sending the final shutdown command`);
    const t0 = ctx.nowMs();
    try {
      await runFinalCommand(server, result, null, ctx);
    } catch (error) {
      result.crashed = true;
      result.error = error instanceof Error ? error.message : String(error);
    }
    result.durationMs += Math.round(ctx.nowMs() - t0);
    results.push(result);
  }

  const summary = summarise(results);
  const ok = results.every(isSuccess);
  if (ok) ctx.logger.info(summary);
  else {
    ctx.logger.warn(summary);
    const failed = results
      .filter((r) => !isSuccess(r))
      .map((r) => `${r.server}: ${r.error ?? (r.timed_out ? 'timed out' : 'failed')}`);
    if (!ctx.dryRun)
      ctx.notify({
        title: 'Remote Shutdown Failed',
        body: failed.join('\n'),
        category: 'shutdown',
      });
  }
  return { results, summary, ok, durationMs: Math.round(ctx.nowMs() - started) };
}
