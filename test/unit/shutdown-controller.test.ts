import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GroupShutdownController,
  LocalPoweroff,
  ShutdownFlag,
  ShutdownRunner,
  groupFlagPath,
  type CommandResult,
  type ShutdownGroup,
  type SshRunner,
} from '../../src/shutdown/index.js';
import type {
  LocalShutdownInput,
  RemoteServerInput,
} from '../../src/domain/shutdown-plan-types.js';
import type { NotificationRequest } from '../../src/domain/types.js';
import { RecordingExecutor, RecordingLogger, sshResult } from '../support/shutdown-fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'eneru-controller-'));
after(() => rmSync(work, { recursive: true, force: true }));
let counter = 0;
const freshPath = (): string => join(work, `flag-${(counter += 1)}`);

const localShutdown: LocalShutdownInput = {
  enabled: true,
  command: 'shutdown -h now',
  message: 'UPS battery critical - emergency shutdown',
  drain_on_local_shutdown: false,
  trigger_on: 'any',
  wall: false,
};

interface Harness {
  controller: GroupShutdownController;
  logger: RecordingLogger;
  executor: RecordingExecutor;
  events: string[];
  notifications: NotificationRequest[];
  hooks: string[];
  flag: ShutdownFlag;
  poweroff: LocalPoweroff;
}

function harness(
  opts: {
    local?: Partial<LocalShutdownInput>;
    dryRun?: boolean;
    coordinator?: boolean;
    group?: Partial<ShutdownGroup['config']>;
    answer?: (argv: readonly string[]) => Partial<CommandResult>;
    ssh?: SshRunner;
    poweroff?: LocalPoweroff;
    flagPath?: string;
    delegated?: boolean;
    logger?: RecordingLogger;
    upsGroups?: { is_local: boolean }[];
  } = {},
): Harness {
  const logger = opts.logger ?? new RecordingLogger();
  const executor = new RecordingExecutor(opts.answer);
  const events: string[] = [];
  const notifications: NotificationRequest[] = [];
  const hooks: string[] = [];
  const local = { ...localShutdown, ...opts.local };
  const runner = new ShutdownRunner({
    logger,
    executor,
    ssh: opts.ssh ?? (async () => sshResult()),
    recordEvent: (type, detail) => events.push(`${type}: ${detail}`),
    notify: (n) => notifications.push(n),
    localShutdown: local,
  });
  const poweroff =
    opts.poweroff ??
    new LocalPoweroff({
      logger,
      executor,
      localShutdown: local,
      upsGroups: opts.upsGroups ?? [{ is_local: true }],
      coordinatorFlag: opts.coordinator ? new ShutdownFlag(freshPath(), logger) : null,
      notify: (n) => {
        notifications.push(n);
        hooks.push(`notify:${n.title}`);
      },
      flushNotifications: async () => {
        hooks.push('flush');
      },
      markSequenceComplete: () => hooks.push('mark'),
      clearSequenceMarker: () => hooks.push('unmark'),
    });
  const flag = new ShutdownFlag(opts.flagPath ?? freshPath(), logger);
  const controller = new GroupShutdownController({
    group: {
      label: 'Rack',
      kind: 'ups',
      config: { is_local: true, remote_servers: [], ...opts.group },
    },
    runner,
    poweroff,
    flag,
    logger,
    recordEvent: (type, detail) => events.push(`${type}: ${detail}`),
    dryRun: () => opts.dryRun === true,
    coordinator: opts.coordinator === true,
    delegated: opts.delegated,
    afterShutdown: () => hooks.push('after'),
  });
  return { controller, logger, executor, events, notifications, hooks, flag, poweroff };
}

test('one sequence per outage: the flag turns re-triggers away until power returns', async () => {
  const h = harness({ dryRun: true });
  assert.ok(await h.controller.trigger('Battery charge 14% below threshold 20%'));
  assert.ok(existsSync(h.flag.path));
  assert.equal(await h.controller.trigger('again'), null);
  assert.equal(await h.controller.trigger('and again'), null);
  assert.equal(h.logger.messages().filter((m) => m.includes('Ignoring re-trigger')).length, 1);
  assert.equal(h.events.filter((e) => e.startsWith('SHUTDOWN_SEQUENCE_COMPLETE')).length, 1);
  await h.controller.handle({ kind: 'rearm' });
  assert.equal(existsSync(h.flag.path), false);
  assert.ok(await h.controller.trigger('next outage'));
  assert.equal(h.events.filter((e) => e.startsWith('SHUTDOWN_SEQUENCE_COMPLETE')).length, 2);
});

test('a trigger while a sequence runs is ignored; a re-arm meanwhile is deferred to its end', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const ssh: SshRunner = async () => {
    await gate;
    return { exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1, error: null };
  };
  const server: RemoteServerInput = {
    name: 's',
    host: 'h',
    user: 'u',
    enabled: true,
    connect_timeout: 1,
    command_timeout: 1,
    shutdown_command: 'x',
    use_sudo: false,
    ssh_options: [],
    pre_shutdown_commands: [],
    shutdown_safety_margin: 0,
  };
  const h = harness({
    dryRun: false,
    local: { enabled: false },
    ssh,
    group: { remote_servers: [server] },
  });
  const first = h.controller.trigger('first');
  await new Promise((r) => setImmediate(r));
  assert.equal(h.controller.inFlight, true);
  assert.equal(await h.controller.trigger('second'), null);
  h.controller.rearm();
  assert.ok(h.flag.isSet(), 're-arm waits for the running sequence');
  release();
  assert.ok(await first);
  assert.equal(h.controller.inFlight, false);
  assert.equal(h.flag.isSet(), false);
});

test('the in-memory flag still guards when the flag file cannot be written', async () => {
  const h = harness({ dryRun: true, flagPath: '/proc/eneru-cannot-write/flag' });
  assert.ok(await h.controller.trigger('a'));
  assert.equal(await h.controller.trigger('b'), null);
  assert.ok(h.logger.has(/Cannot write shutdown flag file \/proc\/eneru-cannot-write\/flag/));
});

test('single-UPS dry-run: complete event, "Would execute" with the message as last argv element, nothing run', async () => {
  const h = harness({ dryRun: true });
  const outcome = await h.controller.trigger('FSD');
  assert.deepEqual(h.executor.calls, []);
  assert.ok(
    h.logger.has(
      '[DRY-RUN] Would execute: shutdown -h now UPS battery critical - emergency shutdown',
    ),
  );
  assert.ok(h.logger.has('SHUTDOWN SEQUENCE COMPLETE (took 0s)'));
  assert.deepEqual(h.events, ['SHUTDOWN_SEQUENCE_COMPLETE: elapsed: 0s']);
  assert.equal(outcome?.poweroff?.dryRun, true);
  assert.deepEqual(h.hooks, ['after']);
});

test('single-UPS real: summary notification, flush, marker, then the command as argv', async () => {
  const h = harness({
    dryRun: false,
    local: { command: "touch '/tmp/a b'", message: 'bye now' },
    group: {
      filesystems: { sync_enabled: false, unmount: { enabled: false, timeout: 1, mounts: [] } },
    },
  });
  const outcome = await h.controller.trigger('FSD');
  assert.deepEqual(h.executor.calls, [['touch', '/tmp/a b', 'bye now']]);
  assert.deepEqual(h.hooks, ['notify:Shutdown Sequence Complete', 'flush', 'mark', 'after']);
  assert.equal(
    h.notifications.find((n) => n.title === 'Shutdown Sequence Complete')?.category,
    'shutdown_summary',
  );
  assert.equal(outcome?.poweroff?.ok, true);
  assert.ok(h.flag.isSet(), 'the flag stays set after a real sequence');
});

test('a failing local command removes the marker and notifies INCOMPLETE; a timeout keeps the marker', async () => {
  const failing = harness({
    dryRun: false,
    answer: (argv) => (argv[0] === 'shutdown' ? { exitCode: 1, stderr: 'denied' } : {}),
  });
  const failed = await failing.controller.trigger('x');
  assert.equal(failed?.poweroff?.ok, false);
  assert.deepEqual(failing.hooks, [
    'notify:Shutdown Sequence Complete',
    'flush',
    'mark',
    'unmark',
    'notify:Shutdown Sequence INCOMPLETE',
    'after',
  ]);
  const slow = harness({
    dryRun: false,
    answer: (argv) =>
      argv[0] === 'shutdown'
        ? { exitCode: null, timedOut: true, error: 'timed out after 30s' }
        : {},
  });
  const timedOut = await slow.controller.trigger('x');
  assert.equal(timedOut?.poweroff?.detail, 'timed out (ambiguous)');
  assert.ok(!slow.hooks.includes('unmark'));
});

test('an empty or unparsable local command is reported as incomplete, never run', async () => {
  for (const command of ['', "shutdown 'unterminated"]) {
    const h = harness({ dryRun: false, local: { command } });
    const outcome = await h.controller.trigger('x');
    assert.equal(outcome?.poweroff?.ok, false, command);
    assert.ok(
      h.notifications.some((n) => n.title === 'Shutdown Sequence Incomplete'),
      command,
    );
    assert.ok(!h.executor.calls.some((c) => c[0] === 'shutdown'));
  }
});

test('local shutdown disabled: sequence completes, nothing powers off, the flag stays set', async () => {
  const h = harness({ dryRun: false, local: { enabled: false } });
  await h.controller.trigger('x');
  assert.ok(h.logger.has('SHUTDOWN SEQUENCE COMPLETE (local shutdown disabled)'));
  assert.ok(!h.executor.calls.some((c) => c[0] === 'shutdown'));
  assert.ok(h.flag.isSet());
});

test('coordinator: trigger_on any with no local UPS group powers off once for all groups', async () => {
  const logger = new RecordingLogger();
  const first = harness({
    coordinator: true,
    logger,
    upsGroups: [{ is_local: false }, { is_local: false }],
    group: { is_local: false },
  });
  const second = harness({
    coordinator: true,
    logger,
    poweroff: first.poweroff,
    group: { is_local: false },
  });
  await first.controller.trigger('a');
  await second.controller.trigger('b');
  assert.equal(first.executor.calls.filter((c) => c[0] === 'shutdown').length, 1);
  assert.equal(second.executor.calls.length, 0);
  assert.ok(logger.has('GROUP SHUTDOWN SEQUENCE COMPLETE'));
  assert.ok(
    logger.has('Local shutdown already initiated by another group; not starting a second one.'),
  );
});

test('coordinator: a non-local group does not power off the host when another UPS group is local', async () => {
  const h = harness({
    coordinator: true,
    upsGroups: [{ is_local: true }, { is_local: false }],
    group: { is_local: false },
  });
  const outcome = await h.controller.trigger('x');
  assert.equal(outcome?.poweroff, null);
  assert.deepEqual(h.executor.calls, []);
  assert.ok(h.logger.has('Group shutdown complete; this group does not power off the local host.'));
});

test('coordinator: drain runs before the poweroff; re-arm reopens the guard', async () => {
  const order: string[] = [];
  const logger = new RecordingLogger();
  const executor = new RecordingExecutor((argv) => {
    order.push(argv.join(' '));
    return {};
  });
  const poweroff = new LocalPoweroff({
    logger,
    executor,
    localShutdown: {
      ...localShutdown,
      drain_on_local_shutdown: true,
      command: 'poweroff',
      message: '',
    },
    upsGroups: [{ is_local: true }],
    coordinatorFlag: new ShutdownFlag(freshPath(), logger),
    drainOtherGroups: async (source) => {
      order.push(`drain except ${source}`);
    },
  });
  const h = harness({ coordinator: true, poweroff, logger });
  await h.controller.trigger('x');
  assert.deepEqual(order, ['drain except Rack', 'poweroff']);
  h.controller.rearm();
  await h.controller.trigger('y');
  assert.deepEqual(order, ['drain except Rack', 'poweroff', 'drain except Rack', 'poweroff']);
});

test('delegated: complete only when the loopback delegate accepted the shutdown command', async () => {
  const loopback: RemoteServerInput = {
    name: 'host',
    host: '',
    user: 'root',
    enabled: true,
    connect_timeout: 1,
    command_timeout: 1,
    shutdown_command: 'shutdown -h now',
    use_sudo: false,
    ssh_options: [],
    pre_shutdown_commands: [{ action: 'stop_containers' }],
    shutdown_safety_margin: 0,
    is_host_loopback: true,
  };
  const ok = harness({
    dryRun: false,
    delegated: true,
    group: { remote_servers: [loopback], virtual_machines: { enabled: true, max_wait: 1 } },
  });
  const sent = await ok.controller.trigger('x');
  assert.equal(sent?.poweroff?.detail, 'delegated to the host loopback');
  assert.deepEqual(ok.executor.calls, [], 'local phases are delegated, nothing runs locally');
  assert.ok(
    ok.events.includes(
      'DELEGATED_SHUTDOWN_INITIATED: host-loopback SSH delegate will execute local actions',
    ),
  );
  const refused: SshRunner = async () => ({
    exitCode: 255,
    stdout: '',
    stderr: 'Connection refused',
    timedOut: false,
    durationMs: 1,
    error: null,
  });
  const bad = harness({
    dryRun: false,
    delegated: true,
    ssh: refused,
    group: { remote_servers: [loopback] },
  });
  const notSent = await bad.controller.trigger('x');
  assert.equal(notSent?.poweroff?.ok, false);
  assert.ok(bad.notifications.some((n) => n.title === 'Shutdown Sequence Incomplete'));
});

test('flag path: suffixed per group in coordinator mode', () => {
  assert.equal(
    groupFlagPath('/var/run/ups-shutdown-scheduled', 'UPS1-localhost'),
    '/var/run/ups-shutdown-scheduled.UPS1-localhost',
  );
  assert.equal(
    groupFlagPath('/var/run/ups-shutdown-scheduled', null),
    '/var/run/ups-shutdown-scheduled',
  );
});

test('wall: broadcast on a bare host, never in a container or in dry-run', async () => {
  for (const [inContainer, dryRun, expected] of [
    [false, false, 1],
    [true, false, 0],
    [false, true, 0],
  ] as const) {
    const logger = new RecordingLogger();
    const executor = new RecordingExecutor();
    const runner = new ShutdownRunner({
      logger,
      executor,
      recordEvent: () => undefined,
      localShutdown: { ...localShutdown, wall: true },
      inContainer,
      ownContainerId: null,
    });
    await runner.runGroupSequence(
      { label: 'g', kind: 'ups', config: { is_local: false, remote_servers: [] } },
      'x',
      { dryRun, coordinator: false },
    );
    assert.equal(
      executor.calls.filter((c) => c[0] === 'wall').length,
      expected,
      `container=${inContainer} dryRun=${dryRun}`,
    );
  }
});

test('coordinator with local shutdown disabled: the group completes and nothing powers off', async () => {
  const h = harness({ coordinator: true, local: { enabled: false } });
  const outcome = await h.controller.trigger('x');
  assert.equal(outcome?.poweroff, null);
  assert.ok(h.logger.has('Local shutdown disabled. Group shutdown complete.'));
  assert.deepEqual(
    h.executor.calls.filter((c) => c[0] === 'shutdown'),
    [],
  );
});
