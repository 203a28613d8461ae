/**
 * Local phases (VMs, containers, sync, unmount, wall) against stand-in executables first on
 * PATH. Docker and libvirt cannot run on these machines, so `virsh`, `docker`, `podman`,
 * `umount`, `sync` and `wall` are small sh scripts that record their argv (see
 * test/support/shutdown-fixtures.ts); the real executor spawns them exactly as it would spawn
 * the real tools.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ShutdownRunner, SpawnExecutor, type ShutdownGroup } from '../../src/shutdown/index.js';
import type {
  ShutdownGroupInput,
  LocalShutdownInput,
} from '../../src/domain/shutdown-plan-types.js';
import { createStandIns, RecordingLogger, type StandIns } from '../support/shutdown-fixtures.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const localShutdown: LocalShutdownInput = {
  enabled: true,
  command: 'true',
  message: '',
  drain_on_local_shutdown: false,
  trigger_on: 'any',
  wall: false,
};

function localGroup(extra: Partial<ShutdownGroupInput> = {}): ShutdownGroup {
  return {
    label: 'Rack',
    kind: 'ups',
    config: {
      is_local: true,
      remote_servers: [],
      virtual_machines: { enabled: true, max_wait: 2 },
      containers: {
        enabled: true,
        runtime: 'auto',
        stop_timeout: 7,
        compose_files: [{ path: '/opt/db/compose.yml', stop_timeout: 20 }, '/opt/apps/compose.yml'],
        shutdown_all_remaining_containers: true,
        include_user_containers: false,
      },
      filesystems: {
        sync_enabled: true,
        unmount: {
          enabled: true,
          timeout: 5,
          mounts: [{ path: '/mnt/nas', options: '-l' }, '/mnt/fail-busy'],
        },
      },
      ...extra,
    },
  };
}

function setup(
  tools?: string[],
  opts: { wall?: boolean; ownContainerId?: string } = {},
): { standIns: StandIns; logger: RecordingLogger; runner: ShutdownRunner; events: string[] } {
  const standIns = createStandIns(tools);
  dirs.push(standIns.dir);
  const logger = new RecordingLogger();
  const events: string[] = [];
  const runner = new ShutdownRunner({
    logger,
    executor: new SpawnExecutor(standIns.env),
    recordEvent: (type, detail) => events.push(`${type}: ${detail}`),
    localShutdown: { ...localShutdown, wall: opts.wall === true },
    vmPollIntervalMs: 200,
    ownContainerId: opts.ownContainerId ?? null,
  });
  return { standIns, logger, runner, events };
}

test('local phases run in spec order: VMs, compose stacks, remaining containers, sync, unmount, final sync', async () => {
  const { standIns, logger, runner } = setup(['virsh', 'docker', 'sync', 'umount', 'wall'], {
    wall: true,
    ownContainerId: 'abc123456789deadbeef',
  });
  standIns.write('vms', 'web\ndb\n');
  standIns.write('stubborn-db', '');
  standIns.write('docker-ids', 'c1\nabc123456789\nc2\n');
  const result = await runner.runGroupSequence(
    localGroup(),
    'Battery charge 14% below threshold 20%',
    { dryRun: false, coordinator: false },
  );
  assert.deepEqual(
    standIns.calls().filter((c) => !c.startsWith('virsh list')),
    [
      'wall UPS power failure: emergency shutdown in progress.',
      'virsh shutdown web',
      'virsh shutdown db',
      'virsh destroy db',
      'docker compose -f /opt/db/compose.yml down -t 20',
      'docker compose -f /opt/apps/compose.yml down -t 7',
      'docker ps -q',
      // eneru's own container (abc123456789) is never stopped.
      'docker stop -t 7 c1 c2',
      'sync',
      'umount -l /mnt/nas',
      'umount /mnt/fail-busy',
      'sync',
    ],
  );
  assert.deepEqual(
    result.steps.map((s) => [s.phase, s.ok]),
    [
      ['wall', true],
      ['vms', true],
      ['containers', true],
      ['filesystem-sync', true],
      ['filesystem-unmount', false],
      ['final-sync', true],
    ],
  );
  assert.match(result.steps[1]?.detail ?? '', /1\/2 VM\(s\) shut down gracefully, 1 destroyed/);
  assert.match(result.steps[4]?.detail ?? '', /failed: \/mnt\/fail-busy/);
  assert.equal(result.ok, false);
  assert.ok(logger.has('INITIATING EMERGENCY SHUTDOWN SEQUENCE'));
  assert.ok(logger.has(/VM db still running after 2s; destroying it/));
  assert.ok(
    logger.has(
      /Unmount of \/mnt\/fail-busy failed: exit code 32: umount: \/mnt\/fail-busy: target is busy\./,
    ),
  );
});

test('VMs that stop in time are not destroyed and the wait ends early', async () => {
  const { standIns, runner } = setup(['virsh', 'sync', 'umount']);
  standIns.write('vms', 'a\nb\n');
  const group = localGroup({ containers: null, virtual_machines: { enabled: true, max_wait: 30 } });
  const started = Date.now();
  const result = await runner.runGroupSequence(group, 'test', {
    dryRun: false,
    coordinator: false,
  });
  assert.ok(Date.now() - started < 10_000);
  assert.ok(!standIns.calls().some((c) => c.startsWith('virsh destroy')));
  assert.match(result.steps[0]?.detail ?? '', /2\/2 VM\(s\) shut down gracefully$/);
});

test('podman is preferred in auto mode; rootless user containers are stopped through runuser', async () => {
  const { standIns, runner } = setup(['docker', 'podman', 'loginctl', 'runuser', 'sync', 'umount']);
  standIns.write('podman-ids', 'p1\n');
  standIns.write('podman-user-ids', 'u1\nu2\n');
  const group = localGroup({
    virtual_machines: null,
    containers: {
      enabled: true,
      runtime: 'auto',
      stop_timeout: 3,
      compose_files: [],
      shutdown_all_remaining_containers: true,
      include_user_containers: true,
    },
    filesystems: { sync_enabled: false, unmount: { enabled: false, timeout: 5, mounts: [] } },
  });
  const result = await runner.runGroupSequence(group, 'test', {
    dryRun: false,
    coordinator: false,
  });
  assert.deepEqual(standIns.calls(), [
    'podman ps -q',
    'podman stop -t 3 p1',
    'loginctl list-users --no-legend',
    'runuser -u alice -- env XDG_RUNTIME_DIR=/run/user/1000 podman ps -q',
    'podman ps -q',
    'runuser -u alice -- env XDG_RUNTIME_DIR=/run/user/1000 podman stop -t 3 u1 u2',
    'podman stop -t 3 u1 u2',
  ]);
  assert.equal(result.steps[0]?.detail, '0/0 compose stack(s) down, 3 container(s) stopped');
});

test('a failing compose stack is reported and the remaining containers are still stopped', async () => {
  const { standIns, runner } = setup(['docker', 'sync', 'umount']);
  standIns.write('compose-fail', '');
  standIns.write('docker-ids', 'x\n');
  const group = localGroup({ virtual_machines: null, filesystems: null });
  const result = await runner.runGroupSequence(group, 'test', {
    dryRun: false,
    coordinator: false,
  });
  const containers = result.steps.find((s) => s.phase === 'containers');
  assert.equal(containers?.ok, false);
  assert.match(
    containers?.detail ?? '',
    /0\/2 compose stack\(s\) down, 1 container\(s\) stopped; 2 error\(s\)/,
  );
  assert.ok(standIns.calls().includes('docker stop -t 7 x'));
});

test('missing tools skip their phase without failing the sequence', async () => {
  const { standIns, logger, runner } = setup(['sync', 'umount']);
  const result = await runner.runGroupSequence(localGroup({ filesystems: null }), 'test', {
    dryRun: false,
    coordinator: false,
  });
  assert.deepEqual(
    result.steps.map((s) => [s.phase, s.skipped, s.ok]),
    [
      ['vms', true, true],
      ['containers', true, true],
      ['filesystem-sync', false, true],
      ['final-sync', false, true],
    ],
  );
  assert.ok(logger.has('virsh not found; skipping VM shutdown'));
  assert.ok(logger.has('no container runtime (podman/docker) found; skipping container shutdown'));
  assert.deepEqual(standIns.calls(), ['sync', 'sync']);
});

test('dry-run executes nothing and logs every step it would take', async () => {
  const { standIns, logger, runner } = setup(undefined, { wall: true });
  standIns.write('vms', 'web\n');
  standIns.write('docker-ids', 'c1\n');
  const result = await runner.runGroupSequence(localGroup(), 'test', {
    dryRun: true,
    coordinator: false,
  });
  assert.deepEqual(standIns.calls(), []);
  assert.ok(logger.has('*** DRY-RUN MODE: No actual shutdown will occur ***'));
  for (const line of [
    '[DRY-RUN] Would broadcast a wall message',
    '[DRY-RUN] Would shut down all running libvirt VMs (virsh shutdown, destroy after 2s)',
    '[DRY-RUN] Would run: podman compose -f /opt/db/compose.yml down -t 20',
    '[DRY-RUN] Would stop all remaining podman containers (stop -t 7)',
    '[DRY-RUN] Would sync filesystems',
    '[DRY-RUN] Would unmount /mnt/nas (umount -l /mnt/nas)',
  ]) {
    assert.ok(logger.has(line), line);
  }
  assert.ok(result.steps.every((s) => s.dryRun && s.ok));
});

test('non-local groups never touch local resources', async () => {
  const { standIns, runner } = setup();
  standIns.write('vms', 'web\n');
  const group = localGroup();
  const result = await runner.runGroupSequence(
    { ...group, config: { ...group.config, is_local: false } },
    'test',
    { dryRun: false, coordinator: true },
  );
  assert.deepEqual(standIns.calls(), []);
  assert.deepEqual(result.steps, []);
});
