/**
 * The process boundary: argv, environment, signals and exit codes live here and nowhere else.
 * Everything below receives plain values and returns exit codes.
 */
import { setFlagsFromString } from 'node:v8';
import { buildProgram, type CliIo } from './cli/program.js';
import type { DaemonHandle } from './cli/run.js';

/** Longer than the daemon waits for a running shutdown sequence (a second signal forces). */
const SIGNAL_EXIT_GRACE_MS = 150_000;

/**
 * Old-generation headroom V8 allows between full collections, in percent of the live heap.
 * V8's default lets the old generation grow to up to ~4x its live size; most of what a poll
 * allocates lives one poll interval, long enough to be promoted and then to die there, so at
 * 1000 UPSes that headroom was ~100 MB of RSS (bench/results/poll-scale.md).
 */
const DAEMON_HEAP_GROWING_PERCENT = 20;

export async function main(argv: string[]): Promise<number> {
  // Set before anything else: V8 applies it when a full collection sets the next limit, and one
  // collection during the start-up of 1000 UPSes with V8's default factor let the old generation
  // grow to ~130 MB for the first ~15 s of a run. Harmless for the short-lived verbs.
  setFlagsFromString(`--heap-growing-percent=${DAEMON_HEAP_GROWING_PERCENT}`);
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    attachSignals,
  };
  try {
    return await buildProgram(io).run(argv);
  } catch (error) {
    if (process.env.ENERU_DEBUG === '1' || process.env.ENERU_DEBUG === 'true') throw error;
    io.err(`Error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function attachSignals(handle: DaemonHandle): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second signal while stopping forces the exit, as operators expect from Ctrl-C twice.
    if (handle.stopping) process.exit(130);
    const force = setTimeout(() => process.exit(1), SIGNAL_EXIT_GRACE_MS);
    force.unref();
    void handle.stop(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  handle.stopped.then(() => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  });
}
