/**
 * Remote phases against a real sshd on a free loopback port that stands in for several
 * servers. Every pre-shutdown and shutdown command is a harmless marker that appends
 * `<name> <step> <epoch>` to a file; one server hangs (`sleep 600`) and must be cut off by its
 * timeout while the others complete and the next phase still runs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSsh } from '../../src/ssh/index.js';
import {
  ShutdownRunner,
  SpawnExecutor,
  type ShutdownGroup,
  type SshRunner,
} from '../../src/shutdown/index.js';
import type {
  LocalShutdownInput,
  RemoteServerInput,
} from '../../src/domain/shutdown-plan-types.js';
import { startSshd, type SshdHandle } from '../support/sshd.js';
import { RecordingLogger } from '../support/shutdown-fixtures.js';
import { killQuietly } from '../support/processes.js';

let sshd: SshdHandle;
let work: string;

before(async () => {
  sshd = await startSshd();
  work = mkdtempSync(join(tmpdir(), 'eneru-remote-'));
});

after(async () => {
  // The hanging commands wrote their PIDs: stop exactly those.
  const pidFile = join(work ?? '', 'hang.pids');
  if (work && existsSync(pidFile)) {
    for (const pid of readFileSync(pidFile, 'utf8').split('\n').filter(Boolean)) {
      killQuietly(Number(pid), 'SIGKILL');
    }
  }
  await sshd?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const localShutdown: LocalShutdownInput = {
  enabled: true,
  command: 'true',
  message: '',
  drain_on_local_shutdown: false,
  trigger_on: 'any',
  wall: false,
};

function marker(log: string, name: string, step: string): string {
  return `echo "${name} ${step} $(date +%s.%N)" >> ${log}`;
}

function server(
  name: string,
  log: string,
  extra: Partial<RemoteServerInput> = {},
): RemoteServerInput {
  return {
    name,
    host: '127.0.0.1',
    user: sshd.user,
    enabled: true,
    connect_timeout: 5,
    command_timeout: 10,
    shutdown_command: marker(log, name, 'final'),
    use_sudo: false,
    ssh_options: sshd.sshOptions,
    pre_shutdown_commands: [],
    shutdown_safety_margin: 0,
    ...extra,
  };
}

function readLog(log: string): { name: string; step: string; at: number }[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', step = '', at = '0'] = line.split(' ');
      return { name, step, at: Number(at) };
    });
}

function makeRunner(logger: RecordingLogger, ssh: SshRunner = runSsh): ShutdownRunner {
  // commandSlackSec 2 instead of 30 keeps the hang test short; the rule (command timeout + slack) is the same.
  return new ShutdownRunner({
    logger,
    executor: new SpawnExecutor(),
    ssh,
    recordEvent: () => undefined,
    localShutdown,
    commandSlackSec: 2,
  });
}

function group(servers: RemoteServerInput[]): ShutdownGroup {
  return { label: 'Rack', kind: 'ups', config: { is_local: false, remote_servers: servers } };
}

test('phases run in order, servers of one phase in parallel, a hanging server is cut off and later phases still run', async () => {
  const log = join(work, 'order.log');
  const hangPids = join(work, 'hang.pids');
  const servers = [
    server('late', log, { shutdown_order: 2 }),
    server('batch1', log, {
      pre_shutdown_commands: [
        { command: marker(log, 'batch1', 'pre') },
        { action: 'sync', timeout: 5 },
      ],
    }),
    server('hang', log, {
      command_timeout: 1,
      shutdown_command: `${marker(log, 'hang', 'start')}; echo $$ >> ${hangPids}; exec sleep 600`,
    }),
    server('seq', log, { parallel: false }),
    server('batch2', log, { pre_shutdown_commands: [{ command: marker(log, 'batch2', 'pre') }] }),
    server('off', log, { enabled: false }),
  ];
  const logger = new RecordingLogger();
  const started = Date.now();
  const result = await makeRunner(logger).runGroupSequence(group(servers), 'test', {
    dryRun: false,
    coordinator: false,
  });
  const elapsedMs = Date.now() - started;

  const entries = readLog(log);
  const at = (name: string, step: string): number => {
    const found = entries.find((e) => e.name === name && e.step === step);
    assert.ok(found, `${name} ${step} missing from ${JSON.stringify(entries)}`);
    return found.at;
  };
  // Phase 1 (order -1): seq; phase 2 (order 0): batch1, batch2, hang; phase 3 (order 2): late.
  assert.ok(at('seq', 'final') < at('batch1', 'pre'));
  assert.ok(at('seq', 'final') < at('batch2', 'pre'));
  assert.ok(at('batch1', 'pre') < at('batch1', 'final'));
  // The hang server was cut off at command_timeout + slack (1 + 2 s) before phase 3 started.
  assert.ok(
    at('late', 'final') - at('hang', 'start') >= 2.5,
    'late phase waited for the hanging server to be cut off',
  );
  assert.ok(
    at('late', 'final') - at('hang', 'start') < 10,
    'late phase was not blocked beyond the timeout',
  );
  // Parallel: the batch servers did not wait for each other (nor for the hanging one).
  assert.ok(Math.abs(at('batch1', 'pre') - at('batch2', 'pre')) < 2.5);
  assert.ok(!entries.some((e) => e.name === 'off'));
  assert.ok(elapsedMs < 30_000, `took ${elapsedMs} ms`);

  const byName = new Map(result.remote.results.map((r) => [r.server, r]));
  assert.equal(byName.get('hang')?.timed_out, true);
  assert.equal(byName.get('hang')?.shutdown_sent, false);
  assert.match(byName.get('hang')?.error ?? '', /timed out after 3s/);
  assert.deepEqual(byName.get('batch1')?.pre_commands, {
    attempted: 2,
    failed: 0,
    timed_out: 0,
    error: null,
  });
  for (const name of ['seq', 'batch1', 'batch2', 'late'])
    assert.equal(byName.get(name)?.shutdown_sent, true, name);
  assert.equal(result.remote.summary, 'Remote shutdown complete (4/5 succeeded, 1 timed out)');
  assert.equal(result.ok, false);
  const messages = logger.messages();
  assert.ok(messages.includes('Shutting down 5 remote servers in 3 phases...'));
  assert.ok(messages.includes('Phase 1/3 (order=-1): seq'));
  assert.ok(messages.includes('Phase 2/3 (order=0): batch1, hang, batch2'));
  assert.ok(messages.includes('Phase 3/3 (order=2): late'));
  assert.ok(messages.includes('Remote shutdown complete (4/5 succeeded, 1 timed out)'));
});

test('an unreachable server fails fast and never blocks the next phase', async () => {
  const log = join(work, 'unreachable.log');
  const closedPort = sshd.sshOptions.filter((o) => !o.includes('Port=')).concat('-o Port=1');
  const servers = [
    server('down', log, { ssh_options: closedPort }),
    server('after', log, { shutdown_order: 5 }),
  ];
  const logger = new RecordingLogger();
  const result = await makeRunner(logger).runGroupSequence(group(servers), 'test', {
    dryRun: false,
    coordinator: false,
  });
  assert.deepEqual(
    readLog(log).map((e) => e.name),
    ['after'],
  );
  const down = result.remote.results.find((r) => r.server === 'down');
  assert.equal(down?.shutdown_sent, false);
  assert.match(down?.error ?? '', /exit code 255: .*refused/i);
  assert.equal(result.remote.summary, 'Remote shutdown complete (1/2 succeeded, 1 failed)');
});

test('a failing pre-command is counted and the shutdown command is still sent; the PATH prefix is applied', async () => {
  const log = join(work, 'pre.log');
  const servers = [
    server('nas', log, {
      pre_shutdown_commands: [
        { command: 'exit 3' },
        { action: 'no_such_action' },
        { command: `echo "$PATH" > ${join(work, 'path.txt')}` },
      ],
    }),
  ];
  const result = await makeRunner(new RecordingLogger()).runGroupSequence(group(servers), 'test', {
    dryRun: false,
    coordinator: false,
  });
  const nas = result.remote.results[0];
  assert.equal(nas?.shutdown_sent, true);
  assert.equal(nas?.pre_commands.attempted, 2);
  assert.equal(nas?.pre_commands.failed, 2);
  assert.match(
    readFileSync(join(work, 'path.txt'), 'utf8'),
    /\/usr\/syno\/sbin:\/usr\/syno\/bin$/m,
  );
  assert.equal(result.remote.summary, 'Remote shutdown complete (1/1 succeeded)');
});

test('dry-run opens no ssh connection and writes no marker', async () => {
  const log = join(work, 'dry.log');
  let sshCalls = 0;
  const counting: SshRunner = (target, command, opts) => {
    sshCalls += 1;
    return runSsh(target, command, opts);
  };
  const servers = [
    server('a', log, { pre_shutdown_commands: [{ action: 'stop_vms' }] }),
    server('b', log, { shutdown_order: 3 }),
  ];
  const logger = new RecordingLogger();
  const result = await makeRunner(logger, counting).runGroupSequence(group(servers), 'test', {
    dryRun: true,
    coordinator: false,
  });
  assert.equal(sshCalls, 0);
  assert.equal(existsSync(log), false);
  assert.ok(
    logger.has(
      `[DRY-RUN] Would run pre-shutdown action 'stop_vms' on a (${sshd.user}@127.0.0.1) (timeout 10s)`,
    ),
  );
  assert.ok(
    logger.has(
      `[DRY-RUN] Would send command '${marker(log, 'b', 'final')}' to ${sshd.user}@127.0.0.1`,
    ),
  );
  assert.ok(result.remote.results.every((r) => r.dry_run && r.shutdown_sent));
  assert.equal(result.remote.summary, 'Remote shutdown complete (2/2 succeeded)');
});

test('use_sudo adds sudo -n to the shutdown command (a stand-in sudo on the remote PATH records it)', async () => {
  const log = join(work, 'sudo.log');
  const binDir = join(work, 'sudo-bin');
  const { mkdirSync, writeFileSync, chmodSync } = await import('node:fs');
  mkdirSync(binDir, { recursive: true });
  writeFileSync(join(binDir, 'sudo'), `#!/bin/sh\necho "sudo $*" >> ${log}\n`);
  chmodSync(join(binDir, 'sudo'), 0o755);
  // The remote command resolves `sudo` through PATH: put the stand-in first for this session.
  const servers = [server('s', log, { use_sudo: true, shutdown_command: `poweroff-marker` })];
  const withPath: SshRunner = (target, command, opts) =>
    runSsh(target, command.replace('sudo -n ', `PATH=${binDir}:$PATH; sudo -n `), opts);
  const result = await makeRunner(new RecordingLogger(), withPath).runGroupSequence(
    group(servers),
    'test',
    { dryRun: false, coordinator: false },
  );
  assert.equal(result.remote.results[0]?.shutdown_sent, true);
  assert.equal(readFileSync(log, 'utf8'), 'sudo -n poweroff-marker\n');
});
