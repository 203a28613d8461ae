/**
 * The bounded process runner shared by the local shutdown commands and `ssh`, against real
 * processes: it reports facts (exit code, timedOut, aborted, spawnError), never error texts,
 * and every outcome resolves.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CAPTURE_BYTES, runBoundedProcess } from '../../src/ssh/index.js';
import { killQuietly } from '../support/processes.js';

const work = mkdtempSync(join(tmpdir(), 'eneru-bounded-'));
const pids: number[] = [];
after(() => {
  for (const pid of pids) killQuietly(pid, 'SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

test('exit code, both streams and the given environment', async () => {
  const result = await runBoundedProcess(
    'sh',
    ['-c', 'printf "%s" "$PROBE"; printf err >&2; exit 3'],
    { timeoutMs: 5000, env: { PATH: process.env.PATH, PROBE: 'from-env' } },
  );
  assert.deepEqual(
    [result.exitCode, result.stdout, result.stderr, result.timedOut, result.aborted],
    [3, 'from-env', 'err', false, false],
  );
  assert.equal(result.spawnError, null);
  assert.ok(result.durationMs >= 0);
});

test('each stream keeps only its first MAX_CAPTURE_BYTES bytes', async () => {
  const result = await runBoundedProcess(
    'sh',
    ['-c', 'head -c 200000 /dev/zero | tr "\\0" a; head -c 100000 /dev/zero | tr "\\0" b >&2'],
    { timeoutMs: 10_000 },
  );
  assert.equal(result.exitCode, 0);
  assert.equal(MAX_CAPTURE_BYTES, 64 * 1024);
  assert.equal(result.stdout, 'a'.repeat(MAX_CAPTURE_BYTES));
  assert.equal(result.stderr, 'b'.repeat(MAX_CAPTURE_BYTES));
});

test('a process ignoring SIGTERM is killed with SIGKILL after the timeout', async () => {
  const pidFile = join(work, 'stubborn.pid');
  const started = Date.now();
  const result = await runBoundedProcess(
    'sh',
    ['-c', `trap '' TERM; echo $$ > ${pidFile}; while :; do sleep 1; done`],
    { timeoutMs: 300 },
  );
  if (existsSync(pidFile)) pids.push(Number(readFileSync(pidFile, 'utf8')));
  assert.equal(result.timedOut, true);
  assert.equal(result.aborted, false);
  assert.equal(result.exitCode, null);
  const elapsedMs = Date.now() - started;
  assert.ok(elapsedMs >= 2000, `SIGKILL came only after the grace (${elapsedMs} ms)`);
  assert.ok(elapsedMs < 8000, `the call returned within bounds (${elapsedMs} ms)`);
});

test('an abort during the run kills the process; an aborted signal never spawns', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const running = await runBoundedProcess('sleep', ['30'], {
    timeoutMs: 60_000,
    signal: controller.signal,
  });
  assert.deepEqual([running.aborted, running.timedOut, running.exitCode], [true, false, null]);

  const marker = join(work, 'never');
  const before = await runBoundedProcess('touch', [marker], {
    timeoutMs: 5000,
    signal: AbortSignal.abort(),
  });
  assert.deepEqual([before.aborted, before.durationMs, before.exitCode], [true, 0, null]);
  assert.equal(existsSync(marker), false);
});

test('a missing executable is a spawn error in the result, not a rejection', async () => {
  const result = await runBoundedProcess(join(work, 'no-such-tool'), [], { timeoutMs: 5000 });
  assert.equal(result.spawnError?.code, 'ENOENT');
  assert.deepEqual([result.exitCode, result.timedOut, result.aborted], [null, false, false]);
});

test('an argument spawn refuses outright (NUL byte) is reported, never thrown', async () => {
  const result = await runBoundedProcess('echo', ['a\u0000b'], { timeoutMs: 1000 });
  assert.notEqual(result.spawnError, null);
  assert.equal(result.exitCode, null);
});
