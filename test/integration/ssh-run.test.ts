import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSsh, type SshTarget } from '../../src/ssh/index.js';
import { startSshd, type SshdHandle } from '../support/sshd.js';
import { killQuietly } from '../support/processes.js';

let sshd: SshdHandle;
let work: string;
const hangPids: number[] = [];

before(async () => {
  sshd = await startSshd();
  work = mkdtempSync(join(tmpdir(), 'eneru-ssh-run-'));
});

after(async () => {
  for (const pid of hangPids) {
    killQuietly(pid, 'SIGKILL');
  }
  await sshd?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function target(extra: Partial<SshTarget> = {}): SshTarget {
  return {
    host: '127.0.0.1',
    user: sshd.user,
    connectTimeoutSec: 5,
    sshOptions: sshd.sshOptions,
    ...extra,
  };
}

test('runs a command on the real sshd and captures stdout, exit code and duration', async () => {
  const result = await runSsh(target(), 'echo hello; echo oops >&2; exit 3', {
    timeoutMs: 20_000,
    pathPrefix: false,
  });
  assert.equal(result.exitCode, 3);
  assert.equal(result.stdout, 'hello\n');
  assert.match(result.stderr, /oops/);
  assert.equal(result.timedOut, false);
  assert.equal(result.error, null);
  assert.ok(result.durationMs > 0);
});

test('the PATH prefix reaches the remote shell', async () => {
  const result = await runSsh(target(), 'echo "$PATH"', { timeoutMs: 20_000, pathPrefix: true });
  assert.equal(result.exitCode, 0);
  assert.match(result.stdout, /:\/usr\/syno\/sbin:\/usr\/syno\/bin\n$/);
});

test('accept-new records the host key in the known-hosts file on first contact', async () => {
  const knownHosts = join(work, 'fresh_known_hosts');
  const options = sshd.sshOptions.filter((o) => !o.includes('UserKnownHostsFile'));
  const result = await runSsh(target({ sshOptions: options, knownHostsFile: knownHosts }), 'true', {
    timeoutMs: 20_000,
    pathPrefix: false,
  });
  assert.equal(result.exitCode, 0, result.stderr);
  assert.ok(existsSync(knownHosts));
  assert.match(readFileSync(knownHosts, 'utf8'), /ssh-ed25519/);
});

test('a hanging command is cut off at its timeout and the local ssh is killed', async () => {
  const pidFile = join(work, 'hang.pid');
  const started = Date.now();
  const result = await runSsh(target(), `echo $$ > ${pidFile}; exec sleep 120`, {
    timeoutMs: 1500,
    pathPrefix: false,
  });
  const elapsedMs = Date.now() - started;
  if (existsSync(pidFile)) hangPids.push(Number(readFileSync(pidFile, 'utf8').trim()));
  assert.equal(result.timedOut, true);
  assert.equal(result.exitCode, null);
  assert.equal(result.error, 'timed out after 1.5s');
  assert.ok(elapsedMs >= 1400 && elapsedMs < 8000, `elapsed ${elapsedMs}`);
});

test('abort stops the call early', async () => {
  const pidFile = join(work, 'abort.pid');
  const controller = new AbortController();
  const pending = runSsh(target(), `echo $$ > ${pidFile}; exec sleep 120`, {
    timeoutMs: 60_000,
    pathPrefix: false,
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 500);
  const result = await pending;
  if (existsSync(pidFile)) hangPids.push(Number(readFileSync(pidFile, 'utf8').trim()));
  assert.equal(result.error, 'aborted');
  assert.equal(result.timedOut, false);
  assert.ok(result.durationMs < 8000);
});

test('an unreachable server fails within the connect timeout with exit 255', async () => {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  const result = await runSsh(
    target({ sshOptions: [...sshd.sshOptions.filter((o) => !o.includes('Port=')), '-o Port=1'] }),
    'true',
    {
      timeoutMs: 20_000,
      pathPrefix: false,
    },
  );
  assert.equal(result.exitCode, 255);
  assert.match(result.stderr, /refused/i);
});

test('a missing ssh binary is reported, not thrown', async () => {
  const result = await runSsh(target(), 'true', {
    timeoutMs: 5000,
    pathPrefix: false,
    sshBinary: join(work, 'no-such-ssh'),
  });
  assert.equal(result.exitCode, null);
  assert.match(result.error ?? '', /cannot run ssh/);
});

test('bad options are reported without spawning', async () => {
  const result = await runSsh(target({ sshOptions: ['-i'] }), 'true', {
    timeoutMs: 5000,
    pathPrefix: false,
  });
  assert.equal(result.exitCode, null);
  assert.match(result.error ?? '', /needs a value/);
});

test('output capture is bounded', async () => {
  const result = await runSsh(target(), 'head -c 300000 /dev/zero | tr "\\0" a', {
    timeoutMs: 20_000,
    pathPrefix: false,
  });
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout.length, 64 * 1024);
});
