import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LocalPoweroff,
  RedundancyFlag,
  RedundancyFlagError,
  RedundancyShutdownExecutor,
  ShutdownRunner,
  redundancyFlagPath,
} from '../../src/shutdown/index.js';
import type { LocalShutdownInput } from '../../src/domain/shutdown-plan-types.js';
import { waitFor } from '../support/wait.js';
import { RecordingExecutor, RecordingLogger } from '../support/shutdown-fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'eneru-rflag-'));
after(() => rmSync(work, { recursive: true, force: true }));

const localShutdown: LocalShutdownInput = {
  enabled: true,
  command: 'poweroff',
  message: '',
  drain_on_local_shutdown: false,
  trigger_on: 'any',
  wall: false,
};

test('flag path sits next to shutdown_flag_file', () => {
  assert.equal(
    redundancyFlagPath('/var/run/ups-shutdown-scheduled', 'rack-1'),
    '/var/run/ups-shutdown-redundancy-rack-1',
  );
});

test('the flag is created exclusively and records its owner', () => {
  const flag = new RedundancyFlag(join(work, 'excl'));
  assert.equal(flag.tryCreate(), true);
  assert.equal(flag.tryCreate(), false);
  const text = readFileSync(flag.path, 'utf8');
  assert.match(
    text,
    new RegExp(
      `^pid=${process.pid}\nstart_time=\\d+\nboot_id=[0-9a-f-]+\ncreated_at=\\d+\\.\\d{3}\n$`,
    ),
  );
  assert.equal(flag.livePeer(), null, 'our own flag is not a peer');
  flag.clearAtStartup();
  assert.equal(existsSync(flag.path), false);
});

test('startup cleanup refuses a flag held by a live peer and removes a stale one', async () => {
  const peer = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    const pid = peer.pid as number;
    await waitFor(() => existsSync(`/proc/${pid}/stat`), 5000, 'peer process');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const flag = new RedundancyFlag(join(work, 'peer'));
    writeFileSync(flag.path, `pid=${pid}\nstart_time=${ticks}\nboot_id=${bootId}\ncreated_at=1\n`);
    assert.equal(flag.livePeer(), pid);
    assert.throws(
      () => flag.clearAtStartup(),
      (error: unknown) =>
        error instanceof RedundancyFlagError && error.code === 'REDUNDANCY_FLAG_BUSY',
    );
    // Same pid but another start time (pid reuse) or another boot: stale.
    writeFileSync(flag.path, `pid=${pid}\nstart_time=1\nboot_id=${bootId}\ncreated_at=1\n`);
    assert.equal(flag.livePeer(), null);
    writeFileSync(flag.path, `pid=${pid}\nstart_time=${ticks}\nboot_id=other-boot\ncreated_at=1\n`);
    assert.equal(flag.livePeer(), null);
    flag.clearAtStartup();
    assert.equal(existsSync(flag.path), false);
  } finally {
    peer.kill('SIGKILL');
  }
});

function executor(opts: { isLocal: boolean; dryRun: boolean; flagName: string }): {
  exec: RedundancyShutdownExecutor;
  logger: RecordingLogger;
  local: RecordingExecutor;
  flag: RedundancyFlag;
} {
  const logger = new RecordingLogger();
  const local = new RecordingExecutor();
  const runner = new ShutdownRunner({
    logger,
    executor: local,
    recordEvent: () => undefined,
    localShutdown,
  });
  const poweroff = new LocalPoweroff({
    logger,
    executor: local,
    localShutdown,
    upsGroups: [{ is_local: false }, { is_local: false }],
    coordinatorFlag: null,
  });
  const flag = new RedundancyFlag(join(work, opts.flagName));
  const exec = new RedundancyShutdownExecutor({
    group: {
      label: 'redundancy:rack',
      kind: 'redundancy',
      config: {
        is_local: opts.isLocal,
        remote_servers: [],
        filesystems: { sync_enabled: false, unmount: { enabled: false, timeout: 1, mounts: [] } },
      },
    },
    name: 'rack',
    runner,
    poweroff,
    flag,
    logger,
    dryRun: () => opts.dryRun,
  });
  return { exec, logger, local, flag };
}

test('a local redundancy group runs its sequence then powers the host off, once', async () => {
  const { exec, logger, local, flag } = executor({
    isLocal: true,
    dryRun: false,
    flagName: 'local',
  });
  assert.equal(await exec.execute('redundancy quorum lost: healthy=0 < min_healthy=1'), true);
  assert.deepEqual(local.calls, [['poweroff']]);
  assert.ok(logger.has('REDUNDANCY GROUP SHUTDOWN: rack'));
  assert.ok(logger.has('REDUNDANCY GROUP SHUTDOWN COMPLETE'));
  assert.ok(existsSync(flag.path), 'a real run keeps its flag until quorum recovers');
  assert.equal(await exec.execute('again'), false);
  assert.ok(
    logger.has(
      `Redundancy shutdown for 'rack' suppressed: flag ${flag.path} already present at first call (startup cleanup bypassed). Will re-arm when quorum recovers.`,
    ),
  );
  exec.rearm();
  assert.equal(existsSync(flag.path), false);
});

test('a non-local redundancy group never powers the host off; dry-run removes its flag afterwards', async () => {
  const { exec, local, flag, logger } = executor({
    isLocal: false,
    dryRun: true,
    flagName: 'remote',
  });
  assert.equal(await exec.execute('lost'), true);
  assert.deepEqual(local.calls, []);
  assert.equal(existsSync(flag.path), false);
  assert.ok(logger.has('*** DRY-RUN MODE: No actual shutdown will occur ***'));
  assert.ok(!logger.has('INITIATING EMERGENCY SHUTDOWN SEQUENCE'));
});
