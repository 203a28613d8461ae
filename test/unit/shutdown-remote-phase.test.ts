import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ShutdownRunner,
  abortableSleep,
  type CommandExecutor,
  type SshRunner,
} from '../../src/shutdown/index.js';
import type { RemoteServerInput } from '../../src/domain/shutdown-plan-types.js';
import { RecordingLogger, sshResult } from '../support/shutdown-fixtures.js';

const noLocal: CommandExecutor = {
  has: () => false,
  run: async () => {
    throw new Error('no local command may run in these tests');
  },
};

function server(name: string, extra: Partial<RemoteServerInput> = {}): RemoteServerInput {
  return {
    name,
    host: `${name}.lan`,
    user: 'root',
    enabled: true,
    connect_timeout: 5,
    command_timeout: 10,
    shutdown_command: `poweroff ${name}`,
    use_sudo: false,
    ssh_options: [],
    pre_shutdown_commands: [],
    shutdown_safety_margin: 0,
    ...extra,
  };
}

function runner(
  ssh: SshRunner,
  logger: RecordingLogger,
  extra: { nowMs?: () => number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> } = {},
): ShutdownRunner {
  return new ShutdownRunner({
    logger,
    executor: noLocal,
    ssh,
    recordEvent: () => undefined,
    localShutdown: {
      enabled: false,
      command: 'x',
      message: '',
      drain_on_local_shutdown: false,
      trigger_on: 'none',
      wall: false,
    },
    ...extra,
  });
}

test('a server still running at the phase deadline is reported timed out and the next phase starts', async () => {
  const calls: string[] = [];
  const ssh: SshRunner = async (target, command) => {
    calls.push(`${target.host}: ${command.replace(/^export PATH=[^;]+; /, '')}`);
    // "stuck" ignores its timeout (as a wedged process would); the phase deadline must not wait for it.
    if (target.host === 'stuck.lan') await abortableSleep(1500);
    return sshResult();
  };
  const logger = new RecordingLogger();
  // The phase deadline (budget 45 s here) elapses after 100 ms of real time.
  const fastDeadline = (ms: number, signal?: AbortSignal) =>
    abortableSleep(Math.min(ms, 100), signal);
  const started = Date.now();
  const result = await runner(ssh, logger, { sleep: fastDeadline }).runGroupSequence(
    {
      label: 'g',
      kind: 'ups',
      config: {
        is_local: false,
        remote_servers: [server('stuck'), server('quick'), server('next', { shutdown_order: 1 })],
      },
    },
    'test',
    { dryRun: false, coordinator: true },
  );
  assert.ok(Date.now() - started < 1400, 'did not wait for the stuck server');
  assert.deepEqual(calls, [
    'stuck.lan: poweroff stuck',
    'quick.lan: poweroff quick',
    'next.lan: poweroff next',
  ]);
  const stuck = result.remote.results.find((r) => r.server === 'stuck');
  assert.equal(stuck?.timed_out, true);
  assert.match(stuck?.error ?? '', /still running at the phase deadline \(45s\)/);
  assert.ok(logger.has('1 remote shutdown(s) still in progress (continuing with next phase)'));
  assert.equal(result.remote.summary, 'Remote shutdown complete (2/3 succeeded, 1 timed out)');
  await abortableSleep(1600);
  assert.ok(logger.has('Late remote shutdown(s) of an earlier phase have now finished'));
});

test('pre-commands stop at deadline − (command_timeout + slack) so the final command is never starved', async () => {
  let now = 0;
  const timeouts: [string, number][] = [];
  const ssh: SshRunner = async (_target, command, opts) => {
    timeouts.push([command.replace(/^export PATH=[^;]+; /, ''), opts.timeoutMs]);
    now += 30_000; // every pre-command burns 30 s of the budget
    return sshResult();
  };
  const s = server('s', {
    command_timeout: 10,
    connect_timeout: 5,
    pre_shutdown_commands: [
      { command: 'one', timeout: 20 },
      { command: 'two', timeout: 20 },
      { command: 'three', timeout: 20 },
    ],
  });
  // budget = 60 pre + 10 + 5 + 0 + 4 × 30 = 195 s; pre-deadline = 195 − 40 = 155 s.
  const result = await runner(ssh, new RecordingLogger(), { nowMs: () => now }).runGroupSequence(
    { label: 'g', kind: 'ups', config: { is_local: false, remote_servers: [s] } },
    'test',
    { dryRun: false, coordinator: true },
  );
  assert.deepEqual(timeouts, [
    ['one', 50_000],
    ['two', 50_000],
    ['three', 50_000],
    ['poweroff s', 40_000],
  ]);
  assert.equal(result.remote.results[0]?.shutdown_sent, true);

  now = 0;
  timeouts.length = 0;
  const slow: SshRunner = async (_target, command, opts) => {
    timeouts.push([command.replace(/^export PATH=[^;]+; /, ''), opts.timeoutMs]);
    now += 80_000;
    return sshResult();
  };
  const cut = await runner(slow, new RecordingLogger(), { nowMs: () => now }).runGroupSequence(
    { label: 'g', kind: 'ups', config: { is_local: false, remote_servers: [s] } },
    'test',
    { dryRun: false, coordinator: true },
  );
  // one (0→80 s), two (80→160 s, capped to the 75 s left before the pre-deadline), three skipped; final gets what is left.
  assert.deepEqual(timeouts, [
    ['one', 50_000],
    ['two', 50_000],
    ['poweroff s', 35_000],
  ]);
  assert.equal(cut.remote.results[0]?.pre_commands.timed_out, 1);
  assert.equal(cut.remote.results[0]?.shutdown_sent, true);
});

test('exit 255 with a transport teardown counts as sent (unconfirmed); other 255s are failures', async () => {
  const ssh: SshRunner = async (target) =>
    target.host === 'gone.lan'
      ? sshResult({ exitCode: 255, stderr: 'Connection to gone.lan closed by remote host.' })
      : sshResult({ exitCode: 255, stderr: 'Permission denied (publickey).' });
  const logger = new RecordingLogger();
  const result = await runner(ssh, logger).runGroupSequence(
    {
      label: 'g',
      kind: 'ups',
      config: { is_local: false, remote_servers: [server('gone'), server('denied')] },
    },
    'test',
    { dryRun: false, coordinator: true },
  );
  const [gone, denied] = result.remote.results;
  assert.equal(gone?.shutdown_sent, true);
  assert.equal(gone?.unconfirmed, true);
  assert.equal(denied?.shutdown_sent, false);
  assert.equal(denied?.error, 'exit code 255: Permission denied (publickey).');
  assert.equal(result.remote.summary, 'Remote shutdown complete (1/2 succeeded, 1 failed)');
});

test('a crashing ssh runner is contained: counted as crashed, the other servers still run', async () => {
  const ssh: SshRunner = async (target) => {
    if (target.host === 'bad.lan') throw new Error('boom');
    return sshResult();
  };
  const notes: string[] = [];
  const r = new ShutdownRunner({
    logger: new RecordingLogger(),
    executor: noLocal,
    ssh,
    recordEvent: () => undefined,
    notify: (n) => notes.push(n.title),
    localShutdown: {
      enabled: false,
      command: 'x',
      message: '',
      drain_on_local_shutdown: false,
      trigger_on: 'none',
      wall: false,
    },
  });
  const result = await r.runGroupSequence(
    {
      label: 'g',
      kind: 'ups',
      config: { is_local: false, remote_servers: [server('bad'), server('good')] },
    },
    'test',
    { dryRun: false, coordinator: true },
  );
  assert.equal(result.remote.summary, 'Remote shutdown complete (1/2 succeeded, 1 crashed)');
  assert.deepEqual(notes, [
    'Remote Shutdown Starting',
    'Remote Shutdown Starting',
    'Remote Shutdown Failed',
  ]);
});

test('loopback delegate: pre-commands first (phase A), its final command last (phase C)', async () => {
  const calls: string[] = [];
  const ssh: SshRunner = async (target, command) => {
    calls.push(`${target.host}: ${command.replace(/^export PATH=[^;]+; /, '')}`);
    return sshResult();
  };
  const loop = server('host', {
    host: '',
    is_host_loopback: true,
    pre_shutdown_commands: [{ command: 'stop-host-things' }],
    shutdown_command: 'poweroff host',
  });
  await runner(ssh, new RecordingLogger()).runGroupSequence(
    {
      label: 'g',
      kind: 'ups',
      config: {
        is_local: true,
        remote_servers: [server('a'), loop, server('b', { shutdown_order: 4 })],
      },
    },
    'test',
    { dryRun: false, coordinator: false, delegated: true },
  );
  assert.deepEqual(calls, [
    '127.0.0.1: stop-host-things',
    'a.lan: poweroff a',
    'b.lan: poweroff b',
    '127.0.0.1: poweroff host',
  ]);
});
