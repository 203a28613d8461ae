import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  buildLocalShutdownPlan,
  buildRemotePlan,
  buildShutdownPlan,
  effectiveOrders,
  groupTriggersLocalShutdown,
  serverBudgetSec,
} from '../../src/domain/shutdown-plan.js';
import {
  applyUseSudo,
  expandPreCommand,
  shellQuote,
  shellSplit,
  ShellSplitError,
} from '../../src/domain/shutdown-plan-actions.js';
import type {
  RemoteServerInput,
  ShutdownGroupInput,
} from '../../src/domain/shutdown-plan-types.js';

function server(name: string, extra: Partial<RemoteServerInput> = {}): RemoteServerInput {
  return {
    name,
    host: `${name}.lan`,
    user: 'root',
    enabled: true,
    connect_timeout: 10,
    command_timeout: 30,
    shutdown_command: 'sudo shutdown -h now',
    use_sudo: false,
    ssh_key_path: null,
    ssh_options: [],
    pre_shutdown_commands: [],
    shutdown_safety_margin: 60,
    is_host_loopback: false,
    ...extra,
  };
}

const names = (plan: ReturnType<typeof buildRemotePlan>) =>
  plan.phases.map((p) => [p.order, p.servers.map((s) => s.name)]);

test('servers are grouped by explicit shutdown_order, default batch 0 first, ascending', () => {
  const plan = buildRemotePlan([
    server('nas', { shutdown_order: 2 }),
    server('a'),
    server('b'),
    server('switch', { shutdown_order: 3 }),
    server('compute', { shutdown_order: 1 }),
  ]);
  assert.deepEqual(names(plan), [
    [0, ['a', 'b']],
    [1, ['compute']],
    [2, ['nas']],
    [3, ['switch']],
  ]);
});

test('legacy parallel:false servers get unique negative orders in config order, before the batch', () => {
  const input = [
    server('p1'),
    server('s1', { parallel: false }),
    server('p2', { parallel: true }),
    server('s2', { parallel: false }),
    server('s3', { parallel: false }),
  ];
  assert.deepEqual(effectiveOrders(input), [0, -3, 0, -2, -1]);
  assert.deepEqual(names(buildRemotePlan(input)), [
    [-3, ['s1']],
    [-2, ['s2']],
    [-1, ['s3']],
    [0, ['p1', 'p2']],
  ]);
});

test('disabled servers are left out; loopback delegates are separated', () => {
  const plan = buildRemotePlan([
    server('off', { enabled: false }),
    server('loop', { is_host_loopback: true, host: '' }),
    server('x'),
  ]);
  assert.deepEqual(names(plan), [[0, ['x']]]);
  assert.equal(plan.loopback.length, 1);
  assert.equal(plan.loopback[0]?.host, '127.0.0.1');
});

test('budget = Σ pre timeouts (default command_timeout) + command + connect + margin + 30 × commands', () => {
  assert.equal(serverBudgetSec(server('a')), 30 + 10 + 60 + 30);
  const s = server('b', {
    command_timeout: 20,
    connect_timeout: 5,
    shutdown_safety_margin: 0,
    pre_shutdown_commands: [{ action: 'stop_vms', timeout: 180 }, { command: 'echo hi' }],
  });
  assert.equal(serverBudgetSec(s), 180 + 20 + 20 + 5 + 0 + 30 * 3);
  const planned = buildRemotePlan([s]).phases[0]?.servers[0];
  assert.equal(planned?.budgetSec, 315);
  assert.deepEqual(
    planned?.preCommands.map((c) => c.timeoutSec),
    [180, 20],
  );
});

test('use_sudo prefixes the final command unless it already starts with sudo', () => {
  assert.equal(applyUseSudo('shutdown -h now', true), 'sudo -n shutdown -h now');
  assert.equal(applyUseSudo('sudo shutdown -h now', true), 'sudo shutdown -h now');
  assert.equal(applyUseSudo('shutdown -h now', false), 'shutdown -h now');
  assert.equal(
    buildRemotePlan([server('a', { use_sudo: true, shutdown_command: 'poweroff' })]).phases[0]
      ?.servers[0]?.finalCommand,
    'sudo -n poweroff',
  );
});

test('use_sudo also prefixes privileged action templates, never custom commands or rootless containers', () => {
  const vms = expandPreCommand({ action: 'stop_vms' }, 60, true);
  assert.match(vms.command ?? '', /sudo -n virsh shutdown/);
  assert.match(vms.command ?? '', /sudo -n virsh destroy/);
  assert.match(vms.command ?? '', /t=60/);
  assert.doesNotMatch(expandPreCommand({ action: 'stop_vms' }, 60, false).command ?? '', /sudo/);
  assert.doesNotMatch(
    expandPreCommand({ action: 'stop_containers_rootless' }, 60, true).command ?? '',
    /sudo/,
  );
  assert.equal(expandPreCommand({ command: 'echo hi' }, 60, true).command, 'echo hi');
});

/** The predefined actions that need no `path` or `mounts`; spelled out, not derived from the source. */
const PARAMETERLESS_ACTIONS = [
  'sync',
  'stop_containers',
  'stop_containers_rootless',
  'stop_vms',
  'stop_proxmox_vms',
  'stop_proxmox_cts',
  'stop_xcpng_vms',
  'stop_esxi_vms',
];

test('every predefined action expands; parameters are required and quoted', () => {
  for (const action of PARAMETERLESS_ACTIONS) {
    const out = expandPreCommand({ action }, 45, false);
    assert.equal(out.skipReason, null, action);
    assert.ok((out.command ?? '').length > 0, action);
    assert.equal(out.custom, false);
  }
  assert.equal(expandPreCommand({ action: 'sync' }, 30, false).command, 'sync; sync; sleep 2');
  assert.match(
    expandPreCommand({ action: 'stop_proxmox_vms' }, 45, false).command ?? '',
    /qm shutdown "\$id" --timeout "\$t"/,
  );
  assert.match(
    expandPreCommand({ action: 'stop_proxmox_cts' }, 45, false).command ?? '',
    /pct stop/,
  );
  assert.match(
    expandPreCommand({ action: 'stop_xcpng_vms' }, 45, false).command ?? '',
    /xe vm-shutdown uuid="\$u" force=true/,
  );
  assert.match(
    expandPreCommand({ action: 'stop_esxi_vms' }, 45, false).command ?? '',
    /vim-cmd vmsvc\/power.off/,
  );
  assert.equal(
    expandPreCommand({ action: 'stop_compose' }, 45, false).skipReason,
    "stop_compose needs 'path'",
  );
  assert.match(
    expandPreCommand({ action: 'stop_compose', path: '/opt/my app/dc.yml' }, 45, false).command ??
      '',
    /compose -f '\/opt\/my app\/dc.yml' down -t 45/,
  );
  assert.equal(
    expandPreCommand({ action: 'unmount_filesystems' }, 45, false).skipReason,
    "unmount_filesystems needs 'mounts'",
  );
  const unmount =
    expandPreCommand(
      { action: 'unmount_filesystems', mounts: ['/mnt/a', { path: '/mnt/b c', options: '-l -f' }] },
      45,
      true,
    ).command ?? '';
  assert.match(unmount, /sudo -n umount \/mnt\/a \|\|/);
  assert.match(unmount, /sudo -n umount -l -f '\/mnt\/b c' \|\|/);
  assert.match(expandPreCommand({ action: 'STOP_VMS' }, 45, false).command ?? '', /virsh/);
  assert.equal(
    expandPreCommand({ action: 'format_disk' }, 45, false).skipReason,
    "unknown action 'format_disk'",
  );
  assert.equal(
    expandPreCommand({}, 45, false).skipReason,
    "entry has neither 'action' nor 'command'",
  );
});

test('templates are valid POSIX sh', async () => {
  const { execFileSync } = await import('node:child_process');
  for (const action of PARAMETERLESS_ACTIONS) {
    const command = expandPreCommand({ action }, 45, true).command ?? '';
    execFileSync('sh', ['-n', '-c', command]);
  }
  execFileSync('sh', [
    '-n',
    '-c',
    expandPreCommand({ action: 'stop_compose', path: "/it's/x.yml" }, 5, true).command ?? '',
  ]);
  execFileSync('sh', [
    '-n',
    '-c',
    expandPreCommand({ action: 'unmount_filesystems', mounts: ["/mnt/o'k"] }, 5, true).command ??
      '',
  ]);
});

test('shell quoting round-trips through sh', async () => {
  const { execFileSync } = await import('node:child_process');
  for (const value of ['plain', "it's", 'a b', '$(whoami)', '`id`', '"q"', '']) {
    assert.equal(
      execFileSync('sh', ['-c', `printf %s ${shellQuote(value) || "''"}`]).toString(),
      value,
    );
  }
});

test('shellSplit follows POSIX shlex rules', () => {
  assert.deepEqual(shellSplit('shutdown -h now'), ['shutdown', '-h', 'now']);
  assert.deepEqual(shellSplit(`sh -c 'echo "a b"' x\\ y "q\\"z"`), [
    'sh',
    '-c',
    'echo "a b"',
    'x y',
    'q"z',
  ]);
  assert.deepEqual(shellSplit('  '), []);
  assert.deepEqual(shellSplit(`a '' b`), ['a', '', 'b']);
  assert.throws(() => shellSplit("echo 'open"), ShellSplitError);
});

test('local shutdown argv: shell-split command, message as one last element', () => {
  const base = {
    enabled: true,
    command: 'shutdown -h now',
    message: 'UPS battery critical - emergency shutdown',
    drain_on_local_shutdown: false,
    trigger_on: 'any' as const,
    wall: false,
  };
  assert.deepEqual(buildLocalShutdownPlan(base).argv, [
    'shutdown',
    '-h',
    'now',
    'UPS battery critical - emergency shutdown',
  ]);
  assert.deepEqual(buildLocalShutdownPlan({ ...base, message: '' }).argv, [
    'shutdown',
    '-h',
    'now',
  ]);
  assert.deepEqual(
    buildLocalShutdownPlan({ ...base, command: "touch '/tmp/a b'", message: '  ' }).argv,
    ['touch', '/tmp/a b'],
  );
});

test('coordinator local shutdown: local group, or trigger_on any with no local UPS group', () => {
  const on = { enabled: true, trigger_on: 'any' as const };
  assert.equal(groupTriggersLocalShutdown({ is_local: true }, on, [{ is_local: true }]), true);
  assert.equal(
    groupTriggersLocalShutdown({ is_local: false }, on, [{ is_local: true }, { is_local: false }]),
    false,
  );
  assert.equal(
    groupTriggersLocalShutdown({ is_local: false }, on, [{ is_local: false }, { is_local: false }]),
    true,
  );
  assert.equal(
    groupTriggersLocalShutdown({ is_local: false }, { enabled: true, trigger_on: 'none' }, [
      { is_local: false },
    ]),
    false,
  );
  assert.equal(
    groupTriggersLocalShutdown({ is_local: true }, { enabled: false, trigger_on: 'any' }, [
      { is_local: true },
    ]),
    false,
  );
});

test('local resources only for local groups, with defaults and compose stop timeouts', () => {
  const group: ShutdownGroupInput = {
    is_local: true,
    remote_servers: [],
    virtual_machines: { enabled: true, max_wait: 60 },
    containers: {
      enabled: true,
      runtime: 'auto',
      stop_timeout: 60,
      compose_files: [{ path: '/opt/db/dc.yml', stop_timeout: 120 }, '/opt/apps/dc.yml', '  '],
      shutdown_all_remaining_containers: true,
      include_user_containers: false,
    },
    filesystems: {
      sync_enabled: true,
      unmount: {
        enabled: true,
        timeout: 15,
        mounts: [{ path: '/mnt/nas', options: '-l' }, '/mnt/x'],
      },
    },
  };
  const plan = buildShutdownPlan(group);
  assert.deepEqual(plan.local?.containers.composeFiles, [
    { path: '/opt/db/dc.yml', stopTimeoutSec: 120 },
    { path: '/opt/apps/dc.yml', stopTimeoutSec: 60 },
  ]);
  assert.deepEqual(plan.local?.unmount.mounts, [
    { path: '/mnt/nas', options: ['-l'] },
    { path: '/mnt/x', options: [] },
  ]);
  assert.equal(plan.local?.vms.maxWaitSec, 60);
  assert.equal(buildShutdownPlan({ ...group, is_local: false }).local, null);
  const bare = buildShutdownPlan({ is_local: true, remote_servers: [] });
  assert.equal(bare.local?.vms.enabled, false);
  assert.equal(bare.local?.sync, true);
});

test('the homelab example config plans as documented', async () => {
  const { parse } = await import('yaml');
  const doc = parse(readFileSync('test/fixtures/eneru-configs/config-homelab.yaml', 'utf8')) as {
    remote_servers: Partial<RemoteServerInput>[];
  };
  const servers = doc.remote_servers.map((s) => server(s.name ?? '', s));
  const plan = buildRemotePlan(servers);
  assert.deepEqual(names(plan), [
    [0, ['Proxmox Host']],
    [2, ['Synology NAS']],
  ]);
  const proxmox = plan.phases[0]?.servers[0];
  assert.deepEqual(
    proxmox?.preCommands.map((c) => [c.label, c.timeoutSec]),
    [
      ['stop_proxmox_vms', 180],
      ['stop_proxmox_cts', 60],
      ['sync', 30],
    ],
  );
  assert.equal(proxmox?.budgetSec, 180 + 60 + 30 + 30 + 10 + 60 + 30 * 4);
});
