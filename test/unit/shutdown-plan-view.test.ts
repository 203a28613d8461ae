import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildShutdownPlanView, renderShutdownTree } from '../../src/domain/shutdown-plan-view.js';
import type {
  PlanConfigInput,
  RemoteServerInput,
  ShutdownGroupInput,
} from '../../src/domain/shutdown-plan-types.js';

const localShutdown = {
  enabled: true,
  command: 'shutdown -h now',
  message: 'UPS battery critical - emergency shutdown',
  drain_on_local_shutdown: false,
  trigger_on: 'any' as const,
  wall: false,
};

function server(name: string, extra: Partial<RemoteServerInput> = {}): RemoteServerInput {
  return {
    name,
    host: `${name}.lan`,
    user: 'root',
    enabled: true,
    connect_timeout: 10,
    command_timeout: 30,
    shutdown_command: 'shutdown -h now',
    use_sudo: false,
    ssh_options: [],
    pre_shutdown_commands: [],
    shutdown_safety_margin: 60,
    ...extra,
  };
}

test('non-local group with nothing configured matches the original API example exactly', () => {
  const raw = readFileSync('test/fixtures/eneru-api-examples/27-shutdown-plan.txt', 'utf8');
  const expected = JSON.parse(raw.slice(raw.indexOf('{'))) as { plan: unknown };
  const config: PlanConfigInput = {
    behavior: { dry_run: true },
    local_shutdown: { ...localShutdown, enabled: false, trigger_on: 'none', command: 'true' },
    ups: [{ is_local: false }],
  };
  const view = buildShutdownPlanView({ is_local: false, remote_servers: [] }, config);
  assert.deepEqual(view, expected.plan);
});

test('local group: every phase enabled, estimates are upper bounds, commands never exposed', () => {
  const group: ShutdownGroupInput = {
    is_local: true,
    remote_servers: [
      server('a', {
        pre_shutdown_commands: [
          { command: 'curl -H "Authorization: Bearer s3cret" http://x' },
          { action: 'sync', timeout: 10 },
        ],
      }),
      server('b'),
      server('c', { shutdown_order: 2, shutdown_command: 'echo token=abc' }),
    ],
    virtual_machines: { enabled: true, max_wait: 60 },
    containers: {
      enabled: true,
      runtime: 'docker',
      stop_timeout: 20,
      compose_files: ['/x.yml'],
      shutdown_all_remaining_containers: true,
      include_user_containers: false,
    },
    filesystems: {
      sync_enabled: true,
      unmount: { enabled: true, timeout: 15, mounts: ['/mnt/a', '/mnt/b'] },
    },
  };
  const view = buildShutdownPlanView(group, {
    behavior: { dry_run: false },
    local_shutdown: localShutdown,
    ups: [{ is_local: true }],
  });
  assert.equal(view.isLocal, true);
  assert.equal(view.coordinatorMode, false);
  assert.deepEqual(
    view.phases.map((p) => [p.id, p.enabled, p.skipped, p.estimateS, p.mode]),
    [
      ['vms', true, null, 60, 'sequential'],
      ['containers', true, null, 40, 'sequential'],
      ['filesystem-sync', true, null, 30, 'sequential'],
      ['filesystem-unmount', true, null, 30, 'sequential'],
      // a: 30+10 pre + 30 + 10 + 60 + 90 = 230 (parallel with b: 130); then c: 130.
      ['remote', true, null, 230 + 130, 'parallel'],
      ['final-sync', true, null, 30, 'sequential'],
      ['local-poweroff', true, null, 30, 'sequential'],
    ],
  );
  assert.equal(view.totalEstimateS, 60 + 40 + 30 + 30 + 360 + 30 + 30);
  const remote = view.phases.find((p) => p.id === 'remote');
  assert.deepEqual(remote?.steps[0], {
    title: 'a',
    target: 'root@a.lan',
    actions: ['custom command', 'sync', 'shutdown command'],
    order: 0,
    timeoutS: 230,
  });
  const json = JSON.stringify(view);
  assert.ok(!json.includes('s3cret'));
  assert.ok(!json.includes('token=abc'));
  assert.ok(!json.includes('shutdown -h now'));
});

test('coordinator mode: a non-local group powers the host off only with trigger_on any and no local group', () => {
  const group: ShutdownGroupInput = { is_local: false, remote_servers: [] };
  const poweroff = (config: PlanConfigInput) =>
    buildShutdownPlanView(group, config).phases.find((p) => p.id === 'local-poweroff');
  const base: PlanConfigInput = {
    behavior: { dry_run: false },
    local_shutdown: localShutdown,
    ups: [{ is_local: false }, { is_local: false }],
  };
  assert.equal(poweroff(base)?.enabled, true);
  assert.equal(buildShutdownPlanView(group, base).coordinatorMode, true);
  assert.equal(
    poweroff({ ...base, ups: [{ is_local: true }, { is_local: false }] })?.skipped,
    'non-local group',
  );
  assert.equal(
    poweroff({ ...base, local_shutdown: { ...localShutdown, trigger_on: 'none' } })?.skipped,
    'non-local group',
  );
  const localGroup = buildShutdownPlanView(
    { is_local: true, remote_servers: [] },
    { ...base, local_shutdown: { ...localShutdown, enabled: false } },
  );
  assert.equal(
    localGroup.phases.find((p) => p.id === 'local-poweroff')?.skipped,
    'local_shutdown disabled',
  );
  assert.equal(localGroup.phases.find((p) => p.id === 'vms')?.skipped, 'disabled');
  assert.equal(localGroup.phases.find((p) => p.id === 'filesystem-unmount')?.skipped, 'disabled');
});

test('validate tree lists phases in order with budgets and the local command', () => {
  const group: ShutdownGroupInput = {
    is_local: true,
    remote_servers: [
      server('nas', { shutdown_order: 2, user: 'admin', use_sudo: true }),
      server('pve', {
        pre_shutdown_commands: [{ action: 'stop_proxmox_vms', timeout: 180 }, { action: 'bogus' }],
      }),
    ],
    virtual_machines: { enabled: true, max_wait: 30 },
  };
  const lines = renderShutdownTree(group, {
    behavior: { dry_run: true },
    local_shutdown: localShutdown,
    ups: [{ is_local: true }],
  });
  assert.deepEqual(lines, [
    'VMs: virsh shutdown, destroy after 30s',
    'Containers: disabled',
    'Filesystem sync: enabled',
    'Unmount: disabled',
    'Remote servers: 2 in 2 phase(s)',
    '  Phase 1/2 (order=0):',
    "    pve (root@pve.lan): stop_proxmox_vms (180s) -> bogus [skipped: unknown action 'bogus'] -> 'shutdown -h now' [budget 400s]",
    '  Phase 2/2 (order=2):',
    "    nas (admin@nas.lan): 'sudo -n shutdown -h now' [budget 130s]",
    'Local shutdown: shutdown -h now "UPS battery critical - emergency shutdown" (dry-run: logged only)',
  ]);
  const bad = renderShutdownTree(
    { is_local: false, remote_servers: [] },
    {
      behavior: { dry_run: false },
      local_shutdown: { ...localShutdown, command: "x 'open" },
      ups: [{ is_local: false }],
    },
  );
  assert.match(bad.at(-1) ?? '', /INVALID command/);
});

test('a non-local redundancy group never powers the host off, even with trigger_on any and no local UPS', () => {
  const config: PlanConfigInput = {
    behavior: { dry_run: false },
    local_shutdown: localShutdown,
    ups: [{ is_local: false }, { is_local: false }],
    redundancy_groups: [{}],
  };
  const redundancy = { is_local: false, remote_servers: [], ups_sources: ['A', 'B'] };
  assert.equal(buildShutdownPlanView(redundancy, config).phases.at(-1)?.skipped, 'non-local group');
  assert.equal(
    renderShutdownTree(redundancy, config).at(-1),
    'Local shutdown: no (non-local group)',
  );
  assert.equal(
    buildShutdownPlanView({ ...redundancy, is_local: true }, config).phases.at(-1)?.enabled,
    true,
  );
  assert.equal(
    buildShutdownPlanView({ is_local: false, remote_servers: [] }, config).phases.at(-1)?.enabled,
    true,
  );
});
