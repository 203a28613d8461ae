/**
 * The NUT side alone, for attributing the poll-scale figures: a bare process that polls N UPSes
 * through ONE shared NutClient exactly like the daemon's loops do (LIST VAR, then sleep 1 s),
 * with no domain, statistics or API. Run by bench/poll-scale.ts; prints its exact poll latency
 * quantiles as one JSON line after `seconds`.
 *
 *   node --import tsx bench/poll-scale-client.ts <port> <upsCount> <seconds>
 */
import { setMaxListeners } from 'node:events';
import { NutClient, readPoll } from '../src/nut/index.js';

const [portArg, countArg, secondsArg] = process.argv.slice(2);
const port = Number(portArg);
const upsCount = Number(countArg);
const seconds = Number(secondsArg);
const client = new NutClient({ host: '127.0.0.1', port, tls: 'off', requestTimeoutMs: 30_000 });
const latenciesMs: number[] = [];
const controller = new AbortController();
// Every UPS loop sleeps on this one signal: as many listeners as UPSes is expected.
setMaxListeners(0, controller.signal);
let failures = 0;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function loop(ups: string): Promise<void> {
  while (!controller.signal.aborted) {
    const started = performance.now();
    const outcome = await readPoll(client, ups);
    latenciesMs.push(performance.now() - started);
    if (outcome.kind !== 'ok') failures += 1;
    await sleep(1000, controller.signal);
  }
}

const loops = Array.from({ length: upsCount }, (_, i) => loop(`Bench${i + 1}`));
await sleep(seconds * 1000, new AbortController().signal);
controller.abort();
await Promise.all(loops);
await client.close();
const sorted = latenciesMs.sort((a, b) => a - b);
const at = (q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
process.stdout.write(
  `${JSON.stringify({ polls: sorted.length, failures, p50Ms: at(0.5), p99Ms: at(0.99) })}\n`,
);
