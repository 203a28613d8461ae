/** The local command executor against real processes: argv without a shell, timeouts, aborts, missing tools. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpawnExecutor } from '../../src/shutdown/index.js';
import { killQuietly } from '../support/processes.js';

const work = mkdtempSync(join(tmpdir(), 'eneru-exec-'));
const pids: number[] = [];
after(() => {
  for (const pid of pids) {
    killQuietly(pid, 'SIGKILL');
  }
  rmSync(work, { recursive: true, force: true });
});

test('argv is passed verbatim, never through a shell', async () => {
  const out = join(work, 'argv.txt');
  const result = await new SpawnExecutor().run(
    ['sh', '-c', 'printf "%s|" "$@" > "$0"', out, 'a b', '$(id)', ';rm -rf /'],
    { timeoutMs: 5000 },
  );
  assert.equal(result.exitCode, 0);
  assert.equal(readFileSync(out, 'utf8'), 'a b|$(id)|;rm -rf /|');
});

test('exit code, stdout and stderr are captured', async () => {
  const result = await new SpawnExecutor().run(['sh', '-c', 'echo out; echo err >&2; exit 7'], {
    timeoutMs: 5000,
  });
  assert.deepEqual(
    [result.exitCode, result.stdout, result.stderr, result.error, result.timedOut],
    [7, 'out\n', 'err\n', null, false],
  );
});

test('a hung command is killed at its timeout (SIGKILL when it ignores SIGTERM)', async () => {
  const pidFile = join(work, 'stubborn.pid');
  const started = Date.now();
  const result = await new SpawnExecutor().run(
    ['sh', '-c', `trap '' TERM; echo $$ > ${pidFile}; while :; do sleep 1; done`],
    { timeoutMs: 500 },
  );
  if (existsSync(pidFile)) pids.push(Number(readFileSync(pidFile, 'utf8')));
  assert.equal(result.timedOut, true);
  assert.equal(result.exitCode, null);
  assert.equal(result.error, 'timed out after 0.5s');
  assert.ok(Date.now() - started < 6000);
});

test('abort ends a running command', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const result = await new SpawnExecutor().run(['sleep', '30'], {
    timeoutMs: 60_000,
    signal: controller.signal,
  });
  assert.equal(result.error, 'aborted');
});

test('a missing tool is reported as not found; has() follows the given PATH', async () => {
  const bin = join(work, 'bin');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(bin);
  writeFileSync(join(bin, 'virsh'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(bin, 'virsh'), 0o755);
  writeFileSync(join(bin, 'docker'), 'not executable');
  const executor = new SpawnExecutor({ PATH: bin });
  assert.equal(executor.has('virsh'), true);
  assert.equal(executor.has('docker'), false);
  assert.equal(executor.has('podman'), false);
  const missing = await executor.run(['podman', 'ps'], { timeoutMs: 5000 });
  assert.equal(missing.notFound, true);
  assert.equal(missing.error, 'podman: command not found');
  assert.equal((await executor.run([], { timeoutMs: 5000 })).error, 'empty command');
});
